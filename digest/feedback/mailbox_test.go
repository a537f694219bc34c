package feedback

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-imap"
	"github.com/emersion/go-imap/client"

	"github.com/weeklywrap/digest/digest"
)

func fixture(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	// The fixtures are kept with LF; mail on the wire has CRLF.
	return bytes.ReplaceAll(b, []byte("\n"), []byte("\r\n"))
}

func TestParseReport(t *testing.T) {
	cases := []struct {
		file string
		want []string // kind email
	}{
		{"dsn-hard.eml", []string{"hard_bounce gone@example.net", "soft_bounce full@example.net"}},
		{"dsn-delayed.eml", []string{"soft_bounce slow@example.net"}},
		{"arf.eml", []string{"complaint angry@example.net"}},
	}
	for _, c := range cases {
		events, err := ParseReport(bytes.NewReader(fixture(t, c.file)))
		if err != nil {
			t.Errorf("%s: %v", c.file, err)
			continue
		}
		var got []string
		for _, f := range events {
			got = append(got, string(f.Kind)+" "+f.Email)
			if f.EventID == "" || f.At.IsZero() {
				t.Errorf("%s: event %+v without id or time", c.file, f)
			}
		}
		if fmt.Sprint(got) != fmt.Sprint(c.want) {
			t.Errorf("%s: %v, want %v", c.file, got, c.want)
		}
	}
	if _, err := ParseReport(bytes.NewReader(fixture(t, "autoreply.eml"))); !errors.Is(err, ErrNotReport) {
		t.Errorf("an auto-reply: %v, want ErrNotReport", err)
	}
	// An ARF report with Original-Rcpt-To names that recipient; one of
	// type not-spam is no complaint.
	arf := string(fixture(t, "arf.eml"))
	withRcpt := strings.Replace(arf, "Version: 1\r\n", "Version: 1\r\nOriginal-Rcpt-To: <other@example.net>\r\n", 1)
	if ev, err := ParseReport(strings.NewReader(withRcpt)); err != nil || len(ev) != 1 || ev[0].Email != "other@example.net" {
		t.Errorf("Original-Rcpt-To: %+v %v", ev, err)
	}
	notSpam := strings.Replace(arf, "Feedback-Type: abuse", "Feedback-Type: not-spam", 1)
	if ev, err := ParseReport(strings.NewReader(notSpam)); err != nil || len(ev) != 0 {
		t.Errorf("not-spam: %+v %v, want nothing", ev, err)
	}
	// A report whose status part is missing is an error naming it.
	broken := strings.Replace(string(fixture(t, "dsn-delayed.eml")), "message/delivery-status", "text/plain", 1)
	if _, err := ParseReport(strings.NewReader(broken)); err == nil || !strings.Contains(err.Error(), "delay-7781@relay.example.com") {
		t.Errorf("a DSN without its status part: %v", err)
	}
}

// mailboxFixtures are the messages both mailbox readers are given: a
// DSN with a hard and a soft bounce, a delay, a complaint, and an
// auto-reply, which is no report.
func mailboxFixtures() []string {
	return []string{"dsn-hard.eml", "dsn-delayed.eml", "arf.eml", "autoreply.eml"}
}

// mailboxStore is a store with the fixtures' recipients, the messages
// they report on recorded as sent.
func mailboxStore(t *testing.T) digest.Store {
	t.Helper()
	st := testStore(t, "gone@example.net", "full@example.net", "slow@example.net", "angry@example.net")
	fixturesSent(t, st)
	return st
}

// checkMailboxRead checks one read of the mailboxFixtures: four messages,
// three of them reports, four events recorded; the hard bounce and the
// complaint suppress their addresses, the soft bounces do not.
func checkMailboxRead(t *testing.T, st digest.Store, stats ReadStats) {
	t.Helper()
	if stats != (ReadStats{Messages: 4, Reports: 3, Recorded: 4}) {
		t.Errorf("stats %+v", stats)
	}
	checkStatuses(t, st, map[string]digest.SubscriberStatus{"gone@example.net": digest.StatusSuppressed,
		"angry@example.net": digest.StatusSuppressed, "full@example.net": digest.StatusConfirmed, "slow@example.net": digest.StatusConfirmed})
}

func TestReadMaildir(t *testing.T) {
	st := mailboxStore(t)
	dir := t.TempDir()
	for _, sub := range []string{"new", "cur", "tmp"} {
		os.Mkdir(filepath.Join(dir, sub), 0o700)
	}
	for i, f := range mailboxFixtures() {
		os.WriteFile(filepath.Join(dir, "new", fmt.Sprintf("1764928930.M%dP1.bounces", i)), fixture(t, f), 0o600)
	}
	// A message read before (Seen) is left alone.
	os.WriteFile(filepath.Join(dir, "cur", "1764900000.M9P1.bounces:2,S"), fixture(t, "arf.eml"), 0o600)
	rd := &Reader{Store: st}
	stats, err := rd.ReadMaildir(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	checkMailboxRead(t, st, stats)
	if n, _ := os.ReadDir(filepath.Join(dir, "new")); len(n) != 0 {
		t.Errorf("%d messages left in new/", len(n))
	}
	cur, _ := os.ReadDir(filepath.Join(dir, "cur"))
	for _, e := range cur {
		if !strings.HasSuffix(e.Name(), ":2,S") {
			t.Errorf("%s not marked seen", e.Name())
		}
	}
	// A second pass finds nothing new.
	if stats, err := rd.ReadMaildir(context.Background(), dir); err != nil || stats.Messages != 0 {
		t.Errorf("second pass: %+v %v", stats, err)
	}
	checkCounts(t, st, map[string]int{"arf/complaint": 1, "dsn/hard_bounce": 1, "dsn/soft_bounce": 2})
	if _, err := rd.ReadMaildir(context.Background(), t.TempDir()); err == nil || !strings.Contains(err.Error(), "not a maildir") {
		t.Errorf("not a maildir: %v", err)
	}
}

// dovecot is a real Dovecot IMAP server on a 127.0.0.1 port, with a
// throwaway configuration and one user, stopped at the test's end.
type dovecot struct {
	addr, user, pass string
}

func startDovecot(t *testing.T) *dovecot {
	t.Helper()
	bin, err := exec.LookPath("dovecot")
	if err != nil {
		for _, p := range []string{"/usr/sbin/dovecot", "/usr/local/sbin/dovecot"} {
			if _, err := os.Stat(p); err == nil {
				bin = p
			}
		}
	}
	if bin == "" {
		if os.Getenv("CI") == "true" {
			t.Fatal("dovecot is not installed; .ci/run installs dovecot-imapd")
		}
		t.Skip("dovecot is not installed (apt-get install dovecot-imapd); skipping the IMAP test")
	}
	// Dovecot drops privileges to its own users when started as root (and
	// refuses uid 0 for mail); as anyone else it runs everything as them.
	me, err := user.Current()
	if err != nil {
		t.Fatal(err)
	}
	internal, login, mailUser := me.Username, me.Username, me
	if me.Uid == "0" {
		internal, login = "dovecot", "dovenull"
		if mailUser, err = user.Lookup("dovecot"); err != nil {
			t.Fatalf("running as root, Dovecot needs its dovecot user: %v", err)
		}
	}
	dir, err := os.MkdirTemp("", "digest-dovecot-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	home := filepath.Join(dir, "home")
	for _, d := range []string{filepath.Join(dir, "run"), filepath.Join(dir, "state"), home} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	os.Chmod(dir, 0o755) // the unprivileged processes walk into it
	uid, _ := strconv.Atoi(mailUser.Uid)
	gid, _ := strconv.Atoi(mailUser.Gid)
	if me.Uid == "0" {
		if err := os.Chown(home, uid, gid); err != nil {
			t.Fatal(err)
		}
	}
	d := &dovecot{user: "bounces", pass: "imap-test-pass"}
	if err := os.WriteFile(filepath.Join(dir, "passwd"), []byte(d.user+":{PLAIN}"+d.pass+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	d.addr = fmt.Sprintf("127.0.0.1:%d", port)
	conf := fmt.Sprintf(`base_dir = %[1]s/run
state_dir = %[1]s/state
log_path = %[1]s/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain
default_internal_user = %[2]s
default_login_user = %[3]s
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%%u %[1]s/passwd
}
userdb {
  driver = static
  args = uid=%[4]d gid=%[5]d home=%[1]s/home/%%u
}
first_valid_uid = %[4]d
mail_location = maildir:~/Maildir
service imap-login {
  chroot =
  inet_listener imap {
    address = 127.0.0.1
    port = %[6]d
  }
  inet_listener imaps {
    port = 0
  }
}
service anvil {
  chroot =
}
service auth {
  user = %[2]s
}
`, dir, internal, login, uid, gid, port)
	confPath := filepath.Join(dir, "dovecot.conf")
	if err := os.WriteFile(confPath, []byte(conf), 0o644); err != nil {
		t.Fatal(err)
	}
	if me.Uid == "0" {
		// The auth process, as the dovecot user, reads the passwd file.
		os.Chown(filepath.Join(dir, "passwd"), uid, gid)
	}
	cmd := exec.Command(bin, "-F", "-c", confPath)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatalf("start dovecot: %v", err)
	}
	exited := make(chan struct{})
	go func() { cmd.Wait(); close(exited) }()
	t.Cleanup(func() {
		cmd.Process.Signal(os.Interrupt)
		select {
		case <-exited:
		case <-time.After(10 * time.Second):
			cmd.Process.Kill()
			<-exited
		}
	})
	deadline := time.Now().Add(20 * time.Second)
	for {
		c, err := client.Dial(d.addr)
		if err == nil {
			err = c.Login(d.user, d.pass)
			c.Logout()
			if err == nil {
				return d
			}
		}
		select {
		case <-exited:
			log, _ := os.ReadFile(filepath.Join(dir, "dovecot.log"))
			t.Fatalf("dovecot exited: %s\n%s", out.String(), log)
		default:
		}
		if time.Now().After(deadline) {
			log, _ := os.ReadFile(filepath.Join(dir, "dovecot.log"))
			t.Fatalf("dovecot did not take a login within 20s: %v\n%s\n%s", err, out.String(), log)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// login connects to the server as the user; the caller logs out.
func (d *dovecot) login(t *testing.T) *client.Client {
	t.Helper()
	c, err := client.Dial(d.addr)
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Login(d.user, d.pass); err != nil {
		c.Logout()
		t.Fatal(err)
	}
	return c
}

// append puts a message into the user's INBOX over IMAP.
func (d *dovecot) append(t *testing.T, msg []byte, flags ...string) {
	t.Helper()
	c := d.login(t)
	defer c.Logout()
	if err := c.Append("INBOX", flags, time.Now(), bytes.NewBuffer(msg)); err != nil {
		t.Fatal(err)
	}
}

// unseen counts the INBOX's messages without \Seen.
func (d *dovecot) unseen(t *testing.T) int {
	t.Helper()
	c := d.login(t)
	defer c.Logout()
	if _, err := c.Select("INBOX", true); err != nil {
		t.Fatal(err)
	}
	crit := imap.NewSearchCriteria()
	crit.WithoutFlags = []string{imap.SeenFlag}
	ids, err := c.Search(crit)
	if err != nil {
		t.Fatal(err)
	}
	return len(ids)
}

func TestReadIMAPFromDovecot(t *testing.T) {
	d := startDovecot(t)
	st := mailboxStore(t)
	for _, f := range mailboxFixtures() {
		d.append(t, fixture(t, f))
	}
	// A DSN someone already read stays as it is.
	seenDSN := strings.Replace(string(fixture(t, "dsn-delayed.eml")), "delay-7781", "delay-0001", 1)
	d.append(t, []byte(strings.Replace(seenDSN, "slow@example.net", "angry2@example.net", -1)), imap.SeenFlag)
	host, portText, _ := net.SplitHostPort(d.addr)
	port, _ := strconv.Atoi(portText)
	cfg := IMAPConfig{Host: host, Port: port, TLS: "none", Username: d.user, Password: d.pass}
	rd := &Reader{Store: st}
	stats, err := rd.ReadIMAP(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	checkMailboxRead(t, st, stats)
	if n := d.unseen(t); n != 0 {
		t.Errorf("%d messages still unseen on the server", n)
	}
	if stats, err := rd.ReadIMAP(context.Background(), cfg); err != nil || stats.Messages != 0 {
		t.Errorf("second pass: %+v %v", stats, err)
	}
	bad := cfg
	bad.Password = "wrong"
	if _, err := rd.ReadIMAP(context.Background(), bad); err == nil || !strings.Contains(err.Error(), "login as bounces") {
		t.Errorf("wrong password: %v", err)
	}
	t.Logf("Dovecot at %s: %+v", d.addr, stats)
}

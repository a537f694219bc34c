package main

import (
	"net"
	"os"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestSendSaysWhatIsWrongWithTheRelayBeforeBuilding: with nothing on the
// SMTP port, or STARTTLS asked of a plain local server, send says so with
// the fix, once, and builds no issue.
func TestSendSaysWhatIsWrongWithTheRelayBeforeBuilding(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed := strconv.Itoa(ln.Addr().(*net.TCPAddr).Port)
	ln.Close()

	e := newEnv(t, envOpts{Mailpit: true})
	e.mustRun(t, "subscribers", "add", "ann@example.org")
	cfg, _ := os.ReadFile(e.config)
	mpPort := strconv.Itoa(e.mp.SMTPPort)
	tests := []struct {
		name, config, want string
	}{
		{"nothing listening", strings.Replace(string(cfg), "port: "+mpPort, "port: "+closed, 1),
			"smtp 127.0.0.1:" + closed + ": connect: connection refused: is an SMTP server (e.g. Mailpit) running on 127.0.0.1:" + closed + "?"},
		{"starttls to Mailpit", strings.Replace(string(cfg), "tls: none", "tls: starttls", 1),
			"the server does not offer STARTTLS (tls: starttls); a local server such as Mailpit speaks plain SMTP: set tls: none for it"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if tc.config == string(cfg) {
				t.Fatal("config unchanged")
			}
			if err := os.WriteFile(e.config, []byte(tc.config), 0o644); err != nil {
				t.Fatal(err)
			}
			for _, args := range [][]string{{"send"}, {"send", "--to", "me@example.org"}} {
				_, _, err := e.run(t, args...)
				if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), "nothing was built or sent") {
					t.Errorf("%v: err = %v\nwant %q", args, err, tc.want)
					continue
				}
				if strings.Contains(err.Error(), "dial tcp") {
					t.Errorf("%v: the error repeats itself: %v", args, err)
				}
			}
			if st := e.mustRun(t, "status"); strings.Contains(st, "#1") {
				t.Errorf("an issue was built although the relay was unusable:\n%s", st)
			}
		})
	}
	if err := os.WriteFile(e.config, cfg, 0o644); err != nil {
		t.Fatal(err)
	}
	if out := e.mustRun(t, "send"); !strings.Contains(out, "issue #1") || !strings.Contains(out, "1 sent") {
		t.Errorf("send with the relay fixed: %s", out)
	}
}

// TestServeSaysTheRelayIsUnusableAtStart: the daemon starts anyway, and
// its log says at once what is wrong with the relay and what to try.
func TestServeSaysTheRelayIsUnusableAtStart(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed := strconv.Itoa(ln.Addr().(*net.TCPAddr).Port)
	ln.Close()
	e := newEnv(t, envOpts{})
	cfg, _ := os.ReadFile(e.config)
	if err := os.WriteFile(e.config, []byte(strings.Replace(string(cfg), "port: 1\n", "port: "+closed+"\n", 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	e.appendConfig(t, "listen: 127.0.0.1:0\n")
	p := startChild(t, cliBinary(t), e.config, "serve")
	want := "is an SMTP server (e.g. Mailpit) running on 127.0.0.1:" + closed + "?"
	waitFor(t, "the relay warning", 30*time.Second, func() bool { return strings.Contains(p.out.String(), want) })
	if err := p.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	if err := p.wait(t, 30*time.Second); err != nil {
		t.Errorf("serve after SIGTERM: %v\n%s", err, p.out)
	}
}

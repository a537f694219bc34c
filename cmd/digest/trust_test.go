package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/weeklywrap/digest/digest"
)

// settle waits until Mailpit's message count stops changing, for mail sent
// off the request path, and returns it.
func settle(t *testing.T, e *testEnv, quiet time.Duration) int {
	t.Helper()
	last, since := -1, time.Now()
	for deadline := time.Now().Add(60 * time.Second); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		n := e.mp.Count(t)
		if n != last {
			last, since = n, time.Now()
			continue
		}
		if time.Since(since) >= quiet {
			return n
		}
	}
	t.Fatalf("Mailpit's count kept changing (last %d)", last)
	return last
}

// TestSubscriptionBombingIsCapped sends 10 subscribe requests, each for a
// different victim, from each of 250 source addresses (127.0.0.2 to
// 127.0.0.251, real TCP connections to the real site), with the global cap
// at 20 confirmations a minute. Mailpit receives at most the cap (plus what
// the bucket refills while the test runs), whatever the number of clients.
func TestSubscriptionBombingIsCapped(t *testing.T) {
	const clients, each, capPerMinute = 250, 10, 20
	e := newEnv(t, envOpts{Mailpit: true})
	e.appendConfig(t, fmt.Sprintf("web:\n  confirm_per_minute: %d\n", capPerMinute))
	srv, _ := outboxSite(t, e, nil)

	codes := map[int]int{}
	var mu sync.Mutex
	var wg sync.WaitGroup
	start := time.Now()
	slots := make(chan struct{}, 32)
	for c := range clients {
		slots <- struct{}{}
		wg.Go(func() {
			defer func() { <-slots }()
			src := net.IPv4(127, 0, 0, byte(2+c))
			tr := &http.Transport{DialContext: (&net.Dialer{LocalAddr: &net.TCPAddr{IP: src}}).DialContext}
			defer tr.CloseIdleConnections()
			client := &http.Client{Transport: tr}
			for i := range each {
				form := url.Values{"email": {fmt.Sprintf("victim-%d-%d@example.org", c, i)}, "name": {"Win a prize at http://spam.example"}}
				resp, err := client.PostForm(srv.URL+"/subscribe", form)
				if err != nil {
					t.Error(err)
					return
				}
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				mu.Lock()
				codes[resp.StatusCode]++
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	took := time.Since(start)
	sent := settle(t, e, 2*time.Second)
	allowed := capPerMinute + int(took.Minutes()*capPerMinute) + 1
	t.Logf("%d clients × %d requests in %s: statuses %v; %d confirmations sent (cap %d/min)", clients, each, took.Round(time.Millisecond), codes, sent, capPerMinute)
	if sent > allowed || sent == 0 {
		t.Errorf("%d confirmations reached Mailpit, want 1 to %d", sent, allowed)
	}
	if codes[http.StatusOK] > allowed || codes[http.StatusServiceUnavailable] < clients*each-allowed {
		t.Errorf("statuses %v: want at most %d accepted and the rest 503", codes, allowed)
	}
	for _, m := range e.mp.Messages(t) {
		full := e.mp.Message(t, m.ID)
		if strings.Contains(full.Text+full.HTML, "spam.example") || strings.Contains(full.Text+full.HTML, "prize") || full.To[0].Name != "" {
			t.Fatalf("the name field reached the victim's confirmation: To %+v\n%s", full.To, full.Text)
		}
	}
}

// TestConfirmLinkNeedsAPostAndDiesWithAnUnsubscribe follows a real
// confirmation mail: opening its link (what a mail scanner does) confirms
// nothing, the page's button does, and after the reader unsubscribes the
// same link confirms nothing, GET or POST.
func TestConfirmLinkNeedsAPostAndDiesWithAnUnsubscribe(t *testing.T) {
	e, base, a := siteEnv(t)
	ctx := context.Background()
	if code := postStatus(t, base+"/subscribe", url.Values{"email": {"scan@example.org"}}); code != http.StatusOK {
		t.Fatalf("subscribe: %d", code)
	}
	if n := e.mp.WaitCount(t, 1, 15*time.Second); n != 1 {
		t.Fatalf("Mailpit holds %d messages, want the confirmation", n)
	}
	msg := e.mp.Message(t, e.mp.Messages(t)[0].ID)
	link := confirmLink.FindString(msg.Text)
	if link == "" {
		t.Fatalf("no confirm link in\n%s", msg.Text)
	}
	st, err := a.openStore(ctx)
	if err != nil {
		t.Fatal(err)
	}
	status := func() digest.SubscriberStatus {
		sub, err := st.SubscriberByEmail(ctx, "scan@example.org")
		if err != nil {
			t.Fatal(err)
		}
		return sub.Status
	}
	for range 3 { // a scanner may open it more than once
		code, body := getBody(t, link)
		if code != http.StatusOK || !strings.Contains(body, `method="post"`) {
			t.Fatalf("GET %s: %d\n%s", link, code, body)
		}
	}
	if s := status(); s != digest.StatusPending {
		t.Fatalf("opening the confirm link made the address %s", s)
	}
	if code := postStatus(t, link, nil); code != http.StatusOK || status() != digest.StatusConfirmed {
		t.Fatalf("POST confirm: %d, status %s", code, status())
	}
	// Leave with the one-click link the confirmation itself carried.
	if len(msg.ListUnsubscribe.Links) == 0 {
		t.Fatal("the confirmation carries no List-Unsubscribe link")
	}
	unsub, _ := url.Parse(msg.ListUnsubscribe.Links[0])
	if code := postStatus(t, base+unsub.Path, url.Values{"List-Unsubscribe": {"One-Click"}}); code != http.StatusOK || status() != digest.StatusUnsubscribed {
		t.Fatalf("unsubscribe: %d, status %s", code, status())
	}
	if code, body := getBody(t, link); code != http.StatusGone || strings.Contains(body, `method="post"`) {
		t.Errorf("GET of the old link after unsubscribing: %d\n%s", code, body)
	}
	if code := postStatus(t, link, nil); code != http.StatusGone {
		t.Errorf("POST of the old link after unsubscribing: %d, want 410", code)
	}
	if s := status(); s != digest.StatusUnsubscribed {
		t.Errorf("an old confirm link brought back someone who left: %s", s)
	}
}

func postStatus(t *testing.T, u string, form url.Values) int {
	t.Helper()
	resp, err := http.PostForm(u, form)
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode
}

func getBody(t *testing.T, u string) (int, string) {
	t.Helper()
	resp, err := http.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// TestSuppressionSurvivesRemoveAndErase: an address that bounced for good
// stays off the list through `subscribers remove` and the preferences
// page's resubscribe, and through `remove --erase` and the subscribe form.
func TestSuppressionSurvivesRemoveAndErase(t *testing.T) {
	e, base, a := siteEnv(t)
	ctx := context.Background()
	csvPath := filepath.Join(e.dir, "bounced.csv")
	if err := os.WriteFile(csvPath, []byte("email,name,status\ngone@example.org,Gone,suppressed\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	e.mustRun(t, "subscribers", "import", "--confirmed", csvPath)
	if out := e.mustRun(t, "subscribers", "remove", "gone@example.org"); !strings.Contains(out, "suppressed") {
		t.Errorf("remove of a suppressed address says: %s", out)
	}
	st, err := a.openStore(ctx)
	if err != nil {
		t.Fatal(err)
	}
	sub, err := st.SubscriberByEmail(ctx, "gone@example.org")
	if err != nil {
		t.Fatal(err)
	}
	signer, err := a.signer()
	if err != nil {
		t.Fatal(err)
	}
	prefs, _ := signer.Links(base, sub.ID)
	u, _ := url.Parse(prefs)
	resubscribe := base + strings.Replace(u.Path, "/preferences/", "/resubscribe/", 1)
	if code := postStatus(t, resubscribe, nil); code != http.StatusOK {
		t.Fatalf("resubscribe: %d", code)
	}
	if list := e.mustRun(t, "subscribers", "list", "--status", "suppressed"); !strings.Contains(list, "gone@example.org") {
		t.Fatalf("after remove and resubscribe the address is no longer suppressed:\n%s", e.mustRun(t, "subscribers", "list"))
	}

	// Erased, then subscribed again through the form: still suppressed, and
	// no confirmation is sent to it.
	e.mustRun(t, "subscribers", "remove", "--erase", "gone@example.org")
	if code := postStatus(t, base+"/subscribe", url.Values{"email": {"gone@example.org"}}); code != http.StatusOK {
		t.Fatalf("subscribe: %d", code)
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		if s, err := st.SubscriberByEmail(ctx, "gone@example.org"); err == nil {
			if s.Status != digest.StatusSuppressed {
				t.Fatalf("after erasing and subscribing again: %s, want suppressed", s.Status)
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the subscribe request stored nothing")
		}
		time.Sleep(50 * time.Millisecond)
	}
	if n := settle(t, e, time.Second); n != 0 {
		t.Errorf("%d confirmations went to a suppressed address", n)
	}
}

// TestSecretsStayOutOfOutput puts a PostgreSQL password in the store URL's
// query and credentials in feed URLs (user:pass@ and ?token=), then runs
// config check, a command whose store connection fails, feeds check and
// preview as processes of their own: neither their output nor their logs
// show the secrets.
func TestSecretsStayOutOfOutput(t *testing.T) {
	feedSrv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, "/broken.xml") {
			http.Error(w, "boom", http.StatusInternalServerError)
			return
		}
		http.Redirect(w, r, r.URL.String(), http.StatusFound) // a loop, quoted in the error
	}))
	defer feedSrv.Close()
	host := strings.TrimPrefix(feedSrv.URL, "http://")
	e := newEnv(t, envOpts{Timeout: "2s", ExtraFeeds: []string{
		"http://reader:Feed-Pass-7781@" + host + "/broken.xml",
		"http://" + host + "/loop.xml?token=Feed-Token-5529",
	}})
	secrets := []string{"Feed-Pass-7781", "Feed-Token-5529", "Pg-Pass-3317"}
	leaks := func(what, out string) {
		t.Helper()
		for _, s := range secrets {
			if strings.Contains(out, s) {
				t.Errorf("%s shows %s:\n%s", what, s, out)
			}
		}
	}
	bin := cliBinary(t)
	run := func(config string, args ...string) string {
		c := startChild(t, bin, config, args...)
		c.wait(t, 60*time.Second)
		return c.out.String()
	}
	out := run(e.config, "feeds", "check")
	if !strings.Contains(out, "FAIL") || !strings.Contains(out, host) {
		t.Fatalf("feeds check did not report the failing feeds:\n%s", out)
	}
	leaks("feeds check", out)
	leaks("preview", run(e.config, "preview"))

	pg := strings.Replace(string(mustRead(t, e.config)), "store: "+e.dir+"/digest.db",
		"store: postgres://digest@127.0.0.1:1/digest?sslmode=disable&password=Pg-Pass-3317", 1)
	pgConfig := filepath.Join(e.dir, "pg.yaml")
	if err := os.WriteFile(pgConfig, []byte(pg), 0o600); err != nil {
		t.Fatal(err)
	}
	out = run(pgConfig, "config", "check")
	if !strings.Contains(out, "127.0.0.1:1") {
		t.Fatalf("config check: %s", out)
	}
	leaks("config check", out)
	out = run(pgConfig, "subscribers", "list")
	if !strings.Contains(out, "127.0.0.1") {
		t.Fatalf("subscribers list against a dead PostgreSQL: %s", out)
	}
	leaks("a failing store connection", out)
	pgUser := strings.Replace(pg, "postgres://digest@127.0.0.1:1/digest?sslmode=disable&password=Pg-Pass-3317", "postgres://digest:Pg-Pass-3317@127.0.0.1:1/digest", 1)
	if err := os.WriteFile(pgConfig, []byte(pgUser), 0o600); err != nil {
		t.Fatal(err)
	}
	leaks("a failing store connection (user:pass@)", run(pgConfig, "subscribers", "list"))
}

func mustRead(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestWeakSecretIsRefusedOnAPublicSite: a 16-byte secret of one repeated
// character passes the length check, but not config check, send or serve
// once base_url is public.
func TestWeakSecretIsRefusedOnAPublicSite(t *testing.T) {
	e := newEnv(t, envOpts{})
	weak := strings.Replace(string(mustRead(t, e.config)), "secret: test-secret-0123456789abcdef", "secret: aaaaaaaaaaaaaaaa", 1)
	if err := os.WriteFile(e.config, []byte(weak), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{{"config", "check"}, {"send", "--dry-run"}} {
		out, errOut, err := e.run(t, args...)
		if err == nil || !strings.Contains(err.Error(), "secret") || !strings.Contains(err.Error(), "weak") {
			t.Errorf("digest %s with a weak secret and public base_url: err %v\n%s%s", strings.Join(args, " "), err, out, errOut)
		}
		if err != nil && strings.Contains(err.Error(), "aaaaaaaaaaaaaaaa") {
			t.Errorf("the error quotes the secret: %v", err)
		}
	}
	// serve as a process of its own, so that one which starts anyway is
	// stopped rather than left running.
	serve := startChild(t, cliBinary(t), e.config, "serve")
	if err := serve.wait(t, 30*time.Second); err == nil || !strings.Contains(serve.out.String(), "weak") {
		t.Errorf("serve with a weak secret and public base_url: %v\n%s", err, serve.out)
	}
	local := strings.Replace(weak, "base_url: http://digest.test", "base_url: http://127.0.0.1:8080", 1)
	if err := os.WriteFile(e.config, []byte(local), 0o600); err != nil {
		t.Fatal(err)
	}
	if out := e.mustRun(t, "config", "check"); !strings.Contains(out, "warning: secret") {
		t.Errorf("a weak secret on a local site should warn: %s", out)
	}
}

// TestSQLiteFilesArePrivate: the database and its -wal and -shm files are
// created readable by their owner only, even under a permissive umask, and
// an existing world-readable database is tightened.
func TestSQLiteFilesArePrivate(t *testing.T) {
	old := syscall.Umask(0o022)
	defer syscall.Umask(old)
	e := newEnv(t, envOpts{})
	e.mustRun(t, "subscribers", "add", "ann@example.org")
	db := filepath.Join(e.dir, "digest.db")
	check := func(when string) {
		t.Helper()
		for _, p := range []string{db, db + "-wal", db + "-shm"} {
			fi, err := os.Stat(p)
			if err != nil {
				continue // -wal and -shm may be gone after a clean close
			}
			if perm := fi.Mode().Perm(); perm != 0o600 {
				t.Errorf("%s: %s is %o, want 600", when, filepath.Base(p), perm)
			}
		}
	}
	// Keep a handle open so -wal and -shm exist while we look.
	a := &app{configPath: e.config}
	defer a.Close()
	if _, err := a.openStore(context.Background()); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(db + "-wal"); err != nil {
		t.Fatalf("no -wal file to check: %v", err)
	}
	check("new database")
	a.Close()
	if err := os.Chmod(db, 0o644); err != nil {
		t.Fatal(err)
	}
	e.mustRun(t, "subscribers", "list")
	check("database made 0644 by hand")
}

// TestEraseLeavesNoAddressInTheFile erases a subscriber who came through
// the form (a confirmation in the outbox), confirmed, changed preferences
// and received an issue, then reads the SQLite file and its -wal and -shm
// files byte by byte: neither the address nor the name is left in them.
func TestEraseLeavesNoAddressInTheFile(t *testing.T) {
	e, base, a := siteEnv(t)
	const addr, name = "erase.me.7731@example.org", "Zebulon Quaxwell"
	e.mustRun(t, "subscribers", "add", "stays@example.org")
	if code := postStatus(t, base+"/subscribe", url.Values{"email": {addr}, "name": {name}}); code != http.StatusOK {
		t.Fatalf("subscribe: %d", code)
	}
	if n := e.mp.WaitCount(t, 1, 15*time.Second); n != 1 {
		t.Fatalf("Mailpit holds %d messages, want the confirmation", n)
	}
	link := confirmLink.FindString(e.mp.Message(t, e.mp.Messages(t)[0].ID).Text)
	if code := postStatus(t, link, nil); code != http.StatusOK {
		t.Fatalf("confirm: %d", code)
	}
	st, err := a.openStore(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	sub, err := st.SubscriberByEmail(context.Background(), addr)
	if err != nil || sub.Status != digest.StatusConfirmed {
		t.Fatalf("after confirming: %+v, %v", sub, err)
	}
	signer, _ := a.signer()
	prefs, _ := signer.Links(base, sub.ID)
	u, _ := url.Parse(prefs)
	if code := postStatus(t, base+u.Path, url.Values{"name": {name + " Jr."}}); code != http.StatusOK {
		t.Fatalf("preferences: %d", code)
	}
	if out := e.mustRun(t, "send"); !strings.Contains(out, "2 sent") {
		t.Fatalf("send: %s", out)
	}
	a.Close()
	e.mustRun(t, "subscribers", "remove", "--erase", addr)
	db := filepath.Join(e.dir, "digest.db")
	var files []string
	for _, p := range []string{db, db + "-wal", db + "-shm", db + "-journal"} {
		data, err := os.ReadFile(p)
		if err != nil {
			continue
		}
		files = append(files, fmt.Sprintf("%s (%d bytes)", filepath.Base(p), len(data)))
		for _, s := range []string{addr, name, "erase.me.7731"} {
			if i := bytes.Index(data, []byte(s)); i >= 0 {
				t.Errorf("%s still holds %q at byte %d after the erasure", filepath.Base(p), s, i)
			}
		}
	}
	t.Logf("checked %s", strings.Join(files, ", "))
	if list := e.mustRun(t, "subscribers", "list"); !strings.Contains(list, "stays@example.org") || strings.Contains(list, addr) {
		t.Errorf("list after erasure:\n%s", list)
	}
}

// TestSystemdUnitSetsUMask: files the daemon creates (the store above all)
// are private.
func TestSystemdUnitSetsUMask(t *testing.T) {
	unit := string(mustRead(t, filepath.Join("..", "..", "deploy", "digest.service")))
	_, service, _ := strings.Cut(unit, "[Service]")
	service, _, _ = strings.Cut(service, "\n[")
	found := false
	for _, line := range strings.Split(service, "\n") {
		if strings.TrimSpace(line) == "UMask=0077" {
			found = true
		}
	}
	if !found {
		t.Errorf("deploy/digest.service sets no UMask=0077 in [Service]")
	}
}

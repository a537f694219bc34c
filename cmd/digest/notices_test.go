package main

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/weeklywrap/digest/digest"
	"github.com/weeklywrap/digest/digest/service"
	"github.com/weeklywrap/digest/internal/mailpittest"
)

// outboxSite serves the real site of the test env e, with the outbox
// sending what the site queues, as in serve (polling every 100 ms). setup,
// where not nil, adjusts the service before the outbox takes its options.
func outboxSite(t *testing.T, e *testEnv, setup func(*service.Service)) (*httptest.Server, digest.Store) {
	t.Helper()
	a := &app{configPath: e.config}
	t.Cleanup(a.Close)
	ctx := context.Background()
	svc, err := a.service(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if setup != nil {
		setup(svc)
	}
	h, err := a.webHandler(ctx)
	if err != nil {
		t.Fatal(err)
	}
	outbox, err := svc.Outbox()
	if err != nil {
		t.Fatal(err)
	}
	outbox.Poll = 100 * time.Millisecond
	octx, stop := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() { defer close(done); outbox.Run(octx) }()
	srv := httptest.NewServer(h)
	t.Cleanup(func() { srv.Close(); stop(); <-done })
	return srv, svc.Store
}

// noticeSite is an outboxSite retrying after 50 ms, against a Mailpit with
// chaos enabled.
func noticeSite(t *testing.T) (*testEnv, string, digest.Store) {
	t.Helper()
	e := newEnv(t, envOpts{})
	e.mp = mailpittest.Start(t, "--enable-chaos")
	e.editConfig(t, func(c string) string {
		return strings.Replace(c, "port: 1\n", fmt.Sprintf("port: %d\n", e.mp.SMTPPort), 1) + "web:\n  subscribe_per_minute: 100000\n"
	})
	srv, st := outboxSite(t, e, func(svc *service.Service) { svc.Mail.RetryBase = 50 * time.Millisecond })
	return e, srv.URL, st
}

func subscribe(t *testing.T, base, email string) {
	t.Helper()
	resp, err := http.PostForm(base+"/subscribe", url.Values{"email": {email}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("subscribe %s: status %d", email, resp.StatusCode)
	}
}

func confirmationsTo(t *testing.T, e *testEnv, email string) int {
	t.Helper()
	n := 0
	for _, m := range e.mp.Messages(t) {
		if len(m.To) == 1 && m.To[0].Address == email && strings.HasPrefix(m.Subject, "Confirm your subscription") {
			n++
		}
	}
	return n
}

// A relay throttling at MAIL FROM, then refusing the address for a while
// (451 to RCPT TO), does not lose the confirmation: it is kept and sent
// once the relay takes mail again.
func TestConfirmationSurvivesATemporaryRefusal(t *testing.T) {
	e, base, st := noticeSite(t)
	ctx := context.Background()
	start := time.Now()
	e.mp.SetChaos(t, "Sender", 451, 100)
	subscribe(t, base, "patient@example.org")
	waitFor(t, "the first attempt", 10*time.Second, func() bool {
		s, _ := st.OutboxStats(ctx)
		return s.Pending == 1
	})
	time.Sleep(300 * time.Millisecond) // a few more passes against the throttle
	e.mp.SetChaos(t, "Recipient", 451, 100)
	time.Sleep(300 * time.Millisecond)
	if n := e.mp.Count(t); n != 0 {
		t.Fatalf("Mailpit holds %d messages while refusing", n)
	}
	e.mp.SetChaos(t, "Recipient", 451, 0)
	waitFor(t, "the confirmation", 20*time.Second, func() bool { return e.mp.Count(t) >= 1 })
	time.Sleep(300 * time.Millisecond)
	n := confirmationsTo(t, e, "patient@example.org")
	if n != 1 || e.mp.Count(t) != 1 {
		t.Errorf("%d confirmations (%d messages), want exactly 1", n, e.mp.Count(t))
	}
	t.Logf("confirmation through 451 to MAIL FROM, then to RCPT TO: reached %d of 1, duplicated %d, %.1f s from the request", min(n, 1), max(n-1, 0), time.Since(start).Seconds())
	if s, _ := st.OutboxStats(ctx); s != (digest.QueueStats{Sent: 1}) {
		t.Errorf("outbox = %+v", s)
	}
}

// A confirmation refused for good (550) does not use up the address's
// one-per-hour allowance: asking again within the hour sends one.
func TestFailedConfirmationDoesNotUseUpTheAllowance(t *testing.T) {
	e, base, st := noticeSite(t)
	ctx := context.Background()
	e.mp.SetChaos(t, "Recipient", 550, 100)
	subscribe(t, base, "unlucky@example.org")
	waitFor(t, "the confirmation to fail", 10*time.Second, func() bool {
		s, _ := st.OutboxStats(ctx)
		return s.Failed == 1
	})
	e.mp.SetChaos(t, "Recipient", 550, 0)
	subscribe(t, base, "unlucky@example.org")
	waitFor(t, "the second confirmation", 10*time.Second, func() bool { return e.mp.Count(t) >= 1 })
	// And now the allowance holds: a third request within the hour sends nothing.
	subscribe(t, base, "unlucky@example.org")
	time.Sleep(500 * time.Millisecond)
	if n := confirmationsTo(t, e, "unlucky@example.org"); n != 1 {
		t.Errorf("%d confirmations arrived, want 1", n)
	}
	if out := e.mustRun(t, "status"); !strings.Contains(out, "notices:      0 waiting, 0 in flight, 1 sent, 1 failed") {
		t.Errorf("status does not count the notices:\n%s", out)
	}
}

// 1,000 subscribe requests for one address (within the per-IP limit) send
// one confirmation: the allowance lives in the store, not in a request.
func TestThousandSubscribesSendOneConfirmation(t *testing.T) {
	e, base, st := noticeSite(t)
	var wg sync.WaitGroup
	for w := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w; i < 1000; i += 8 {
				subscribe(t, base, "victim@example.org")
			}
		}()
	}
	wg.Wait()
	waitFor(t, "the confirmation", 10*time.Second, func() bool { return e.mp.Count(t) >= 1 })
	time.Sleep(500 * time.Millisecond)
	if n := e.mp.Count(t); n != 1 {
		t.Errorf("1,000 subscribe requests for one address sent %d confirmations, want 1", n)
	}
	if s, _ := st.OutboxStats(context.Background()); s.Sent+s.Pending+s.Sending+s.Failed != 1 {
		t.Errorf("outbox = %+v, want one notice", s)
	}
}

// SIGTERM right after a burst of subscribe requests: `serve` sends every
// confirmation that was asked for before it exits, and says so.
func TestServeSendsNoticesInFlightOnSIGTERM(t *testing.T) {
	if testing.Short() {
		t.Skip("slow: runs serve as a process")
	}
	t.Parallel()
	const people = 15
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	listen := ln.Addr().String()
	ln.Close()
	// 5 messages a second: the 15 confirmations take 3 s to send, so most
	// are still queued when the signal comes.
	e := newEnv(t, envOpts{Mailpit: true, PerSecond: 5})
	e.appendConfig(t, "listen: "+listen+"\nweb:\n  subscribe_per_minute: 1000\n")
	text, _ := os.ReadFile(e.config)
	if err := os.WriteFile(e.config, []byte(strings.Replace(string(text), "level: warn", "level: info", 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	p := startChild(t, cliBinary(t), e.config, "serve")
	base := "http://" + listen
	waitFor(t, "serve to listen", 20*time.Second, func() bool {
		resp, err := http.Get(base + "/healthz")
		if err == nil {
			resp.Body.Close()
		}
		return err == nil
	})
	for i := range people {
		subscribe(t, base, fmt.Sprintf("p%02d@example.org", i))
	}
	start := time.Now()
	if err := p.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	if err := p.wait(t, 45*time.Second); err != nil {
		t.Fatalf("serve exit: %v\n%s", err, p.out)
	}
	took := time.Since(start)
	time.Sleep(200 * time.Millisecond)
	got := e.mp.Count(t)
	t.Logf("SIGTERM to exit: %.1f s; confirmations reached %d of %d, lost %d; serve's peak RSS %.0f MB", took.Seconds(), got, people, people-got, p.rssMB())
	if got != people {
		t.Errorf("Mailpit holds %d confirmations, want all %d\n%s", got, people, p.out)
	}
	if out := p.out.String(); !strings.Contains(out, "notices at shutdown") {
		t.Errorf("serve did not log the notices it sent at shutdown:\n%s", out)
	}
	st := openStoreOf(t, e)
	if s, _ := st.OutboxStats(context.Background()); s.Sent != people {
		t.Errorf("outbox = %+v, want %d sent", s, people)
	}
}

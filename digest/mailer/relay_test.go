package mailer

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"sync"
	"testing"
	"time"

	gosmtp "github.com/emersion/go-smtp"
	"github.com/weeklywrap/digest/digest"
	"github.com/weeklywrap/digest/internal/mailpittest"
)

// A relay refusing itself (the session, the password or the sender, with
// a 4xx or a 5xx) hands the message to the next configured relay.
func TestSendMovesToNextRelayWhenOneRefusesItself(t *testing.T) {
	for _, tc := range []struct {
		trigger string
		code    int
	}{
		{"Sender", 451},         // a throttle at MAIL FROM
		{"Sender", 554},         // a policy block at MAIL FROM
		{"Authentication", 454}, // AUTH temporarily unavailable
		{"Authentication", 535}, // AUTH refused
	} {
		t.Run(fmt.Sprintf("%s %d", tc.trigger, tc.code), func(t *testing.T) {
			first := mailpittest.Start(t, "--enable-chaos")
			second := mailpittest.Start(t)
			first.SetChaos(t, tc.trigger, tc.code, 100)
			cfg := testConfig(first)
			cfg.Servers = append(cfg.Servers, testConfig(second).Servers...)
			for i := range cfg.Servers {
				cfg.Servers[i].Username, cfg.Servers[i].Password = "wrap", "secret"
			}
			s := newTestSender(t, cfg)
			for i := range 3 {
				if _, err := s.Send(context.Background(), Message{To: fmt.Sprintf("r%d@example.net", i), Subject: "s", Text: "t"}); err != nil {
					t.Fatalf("message %d: %v; want it sent through the second relay", i, err)
				}
			}
			if got := second.WaitCount(t, 3, 5*time.Second); got != 3 {
				t.Errorf("second relay got %d messages, want 3", got)
			}
			if got := first.Count(t); got != 0 {
				t.Errorf("refusing relay holds %d messages", got)
			}

			// With no other relay, the refusal comes back as a relay refusal.
			only := testConfig(first)
			only.Servers[0].Username, only.Servers[0].Password = "wrap", "secret"
			_, err := newTestSender(t, only).Send(context.Background(), Message{To: "r@example.net", Subject: "s", Text: "t"})
			var se *Error
			if !IsRelayRefusal(err) || IsRecipientRejected(err) || !errors.As(err, &se) || se.Code != tc.code {
				t.Errorf("err = %v; want a relay refusal with code %d", err, tc.code)
			}
		})
	}
}

// Mailpit answers 451 to every MAIL FROM for 8 runs, then accepts: every
// subscriber gets the issue once, none is marked failed, and no attempt
// was spent (MaxAttempts 3 would otherwise have failed them all).
func TestDeliverThrottledRelayNeverCountsAgainstRecipients(t *testing.T) {
	ctx := context.Background()
	mp := mailpittest.Start(t, "--enable-chaos")
	st := openStore(t)
	var emails []string
	for i := range 12 {
		emails = append(emails, fmt.Sprintf("r%02d@example.net", i))
	}
	subs := addSubscribers(t, st, emails...)
	n := newIssue(t, st, 0)
	cfg := testConfig(mp)
	cfg.MaxAttempts = 3
	cfg.RetryBase = time.Millisecond
	snd := newTestSender(t, cfg)
	mp.SetChaos(t, "Sender", 451, 100)
	for run := range 8 {
		stats, err := Deliver(ctx, st, snd, n, renderer(n), cfg, nil)
		if !IsRelayRefusal(err) || stats.Sent != 0 || stats.Failed != 0 {
			t.Fatalf("run %d: %+v, %v; want it stopped by the relay's refusal, nothing failed", run+1, stats, err)
		}
		if q := queue(t, st, n); q.Pending != len(emails) {
			t.Fatalf("run %d: queue %+v; want all %d pending", run+1, q, len(emails))
		}
	}
	mp.SetChaos(t, "Sender", 451, 0)
	if s := deliverAll(t, st, snd, n, cfg); s.Sent != len(emails) || s.Failed != 0 {
		t.Errorf("after the throttle: %+v, want %d sent", s, len(emails))
	}
	if q := queue(t, st, n); q != (digest.QueueStats{Sent: len(emails)}) {
		t.Errorf("queue = %+v", q)
	}
	mp.WaitCount(t, len(emails), 5*time.Second)
	for addr, c := range perRecipient(t, mp) {
		if c != 1 {
			t.Errorf("%s got %d copies", addr, c)
		}
	}
	for _, s := range subs {
		if s, _ := st.Subscriber(ctx, s.ID); s.HardBounces != 0 || s.Status != digest.StatusConfirmed {
			t.Errorf("%s: %d bounces, %s", s.Email, s.HardBounces, s.Status)
		}
	}
}

// With a second relay configured, a throttling first relay costs nothing:
// the issue goes out through the second at once, in one run.
func TestDeliverThrottledRelayFailsOver(t *testing.T) {
	first := mailpittest.Start(t, "--enable-chaos")
	second := mailpittest.Start(t)
	first.SetChaos(t, "Sender", 451, 100)
	st := openStore(t)
	var emails []string
	for i := range 30 {
		emails = append(emails, fmt.Sprintf("r%02d@example.net", i))
	}
	addSubscribers(t, st, emails...)
	n := newIssue(t, st, 0)
	cfg := testConfig(first)
	cfg.Servers = append(cfg.Servers, testConfig(second).Servers...)
	snd := newTestSender(t, cfg)
	stats, err := Deliver(context.Background(), st, snd, n, renderer(n), cfg, nil)
	if err != nil || stats != (Stats{Sent: len(emails)}) {
		t.Fatalf("one run: %+v, %v; want all %d sent through the second relay", stats, err, len(emails))
	}
	if got := second.WaitCount(t, len(emails), 5*time.Second); got != len(emails) {
		t.Errorf("second relay got %d", got)
	}
}

// slowRelay is an SMTP server that takes delay over each message and
// counts the copies per recipient.
type slowRelay struct {
	delay time.Duration
	mu    sync.Mutex
	per   map[string]int
}

func (r *slowRelay) NewSession(*gosmtp.Conn) (gosmtp.Session, error) { return &slowSession{r: r}, nil }

type slowSession struct {
	r  *slowRelay
	to []string
}

func (s *slowSession) Reset()                                 { s.to = nil }
func (s *slowSession) Logout() error                          { return nil }
func (s *slowSession) Mail(string, *gosmtp.MailOptions) error { return nil }
func (s *slowSession) Rcpt(to string, _ *gosmtp.RcptOptions) error {
	s.to = append(s.to, to)
	return nil
}
func (s *slowSession) Data(r io.Reader) error {
	if _, err := io.Copy(io.Discard, r); err != nil {
		return err
	}
	time.Sleep(s.r.delay)
	s.r.mu.Lock()
	defer s.r.mu.Unlock()
	for _, to := range s.to {
		s.r.per[to]++
	}
	return nil
}

func startSlowRelay(tb testing.TB, delay time.Duration) (*slowRelay, int) {
	tb.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	r := &slowRelay{delay: delay, per: map[string]int{}}
	srv := gosmtp.NewServer(r)
	srv.Domain = "localhost"
	go srv.Serve(ln)
	tb.Cleanup(func() { srv.Close() })
	return r, ln.Addr().(*net.TCPAddr).Port
}

// Two runs send one issue side by side through a relay far slower than
// the claim lease: the heartbeat keeps each run's claims its own, so no
// run takes over the other's and nobody gets two copies.
func TestDeliverHeartbeatKeepsClaimsOfASlowRun(t *testing.T) {
	ctx := context.Background()
	relay, port := startSlowRelay(t, 450*time.Millisecond)
	st := openStore(t)
	var emails []string
	for i := range 16 {
		emails = append(emails, fmt.Sprintf("r%02d@example.net", i))
	}
	addSubscribers(t, st, emails...)
	n := newIssue(t, st, 0)
	cfg := Config{
		Servers:     []Server{{Host: "127.0.0.1", Port: port, TLS: "none", Timeout: 10 * time.Second}},
		From:        "wrap@example.org",
		Connections: 1,
		// A claimed message waits behind up to three others (one sending,
		// a batch of two in the channel): 1.35 s, more than the lease.
		Lease: time.Second,
	}
	var wg sync.WaitGroup
	var stats [2]Stats
	for i := range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s, err := Deliver(ctx, st, newTestSender(t, cfg), n, renderer(n), cfg, nil)
			if err != nil {
				t.Error(err)
			}
			stats[i] = s
		}()
	}
	wg.Wait()
	if stats[0].Sent+stats[1].Sent != len(emails) {
		t.Errorf("runs sent %d + %d, want %d in all", stats[0].Sent, stats[1].Sent, len(emails))
	}
	relay.mu.Lock()
	defer relay.mu.Unlock()
	for _, e := range emails {
		if relay.per[e] != 1 {
			t.Errorf("%s got %d copies", e, relay.per[e])
		}
	}
	if q := queue(t, st, n); q != (digest.QueueStats{Sent: len(emails)}) {
		t.Errorf("queue = %+v", q)
	}
}

// A connect that began before another connection's relay refused the
// sender must not end that relay's rest: otherwise the refused message's
// second try dials the throttling relay again instead of the next one
// (TestSendFailsOverFromAThrottlingRelay lost 1 of 25 to this race).
func TestDialEndsOnlyAnEarlierRest(t *testing.T) {
	r := &relay{}
	dialStarted := time.Now()
	time.Sleep(time.Millisecond)
	r.rest(time.Now().Add(restAfterFailure)) // the sender refused meanwhile
	r.endRestSetBefore(dialStarted)
	if !r.isResting(time.Now()) {
		t.Fatal("a connect begun before the refusal ended the relay's rest")
	}
	time.Sleep(time.Millisecond)
	r.endRestSetBefore(time.Now()) // a connect begun after it
	if r.isResting(time.Now()) {
		t.Fatal("a connect begun after the rest did not end it")
	}
}

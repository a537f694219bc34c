package mailer

import (
	"context"
	"errors"
	"fmt"
	"net"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/weeklywrap/digest/digest"
	"github.com/weeklywrap/digest/digest/store"
	"github.com/weeklywrap/digest/internal/mailpittest"
)

// openStore opens a real SQLite store in a temp dir.
func openStore(tb testing.TB) digest.Store {
	tb.Helper()
	st, err := store.Open(context.Background(), filepath.Join(tb.TempDir(), "digest.db"))
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { st.Close() })
	return st
}

// addSubscribers adds confirmed subscribers and returns them.
func addSubscribers(tb testing.TB, st digest.Store, emails ...string) []digest.Subscriber {
	tb.Helper()
	var out []digest.Subscriber
	for _, e := range emails {
		s, err := st.AddSubscriber(context.Background(), digest.Subscriber{
			Email: e, Name: "Reader " + strings.Split(e, "@")[0], Status: digest.StatusConfirmed,
		})
		if err != nil {
			tb.Fatal(err)
		}
		out = append(out, s)
	}
	return out
}

// newIssue creates an issue, which enqueues a delivery per receiving subscriber.
func newIssue(tb testing.TB, st digest.Store, week int) int {
	tb.Helper()
	slot := time.Date(2026, 1, 5, 7, 0, 0, 0, time.UTC).AddDate(0, 0, 7*week)
	is, created, err := st.CreateIssue(context.Background(), digest.StoredIssue{
		Issue: digest.Issue{Slot: slot, WindowEnd: slot, Subject: "The Weekly Wrap"},
	}, nil)
	if err != nil || !created {
		tb.Fatalf("create issue: created=%v err=%v", created, err)
	}
	return is.Number
}

// renderer personalizes subject and unsubscribe link, and tags the issue.
func renderer(n int) MessageFunc {
	return func(_ context.Context, sub digest.Subscriber) (Message, error) {
		return Message{
			Subject:        fmt.Sprintf("The Weekly Wrap #%d for %s", n, sub.Name),
			Text:           "Hello " + sub.Name,
			HTML:           "<p>Hello " + sub.Name + "</p>",
			UnsubscribeURL: fmt.Sprintf("https://example.org/unsubscribe/%d", sub.ID),
			Headers:        map[string]string{"X-Digest-Issue": fmt.Sprint(n)},
		}, nil
	}
}

// deliverAll reruns Deliver until issue n has nothing pending or sending,
// as the daemon does, and sums the runs' stats.
func deliverAll(tb testing.TB, st digest.Store, snd *Sender, n int, cfg Config) Stats {
	tb.Helper()
	return deliverAllWith(tb, st, snd, n, renderer(n), cfg)
}

func deliverAllWith(tb testing.TB, st digest.Store, snd *Sender, n int, render MessageFunc, cfg Config) Stats {
	tb.Helper()
	var total Stats
	deadline := time.Now().Add(60 * time.Second)
	for {
		s, err := Deliver(context.Background(), st, snd, n, render, cfg, nil)
		if err != nil {
			tb.Fatalf("Deliver: %v", err)
		}
		total.Sent += s.Sent
		total.Failed += s.Failed
		total.Retried += s.Retried
		total.Skipped += s.Skipped
		q, err := st.QueueStats(context.Background(), n)
		if err != nil {
			tb.Fatal(err)
		}
		if q.Pending == 0 && q.Sending == 0 {
			return total
		}
		if time.Now().After(deadline) {
			tb.Fatalf("issue %d not delivered in time: %+v", n, q)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// perRecipient counts Mailpit's messages by recipient address.
func perRecipient(tb testing.TB, mp *mailpittest.Server) map[string]int {
	tb.Helper()
	out := map[string]int{}
	for _, m := range mp.Messages(tb) {
		for _, to := range m.To {
			out[to.Address]++
		}
	}
	return out
}

func queue(tb testing.TB, st digest.Store, n int) digest.QueueStats {
	tb.Helper()
	q, err := st.QueueStats(context.Background(), n)
	if err != nil {
		tb.Fatal(err)
	}
	return q
}

func TestDeliver(t *testing.T) {
	ctx := context.Background()
	mp := mailpittest.Start(t)
	st := openStore(t)
	var emails []string
	for i := range 20 {
		emails = append(emails, fmt.Sprintf("r%02d@example.net", i))
	}
	subs := addSubscribers(t, st, append(emails, "leaves@example.net", "pauses@example.net", "deleted@example.net")...)
	n := newIssue(t, st, 0)

	// Between enqueueing and sending, one leaves, one pauses, one is erased.
	leaves, pauses := subs[20], subs[21]
	if _, err := st.Unsubscribe(ctx, leaves.ID); err != nil {
		t.Fatal(err)
	}
	if err := st.SavePreferences(ctx, pauses.ID, digest.Preferences{Name: pauses.Name, Paused: true}); err != nil {
		t.Fatal(err)
	}
	if err := st.DeleteSubscriber(ctx, subs[22].ID); err != nil {
		t.Fatal(err)
	}

	cfg := testConfig(mp)
	snd := newTestSender(t, cfg)
	var mu sync.Mutex
	var last Stats
	calls := 0
	stats, err := Deliver(ctx, st, snd, n, renderer(n), cfg, func(s Stats) {
		mu.Lock()
		defer mu.Unlock()
		last = s
		calls++
	})
	if err != nil {
		t.Fatal(err)
	}
	if want := (Stats{Sent: 20, Skipped: 2}); stats != want {
		t.Errorf("stats = %+v, want %+v", stats, want)
	}
	if last != stats || calls != 22 {
		t.Errorf("progress: %d calls, last %+v; want 22 calls ending in %+v", calls, last, stats)
	}
	if q := queue(t, st, n); q != (digest.QueueStats{Sent: 20, Failed: 2}) {
		t.Errorf("queue = %+v", q)
	}

	// A second run finds nothing to do and sends nothing again.
	again, err := Deliver(ctx, st, snd, n, renderer(n), cfg, nil)
	if err != nil || again != (Stats{}) {
		t.Errorf("second run: %+v, %v", again, err)
	}
	mp.WaitCount(t, 20, 5*time.Second)
	got := perRecipient(t, mp)
	for _, e := range emails {
		if got[e] != 1 {
			t.Errorf("%s got %d messages, want 1", e, got[e])
		}
	}
	if len(got) != 20 {
		t.Errorf("messages went to %d addresses, want 20: %v", len(got), got)
	}
	msg := mp.Message(t, mp.Messages(t)[0].ID)
	if !strings.HasPrefix(msg.Subject, fmt.Sprintf("The Weekly Wrap #%d for Reader r", n)) ||
		!strings.HasPrefix(msg.ListUnsubscribe.Header, "<https://example.org/unsubscribe/") {
		t.Errorf("not personalized: subject %q, unsubscribe %q", msg.Subject, msg.ListUnsubscribe.Header)
	}
}

// TestDeliverTemporaryAndPermanent drives Mailpit's chaos triggers: every
// recipient first gets 451 and succeeds on retry, addresses outside the
// allowed pattern get 550 and fail for good with a hard bounce.
func TestDeliverTemporaryAndPermanent(t *testing.T) {
	ctx := context.Background()
	mp := mailpittest.Start(t, "--enable-chaos", "--smtp-allowed-recipients", `@ok\.example$`)
	st := openStore(t)
	good := []string{"a@ok.example", "b@ok.example", "c@ok.example", "d@ok.example", "e@ok.example", "f@ok.example"}
	bad := []string{"x@bad.example", "y@bad.example", "z@bad.example"}
	subs := addSubscribers(t, st, append(good, bad...)...)
	cfg := testConfig(mp)
	cfg.RetryBase = 2 * time.Second // no retry falls due within the first run
	snd := newTestSender(t, cfg)

	n := newIssue(t, st, 0)
	setChaos(t, mp, "Recipient", 451, 100)
	first, err := Deliver(ctx, st, snd, n, renderer(n), cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	// A very slow machine may see a retry fall due within the run; it
	// gets 451 again, so Retried can exceed 9, but nothing else happens.
	if first.Sent != 0 || first.Failed != 0 || first.Skipped != 0 || first.Retried < 9 {
		t.Errorf("all 451: stats = %+v, want 9 or more retries only", first)
	}
	if q := queue(t, st, n); q != (digest.QueueStats{Pending: 9}) {
		t.Errorf("all 451: queue = %+v", q)
	}

	setChaos(t, mp, "Recipient", 451, 0)
	rest := deliverAll(t, st, snd, n, cfg)
	if rest.Sent != 6 || rest.Failed != 3 {
		t.Errorf("after chaos: stats = %+v, want 6 sent, 3 failed", rest)
	}
	if q := queue(t, st, n); q != (digest.QueueStats{Sent: 6, Failed: 3}) {
		t.Errorf("after chaos: queue = %+v", q)
	}

	// A second issue under random 451s: retries until every good address
	// has it, still exactly once.
	cfg.RetryBase = 5 * time.Millisecond
	cfg.MaxAttempts = 40
	n2 := newIssue(t, st, 1)
	setChaos(t, mp, "Recipient", 451, 40)
	s2 := deliverAll(t, st, snd, n2, cfg)
	if s2.Sent != 6 || s2.Failed != 3 {
		t.Errorf("random 451s: stats = %+v, want 6 sent, 3 failed", s2)
	}
	setChaos(t, mp, "Recipient", 451, 0)

	mp.WaitCount(t, 12, 5*time.Second)
	got := perRecipient(t, mp)
	for _, e := range good {
		if got[e] != 2 {
			t.Errorf("%s got %d messages, want 2 (one per issue)", e, got[e])
		}
	}
	for _, e := range bad {
		if got[e] != 0 {
			t.Errorf("%s got %d messages", e, got[e])
		}
	}
	for _, s := range subs[len(good):] {
		s, err := st.Subscriber(ctx, s.ID)
		if err != nil {
			t.Fatal(err)
		}
		if s.HardBounces != 2 || s.Status != digest.StatusConfirmed {
			t.Errorf("%s: %d hard bounces, status %s; want 2, confirmed (limit 3)", s.Email, s.HardBounces, s.Status)
		}
	}
}

func TestDeliverSuppressesAfterHardBounces(t *testing.T) {
	mp := mailpittest.Start(t, "--smtp-allowed-recipients", `@ok\.example$`)
	st := openStore(t)
	subs := addSubscribers(t, st, "gone@bad.example")
	cfg := testConfig(mp)
	cfg.MaxHardBounces = 1
	snd := newTestSender(t, cfg)
	n := newIssue(t, st, 0)
	if s := deliverAll(t, st, snd, n, cfg); s != (Stats{Failed: 1}) {
		t.Errorf("stats = %+v", s)
	}
	s, err := st.Subscriber(context.Background(), subs[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	if s.Status != digest.StatusSuppressed || s.HardBounces != 1 {
		t.Errorf("subscriber: status %s, %d bounces; want suppressed, 1", s.Status, s.HardBounces)
	}
}

func TestDeliverGivesUpAfterMaxAttempts(t *testing.T) {
	mp := mailpittest.Start(t, "--enable-chaos")
	st := openStore(t)
	addSubscribers(t, st, "a@example.net", "b@example.net")
	cfg := testConfig(mp)
	cfg.MaxAttempts = 3
	cfg.RetryBase = time.Millisecond
	snd := newTestSender(t, cfg)
	n := newIssue(t, st, 0)
	setChaos(t, mp, "Recipient", 451, 100)
	s := deliverAll(t, st, snd, n, cfg)
	if s.Failed != 2 || s.Retried != 4 || s.Sent != 0 {
		t.Errorf("stats = %+v, want 2 failed after 2 retries each", s)
	}
	if q := queue(t, st, n); q != (digest.QueueStats{Failed: 2}) {
		t.Errorf("queue = %+v", q)
	}
}

func TestDeliverCancel(t *testing.T) {
	mp := mailpittest.Start(t)
	st := openStore(t)
	var emails []string
	for i := range 40 {
		emails = append(emails, fmt.Sprintf("r%02d@example.net", i))
	}
	addSubscribers(t, st, emails...)
	n := newIssue(t, st, 0)
	cfg := testConfig(mp)
	cfg.PerSecond = 100 // slow enough to cancel mid-issue
	snd := newTestSender(t, cfg)

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	stats, err := Deliver(ctx, st, snd, n, renderer(n), cfg, func(s Stats) {
		if s.Sent >= 5 {
			cancel()
		}
	})
	if err != context.Canceled {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	q := queue(t, st, n)
	if stats.Sent < 5 || stats.Sent >= 40 || q.Sent != stats.Sent || q.Sending != 0 || q.Pending != 40-stats.Sent {
		t.Errorf("after cancel: stats %+v, queue %+v; want every unsent delivery pending again", stats, q)
	}
	if got := mp.WaitCount(t, stats.Sent, 5*time.Second); got != stats.Sent {
		t.Errorf("Mailpit holds %d, store says %d sent", got, stats.Sent)
	}

	rest := deliverAll(t, st, snd, n, cfg)
	if stats.Sent+rest.Sent != 40 {
		t.Errorf("sent %d + %d, want 40", stats.Sent, rest.Sent)
	}
	mp.WaitCount(t, 40, 5*time.Second)
	for addr, c := range perRecipient(t, mp) {
		if c != 1 {
			t.Errorf("%s got %d messages", addr, c)
		}
	}
}

func TestDeliverStopsWhenRelayIsDown(t *testing.T) {
	st := openStore(t)
	addSubscribers(t, st, "a@example.net", "b@example.net", "c@example.net", "d@example.net", "e@example.net")
	n := newIssue(t, st, 0)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	cfg := Config{
		Servers:     []Server{{Host: "127.0.0.1", Port: port, TLS: "none", Timeout: time.Second}},
		From:        "wrap@example.org",
		Connections: 1,
	}
	snd := newTestSender(t, cfg)
	stats, err := Deliver(context.Background(), st, snd, n, renderer(n), cfg, nil)
	if err == nil || IsPermanent(err) {
		t.Fatalf("err = %v, want a temporary connect error", err)
	}
	if stats.Sent != 0 || stats.Failed != 0 || stats.Retried < 1 || stats.Retried > 2 {
		t.Errorf("stats = %+v: the run should stop at the first connect failure", stats)
	}
	if q := queue(t, st, n); q.Pending != 5 || q.Sending != 0 {
		t.Errorf("queue = %+v, want all 5 pending", q)
	}
}

func TestBackoff(t *testing.T) {
	for attempt := 1; attempt <= 20; attempt++ {
		base := min(time.Minute<<(attempt-1), 24*time.Hour)
		for range 50 {
			d := backoff(time.Minute, attempt)
			if d < base/2 || d >= base*3/2 {
				t.Fatalf("backoff(%d) = %v, want in [%v, %v)", attempt, d, base/2, base*3/2)
			}
		}
	}
}

func TestDeliverStopsWhenSenderIsRefused(t *testing.T) {
	mp := mailpittest.Start(t, "--enable-chaos")
	st := openStore(t)
	subs := addSubscribers(t, st, "a@example.net", "b@example.net", "c@example.net", "d@example.net", "e@example.net", "f@example.net")
	n := newIssue(t, st, 0)
	cfg := testConfig(mp)
	snd := newTestSender(t, cfg)
	setChaos(t, mp, "Sender", 550, 100)
	stats, err := Deliver(context.Background(), st, snd, n, renderer(n), cfg, nil)
	var se *Error
	if !errors.As(err, &se) || se.Stage != StageMail || se.Code != 550 {
		t.Fatalf("err = %v, want the 550 to MAIL FROM", err)
	}
	// The run stops after 2×Connections refusals in a row; the other
	// workers' messages in flight may add one each.
	if stats.Sent != 0 || stats.Failed != 0 || stats.Retried < 2*cfg.Connections || stats.Retried > 3*cfg.Connections {
		t.Errorf("stats = %+v: the run should stop after %d refusals", stats, 2*cfg.Connections)
	}
	if q := queue(t, st, n); q.Pending != 6 || q.Sending != 0 {
		t.Errorf("queue = %+v, want all 6 pending", q)
	}
	for _, s := range subs {
		s, _ := st.Subscriber(context.Background(), s.ID)
		if s.HardBounces != 0 {
			t.Errorf("%s: %d hard bounces for the sender's refusal", s.Email, s.HardBounces)
		}
	}
}

func TestDeliverRenderFailures(t *testing.T) {
	mp := mailpittest.Start(t)
	st := openStore(t)
	subs := addSubscribers(t, st, "ok@example.net", "broken@example.net", "bad-header@example.net")
	n := newIssue(t, st, 0)
	cfg := testConfig(mp)
	cfg.MaxAttempts = 3
	cfg.RetryBase = time.Millisecond
	snd := newTestSender(t, cfg)
	var mu sync.Mutex
	renders := map[int64]int{}
	render := func(ctx context.Context, sub digest.Subscriber) (Message, error) {
		mu.Lock()
		renders[sub.ID]++
		mu.Unlock()
		m, _ := renderer(n)(ctx, sub)
		switch sub.Email {
		case "broken@example.net": // a failing template: retried, then given up
			return m, fmt.Errorf("template exploded")
		case "bad-header@example.net": // unsendable: failed at once
			m.Subject = "Hi\r\nBcc: everyone@example.com"
		}
		return m, nil
	}
	s := deliverAllWith(t, st, snd, n, render, cfg)
	if want := (Stats{Sent: 1, Failed: 2, Retried: 2}); s != want {
		t.Errorf("stats = %+v, want %+v", s, want)
	}
	if renders[subs[1].ID] != 3 || renders[subs[2].ID] != 1 {
		t.Errorf("renders = %v: want 3 tries for the broken template, 1 for the bad header", renders)
	}
	if got := mp.WaitCount(t, 1, 5*time.Second); got != 1 {
		t.Errorf("Mailpit holds %d messages, want 1", got)
	}
}

// A worker that died mid-send leaves deliveries "sending"; once its claim
// expires the next run takes them over, so nothing is lost.
func TestDeliverTakesOverExpiredClaims(t *testing.T) {
	ctx := context.Background()
	mp := mailpittest.Start(t)
	st := openStore(t)
	addSubscribers(t, st, "a@example.net", "b@example.net", "c@example.net")
	n := newIssue(t, st, 0)
	dead, err := st.ClaimDeliveries(ctx, "crashed-run", n, 2, time.Second) // the crashed worker's
	if err != nil || len(dead) != 2 {
		t.Fatalf("claim: %d, %v", len(dead), err)
	}
	cfg := testConfig(mp)
	snd := newTestSender(t, cfg)
	if s, err := Deliver(ctx, st, snd, n, renderer(n), cfg, nil); err != nil || s.Sent != 1 {
		t.Fatalf("while the claims are live: %+v, %v; want only the unclaimed one sent", s, err)
	}
	time.Sleep(1100 * time.Millisecond)
	if s := deliverAll(t, st, snd, n, cfg); s.Sent != 2 {
		t.Errorf("after the claims expired: %+v, want the 2 orphans sent", s)
	}
	if q := queue(t, st, n); q != (digest.QueueStats{Sent: 3}) {
		t.Errorf("queue = %+v", q)
	}
}

package mailer

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/weeklywrap/digest/digest"
	"github.com/weeklywrap/digest/internal/mailpittest"
)

func newTestOutbox(t *testing.T, st digest.Store, cfg Config) *Outbox {
	t.Helper()
	o, err := NewOutbox(st, newTestSender(t, cfg), cfg, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	return o
}

func confirmFor(to string) Message {
	return Message{To: to, Subject: "Confirm your subscription", Text: "Open https://wrap.test/confirm/x",
		Headers: map[string]string{"X-Digest-Notice": "confirm"}}
}

// A confirmation the relay answers 451 is kept and sent once the relay
// takes mail again; a refusal of the relay itself never uses an attempt.
func TestOutboxRetriesUntilTheRelayAccepts(t *testing.T) {
	ctx := context.Background()
	mp := mailpittest.Start(t, "--enable-chaos")
	st := openStore(t)
	cfg := testConfig(mp)
	cfg.RetryBase = 10 * time.Millisecond
	cfg.MaxAttempts = 3
	o := newTestOutbox(t, st, cfg)
	if queued, err := o.Add(ctx, "confirm", 0, confirmFor("new@example.net"), time.Hour); err != nil || !queued {
		t.Fatalf("add: %v, %v", queued, err)
	}

	mp.SetChaos(t, "Sender", 451, 100) // the relay throttles: not the notice's fault
	for range 5 {
		if _, err := o.Drain(ctx); !IsRelayRefusal(err) {
			t.Fatalf("drain against a throttling relay: %v", err)
		}
	}
	mp.SetChaos(t, "Recipient", 451, 100) // a temporary refusal of the address: counted
	if s, err := o.Drain(ctx); err != nil || s.Retried != 1 {
		t.Fatalf("drain with 451 to RCPT: %+v, %v", s, err)
	}
	if st, _ := st.OutboxStats(ctx); st != (digest.QueueStats{Pending: 1}) {
		t.Fatalf("outbox = %+v, want the notice waiting", st)
	}
	mp.SetChaos(t, "Recipient", 451, 0)
	time.Sleep(40 * time.Millisecond) // its retry falls due
	if s, err := o.Drain(ctx); err != nil || s.Sent != 1 {
		t.Fatalf("drain after the relay recovered: %+v, %v", s, err)
	}
	if got := mp.WaitCount(t, 1, 5*time.Second); got != 1 {
		t.Fatalf("Mailpit holds %d messages, want 1", got)
	}
	m := mp.Message(t, mp.Messages(t)[0].ID)
	if m.Subject != "Confirm your subscription" || !strings.Contains(m.Text, "/confirm/x") {
		t.Errorf("sent %q: %q", m.Subject, m.Text)
	}
	if st, _ := st.OutboxStats(ctx); st != (digest.QueueStats{Sent: 1}) {
		t.Errorf("outbox = %+v", st)
	}
	// Sent within the hour: a second request queues nothing.
	if queued, _ := o.Add(ctx, "confirm", 0, confirmFor("new@example.net"), time.Hour); queued {
		t.Error("a second confirmation was queued within the hour")
	}
}

// A confirmation refused for good (550 to the address) does not use up
// the address's allowance: asking again sends a new one.
func TestOutboxFailedNoticeFreesTheAllowance(t *testing.T) {
	ctx := context.Background()
	mp := mailpittest.Start(t, "--enable-chaos")
	st := openStore(t)
	o := newTestOutbox(t, st, testConfig(mp))
	mp.SetChaos(t, "Recipient", 550, 100)
	if _, err := o.Add(ctx, "confirm", 0, confirmFor("typo@example.net"), time.Hour); err != nil {
		t.Fatal(err)
	}
	if s, err := o.Drain(ctx); err != nil || s.Failed != 1 {
		t.Fatalf("drain: %+v, %v; want the notice failed", s, err)
	}
	mp.SetChaos(t, "Recipient", 550, 0)
	if queued, err := o.Add(ctx, "confirm", 0, confirmFor("typo@example.net"), time.Hour); err != nil || !queued {
		t.Fatalf("after a failed confirmation: queued=%v, %v; want a new one", queued, err)
	}
	if s, err := o.Drain(ctx); err != nil || s.Sent != 1 {
		t.Fatalf("drain: %+v, %v", s, err)
	}
	if got := mp.WaitCount(t, 1, 5*time.Second); got != 1 {
		t.Errorf("Mailpit holds %d, want 1", got)
	}
}

// Run sends a notice as soon as it is added, and Add refuses a message
// that could never be sent before storing anything.
func TestOutboxRunSendsAtOnce(t *testing.T) {
	mp := mailpittest.Start(t)
	st := openStore(t)
	o := newTestOutbox(t, st, testConfig(mp))
	o.Poll = time.Hour // only Add's wake-up can make it send
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); o.Run(ctx) }()
	defer func() { cancel(); <-done }()
	time.Sleep(50 * time.Millisecond) // Run's first pass finds nothing
	bad := confirmFor("x@example.net")
	bad.Subject = "Hi\r\nBcc: everyone@example.net"
	if _, err := o.Add(ctx, "confirm", 0, bad, 0); !errors.Is(err, digest.ErrInvalid) {
		t.Errorf("header injection: %v", err)
	}
	start := time.Now()
	if _, err := o.Add(ctx, "welcome", 0, confirmFor("w@example.net"), 0); err != nil {
		t.Fatal(err)
	}
	if got := mp.WaitCount(t, 1, 5*time.Second); got != 1 {
		t.Fatalf("Mailpit holds %d, want 1", got)
	}
	t.Logf("added to accepted: %s", time.Since(start).Round(time.Millisecond))
	if s, _ := st.OutboxStats(context.Background()); s.Sent != 1 || s.Pending+s.Sending+s.Failed != 0 {
		t.Errorf("outbox = %+v", s)
	}
}

package mailer

import (
	"context"
	"errors"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/weeklywrap/digest/digest"
)

// failingMarks is the real store whose "sent" marks fail from the first
// one on, as when the disk fills up or the database goes away mid-run.
type failingMarks struct {
	digest.Store
	calls atomic.Int64
}

func (f *failingMarks) MarkSentMany(context.Context, []digest.SentMark) ([]int64, error) {
	f.calls.Add(1)
	return nil, errors.New("disk I/O error")
}

// A connection completes its next message only once its previous one is
// on record: when the mark fails, the message being sent is abandoned
// before its final dot, so the relay got exactly the one message the store
// does not know about, and the run stops with the store's error.
// Both ways a message is written are held: go-mail's, and the bulk send's
// encoded parts.
func TestDeliverNeverCompletesAMessageBeforeThePreviousIsRecorded(t *testing.T) {
	for _, tc := range []struct {
		name   string
		render func(int) MessageFunc
	}{{"go-mail", renderer}, {"encoded", encodedRenderer}} {
		t.Run(tc.name, func(t *testing.T) { neverCompletesBeforeRecorded(t, tc.render) })
	}
}

func neverCompletesBeforeRecorded(t *testing.T, render func(int) MessageFunc) {
	d, port := startDiscard(t)
	st := openStore(t)
	addSubscribers(t, st, "a@example.net", "b@example.net", "c@example.net", "d@example.net")
	n := newIssue(t, st, 0)
	q := &failingMarks{Store: st}
	cfg := Config{
		Servers:     []Server{{Host: "127.0.0.1", Port: port, TLS: "none"}},
		From:        "The Weekly Wrap <wrap@example.org>",
		Connections: 1,
	}
	snd, err := NewSender(cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer snd.Close()
	stats, err := Deliver(context.Background(), q, snd, n, render(n), cfg, nil)
	if err == nil || !strings.Contains(err.Error(), "disk I/O error") || stats.Sent != 1 {
		t.Fatalf("Deliver = %+v, %v; want 1 sent and the store's error", stats, err)
	}
	if got := d.n.Load(); got != 1 {
		t.Errorf("the relay accepted %d messages; want 1: the second must wait for the first's record", got)
	}
	qs, err := st.QueueStats(context.Background(), n)
	if err != nil {
		t.Fatal(err)
	}
	// The one sent stays claimed (its claim runs out and a later run
	// sends it again: the one duplicate a crash may cost); the abandoned
	// one went back to the queue.
	if qs.Sent != 0 || qs.Pending+qs.Sending != 4 {
		t.Errorf("queue = %+v; want nothing recorded as sent and all 4 still to send", qs)
	}
}

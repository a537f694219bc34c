package store

import (
	"context"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/weeklywrap/digest/digest"
)

// A hard bounce and a complaint suppress at once, a soft bounce counts,
// a replayed event changes nothing, and the counts say what came in.
func testFeedback(t *testing.T, s digest.Store) {
	ctx := context.Background()
	hard := mustAdd(t, s, "hard@example.org", digest.StatusConfirmed, false)
	soft := mustAdd(t, s, "Soft@example.org", digest.StatusConfirmed, false)
	compl := mustAdd(t, s, "spam@example.org", digest.StatusPending, false)
	since := time.Now().Add(-time.Minute)
	events := []digest.Feedback{
		{Source: "ses", EventID: "m1", Kind: digest.FeedbackHardBounce, Email: "HARD@example.org", Detail: "5.1.1"},
		{Source: "ses", EventID: "m2", Kind: digest.FeedbackSoftBounce, Email: "soft@example.org"},
		{Source: "mailgun", EventID: "m2", Kind: digest.FeedbackSoftBounce, Email: "soft@example.org"},
		{Source: "arf", EventID: "m3", Kind: digest.FeedbackComplaint, Email: "spam@example.org"},
		{Source: "dsn", EventID: "m4", Kind: digest.FeedbackHardBounce, Email: "stranger@example.net"},
	}
	for _, f := range events {
		if ok, err := s.RecordFeedback(ctx, f); err != nil || !ok {
			t.Fatalf("record %+v: %v %v", f, ok, err)
		}
	}
	if ok, err := s.RecordFeedback(ctx, events[0]); err != nil || ok {
		t.Fatalf("replayed event: recorded=%v %v; want not recorded", ok, err)
	}
	if ok, err := s.RecordFeedback(ctx, events[1]); err != nil || ok {
		t.Fatalf("replayed soft bounce: recorded=%v %v; want not recorded", ok, err)
	}
	if st := mustGet(t, s, hard.ID).Status; st != digest.StatusSuppressed {
		t.Errorf("hard bounce: status %s, want suppressed", st)
	}
	if st := mustGet(t, s, compl.ID).Status; st != digest.StatusSuppressed {
		t.Errorf("complaint: status %s, want suppressed", st)
	}
	if st := mustGet(t, s, soft.ID).Status; st != digest.StatusConfirmed {
		t.Errorf("soft bounces: status %s, want confirmed", st)
	}
	// An address that bounced before subscribing is stored suppressed.
	if sub, err := s.AddSubscriber(ctx, digest.Subscriber{Email: "stranger@example.net", Status: digest.StatusPending}); err != nil || sub.Status != digest.StatusSuppressed {
		t.Errorf("subscribing a bounced address: %+v %v; want suppressed", sub, err)
	}
	counts, err := s.FeedbackCounts(ctx, since)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]int{"arf/complaint": 1, "dsn/hard_bounce": 1, "mailgun/soft_bounce": 1, "ses/hard_bounce": 1, "ses/soft_bounce": 1}
	got := map[string]int{}
	for _, c := range counts {
		got[c.Source+"/"+string(c.Kind)] = c.N
	}
	if len(got) != len(want) {
		t.Fatalf("counts %v, want %v", got, want)
	}
	for k, n := range want {
		if got[k] != n {
			t.Errorf("count %s = %d, want %d", k, got[k], n)
		}
	}
	if _, err := s.RecordFeedback(ctx, digest.Feedback{Source: "ses", EventID: "x", Kind: "odd", Email: "a@example.org"}); err == nil {
		t.Error("an unknown kind was recorded")
	}
}

// Slots of one budget, taken by many goroutines at once, are never closer
// than the interval.
func testSendSlots(t *testing.T, s digest.Store) {
	ctx := context.Background()
	const iv = 20 * time.Millisecond
	var (
		mu    sync.Mutex
		taken [][2]time.Time // when the call that took a slot began, and the slot
		wg    sync.WaitGroup
	)
	for range 6 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 4 {
				var before time.Time
				var at time.Time
				for {
					before = time.Now()
					var ok bool
					var err error
					at, ok, err = s.TakeSendSlot(ctx, "test", iv)
					if err != nil {
						t.Error(err)
						return
					}
					time.Sleep(time.Until(at))
					if ok {
						break
					}
				}
				mu.Lock()
				taken = append(taken, [2]time.Time{before, at})
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if len(taken) != 24 {
		t.Fatalf("took %d slots, want 24", len(taken))
	}
	// The slots handed out, in order, are never closer than the interval.
	starts := make([]time.Time, len(taken))
	for i, tk := range taken {
		starts[i] = tk[1]
	}
	slices.SortFunc(starts, time.Time.Compare)
	for i := 1; i < len(starts); i++ {
		if gap := starts[i].Sub(starts[i-1]); gap < iv {
			t.Errorf("slots %d and %d only %s apart, want at least %s", i-1, i, gap, iv)
		}
	}
	// A budget left an hour ahead (by a slower limit since raised) holds
	// sending up a minute at most.
	if err := s.PushSendSlot(ctx, "test", time.Now().Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	at, ok, err := s.TakeSendSlot(ctx, "test", iv)
	if err != nil || ok || time.Until(at) > iv+time.Minute {
		t.Errorf("after a push an hour ahead: next try in %s, taken %v, %v; want within %s", time.Until(at), ok, err, iv+time.Minute)
	}
	if _, _, err := s.TakeSendSlot(ctx, "", iv); err == nil {
		t.Error("a budget without a name was accepted")
	}
}

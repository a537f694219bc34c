package store

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/weeklywrap/digest/digest"
)

func mustGet(t testing.TB, s digest.Store, id int64) digest.Subscriber {
	t.Helper()
	sub, err := s.Subscriber(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return sub
}

// Confirm links are bound to the subscriber's version: one sent before an
// unsubscribe confirms nothing, one sent after it does.
func testSubscriberLifeCycle(t *testing.T, s digest.Store) {
	ctx := context.Background()
	at := time.Date(2026, 2, 1, 9, 0, 0, 0, time.UTC)
	sub := mustAdd(t, s, "cy@example.org", digest.StatusPending, false)
	v0 := sub.Version
	got, err := s.ConfirmSubscriber(ctx, sub.ID, v0, at)
	if err != nil || got.Status != digest.StatusConfirmed || !got.ConfirmedAt.Equal(at) || got.Version == v0 {
		t.Fatalf("confirm: %+v, %v", got, err)
	}
	if _, err := s.ConfirmSubscriber(ctx, sub.ID, v0, at); !errors.Is(err, digest.ErrStale) {
		t.Fatalf("second confirm with the same link: %v, want ErrStale", err)
	}
	if changed, err := s.Unsubscribe(ctx, sub.ID); err != nil || !changed {
		t.Fatalf("unsubscribe: %v %v", changed, err)
	}
	if changed, err := s.Unsubscribe(ctx, sub.ID); err != nil || changed {
		t.Fatalf("unsubscribe again: %v %v, want no change", changed, err)
	}
	for _, v := range []int64{v0, got.Version} {
		if _, err := s.ConfirmSubscriber(ctx, sub.ID, v, at); !errors.Is(err, digest.ErrStale) {
			t.Fatalf("confirm link of version %d after unsubscribing: %v, want ErrStale", v, err)
		}
	}
	if st := mustGet(t, s, sub.ID).Status; st != digest.StatusUnsubscribed {
		t.Fatalf("status %s after old confirm links, want unsubscribed", st)
	}
	// Subscribing again sends a link at the current version, which works.
	now := mustGet(t, s, sub.ID)
	if got, err := s.ConfirmSubscriber(ctx, sub.ID, now.Version, at); err != nil || got.Status != digest.StatusConfirmed {
		t.Fatalf("fresh confirm link: %+v, %v", got, err)
	}
	// Resubscribe from preferences: back to confirmed (they confirmed once);
	// someone who never confirmed goes back to pending.
	s.Unsubscribe(ctx, sub.ID)
	if got, err := s.Resubscribe(ctx, sub.ID); err != nil || got.Status != digest.StatusConfirmed {
		t.Fatalf("resubscribe: %+v, %v", got, err)
	}
	never := mustAdd(t, s, "never@example.org", digest.StatusPending, false)
	s.Unsubscribe(ctx, never.ID)
	if got, err := s.Resubscribe(ctx, never.ID); err != nil || got.Status != digest.StatusPending {
		t.Fatalf("resubscribe of a never confirmed address: %+v, %v", got, err)
	}
	// A save changes only what the form holds.
	if err := s.SavePreferences(ctx, sub.ID, digest.Preferences{Name: "Cy", Topics: []string{"go"}, Paused: true}); err != nil {
		t.Fatal(err)
	}
	if got := mustGet(t, s, sub.ID); got.Name != "Cy" || len(got.Topics) != 1 || !got.Paused || got.Status != digest.StatusConfirmed || !got.ConfirmedAt.Equal(at) {
		t.Fatalf("after save: %+v", got)
	}
}

// A suppressed address stays suppressed through unsubscribe, resubscribe,
// confirm links and erasure.
func testSuppression(t *testing.T, s digest.Store) {
	ctx := context.Background()
	sub := mustAdd(t, s, "gone@example.org", digest.StatusConfirmed, false)
	for range 2 {
		if err := s.RecordHardBounce(ctx, sub.ID, 2); err != nil {
			t.Fatal(err)
		}
	}
	got := mustGet(t, s, sub.ID)
	if got.Status != digest.StatusSuppressed || got.HardBounces != 2 {
		t.Fatalf("after 2 bounces (max 2): %+v", got)
	}
	if changed, err := s.Unsubscribe(ctx, sub.ID); err != nil || changed {
		t.Fatalf("unsubscribe of a suppressed address: %v %v, want no change", changed, err)
	}
	if got, err := s.Resubscribe(ctx, sub.ID); err != nil || got.Status != digest.StatusSuppressed {
		t.Fatalf("resubscribe: %+v %v, want suppressed", got, err)
	}
	if _, err := s.ConfirmSubscriber(ctx, sub.ID, got.Version, time.Now()); !errors.Is(err, digest.ErrStale) {
		t.Fatalf("confirm of a suppressed address: %v, want ErrStale", err)
	}
	// Bounces while unsubscribed keep the status but still suppress the
	// address: resubscribing cannot bring it back.
	left := mustAdd(t, s, "left@example.org", digest.StatusConfirmed, false)
	s.Unsubscribe(ctx, left.ID)
	s.RecordHardBounce(ctx, left.ID, 1)
	if got, err := s.Resubscribe(ctx, left.ID); err != nil || got.Status != digest.StatusUnsubscribed {
		t.Fatalf("resubscribe after bouncing while unsubscribed: %+v %v, want unsubscribed", got, err)
	}
	// A complaint suppresses by address, and a later add stays suppressed.
	c := mustAdd(t, s, "complains@example.org", digest.StatusConfirmed, false)
	if err := s.SuppressAddress(ctx, "Complains@Example.org", "complaint"); err != nil {
		t.Fatal(err)
	}
	if st := mustGet(t, s, c.ID).Status; st != digest.StatusSuppressed {
		t.Fatalf("after a complaint: %s", st)
	}
	if err := s.SuppressAddress(ctx, "nobody-yet@example.org", "complaint"); err != nil {
		t.Fatal(err)
	}
	if n := mustAdd(t, s, "nobody-yet@example.org", digest.StatusConfirmed, false); n.Status != digest.StatusSuppressed {
		t.Fatalf("an address suppressed before it subscribed was added as %s", n.Status)
	}
}

// testTargetedWritesRace runs every targeted write at once on the same
// subscribers. An unsubscribe is never undone by a concurrent save or
// bounce, and no bounce or save is lost.
func testTargetedWritesRace(t *testing.T, s digest.Store) {
	ctx := context.Background()
	const n = 300
	subs := make([]digest.Subscriber, n)
	for i := range subs {
		subs[i] = mustAdd(t, s, fmt.Sprintf("race%d@example.org", i), digest.StatusConfirmed, false)
	}
	var wg sync.WaitGroup
	errs := make(chan error, 3*n)
	slots := make(chan struct{}, 8) // triples at once; PostgreSQL's connections are few
	for _, sub := range subs {
		slots <- struct{}{}
		gate := make(chan struct{})
		var triple sync.WaitGroup
		triple.Go(func() {
			<-gate
			if _, err := s.Unsubscribe(ctx, sub.ID); err != nil {
				errs <- err
			}
		})
		triple.Go(func() {
			<-gate
			if err := s.SavePreferences(ctx, sub.ID, digest.Preferences{Name: "saved"}); err != nil {
				errs <- err
			}
		})
		triple.Go(func() {
			<-gate
			if err := s.RecordHardBounce(ctx, sub.ID, 3); err != nil {
				errs <- err
			}
		})
		close(gate)
		wg.Go(func() {
			triple.Wait()
			<-slots
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	for _, sub := range subs {
		got := mustGet(t, s, sub.ID)
		if got.Status != digest.StatusUnsubscribed || got.Name != "saved" || got.HardBounces != 1 {
			t.Errorf("%s: %s, name %q, %d bounces; want unsubscribed, saved, 1", got.Email, got.Status, got.Name, got.HardBounces)
		}
	}
}

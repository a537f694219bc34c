package store

import (
	"context"
	"errors"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/weeklywrap/digest/digest"
)

// The tests of migration 002's tables, run on both databases by testStore.

func testOutbox(t *testing.T, s digest.Store) {
	ctx := context.Background()
	sub := mustAdd(t, s, "new@example.org", digest.StatusPending, false)
	confirm := digest.Notice{Kind: "confirm", SubscriberID: sub.ID, To: "New@Example.org", Subject: "Confirm",
		Text: "Open https://wrap.test/confirm/tok", Headers: map[string]string{"X-Digest-Notice": "confirm"}}
	first, queued, err := s.EnqueueNotice(ctx, confirm, time.Hour)
	if err != nil || !queued || first.ID == 0 || first.To != "new@example.org" {
		t.Fatalf("enqueue: %+v, queued=%v, %v", first, queued, err)
	}
	// A second request within the hour, while the first waits: nothing new.
	if _, queued, err := s.EnqueueNotice(ctx, confirm, time.Hour); err != nil || queued {
		t.Fatalf("second confirm within the hour: queued=%v, %v", queued, err)
	}
	// Another kind, or no allowance, is queued regardless.
	if _, queued, err := s.EnqueueNotice(ctx, digest.Notice{Kind: "welcome", To: "new@example.org", Subject: "Hi", Text: "t"}, time.Hour); err != nil || !queued {
		t.Fatalf("welcome: queued=%v, %v", queued, err)
	}

	ns, err := s.ClaimNotices(ctx, "run-a", 10, time.Minute)
	if err != nil || len(ns) != 2 {
		t.Fatalf("claim: %d notices, %v", len(ns), err)
	}
	got := ns[0]
	if got.ID != first.ID || got.Kind != "confirm" || got.SubscriberID != sub.ID || got.Subject != "Confirm" ||
		!strings.Contains(got.Text, "/confirm/tok") || got.Headers["X-Digest-Notice"] != "confirm" || got.State != digest.DeliverySending {
		t.Errorf("claimed notice = %+v", got)
	}
	if again, _ := s.ClaimNotices(ctx, "run-b", 10, time.Minute); len(again) != 0 {
		t.Errorf("a live claim was claimed again: %d", len(again))
	}
	if ids, err := s.RenewNoticeClaims(ctx, "run-a", time.Minute); err != nil || len(ids) != 2 {
		t.Errorf("renew: %v, %v", ids, err)
	}

	// A failed confirmation does not use up the allowance.
	if err := s.MarkNoticeFailed(ctx, first.ID, "550 no such user"); err != nil {
		t.Fatal(err)
	}
	second, queued, err := s.EnqueueNotice(ctx, confirm, time.Hour)
	if err != nil || !queued {
		t.Fatalf("confirm after a failed one: queued=%v, %v", queued, err)
	}
	// A retry keeps it waiting (and blocking); once sent, it blocks for the hour.
	if ns, _ := s.ClaimNotices(ctx, "run-a", 10, time.Minute); len(ns) != 1 || ns[0].ID != second.ID {
		t.Fatalf("claim the second confirm: %+v", ns)
	}
	if err := s.MarkNoticeRetry(ctx, second.ID, "451 later", time.Now().Add(-time.Second)); err != nil {
		t.Fatal(err)
	}
	if _, queued, _ := s.EnqueueNotice(ctx, confirm, time.Hour); queued {
		t.Error("a confirm was queued while another waits for its retry")
	}
	ns, _ = s.ClaimNotices(ctx, "run-a", 10, time.Minute)
	if len(ns) != 1 || ns[0].Attempts != 1 || ns[0].LastError != "451 later" {
		t.Fatalf("retried notice: %+v", ns)
	}
	if err := s.MarkNoticeSent(ctx, second.ID, "m1@example.org"); err != nil {
		t.Fatal(err)
	}
	if _, queued, _ := s.EnqueueNotice(ctx, confirm, time.Hour); queued {
		t.Error("a confirm was queued within the hour after one was sent")
	}
	if _, queued, _ := s.EnqueueNotice(ctx, confirm, time.Nanosecond); !queued {
		t.Error("a confirm was refused after its allowance passed")
	}
	// Releasing does not count an attempt.
	ns, _ = s.ClaimNotices(ctx, "run-a", 10, time.Minute)
	if len(ns) != 1 {
		t.Fatalf("claim: %+v", ns)
	}
	if err := s.ReleaseNotice(ctx, ns[0].ID, "relay refused the sender", time.Time{}); err != nil {
		t.Fatal(err)
	}
	ns, _ = s.ClaimNotices(ctx, "run-a", 10, time.Minute)
	if len(ns) != 1 || ns[0].Attempts != 0 {
		t.Fatalf("released notice: %+v", ns)
	}
	if err := s.ReleaseNotice(ctx, 1<<40, "", time.Time{}); !errors.Is(err, digest.ErrNotFound) {
		t.Errorf("release of a missing notice: %v", err)
	}

	// The welcome and the third confirm are claimed, one sent, one failed.
	if st, err := s.OutboxStats(ctx); err != nil || st != (digest.QueueStats{Sending: 2, Sent: 1, Failed: 1}) {
		t.Errorf("outbox stats = %+v, %v", st, err)
	}
	// Erasing the subscriber erases their notices.
	if err := s.DeleteSubscriber(ctx, sub.ID); err != nil {
		t.Fatal(err)
	}
	st, _ := s.OutboxStats(ctx)
	if st.Sent+st.Failed+st.Sending+st.Pending != 1 { // the welcome had no subscriber ID
		t.Errorf("after erasure the outbox holds %+v", st)
	}
	if n, err := s.PruneNotices(ctx, time.Now().Add(time.Hour)); err != nil || n != 0 {
		t.Errorf("prune removed %d (%v): only sent or failed notices go", n, err)
	}
}

// A notice stuck longer than the allowance (the relay down for days) is
// replaced by a new request, which carries a fresh link.
func testOutboxSupersedes(t *testing.T, s digest.Store) {
	ctx := context.Background()
	n := digest.Notice{Kind: "confirm", To: "slow@example.org", Subject: "Confirm", Text: "old link"}
	old, _, err := s.EnqueueNotice(ctx, n, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	time.Sleep(5 * time.Millisecond)
	n.Text = "new link"
	if _, queued, err := s.EnqueueNotice(ctx, n, time.Millisecond); err != nil || !queued {
		t.Fatalf("replacement: queued=%v, %v", queued, err)
	}
	ns, _ := s.ClaimNotices(ctx, "run", 10, time.Minute)
	if len(ns) != 1 || ns[0].ID == old.ID || ns[0].Text != "new link" {
		t.Fatalf("claimed %+v; want only the replacement", ns)
	}
	if st, _ := s.OutboxStats(ctx); st.Failed != 1 {
		t.Errorf("the stale notice is not marked failed: %+v", st)
	}
	// Many requests at once for one address queue exactly one.
	var wg sync.WaitGroup
	var mu sync.Mutex
	queuedN := 0
	for range 20 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, q, err := s.EnqueueNotice(ctx, digest.Notice{Kind: "confirm", To: "busy@example.org", Subject: "s", Text: "t"}, time.Hour)
			if err != nil {
				t.Error(err)
			}
			mu.Lock()
			defer mu.Unlock()
			if q {
				queuedN++
			}
		}()
	}
	wg.Wait()
	if queuedN != 1 {
		t.Errorf("20 concurrent requests queued %d confirmations, want 1", queuedN)
	}
}

func testLeases(t *testing.T, s digest.Store) {
	ctx := context.Background()
	got := func(owner string, ttl time.Duration) bool {
		t.Helper()
		ok, err := s.AcquireLease(ctx, "build", owner, ttl)
		if err != nil {
			t.Fatal(err)
		}
		return ok
	}
	if !got("a", 200*time.Millisecond) {
		t.Fatal("a free lease was not granted")
	}
	if got("b", time.Minute) {
		t.Fatal("a live lease was granted to another owner")
	}
	if !got("a", 200*time.Millisecond) {
		t.Fatal("the holder could not renew")
	}
	if ok, _ := s.AcquireLease(ctx, "other", "b", time.Minute); !ok {
		t.Error("leases of other names interfere")
	}
	time.Sleep(250 * time.Millisecond)
	if !got("b", time.Minute) {
		t.Fatal("an expired lease was not taken over")
	}
	if got("a", time.Minute) {
		t.Fatal("the old holder got it back")
	}
	if err := s.ReleaseLease(ctx, "build", "a"); err != nil {
		t.Fatal(err)
	}
	if got("c", time.Minute) {
		t.Fatal("a release by a non-holder freed the lease")
	}
	if err := s.ReleaseLease(ctx, "build", "b"); err != nil {
		t.Fatal(err)
	}
	if !got("c", time.Minute) {
		t.Fatal("a released lease was not granted")
	}
	// Racing owners: exactly one wins.
	var wg sync.WaitGroup
	wins := make(chan string, 10)
	for _, o := range []string{"p", "q", "r", "s", "t"} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if ok, err := s.AcquireLease(ctx, "race", o, time.Minute); err == nil && ok {
				wins <- o
			}
		}()
	}
	wg.Wait()
	close(wins)
	if n := len(wins); n != 1 {
		t.Errorf("%d owners won one lease", n)
	}
}

// The heartbeat: a run renews only its own live claims; a claim that
// expired and was taken over is no longer listed as its own.
func testRenewClaims(t *testing.T, s digest.Store) {
	ctx := context.Background()
	for _, e := range []string{"a@example.org", "b@example.org", "c@example.org"} {
		mustAdd(t, s, e, digest.StatusConfirmed, false)
	}
	is := mustCreate(t, s, 1)
	mine, err := s.ClaimDeliveries(ctx, "run-a", is.Number, 3, 100*time.Millisecond)
	if err != nil || len(mine) != 3 {
		t.Fatalf("claim: %d, %v", len(mine), err)
	}
	if exp, err := s.ClaimExpiry(ctx, is.Number); err != nil || exp.IsZero() || time.Until(exp) > 100*time.Millisecond {
		t.Errorf("claim expiry = %v, %v", exp, err)
	}
	ids, err := s.RenewClaims(ctx, "run-a", time.Minute)
	if err != nil || len(ids) != 3 {
		t.Fatalf("renew: %v, %v", ids, err)
	}
	if exp, _ := s.ClaimExpiry(ctx, is.Number); time.Until(exp) < 50*time.Second {
		t.Errorf("renewed claims expire at %v", exp)
	}
	// run-a stalls: its claims are set to expire and run-b takes one over.
	if _, err := s.RenewClaims(ctx, "run-a", 10*time.Millisecond); err != nil {
		t.Fatal(err)
	}
	time.Sleep(20 * time.Millisecond)
	taken, err := s.ClaimDeliveries(ctx, "run-b", is.Number, 1, time.Minute)
	if err != nil || len(taken) != 1 {
		t.Fatalf("take over: %d, %v", len(taken), err)
	}
	ids, _ = s.RenewClaims(ctx, "run-a", time.Minute)
	if len(ids) != 2 || slices.Contains(ids, taken[0].ID) {
		t.Errorf("run-a renewed %v; the claim run-b took (%d) must not be among them", ids, taken[0].ID)
	}
	if err := s.MarkSent(ctx, taken[0].ID, "x@example.org"); err != nil {
		t.Fatal(err)
	}
	if ids, _ := s.RenewClaims(ctx, "run-b", time.Minute); len(ids) != 0 {
		t.Errorf("a sent delivery is still renewed: %v", ids)
	}
	if exp, _ := s.ClaimExpiry(ctx, 99); !exp.IsZero() {
		t.Errorf("claim expiry of an issue with no claims = %v", exp)
	}
}

// CreateIssue stores an issue under the number it was built with, or
// not at all: the number is in its subject and web version.
func testIssueNumberIsKept(t *testing.T, s digest.Store) {
	ctx := context.Background()
	mustCreate(t, s, 1)
	stale := digest.StoredIssue{Issue: digest.Issue{Number: 1, Slot: slot(2), Subject: "The Weekly Wrap #1"}}
	if _, _, err := s.CreateIssue(ctx, stale, nil); !errors.Is(err, digest.ErrExists) || !strings.Contains(err.Error(), "#2") {
		t.Fatalf("an issue built as #1 stored after #1 exists: err = %v", err)
	}
	if n, _ := s.NextIssueNumber(ctx); n != 2 {
		t.Errorf("next number = %d after a refused create", n)
	}
	fresh := digest.StoredIssue{Issue: digest.Issue{Number: 2, Slot: slot(2), Subject: "The Weekly Wrap #2"}}
	if out, created, err := s.CreateIssue(ctx, fresh, nil); err != nil || !created || out.Number != 2 {
		t.Errorf("create #2: %d, %v, %v", out.Number, created, err)
	}
}

func testTestCopies(t *testing.T, s digest.Store) {
	ctx := context.Background()
	if err := s.SaveTestCopy(ctx, "k1", "<p>test</p>"); err != nil {
		t.Fatal(err)
	}
	if h, err := s.TestCopy(ctx, "k1"); err != nil || h != "<p>test</p>" {
		t.Errorf("test copy = %q, %v", h, err)
	}
	if _, err := s.TestCopy(ctx, "nope"); !errors.Is(err, digest.ErrNotFound) {
		t.Errorf("missing test copy: %v", err)
	}
	if err := s.SaveTestCopy(ctx, "", "x"); !errors.Is(err, digest.ErrInvalid) {
		t.Errorf("empty key: %v", err)
	}
}

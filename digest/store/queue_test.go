package store

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"sync"
	"testing"
	"time"

	"github.com/weeklywrap/digest/digest"
)

func stats(t *testing.T, s digest.Store, n int) digest.QueueStats {
	t.Helper()
	st, err := s.QueueStats(context.Background(), n)
	if err != nil {
		t.Fatal(err)
	}
	return st
}

func addConfirmed(t testing.TB, s digest.Store, n int) {
	t.Helper()
	for i := range n {
		mustAdd(t, s, fmt.Sprintf("r%05d@example.org", i), digest.StatusConfirmed, false)
	}
}

func testEnqueue(t *testing.T, s digest.Store) {
	ctx := context.Background()
	want := map[int64]string{}
	for _, c := range []struct {
		email    string
		status   digest.SubscriberStatus
		paused   bool
		receives bool
	}{
		{"a@x.org", digest.StatusConfirmed, false, true},
		{"b@x.org", digest.StatusConfirmed, true, false},
		{"c@x.org", digest.StatusPending, false, false},
		{"d@x.org", digest.StatusUnsubscribed, false, false},
		{"e@x.org", digest.StatusSuppressed, false, false},
		{"f@x.org", digest.StatusConfirmed, false, true},
	} {
		sub := mustAdd(t, s, c.email, c.status, c.paused)
		if c.receives {
			want[sub.ID] = c.email
		}
	}
	mustCreate(t, s, 1)
	if st := stats(t, s, 1); st != (digest.QueueStats{Pending: 2}) {
		t.Fatalf("stats = %+v, want 2 pending", st)
	}
	ds, err := s.ClaimDeliveries(ctx, "test", 1, 10, time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	got := map[int64]string{}
	for _, d := range ds {
		got[d.SubscriberID] = d.Email
		if d.IssueNumber != 1 || d.State != digest.DeliverySending {
			t.Errorf("claimed %+v, want issue 1 sending", d)
		}
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("enqueued %v, want %v", got, want)
	}
	// A subscriber who confirms later gets the next issue, not this one.
	mustAdd(t, s, "g@x.org", digest.StatusConfirmed, false)
	if st := stats(t, s, 1); st.Pending+st.Sending != 2 {
		t.Fatalf("issue 1 grew after creation: %+v", st)
	}
	mustCreate(t, s, 2)
	if st := stats(t, s, 2); st.Pending != 3 {
		t.Fatalf("issue 2 stats = %+v, want 3 pending", st)
	}
}

func testClaims(t *testing.T, s digest.Store) {
	ctx := context.Background()
	addConfirmed(t, s, 5)
	mustCreate(t, s, 1)
	first, err := s.ClaimDeliveries(ctx, "test", 1, 3, time.Hour)
	if err != nil || len(first) != 3 {
		t.Fatalf("claim 3 = %d, %v", len(first), err)
	}
	for i, d := range first {
		if i > 0 && d.ID <= first[i-1].ID {
			t.Fatalf("claims not in queue order: %v", first)
		}
		if left := time.Until(d.ClaimedUntil); left < 59*time.Minute || left > time.Hour {
			t.Errorf("claimed until %v, want about an hour from now", d.ClaimedUntil)
		}
	}
	rest, err := s.ClaimDeliveries(ctx, "test", 1, 10, 10*time.Millisecond)
	if err != nil || len(rest) != 2 {
		t.Fatalf("claim rest = %d, %v; want the 2 unclaimed", len(rest), err)
	}
	if none, err := s.ClaimDeliveries(ctx, "test", 2, 10, time.Minute); err != nil || len(none) != 0 {
		t.Fatalf("claim of another issue = %v, %v", none, err)
	}
	time.Sleep(30 * time.Millisecond) // the short lease expires: a dead worker's rows come back
	again, err := s.ClaimDeliveries(ctx, "test", 1, 10, time.Minute)
	if err != nil || len(again) != 2 || again[0].ID != rest[0].ID || again[1].ID != rest[1].ID {
		t.Fatalf("reclaim = %v, %v; want the 2 expired claims %v", again, err, rest)
	}
	if st := stats(t, s, 1); st != (digest.QueueStats{Sending: 5}) {
		t.Fatalf("stats = %+v, want 5 sending", st)
	}
}

func testConcurrentClaims(t *testing.T, s digest.Store) {
	ctx := context.Background()
	const total = 300
	addConfirmed(t, s, total)
	mustCreate(t, s, 1)
	var (
		mu     sync.Mutex
		wg     sync.WaitGroup
		counts = map[int64]int{}
		errs   []error
	)
	for range 8 {
		wg.Go(func() {
			for {
				ds, err := s.ClaimDeliveries(ctx, "test", 1, 7, time.Hour)
				mu.Lock()
				if err != nil {
					errs = append(errs, err)
				}
				for _, d := range ds {
					counts[d.ID]++
				}
				mu.Unlock()
				if err != nil || len(ds) == 0 {
					return
				}
			}
		})
	}
	wg.Wait()
	if len(errs) > 0 {
		t.Fatalf("claim errors: %v", errs)
	}
	if len(counts) != total {
		t.Fatalf("claimed %d distinct deliveries, want %d", len(counts), total)
	}
	for id, c := range counts {
		if c != 1 {
			t.Fatalf("delivery %d claimed %d times", id, c)
		}
	}
}

func testMarks(t *testing.T, s digest.Store) {
	ctx := context.Background()
	addConfirmed(t, s, 4)
	mustCreate(t, s, 1)
	mustCreate(t, s, 2)
	ds, err := s.ClaimDeliveries(ctx, "test", 1, 4, time.Hour)
	if err != nil || len(ds) != 4 {
		t.Fatalf("claim = %d, %v", len(ds), err)
	}
	if err := s.MarkSent(ctx, ds[0].ID, "<1@digest>"); err != nil {
		t.Fatal(err)
	}
	if err := s.MarkRetry(ctx, ds[1].ID, "421 try later", time.Now().Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	if err := s.MarkRetry(ctx, ds[2].ID, "timeout", time.Now().Add(-time.Second)); err != nil {
		t.Fatal(err)
	}
	if err := s.MarkFailed(ctx, ds[3].ID, "550 no such user"); err != nil {
		t.Fatal(err)
	}
	if st := stats(t, s, 1); st != (digest.QueueStats{Pending: 2, Sent: 1, Failed: 1}) {
		t.Fatalf("stats = %+v", st)
	}
	// Releasing an untried claim keeps its attempts: ds[0] is sent, so
	// claim a fresh row of issue 2 and hand it back.
	rel, err := s.ClaimDeliveries(ctx, "test", 2, 1, time.Hour)
	if err != nil || len(rel) != 1 {
		t.Fatalf("claim to release = %v, %v", rel, err)
	}
	if err := s.Release(ctx, rel[0].ID, "not attempted", time.Time{}); err != nil {
		t.Fatal(err)
	}
	again, err := s.ClaimDeliveries(ctx, "test", 2, 10, time.Hour)
	if err != nil || len(again) != 4 || again[0].ID != rel[0].ID || again[0].Attempts != 0 {
		t.Fatalf("after release = %+v, %v; want the row due again with 0 attempts", again, err)
	}
	for _, d := range again {
		if err := s.Release(ctx, d.ID, "", time.Time{}); err != nil {
			t.Fatal(err)
		}
	}
	fails, err := s.RecentFailures(ctx, 10)
	if err != nil || len(fails) != 3 || fails[0].ID != ds[3].ID || fails[0].State != digest.DeliveryFailed ||
		fails[0].LastError != "550 no such user" || fails[2].ID != ds[1].ID || fails[0].Email == "" {
		t.Fatalf("recent failures = %+v, %v; want the failed one, then the two retries, newest first", fails, err)
	}
	// Only the retry whose time has come is due again.
	due, err := s.ClaimDeliveries(ctx, "test", 1, 10, time.Hour)
	if err != nil || len(due) != 1 || due[0].ID != ds[2].ID {
		t.Fatalf("due = %+v, %v; want only delivery %d", due, err, ds[2].ID)
	}
	if d := due[0]; d.Attempts != 1 || d.LastError != "timeout" {
		t.Fatalf("retried delivery = %+v, want 1 attempt and its error", d)
	}
	if err := s.MarkSent(ctx, due[0].ID, "<2@digest>"); err != nil {
		t.Fatal(err)
	}
	if got, err := s.UnfinishedIssues(ctx); err != nil || fmt.Sprint(got) != "[1 2]" {
		t.Fatalf("unfinished = %v, %v; want [1 2]", got, err)
	}
	if err := s.MarkSent(ctx, ds[1].ID, "<3@digest>"); err != nil {
		t.Fatal(err)
	}
	two, err := s.ClaimDeliveries(ctx, "test", 2, 10, time.Hour)
	if err != nil || len(two) != 4 {
		t.Fatalf("claim issue 2 = %d, %v", len(two), err)
	}
	for _, d := range two {
		if err := s.MarkFailed(ctx, d.ID, "x"); err != nil {
			t.Fatal(err)
		}
	}
	if got, err := s.UnfinishedIssues(ctx); err != nil || len(got) != 0 {
		t.Fatalf("unfinished = %v, %v; want none", got, err)
	}
	if st := stats(t, s, 1); st != (digest.QueueStats{Sent: 3, Failed: 1}) {
		t.Fatalf("final stats = %+v", st)
	}
	if fails, err := s.RecentFailures(ctx, 3); err != nil || len(fails) != 3 || fails[0].IssueNumber != 2 {
		t.Fatalf("recent failures after sends = %+v, %v; want 3 from issue 2", fails, err)
	}
}

func testDeleteErasesDeliveries(t *testing.T, s digest.Store) {
	ctx := context.Background()
	a := mustAdd(t, s, "a@x.org", digest.StatusConfirmed, false)
	mustAdd(t, s, "b@x.org", digest.StatusConfirmed, false)
	mustCreate(t, s, 1)
	if err := s.DeleteSubscriber(ctx, a.ID); err != nil {
		t.Fatal(err)
	}
	ds, err := s.ClaimDeliveries(ctx, "test", 1, 10, time.Minute)
	if err != nil || len(ds) != 1 || ds[0].Email != "b@x.org" {
		t.Fatalf("after delete, claim = %+v, %v; want only b", ds, err)
	}
}

func testFeedState(t *testing.T, s digest.Store) {
	ctx := context.Background()
	const u = "https://example.org/feed.xml"
	got, err := s.FeedState(ctx, u)
	if err != nil || got != (digest.FeedState{URL: u}) {
		t.Fatalf("unknown feed = %+v, %v", got, err)
	}
	now := time.Now().UTC().Truncate(time.Microsecond)
	states := []digest.FeedState{
		{URL: u, ETag: `"abc"`, LastModified: "Tue, 01 Sep 2026 10:00:00 GMT", FreshUntil: now.Add(time.Hour), LastFetched: now},
		{URL: u, LastFetched: now.Add(time.Minute), LastError: "503", ConsecutiveFailures: 2, FailingSince: now},
	}
	for i, st := range states {
		if err := s.SaveFeedState(ctx, st); err != nil {
			t.Fatal(err)
		}
		got, err := s.FeedState(ctx, u)
		if err != nil || got != st {
			t.Fatalf("state %d = %+v, %v; want %+v", i, got, err, st)
		}
	}
	// In bulk: several saved in one transaction, read back in one query;
	// a URL never saved is absent, one not asked for is left out.
	const v = "https://example.org/other.xml"
	bulk := []digest.FeedState{{URL: u, ETag: `"new"`, LastFetched: now}, {URL: v, LastModified: "Wed, 02 Sep 2026 10:00:00 GMT", LastFetched: now}}
	if err := s.SaveFeedStates(ctx, bulk); err != nil {
		t.Fatal(err)
	}
	m, err := s.FeedStates(ctx, []string{u, v, "https://example.org/never.xml"})
	if err != nil || len(m) != 2 || m[u] != bulk[0] || m[v] != bulk[1] {
		t.Fatalf("FeedStates = %+v, %v; want %+v", m, err, bulk)
	}
	if m, err := s.FeedStates(ctx, []string{v}); err != nil || len(m) != 1 {
		t.Errorf("FeedStates(one) = %+v, %v", m, err)
	}
	if err := s.SaveFeedStates(ctx, []digest.FeedState{{URL: v}, {}}); err == nil {
		t.Error("a state without URL was saved")
	}
	if got, _ := s.FeedState(ctx, v); got != bulk[1] {
		t.Errorf("a failed bulk save changed %s: %+v", v, got)
	}
}

func testConcurrentWriters(t *testing.T, s digest.Store) {
	ctx := context.Background()
	var (
		wg   sync.WaitGroup
		mu   sync.Mutex
		errs []string
	)
	for w := range 8 {
		wg.Go(func() {
			for i := range 25 {
				err := func() error {
					sub, err := s.AddSubscriber(ctx, digest.Subscriber{Email: fmt.Sprintf("w%d-%d@x.org", w, i), Status: digest.StatusConfirmed})
					if err != nil {
						return err
					}
					if err := s.SavePreferences(ctx, sub.ID, digest.Preferences{Name: "n"}); err != nil {
						return err
					}
					if _, err := s.SubscriberByEmail(ctx, sub.Email); err != nil {
						return err
					}
					return s.SaveFeedState(ctx, digest.FeedState{URL: fmt.Sprintf("u%d", w), ConsecutiveFailures: i})
				}()
				if err != nil {
					mu.Lock()
					errs = append(errs, err.Error())
					mu.Unlock()
				}
			}
		})
	}
	wg.Wait()
	sort.Strings(errs)
	if len(errs) > 0 {
		t.Fatalf("%d concurrent writes failed, first: %s", len(errs), errs[0])
	}
	if c, err := s.CountSubscribers(ctx); err != nil || c[digest.StatusConfirmed] != 200 {
		t.Fatalf("count = %v, %v; want 200", c, err)
	}
}

// testBatchMarks covers what a sending run does per batch: the claimed
// rows' subscribers in one read, and several rows marked sent in one
// transaction, a deleted subscriber's row reported missing.
func testBatchMarks(t *testing.T, s digest.Store) {
	ctx := context.Background()
	addConfirmed(t, s, 5)
	mustCreate(t, s, 1)
	ds, err := s.ClaimDeliveries(ctx, "test", 1, 5, time.Hour)
	if err != nil || len(ds) != 5 {
		t.Fatalf("claim = %d, %v", len(ds), err)
	}
	ids := []int64{}
	for _, d := range ds {
		ids = append(ids, d.SubscriberID)
	}
	subs, err := s.SubscribersByID(ctx, append(ids, 999_999))
	if err != nil || len(subs) != 5 {
		t.Fatalf("SubscribersByID = %d, %v; want the 5 that exist", len(subs), err)
	}
	byID := map[int64]string{}
	for _, sub := range subs {
		byID[sub.ID] = sub.Email
	}
	for _, d := range ds {
		if byID[d.SubscriberID] != d.Email {
			t.Errorf("subscriber %d: %q, the delivery says %q", d.SubscriberID, byID[d.SubscriberID], d.Email)
		}
	}
	if err := s.DeleteSubscriber(ctx, ds[4].SubscriberID); err != nil {
		t.Fatal(err)
	}
	var marks []digest.SentMark
	for i, d := range ds {
		marks = append(marks, digest.SentMark{ID: d.ID, MessageID: fmt.Sprintf("m%d@digest", i)})
	}
	missing, err := s.MarkSentMany(ctx, marks)
	if err != nil || len(missing) != 1 || missing[0] != ds[4].ID {
		t.Fatalf("MarkSentMany = %v, %v; want only %d missing", missing, err, ds[4].ID)
	}
	if st := stats(t, s, 1); st != (digest.QueueStats{Sent: 4}) {
		t.Fatalf("stats = %+v, want 4 sent", st)
	}
	if ids, err := s.RenewClaims(ctx, "test", time.Hour); err != nil || len(ids) != 0 {
		t.Errorf("claims left after the marks: %v, %v", ids, err)
	}
	if missing, err := s.MarkSentMany(ctx, nil); err != nil || missing != nil {
		t.Errorf("MarkSentMany(nil) = %v, %v", missing, err)
	}
}

// testBatchMarkColumns checks that a mark in a batch writes what MarkSent
// writes, column for column, whatever the batch's order and however odd
// the Message-ID (quotes, backslashes, angle brackets, non-ASCII, a NUL
// and invalid UTF-8, which the store cleans as everywhere), and leaves
// rows outside the batch alone.
func testBatchMarkColumns(t *testing.T, s digest.Store) {
	ctx := context.Background()
	addConfirmed(t, s, 4)
	mustCreate(t, s, 1)
	ds, err := s.ClaimDeliveries(ctx, "test", 1, 4, time.Hour)
	if err != nil || len(ds) != 4 {
		t.Fatalf("claim = %d, %v", len(ds), err)
	}
	odd := "<a\"b\\c\u00fc\u2028\x00\xff@digest>"
	if err := s.MarkSent(ctx, ds[0].ID, odd); err != nil {
		t.Fatal(err)
	}
	marks := []digest.SentMark{
		{ID: ds[2].ID, MessageID: "<2@digest>"},
		{ID: 999_999, MessageID: "<gone@digest>"},
		{ID: ds[1].ID, MessageID: odd},
	}
	missing, err := s.MarkSentMany(ctx, marks)
	if err != nil || !slices.Equal(missing, []int64{999_999}) {
		t.Fatalf("MarkSentMany = %v, %v; want only 999999 missing", missing, err)
	}
	if marks[0].ID != ds[2].ID {
		t.Errorf("MarkSentMany reordered its argument: %v", marks)
	}
	type row struct {
		state, lastError, messageID string
		attempts                    int
		claimed, due, sent          bool
	}
	read := func(id int64) row {
		t.Helper()
		var r row
		err := s.(*db).r.QueryRowContext(ctx, s.(*db).d.q(`SELECT state, last_error, message_id, attempts,
			claimed_until IS NOT NULL, due_at IS NOT NULL, sent_at IS NOT NULL FROM deliveries WHERE id = ?`), id).
			Scan(&r.state, &r.lastError, &r.messageID, &r.attempts, &r.claimed, &r.due, &r.sent)
		if err != nil {
			t.Fatalf("read delivery %d: %v", id, err)
		}
		return r
	}
	single := read(ds[0].ID)
	if want := (row{state: "sent", messageID: txt(odd), attempts: 1, sent: true}); single != want {
		t.Fatalf("MarkSent wrote %+v, want %+v", single, want)
	}
	if got := read(ds[1].ID); got != single {
		t.Errorf("MarkSentMany wrote %+v, MarkSent %+v", got, single)
	}
	want := single
	want.messageID = "<2@digest>"
	if got := read(ds[2].ID); got != want {
		t.Errorf("MarkSentMany wrote %+v, want %+v", got, want)
	}
	if got := read(ds[3].ID); got.state != "sending" || !got.claimed || !got.due || got.sent {
		t.Errorf("a row outside the batch was changed: %+v", got)
	}
}

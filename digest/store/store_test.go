package store

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/weeklywrap/digest/digest"
)

// opener returns a fresh, empty store that is closed when the test ends.
type opener func(t testing.TB) digest.Store

// testStore is the one suite every implementation must pass.
func testStore(t *testing.T, open opener) {
	tests := []struct {
		name string
		fn   func(t *testing.T, s digest.Store)
	}{
		{"Subscribers", testSubscribers},
		{"SubscriberErrors", testSubscriberErrors},
		{"SubscriberLifeCycle", testSubscriberLifeCycle},
		{"Suppression", testSuppression},
		{"TargetedWritesRace", testTargetedWritesRace},
		{"EachSubscriber", testEachSubscriber},
		{"Issues", testIssues},
		{"Seen", testSeen},
		{"Enqueue", testEnqueue},
		{"Claims", testClaims},
		{"ConcurrentClaims", testConcurrentClaims},
		{"Marks", testMarks},
		{"BatchMarks", testBatchMarks},
		{"BatchMarkColumns", testBatchMarkColumns},
		{"DeleteErasesDeliveries", testDeleteErasesDeliveries},
		{"FeedState", testFeedState},
		{"ConcurrentWriters", testConcurrentWriters},
		{"UntrustedText", testUntrustedText},
		{"Migrations", testMigrations},
		{"Outbox", testOutbox},
		{"OutboxSupersedes", testOutboxSupersedes},
		{"Leases", testLeases},
		{"RenewClaims", testRenewClaims},
		{"IssueNumberIsKept", testIssueNumberIsKept},
		{"TestCopies", testTestCopies},
		{"Feedback", testFeedback},
		{"SendSlots", testSendSlots},
		{"SentMessageTo", testSentMessageTo},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { tt.fn(t, open(t)) })
	}
}

// slot returns the n-th weekly slot of a fixed calendar.
func slot(n int) time.Time {
	return time.Date(2026, 1, 5, 8, 0, 0, 0, time.UTC).AddDate(0, 0, 7*(n-1))
}

func mustAdd(t testing.TB, s digest.Store, email string, st digest.SubscriberStatus, paused bool) digest.Subscriber {
	t.Helper()
	sub, err := s.AddSubscriber(context.Background(), digest.Subscriber{Email: email, Status: st, Paused: paused})
	if err != nil {
		t.Fatalf("add %s: %v", email, err)
	}
	return sub
}

func mustCreate(t testing.TB, s digest.Store, n int, seen ...string) digest.StoredIssue {
	t.Helper()
	is := digest.StoredIssue{
		Issue: digest.Issue{Slot: slot(n), WindowStart: slot(n - 1), WindowEnd: slot(n), Subject: fmt.Sprintf("Week %d", n)},
		HTML:  fmt.Sprintf("<p>week %d</p>", n),
		Text:  fmt.Sprintf("week %d", n),
	}
	out, created, err := s.CreateIssue(context.Background(), is, seen)
	if err != nil || !created {
		t.Fatalf("create issue for slot %d: created=%v err=%v", n, created, err)
	}
	return out
}

func testSubscribers(t *testing.T, s digest.Store) {
	ctx := context.Background()
	confirmed := time.Date(2026, 3, 1, 12, 30, 0, 123456000, time.FixedZone("X", 3600))
	in := digest.Subscriber{Email: "  Ada@Example.COM ", Name: "Ada", Status: digest.StatusConfirmed,
		Topics: []string{"go", "db"}, ConfirmedAt: confirmed}
	added, err := s.AddSubscriber(ctx, in)
	if err != nil {
		t.Fatal(err)
	}
	if added.ID == 0 || added.CreatedAt.IsZero() || added.Email != "ada@example.com" {
		t.Fatalf("added = %+v, want ID, CreatedAt and lower-cased email", added)
	}
	got, err := s.SubscriberByEmail(ctx, "ADA@example.com")
	if err != nil {
		t.Fatal(err)
	}
	if !got.ConfirmedAt.Equal(confirmed) || got.Name != "Ada" || strings.Join(got.Topics, ",") != "go,db" ||
		got.Status != digest.StatusConfirmed || !got.CreatedAt.Equal(added.CreatedAt) {
		t.Fatalf("by email = %+v, want %+v", got, added)
	}
	if err := s.SavePreferences(ctx, got.ID, digest.Preferences{Name: "Ada L.", Paused: true}); err != nil {
		t.Fatal(err)
	}
	for range 3 {
		if err := s.RecordHardBounce(ctx, got.ID, 3); err != nil {
			t.Fatal(err)
		}
	}
	again, err := s.Subscriber(ctx, got.ID)
	if err != nil {
		t.Fatal(err)
	}
	if again.Name != "Ada L." || again.Status != digest.StatusSuppressed || !again.Paused || again.HardBounces != 3 || len(again.Topics) != 0 {
		t.Fatalf("after preferences and 3 bounces = %+v", again)
	}
	if _, err := s.AddSubscriber(ctx, digest.Subscriber{Email: "ADA@EXAMPLE.COM"}); !errors.Is(err, digest.ErrExists) {
		t.Fatalf("duplicate add: err = %v, want ErrExists", err)
	}
	if err := s.DeleteSubscriber(ctx, got.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Subscriber(ctx, got.ID); !errors.Is(err, digest.ErrNotFound) {
		t.Fatalf("after delete: err = %v, want ErrNotFound", err)
	}
	// The address may be added again once erased, but it bounced for
	// good: it comes back suppressed.
	if back, err := s.AddSubscriber(ctx, digest.Subscriber{Email: "ada@example.com", Status: digest.StatusConfirmed}); err != nil || back.Status != digest.StatusSuppressed {
		t.Fatalf("re-add after delete: %+v, %v; want suppressed", back, err)
	}
	// An address that never bounced is free again once erased.
	bo, err := s.AddSubscriber(ctx, digest.Subscriber{Email: "bo@example.com", Status: digest.StatusConfirmed})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteSubscriber(ctx, bo.ID); err != nil {
		t.Fatal(err)
	}
	if back, err := s.AddSubscriber(ctx, digest.Subscriber{Email: "bo@example.com", Status: digest.StatusConfirmed}); err != nil || back.Status != digest.StatusConfirmed {
		t.Fatalf("re-add after delete: %+v, %v; want confirmed", back, err)
	}
}

func testSubscriberErrors(t *testing.T, s digest.Store) {
	ctx := context.Background()
	tests := []struct {
		name string
		op   func() error
		want error
	}{
		{"get missing", func() error { _, err := s.Subscriber(ctx, 999); return err }, digest.ErrNotFound},
		{"by email missing", func() error { _, err := s.SubscriberByEmail(ctx, "no@x.org"); return err }, digest.ErrNotFound},
		{"preferences missing", func() error { return s.SavePreferences(ctx, 999, digest.Preferences{}) }, digest.ErrNotFound},
		{"confirm missing", func() error { _, err := s.ConfirmSubscriber(ctx, 999, 0, time.Now()); return err }, digest.ErrNotFound},
		{"unsubscribe missing", func() error { _, err := s.Unsubscribe(ctx, 999); return err }, digest.ErrNotFound},
		{"resubscribe missing", func() error { _, err := s.Resubscribe(ctx, 999); return err }, digest.ErrNotFound},
		{"bounce missing", func() error { return s.RecordHardBounce(ctx, 999, 3) }, digest.ErrNotFound},
		{"suppress empty", func() error { return s.SuppressAddress(ctx, " ", "x") }, digest.ErrInvalid},
		{"delete missing", func() error { return s.DeleteSubscriber(ctx, 999) }, digest.ErrNotFound},
		{"empty email", func() error { _, err := s.AddSubscriber(ctx, digest.Subscriber{Email: " "}); return err }, digest.ErrInvalid},
		{"bad status", func() error {
			_, err := s.AddSubscriber(ctx, digest.Subscriber{Email: "a@b.c", Status: "vip"})
			return err
		}, digest.ErrInvalid},
		{"issue by number missing", func() error { _, err := s.IssueByNumber(ctx, 1); return err }, digest.ErrNotFound},
		{"issue by slot missing", func() error { _, err := s.IssueBySlot(ctx, slot(1)); return err }, digest.ErrNotFound},
		{"latest on empty", func() error { _, err := s.LatestIssue(ctx); return err }, digest.ErrNotFound},
		{"mark sent missing", func() error { return s.MarkSent(ctx, 999, "<x@y>") }, digest.ErrNotFound},
		{"issue without slot", func() error {
			_, _, err := s.CreateIssue(ctx, digest.StoredIssue{}, nil)
			return err
		}, digest.ErrInvalid},
	}
	for _, tt := range tests {
		if err := tt.op(); !errors.Is(err, tt.want) {
			t.Errorf("%s: err = %v, want %v", tt.name, err, tt.want)
		}
	}
}

func testEachSubscriber(t *testing.T, s digest.Store) {
	ctx := context.Background()
	statuses := []digest.SubscriberStatus{digest.StatusConfirmed, digest.StatusPending, digest.StatusConfirmed, digest.StatusUnsubscribed, digest.StatusConfirmed}
	var ids []int64
	for i, st := range statuses {
		ids = append(ids, mustAdd(t, s, fmt.Sprintf("u%d@example.org", 5-i), st, false).ID)
	}
	var all []int64
	err := s.EachSubscriber(ctx, digest.SubscriberFilter{}, func(sub digest.Subscriber) error {
		all = append(all, sub.ID)
		return nil
	})
	if err != nil || fmt.Sprint(all) != fmt.Sprint(ids) {
		t.Fatalf("all = %v, %v; want %v in ID order", all, err, ids)
	}
	var conf []int64
	err = s.EachSubscriber(ctx, digest.SubscriberFilter{Status: digest.StatusConfirmed}, func(sub digest.Subscriber) error {
		conf = append(conf, sub.ID)
		return nil
	})
	if want := []int64{ids[0], ids[2], ids[4]}; err != nil || fmt.Sprint(conf) != fmt.Sprint(want) {
		t.Fatalf("confirmed = %v, %v; want %v", conf, err, want)
	}
	stop := errors.New("stop")
	seen := 0
	err = s.EachSubscriber(ctx, digest.SubscriberFilter{}, func(digest.Subscriber) error {
		seen++
		if seen == 2 {
			return stop
		}
		return nil
	})
	if !errors.Is(err, stop) || seen != 2 {
		t.Fatalf("stop: err = %v after %d, want stop after 2", err, seen)
	}
	// The walk holds a cursor open; writing from the callback must not wait
	// for it (a single-connection store would deadlock here).
	err = s.EachSubscriber(ctx, digest.SubscriberFilter{Status: digest.StatusConfirmed}, func(sub digest.Subscriber) error {
		return s.RecordHardBounce(ctx, sub.ID, 3)
	})
	if err != nil {
		t.Fatalf("update while walking: %v", err)
	}
	if sub, err := s.Subscriber(ctx, ids[4]); err != nil || sub.HardBounces != 1 {
		t.Fatalf("after walk-update: %+v, %v; want 1 hard bounce", sub, err)
	}
	counts, err := s.CountSubscribers(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want := map[digest.SubscriberStatus]int{digest.StatusConfirmed: 3, digest.StatusPending: 1, digest.StatusUnsubscribed: 1}
	if fmt.Sprint(counts) != fmt.Sprint(want) {
		t.Fatalf("counts = %v, want %v", counts, want)
	}
}

func testIssues(t *testing.T, s digest.Store) {
	ctx := context.Background()
	if n, err := s.NextIssueNumber(ctx); err != nil || n != 1 {
		t.Fatalf("next on empty = %d, %v; want 1", n, err)
	}
	for n := 1; n <= 3; n++ {
		if got := mustCreate(t, s, n).Number; got != n {
			t.Fatalf("issue for slot %d got number %d", n, got)
		}
	}
	// The same slot, given in another zone, is the same issue.
	again := digest.StoredIssue{Issue: digest.Issue{Slot: slot(2).In(time.FixedZone("EST", -5*3600)), Subject: "other"}}
	out, created, err := s.CreateIssue(ctx, again, []string{"late"})
	if err != nil || created || out.Number != 2 || out.Subject != "Week 2" || out.HTML != "<p>week 2</p>" {
		t.Fatalf("repeat create = #%d %q created=%v err=%v; want #2 unchanged", out.Number, out.Subject, created, err)
	}
	if seen, _ := s.Seen(ctx, []string{"late"}); seen["late"] {
		t.Fatal("a repeated CreateIssue marked its seen ids")
	}
	if n, err := s.NextIssueNumber(ctx); err != nil || n != 4 {
		t.Fatalf("next = %d, %v; want 4", n, err)
	}
	bySlot, err := s.IssueBySlot(ctx, slot(3).In(time.FixedZone("CET", 3600)))
	if err != nil || bySlot.Number != 3 || !bySlot.Slot.Equal(slot(3)) || !bySlot.WindowStart.Equal(slot(2)) {
		t.Fatalf("by slot = #%d %v, %v", bySlot.Number, bySlot.Slot, err)
	}
	latest, err := s.LatestIssue(ctx)
	if err != nil || latest.Number != 3 || latest.Text != "week 3" {
		t.Fatalf("latest = #%d %q, %v", latest.Number, latest.Text, err)
	}
	list, err := s.ListIssues(ctx, 2)
	if err != nil || len(list) != 2 || list[0].Number != 3 || list[1].Number != 2 || list[0].HTML != "" || list[0].Subject != "Week 3" {
		t.Fatalf("list = %+v, %v; want #3, #2 without HTML", list, err)
	}
}

func testSeen(t *testing.T, s digest.Store) {
	ctx := context.Background()
	mustCreate(t, s, 1, "a", "b", "a")
	mustCreate(t, s, 2, "c")
	ids := []string{"a", "b", "c", "d"}
	for i := range 1200 { // more than one IN chunk
		ids = append(ids, fmt.Sprintf("x%d", i))
	}
	got, err := s.Seen(ctx, ids)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 3 || !got["a"] || !got["b"] || !got["c"] || got["d"] {
		t.Fatalf("seen = %v, want a, b, c", got)
	}
	if got, err := s.Seen(ctx, nil); err != nil || len(got) != 0 {
		t.Fatalf("seen(nil) = %v, %v", got, err)
	}
}

// testUntrustedText stores the NUL bytes and invalid UTF-8 that feeds and
// SMTP replies may carry; PostgreSQL rejects both unless the store cleans them.
func testUntrustedText(t *testing.T, s digest.Store) {
	ctx := context.Background()
	const bad = "a\x00b\xffc"
	sub, err := s.AddSubscriber(ctx, digest.Subscriber{Email: "n@x.org", Name: bad, Status: digest.StatusConfirmed})
	if err != nil {
		t.Fatal(err)
	}
	if got, err := s.Subscriber(ctx, sub.ID); err != nil || got.Name != "ab\uFFFDc" {
		t.Fatalf("name = %q, %v", got.Name, err)
	}
	is := digest.StoredIssue{Issue: digest.Issue{Slot: slot(1), Subject: bad}, HTML: bad, Text: bad}
	if _, _, err := s.CreateIssue(ctx, is, []string{bad, "ok"}); err != nil {
		t.Fatal(err)
	}
	got, err := s.IssueByNumber(ctx, 1)
	if err != nil || got.Subject != "a\x00b\uFFFDc" || got.Text != "ab\uFFFDc" {
		t.Fatalf("issue = subject %q text %q, %v", got.Subject, got.Text, err)
	}
	if seen, err := s.Seen(ctx, []string{bad, "ok", "no"}); err != nil || !seen[bad] || !seen["ok"] || len(seen) != 2 {
		t.Fatalf("seen = %v, %v", seen, err)
	}
	ds, err := s.ClaimDeliveries(ctx, "test", 1, 1, time.Minute)
	if err != nil || len(ds) != 1 {
		t.Fatalf("claim = %v, %v", ds, err)
	}
	if err := s.MarkRetry(ctx, ds[0].ID, "421 "+bad, time.Now()); err != nil {
		t.Fatal(err)
	}
	if err := s.SaveFeedState(ctx, digest.FeedState{URL: "u", ETag: bad, LastError: bad}); err != nil {
		t.Fatal(err)
	}
}

func testMigrations(t *testing.T, st digest.Store) {
	ctx := context.Background()
	s := st.(*db)
	ms, err := loadMigrations(s.d)
	if err != nil || len(ms) == 0 {
		t.Fatalf("embedded migrations = %d, %v", len(ms), err)
	}
	for range 2 { // Open migrated once; migrating again changes nothing
		var n, top int
		err := s.r.QueryRowContext(ctx, `SELECT COUNT(*), MAX(version) FROM schema_migrations`).Scan(&n, &top)
		if err != nil || n != len(ms) || top != ms[len(ms)-1].version {
			t.Fatalf("schema_migrations: %d rows up to %d, %v; want %d up to %d", n, top, err, len(ms), ms[len(ms)-1].version)
		}
		if err := s.migrate(ctx); err != nil {
			t.Fatalf("migrate again: %v", err)
		}
	}
}

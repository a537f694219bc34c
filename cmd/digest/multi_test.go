package main

import (
	"context"
	"database/sql"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/weeklywrap/digest/digest/service"
)

// insertReaders adds n confirmed readers to the PostgreSQL store at dsn in
// one statement (the import command adds one row at a time), r000@… on,
// the number as wide as n's.
func insertReaders(t *testing.T, dsn string, n int) {
	t.Helper()
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	_, err = db.Exec(`INSERT INTO subscribers (email, name, status, created_at, confirmed_at)
		SELECT 'r' || lpad(i::text, $2, '0') || '@example.org', 'Reader ' || i, 'confirmed', now(), now()
		FROM generate_series(0, $1 - 1) AS i`, n, len(strconv.Itoa(n)))
	if err != nil {
		t.Fatalf("add readers: %v", err)
	}
}

// runSlotOnBoth runs the slot on both instances at the same moment, and
// fails t if either returns an error.
func runSlotOnBoth(t *testing.T, slot time.Time, a, b *clocked) [2]service.SlotRun {
	t.Helper()
	var (
		wg   sync.WaitGroup
		runs [2]service.SlotRun
		errs [2]error
	)
	for i, c := range []*clocked{a, b} {
		wg.Go(func() { runs[i], errs[i] = c.svc.RunSlot(context.Background(), slot) })
	}
	wg.Wait()
	if errs[0] != nil || errs[1] != nil {
		t.Fatalf("instance errors: %v; %v", errs[0], errs[1])
	}
	return runs
}

// Two instances on one PostgreSQL run the same slot at the same moment
// for 10,000 readers: exactly one builds and stores the issue (the other
// waits on the store's build lease, then finds it), both send part of it,
// and every reader gets exactly one copy.
func TestTwoInstancesOnPostgres(t *testing.T) {
	if testing.Short() {
		t.Skip("slow: 10,000 messages through Mailpit")
	}
	t.Parallel() // waits on Mailpit mostly; overlaps the other slow tests
	const readers = 10000
	ctx := context.Background()
	e := newEnv(t, envOpts{Mailpit: true})
	dsn := e.usePostgres(t)
	e.editConfig(t, func(c string) string { return strings.Replace(c, "connections: 2", "connections: 4", 1) })
	e.smallIssue(t)

	slot := time.Date(2026, 3, 23, 7, 0, 0, 0, time.UTC)
	a, b := startClocked(t, e, slot.Add(time.Second)), startClocked(t, e, slot.Add(time.Second))
	insertReaders(t, dsn, readers)

	start := time.Now()
	runs := runSlotOnBoth(t, slot, a, b)
	took := time.Since(start)
	t.Logf("instance A: %+v; instance B: %+v; %d messages in %s (%.0f msg/s)",
		runs[0], runs[1], runs[0].Stats.Sent+runs[1].Stats.Sent, took.Round(time.Millisecond),
		float64(runs[0].Stats.Sent+runs[1].Stats.Sent)/took.Seconds())
	if runs[0].Created == runs[1].Created || runs[0].Issue != 1 || runs[1].Issue != 1 {
		t.Errorf("created = %v, %v for issues %d, %d; want exactly one instance to store issue #1",
			runs[0].Created, runs[1].Created, runs[0].Issue, runs[1].Issue)
	}
	if n := strings.Count(a.logs.String()+b.logs.String(), "issue stored"); n != 1 {
		t.Errorf("%d instances stored an issue, want 1", n)
	}
	if n := strings.Count(a.logs.String()+b.logs.String(), "issue built"); n != 1 {
		t.Errorf("%d instances built (gathered and curated) the issue, want 1: the other waits on the build lease", n)
	}
	if runs[0].Stats.Sent == 0 || runs[1].Stats.Sent == 0 {
		t.Errorf("sent %d and %d: both instances must share the sending", runs[0].Stats.Sent, runs[1].Stats.Sent)
	}
	if sum := runs[0].Stats.Sent + runs[1].Stats.Sent; sum != readers {
		t.Errorf("the instances sent %d in all, want %d", sum, readers)
	}
	qs, err := a.svc.Store.QueueStats(ctx, 1)
	if err != nil || qs.Sent != readers {
		t.Errorf("queue: %+v, %v; want %d sent", qs, err, readers)
	}
	if next, _ := a.svc.Store.NextIssueNumber(ctx); next != 2 {
		t.Errorf("next issue number %d: more than one issue was stored", next)
	}
	e.mp.WaitCount(t, readers, 30*time.Second)
	addrs, extra, dups := duplicates(t, e)
	if addrs != readers || extra != 0 {
		t.Errorf("Mailpit: %d readers got the issue, %d duplicates %v; want %d and none", addrs, extra, dups, readers)
	}
}

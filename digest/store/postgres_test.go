package store

import (
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"sync"
	"testing"
	"time"

	"github.com/weeklywrap/digest/digest"
	"github.com/weeklywrap/digest/internal/pgtest"
)

func openPostgresTest(t testing.TB) digest.Store {
	t.Helper()
	s, err := Open(context.Background(), pgtest.Schema(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func TestPostgres(t *testing.T) {
	pgtest.URL(t) // skip once, not in every subtest
	testStore(t, openPostgresTest)
}

// TestPostgresCreateIssueRace opens two stores on one schema, as two
// processes would, and races them for the same slots.
func TestPostgresCreateIssueRace(t *testing.T) {
	ctx := context.Background()
	dsn := pgtest.Schema(t)
	var stores []digest.Store
	for range 2 {
		s, err := Open(ctx, dsn) // the second migrates concurrently-safe no-op
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		stores = append(stores, s)
	}
	addConfirmed(t, stores[0], 20)
	type result struct {
		n       int
		created bool
		err     error
	}
	for round := 1; round <= 5; round++ {
		var (
			wg  sync.WaitGroup
			res = make([]result, 6)
		)
		for i := range res {
			wg.Go(func() {
				is := digest.StoredIssue{Issue: digest.Issue{Slot: slot(round), Subject: fmt.Sprint(i)}}
				out, created, err := stores[i%2].CreateIssue(ctx, is, []string{fmt.Sprintf("a%d", round)})
				res[i] = result{out.Number, created, err}
			})
		}
		wg.Wait()
		created := 0
		for _, r := range res {
			if r.err != nil {
				t.Fatalf("round %d: %v", round, r.err)
			}
			if r.n != round {
				t.Fatalf("round %d: got number %d", round, r.n)
			}
			if r.created {
				created++
			}
		}
		if created != 1 {
			t.Fatalf("round %d: %d callers created the issue, want 1", round, created)
		}
		if st := stats(t, stores[1], round); st.Pending != 20 {
			t.Fatalf("round %d: queue %+v, want 20 pending", round, st)
		}
	}
}

// TestPostgresMarkRenewLockOrder runs a run's heartbeat (RenewClaims,
// every row the run holds) against two writers marking random batches of
// the same rows sent, round after round: both statements lock rows in id
// order, so PostgreSQL never finds a deadlock and aborts one of them
// (40P01, which a mark's caller would have to treat as unrecorded
// messages). Marking in descending order instead makes this test fail.
func TestPostgresMarkRenewLockOrder(t *testing.T) {
	const (
		rows   = 200
		rounds = 20
		batch  = 16
	)
	ctx := context.Background()
	s := openPostgresTest(t)
	addConfirmed(t, s, rows)
	rng := rand.New(rand.NewPCG(1, 2))
	for round := 1; round <= rounds; round++ {
		mustCreate(t, s, round)
		ds, err := s.ClaimDeliveries(ctx, "run", round, rows, time.Hour)
		if err != nil || len(ds) != rows {
			t.Fatalf("round %d: claim = %d, %v", round, len(ds), err)
		}
		rng.Shuffle(len(ds), func(i, j int) { ds[i], ds[j] = ds[j], ds[i] })
		var (
			wg      sync.WaitGroup
			mu      sync.Mutex
			errs    []error
			renewed int
			marking = make(chan struct{})
		)
		fail := func(err error) {
			mu.Lock()
			errs = append(errs, err)
			mu.Unlock()
		}
		wg.Go(func() {
			for {
				select {
				case <-marking:
					return
				default:
				}
				if _, err := s.RenewClaims(ctx, "run", time.Hour); err != nil {
					fail(fmt.Errorf("renew: %w", err))
					return
				}
				mu.Lock()
				renewed++
				mu.Unlock()
			}
		})
		var marks sync.WaitGroup
		for w := range 2 {
			marks.Go(func() {
				for i := w * batch; i < len(ds); i += 2 * batch {
					var ms []digest.SentMark
					for _, d := range ds[i:min(i+batch, len(ds))] {
						ms = append(ms, digest.SentMark{ID: d.ID, MessageID: fmt.Sprintf("<%d@digest>", d.ID)})
					}
					if missing, err := s.MarkSentMany(ctx, ms); err != nil || len(missing) > 0 {
						fail(fmt.Errorf("mark: missing %v: %w", missing, err))
						return
					}
				}
			})
		}
		marks.Wait()
		close(marking)
		wg.Wait()
		if len(errs) > 0 {
			t.Fatalf("round %d: %d failed, first: %v", round, len(errs), errs[0])
		}
		if st := stats(t, s, round); st != (digest.QueueStats{Sent: rows}) {
			t.Fatalf("round %d: stats = %+v, want %d sent", round, st, rows)
		}
		t.Logf("round %d: %d renewals beside the marks", round, renewed)
	}
}

// The sent marks run on sessions that plan generically (the planning of a
// custom plan per mark was most of the server's work); every other
// statement keeps custom plans, which the claim needs.
func TestPostgresMarksPlanGenerically(t *testing.T) {
	s := openPostgresTest(t).(*db)
	ctx := context.Background()
	for _, tc := range []struct {
		name string
		pool *sql.DB
		want string
	}{{"marks", s.marks, "force_generic_plan"}, {"main", s.w, "auto"}} {
		var mode string
		if err := tc.pool.QueryRowContext(ctx, `SHOW plan_cache_mode`).Scan(&mode); err != nil {
			t.Fatal(err)
		}
		if mode != tc.want {
			t.Errorf("%s pool: plan_cache_mode = %q, want %q", tc.name, mode, tc.want)
		}
	}
}

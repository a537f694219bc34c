package store

import (
	"context"
	"fmt"
	"sync"
	"testing"

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

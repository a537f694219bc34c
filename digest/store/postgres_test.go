package store

import (
	"context"
	"crypto/rand"
	"database/sql"
	"fmt"
	"net/url"
	"os"
	"sync"
	"testing"

	"github.com/weeklywrap/digest/digest"
)

// postgresURL returns DIGEST_TEST_POSTGRES, skipping the test without it,
// except under CI, where a missing database is a failure.
func postgresURL(t testing.TB) string {
	t.Helper()
	u := os.Getenv("DIGEST_TEST_POSTGRES")
	if u != "" {
		return u
	}
	if ci := os.Getenv("CI"); ci != "" && ci != "false" {
		t.Fatal("DIGEST_TEST_POSTGRES is not set but CI is: the PostgreSQL store must be tested in CI")
	}
	t.Skip("set DIGEST_TEST_POSTGRES=postgres://user@host/db to test the PostgreSQL store")
	return ""
}

// postgresSchema creates a fresh schema, dropped when the test ends, and
// returns a URL whose connections use it.
func postgresSchema(t testing.TB) string {
	t.Helper()
	base := postgresURL(t)
	admin, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { admin.Close() })
	schema := "digest_test_" + rand.Text()[:12]
	if _, err := admin.Exec(`CREATE SCHEMA ` + schema); err != nil {
		t.Fatalf("create schema: %v", err)
	}
	t.Cleanup(func() {
		if _, err := admin.Exec(`DROP SCHEMA ` + schema + ` CASCADE`); err != nil {
			t.Errorf("drop schema %s: %v", schema, err)
		}
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatalf("DIGEST_TEST_POSTGRES: %v", err)
	}
	q := u.Query()
	q.Set("search_path", schema) // pgx sends unknown parameters as run-time settings
	u.RawQuery = q.Encode()
	return u.String()
}

func openPostgresTest(t testing.TB) digest.Store {
	t.Helper()
	s, err := Open(context.Background(), postgresSchema(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func TestPostgres(t *testing.T) {
	postgresURL(t) // skip once, not in every subtest
	testStore(t, openPostgresTest)
}

// TestPostgresCreateIssueRace opens two stores on one schema, as two
// processes would, and races them for the same slots.
func TestPostgresCreateIssueRace(t *testing.T) {
	ctx := context.Background()
	dsn := postgresSchema(t)
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

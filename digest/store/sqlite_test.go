package store

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/weeklywrap/digest/digest"
)

func openSQLiteTest(t testing.TB) digest.Store {
	t.Helper()
	s, err := Open(context.Background(), filepath.Join(t.TempDir(), "digest.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func TestSQLite(t *testing.T) { testStore(t, openSQLiteTest) }

func TestSQLiteReopenKeepsData(t *testing.T) {
	ctx := context.Background()
	dsn := "sqlite:" + filepath.Join(t.TempDir(), "digest.db")
	s, err := Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	sub := mustAdd(t, s, "keep@x.org", digest.StatusConfirmed, false)
	mustCreate(t, s, 1, "article-1")
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s, err = Open(ctx, dsn) // migrations run again and must change nothing
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if got, err := s.Subscriber(ctx, sub.ID); err != nil || got.Email != "keep@x.org" {
		t.Fatalf("subscriber after reopen = %+v, %v", got, err)
	}
	if seen, err := s.Seen(ctx, []string{"article-1"}); err != nil || !seen["article-1"] {
		t.Fatalf("seen after reopen = %v, %v", seen, err)
	}
	if st := stats(t, s, 1); st.Pending != 1 {
		t.Fatalf("queue after reopen = %+v", st)
	}
}

func TestSQLiteRejectsMemory(t *testing.T) {
	for _, dsn := range []string{":memory:", "sqlite::memory:", "", "file::memory:?cache=shared"} {
		if s, err := Open(context.Background(), dsn); err == nil {
			s.Close()
			t.Errorf("Open(%q) succeeded, want an error: two pools would see two databases", dsn)
		}
	}
}

func TestSQLitePragmas(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "odd name %41 #1.db") // stays a literal path
	st, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	s := st.(*db)
	for name, pool := range map[string]*sql.DB{"writer": s.w, "reader": s.r} {
		for pragma, want := range map[string]string{"journal_mode": "wal", "foreign_keys": "1", "busy_timeout": "10000"} {
			var got string
			if err := pool.QueryRowContext(ctx, "PRAGMA "+pragma).Scan(&got); err != nil {
				t.Fatal(err)
			}
			if got != want {
				t.Errorf("%s: %s = %s, want %s", name, pragma, got, want)
			}
		}
	}
	if _, err := os.Stat(path); err != nil {
		t.Fatalf("database not at the literal path: %v", err)
	}
}

// TestSQLiteTwoHandles writes through two stores on one file, as the daemon
// and a CLI command would: the busy timeout, not an error, settles who waits.
func TestSQLiteTwoHandles(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "digest.db")
	var stores []digest.Store
	for range 2 {
		s, err := Open(ctx, path)
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		stores = append(stores, s)
	}
	var (
		wg   sync.WaitGroup
		errs = make(chan error, 400)
	)
	for w := range 4 {
		s := stores[w%2]
		wg.Go(func() {
			for i := range 50 {
				_, err := s.AddSubscriber(ctx, digest.Subscriber{Email: fmt.Sprintf("h%d-%d@x.org", w, i), Status: digest.StatusConfirmed})
				if err != nil {
					errs <- err
				}
				if i%10 == 0 {
					if _, _, err := s.CreateIssue(ctx, digest.StoredIssue{Issue: digest.Issue{Slot: slot(1 + i/10)}}, nil); err != nil {
						errs <- err
					}
					if _, err := s.ClaimDeliveries(ctx, "test", 1, 5, time.Minute); err != nil {
						errs <- err
					}
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if n, err := stores[1].NextIssueNumber(ctx); err != nil || n != 6 {
		t.Fatalf("next issue = %d, %v; want 6 after 5 distinct slots", n, err)
	}
}

func TestSQLitePath(t *testing.T) {
	tests := []struct {
		dsn, want string
		err       bool
	}{
		{dsn: "digest.db", want: "digest.db"},
		{dsn: "/var/lib/digest/digest.db", want: "/var/lib/digest/digest.db"},
		{dsn: "sqlite:digest.db", want: "digest.db"},
		{dsn: "sqlite:///var/lib/digest.db", want: "/var/lib/digest.db"},
		{dsn: "sqlite://data/digest.db", want: "data/digest.db"},
		{dsn: "file:digest.db?_pragma=foo", want: "digest.db"},
		{dsn: "", err: true},
		{dsn: "sqlite:", err: true},
		{dsn: ":memory:", err: true},
		{dsn: "file:x?mode=memory", err: true},
	}
	for _, tt := range tests {
		got, err := sqlitePath(tt.dsn)
		if (err != nil) != tt.err || got != tt.want {
			t.Errorf("sqlitePath(%q) = %q, %v; want %q, error %v", tt.dsn, got, err, tt.want, tt.err)
		}
	}
}

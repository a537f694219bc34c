package store

import (
	"context"
	"path/filepath"
	"testing"

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

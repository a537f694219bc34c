// Package storetest opens each real store digest runs on, for tests that
// must hold on both: a SQLite file, and the PostgreSQL server named by
// DIGEST_TEST_POSTGRES (skipped without it, see pgtest).
package storetest

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/weeklywrap/digest/digest"
	"github.com/weeklywrap/digest/digest/store"
	"github.com/weeklywrap/digest/internal/pgtest"
)

// Kind is one store a test runs against.
type Kind struct {
	Name string
	// Open opens a fresh, empty store of this kind, closed when tb ends.
	Open func(tb testing.TB) digest.Store
}

// Kinds lists SQLite, then PostgreSQL.
func Kinds() []Kind {
	return []Kind{
		{"sqlite", func(tb testing.TB) digest.Store {
			return open(tb, filepath.Join(tb.TempDir(), "digest.db"))
		}},
		{"postgres", func(tb testing.TB) digest.Store {
			return open(tb, pgtest.Schema(tb))
		}},
	}
}

func open(tb testing.TB, dsn string) digest.Store {
	tb.Helper()
	st, err := store.Open(context.Background(), dsn)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { st.Close() })
	return st
}

// Run runs test as a subtest of t for each kind, named for it, with a
// fresh store of that kind.
func Run(t *testing.T, test func(t *testing.T, st digest.Store)) {
	for _, kind := range Kinds() {
		t.Run(kind.Name, func(t *testing.T) { test(t, kind.Open(t)) })
	}
}

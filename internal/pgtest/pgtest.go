// Package pgtest gives tests a fresh PostgreSQL schema of their own on the
// server named by DIGEST_TEST_POSTGRES. Without it a test is skipped with a
// hint, except under CI (CI set and not "false"), where it fails: CI must
// test PostgreSQL.
package pgtest

import (
	"crypto/rand"
	"database/sql"
	"net/url"
	"os"
	"strings"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib" // registers "pgx"
)

// URL returns DIGEST_TEST_POSTGRES, or skips (fails under CI) without it.
func URL(tb testing.TB) string {
	tb.Helper()
	if u := os.Getenv("DIGEST_TEST_POSTGRES"); u != "" {
		return u
	}
	if ci := os.Getenv("CI"); ci != "" && ci != "false" {
		tb.Fatal("DIGEST_TEST_POSTGRES is not set but CI is: PostgreSQL must be tested in CI")
	}
	tb.Skip("set DIGEST_TEST_POSTGRES=postgres://user@host/db to run the PostgreSQL tests")
	return ""
}

// Schema creates a fresh schema, dropped when the test ends, and returns a
// URL whose connections use it.
func Schema(tb testing.TB) string {
	tb.Helper()
	base := URL(tb)
	admin, err := sql.Open("pgx", base)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { admin.Close() })
	schema := "digest_test_" + strings.ToLower(rand.Text()[:12])
	if _, err := admin.Exec(`CREATE SCHEMA ` + schema); err != nil {
		tb.Fatalf("create schema: %v", err)
	}
	tb.Cleanup(func() {
		if _, err := admin.Exec(`DROP SCHEMA ` + schema + ` CASCADE`); err != nil {
			tb.Errorf("drop schema %s: %v", schema, err)
		}
	})
	u, err := url.Parse(base)
	if err != nil {
		tb.Fatalf("DIGEST_TEST_POSTGRES: %v", err)
	}
	q := u.Query()
	q.Set("search_path", schema) // pgx sends unknown parameters as run-time settings
	u.RawQuery = q.Encode()
	return u.String()
}

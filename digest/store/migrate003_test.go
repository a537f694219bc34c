package store

import (
	"context"
	"database/sql"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/weeklywrap/digest/internal/pgtest"
)

// applyBefore applies the embedded migrations older than version to a raw
// connection, as an older digest would have, recording them as Open does.
func applyBefore(t *testing.T, conn *sql.DB, d dialect, version int) {
	t.Helper()
	ms, err := loadMigrations(d)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := conn.Exec(createMigrationsTable); err != nil {
		t.Fatal(err)
	}
	for _, m := range ms {
		if m.version >= version {
			break
		}
		if _, err := conn.Exec(m.sql); err != nil {
			t.Fatalf("%s: %v", m.name, err)
		}
		if _, err := conn.Exec(d.q(`INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)`), m.version, m.name, "x"); err != nil {
			t.Fatal(err)
		}
	}
}

// An issue stored before migration 003 (whole, skipped stories and all)
// is trimmed to what it shows, and its listing columns are filled, so the
// listing pages show it without decoding it.
func TestMigration003TrimsOldIssues(t *testing.T) {
	data := `{"number":1,"slot":"2026-01-05T08:00:00Z","subject":"Week one","intro":"Big week.",` +
		`"top":[{"article":{"id":"a","title":"Shown"},"score":1}],` +
		`"skipped":[{"article":{"id":"s1","title":"Left out"},"score":0,"why":"below the cut"}],` +
		`"built_at":"2026-01-05T08:00:01.5Z"}`
	for _, kind := range []string{"sqlite", "postgres"} {
		t.Run(kind, func(t *testing.T) {
			var (
				dsn  string
				conn *sql.DB
				d    dialect
				err  error
			)
			if kind == "sqlite" {
				dsn, d = filepath.Join(t.TempDir(), "old.db"), sqliteDialect
				conn, err = sql.Open("sqlite", dsn)
			} else {
				dsn, d = pgtest.Schema(t), postgresDialect
				conn, err = sql.Open("pgx", dsn)
			}
			if err != nil {
				t.Fatal(err)
			}
			applyBefore(t, conn, d, 3)
			slot := time.Date(2026, 1, 5, 8, 0, 0, 0, time.UTC)
			if _, err := conn.Exec(d.q(`INSERT INTO issues (number, slot, data, html, text, created_at) VALUES (1, ?, ?, '<p>one</p>', 'one', ?)`),
				d.t(slot), data, d.t(slot)); err != nil {
				t.Fatal(err)
			}
			conn.Close()

			st, err := Open(context.Background(), dsn)
			if err != nil {
				t.Fatal(err)
			}
			defer st.Close()
			list, err := st.ListIssues(context.Background(), 10)
			if err != nil || len(list) != 1 {
				t.Fatalf("list: %v, %v", list, err)
			}
			got := list[0]
			if got.Number != 1 || got.Subject != "Week one" || got.Intro != "Big week." || !got.Slot.Equal(slot) ||
				!got.BuiltAt.Equal(time.Date(2026, 1, 5, 8, 0, 1, 500000000, time.UTC)) {
				t.Errorf("listed = %+v", got.Issue)
			}
			full, err := st.IssueByNumber(context.Background(), 1)
			if err != nil {
				t.Fatal(err)
			}
			if len(full.Skipped) != 0 || len(full.Top) != 1 || full.Top[0].Article.Title != "Shown" || full.HTML != "<p>one</p>" {
				t.Errorf("after the migration the issue is %+v", full.Issue)
			}
			var raw string
			s := st.(*db)
			if err := s.r.QueryRow(`SELECT data FROM issues WHERE number = 1`).Scan(&raw); err != nil {
				t.Fatal(err)
			}
			if strings.Contains(raw, "Left out") {
				t.Errorf("the skipped stories are still stored: %s", raw)
			}
		})
	}
}

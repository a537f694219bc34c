package store

import (
	"database/sql/driver"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// dialect holds what differs between SQLite and PostgreSQL; the SQL text is
// otherwise shared and written with '?' placeholders.
type dialect struct {
	name     string
	postgres bool
}

var (
	sqliteDialect   = dialect{name: "sqlite"}
	postgresDialect = dialect{name: "postgres", postgres: true}
)

// q rewrites '?' placeholders to $1, $2, ... for PostgreSQL. The shared
// queries never hold a '?' inside a string literal.
func (d dialect) q(query string) string {
	if !d.postgres {
		return query
	}
	var b strings.Builder
	b.Grow(len(query) + 16)
	n := 0
	for i := 0; i < len(query); i++ {
		if query[i] == '?' {
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
			continue
		}
		b.WriteByte(query[i])
	}
	return b.String()
}

// lockSkip is appended to the SELECT that picks deliveries to claim. SQLite
// needs nothing: its write transaction already excludes every other writer.
func (d dialect) lockSkip() string {
	if d.postgres {
		return " FOR UPDATE SKIP LOCKED"
	}
	return ""
}

// forUpdate locks the rows a SELECT inside a write transaction reads.
// SQLite needs nothing: its write transactions begin IMMEDIATE.
func (d dialect) forUpdate() string {
	if d.postgres {
		return " FOR UPDATE"
	}
	return ""
}

// t encodes a time for a query argument: microseconds since the epoch for
// SQLite (so that comparisons in SQL are numeric), a UTC timestamp for
// PostgreSQL; the zero time is NULL in both.
func (d dialect) t(t time.Time) driver.Value {
	if t.IsZero() {
		return nil
	}
	if d.postgres {
		return t.UTC().Truncate(time.Microsecond)
	}
	return t.UnixMicro()
}

// txt makes free text storable everywhere: PostgreSQL rejects NUL bytes and
// invalid UTF-8, which feeds, pages and SMTP replies may carry. Both
// dialects apply it, so the two stores return the same strings.
func txt(s string) string {
	if strings.IndexByte(s, 0) < 0 && utf8.ValidString(s) {
		return s
	}
	return strings.ReplaceAll(strings.ToValidUTF8(s, "\uFFFD"), "\x00", "")
}

// dbTime scans a time column written by dialect.t in either database.
type dbTime struct{ T time.Time }

func (s *dbTime) Scan(v any) error {
	switch v := v.(type) {
	case nil:
		s.T = time.Time{}
	case int64:
		s.T = time.UnixMicro(v).UTC()
	case time.Time:
		s.T = v.UTC()
	default:
		return fmt.Errorf("store: cannot scan %T into a time", v)
	}
	return nil
}

// roundTime is how precisely a time survives the store, so values returned
// by writes equal those read back later.
func roundTime(t time.Time) time.Time {
	if t.IsZero() {
		return t
	}
	return t.UTC().Truncate(time.Microsecond)
}

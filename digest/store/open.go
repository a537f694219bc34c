package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"strings"
	"sync"

	"github.com/weeklywrap/digest/digest"
	"github.com/weeklywrap/digest/digest/redact"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib" // also registers "pgx"
	_ "modernc.org/sqlite"           // registers "sqlite"
)

// db implements digest.Store over database/sql.
type db struct {
	w *sql.DB // writes; for SQLite a single connection
	r *sql.DB // reads; the same pool as w for PostgreSQL
	// marks is PostgreSQL's pool for the sent marks of a bulk send, whose
	// sessions use generic plans (see openPostgres); nil for SQLite.
	marks *sql.DB
	d     dialect

	mu    sync.Mutex
	stmts map[string]*sql.Stmt // prepared on w, see prepared
}

var _ digest.Store = (*db)(nil)

// Open opens the store named by dsn: "postgres://..." or "postgresql://..."
// is PostgreSQL; anything else is a SQLite file path, optionally prefixed
// "sqlite:" or "file:". It applies pending migrations before returning.
func Open(ctx context.Context, dsn string) (digest.Store, error) {
	var (
		s   *db
		err error
	)
	if strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://") {
		s, err = openPostgres(ctx, dsn)
	} else {
		s, err = openSQLite(ctx, dsn)
	}
	if err != nil {
		// A driver's message may quote the DSN, password and all.
		return nil, redact.Error(err, redact.Secrets(dsn)...)
	}
	if err := s.migrate(ctx); err != nil {
		s.Close()
		return nil, redact.Error(err, redact.Secrets(dsn)...)
	}
	return s, nil
}

func openPostgres(ctx context.Context, dsn string) (*db, error) {
	p, err := sql.Open("pgx", dsn)
	if err != nil {
		return nil, fmt.Errorf("store: open postgres: %w", err)
	}
	if err := p.PingContext(ctx); err != nil {
		p.Close()
		return nil, fmt.Errorf("store: connect to postgres: %w", err)
	}
	// database/sql keeps only two idle connections by default; the delivery
	// workers and the web handlers would reconnect all the time.
	p.SetMaxIdleConns(8)
	// The sent marks, a statement every few messages of a bulk send, get
	// sessions of their own that plan generically: with arrays for
	// parameters the server would plan each run for its values, and that
	// planning cost more of its CPU than running the statement. The
	// generic plan is the one a custom plan finds, two primary-key index
	// scans. (Not for the whole pool: the claim's generic plan would read
	// the whole queue.)
	cfg, err := pgx.ParseConfig(dsn)
	if err != nil {
		p.Close()
		return nil, fmt.Errorf("store: open postgres: %w", err)
	}
	cfg.RuntimeParams["plan_cache_mode"] = "force_generic_plan"
	m := stdlib.OpenDB(*cfg)
	m.SetMaxOpenConns(2) // one recorder per sending run marks at a time
	if err := m.PingContext(ctx); err != nil {
		// A server before PostgreSQL 12, or a pooler such as PgBouncer,
		// may refuse the setting at connect; the marks then share the
		// main pool and plan as it does. Finding out at the first mark
		// instead would stop a send with messages on the relay and none
		// on record.
		m.Close()
		m = p
	}
	return &db{w: p, r: p, marks: m, d: postgresDialect}, nil
}

// sqlitePath takes the file path out of a SQLite DSN: a path, optionally
// prefixed "sqlite:", "sqlite://" or "file:"; options after '?' are dropped
// because the store chooses its own.
func sqlitePath(dsn string) (string, error) {
	path := dsn
	for _, p := range []string{"sqlite://", "sqlite:", "file:"} {
		if rest, ok := strings.CutPrefix(path, p); ok {
			path = rest
			break
		}
	}
	path, _, _ = strings.Cut(path, "?")
	if path == "" || path == ":memory:" || strings.Contains(dsn, "mode=memory") {
		// Two pools on an in-memory database would see two databases.
		return "", fmt.Errorf("store: sqlite needs a file path, got %q", dsn)
	}
	return path, nil
}

func openSQLite(ctx context.Context, dsn string) (*db, error) {
	path, err := sqlitePath(dsn)
	if err != nil {
		return nil, err
	}
	if err := privateFile(path); err != nil {
		return nil, fmt.Errorf("store: open sqlite %s: %w", path, err)
	}
	// A plain path, not a file: URI, so that '%' and '#' in it stay literal;
	// the driver still reads the options after '?'.
	common := url.Values{}
	common.Add("_busy_timeout", "10000")
	common.Add("_foreign_keys", "1")
	common.Add("_synchronous", "NORMAL")
	// Deleted rows are overwritten with zeros, so an erased subscriber's
	// address does not linger in free space (see purgeLog for the WAL).
	common.Add("_pragma", "secure_delete(1)")

	wq := url.Values{}
	for k, v := range common {
		wq[k] = v
	}
	// WAL is a property of the file, so the writer sets it for the readers.
	wq.Set("_journal_mode", "WAL")
	wq.Set("_txlock", "immediate")
	w, err := sql.Open("sqlite", path+"?"+wq.Encode())
	if err != nil {
		return nil, fmt.Errorf("store: open sqlite %s: %w", path, err)
	}
	// One writer connection: writers wait in database/sql's pool instead of
	// failing with SQLITE_BUSY, and transactions begin IMMEDIATE so a read
	// inside a write transaction never needs a lock upgrade.
	w.SetMaxOpenConns(1)
	w.SetConnMaxIdleTime(0)
	if err := w.PingContext(ctx); err != nil {
		w.Close()
		return nil, fmt.Errorf("store: open sqlite %s: %w", path, err)
	}

	rq := common
	rq.Set("_query_only", "1")
	r, err := sql.Open("sqlite", path+"?"+rq.Encode())
	if err != nil {
		w.Close()
		return nil, fmt.Errorf("store: open sqlite %s: %w", path, err)
	}
	r.SetMaxOpenConns(4)
	return &db{w: w, r: r, d: sqliteDialect}, nil
}

// privateFile creates the database file readable by its owner only (it
// holds subscribers' addresses) and takes group and other access away from
// an existing one and its -wal and -shm files. SQLite creates those with
// the database file's mode, so they follow.
func privateFile(path string) error {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return err
	}
	f.Close()
	for _, p := range []string{path, path + "-wal", path + "-shm"} {
		fi, err := os.Stat(p)
		if err != nil || fi.Mode().Perm()&0o077 == 0 {
			continue
		}
		if err := os.Chmod(p, fi.Mode().Perm()&0o700); err != nil {
			return fmt.Errorf("make %s private: %w", p, err)
		}
	}
	return nil
}

// purgeLog makes a deletion final in the SQLite file: secure_delete zeroed
// the rows in the pages, but older copies of those pages stay in the
// write-ahead log until a checkpoint copies the log back and truncates it.
// PostgreSQL keeps dead rows until VACUUM, which is its own business.
func (s *db) purgeLog(ctx context.Context, what string) error {
	if s.d.postgres {
		return nil
	}
	var busy, logFrames, done int
	if err := s.w.QueryRowContext(ctx, `PRAGMA wal_checkpoint(TRUNCATE)`).Scan(&busy, &logFrames, &done); err != nil {
		return fmt.Errorf("store: %s: done, but the write-ahead log was not cleared: %w", what, err)
	}
	if busy != 0 {
		return fmt.Errorf("store: %s: done, but readers kept the write-ahead log from being cleared; old copies go at the next checkpoint", what)
	}
	return nil
}

// prepared returns query prepared on the write pool, once per store: the
// hot statements of sending would otherwise be parsed again for every
// message, which costs more than running them.
func (s *db) prepared(ctx context.Context, query string) (*sql.Stmt, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if st, ok := s.stmts[query]; ok {
		return st, nil
	}
	st, err := s.w.PrepareContext(ctx, query)
	if err != nil {
		return nil, err
	}
	if s.stmts == nil {
		s.stmts = map[string]*sql.Stmt{}
	}
	s.stmts[query] = st
	return st, nil
}

// Close closes both pools.
func (s *db) Close() error {
	s.mu.Lock()
	for _, st := range s.stmts {
		st.Close()
	}
	s.stmts = nil
	s.mu.Unlock()
	err := s.w.Close()
	if s.r != s.w {
		err = errors.Join(err, s.r.Close())
	}
	if s.marks != nil && s.marks != s.w {
		err = errors.Join(err, s.marks.Close())
	}
	return err
}

// inTx runs fn in a write transaction, committing when fn returns nil.
func (s *db) inTx(ctx context.Context, fn func(tx *sql.Tx) error) error {
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	if err := fn(tx); err != nil {
		tx.Rollback()
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	return nil
}

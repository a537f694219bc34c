package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/weeklywrap/digest/digest"
)

// issueLock is the advisory lock key that serializes issue creation on
// PostgreSQL, so two processes never compute the same next number.
const issueLock = 0x6469676573740002

func (s *db) issueWhere(ctx context.Context, q queryer, what, where string, args ...any) (digest.StoredIssue, error) {
	var (
		out  digest.StoredIssue
		num  int
		data string
	)
	err := q.QueryRowContext(ctx, s.d.q(`SELECT number, data, html, text FROM issues WHERE `+where), args...).
		Scan(&num, &data, &out.HTML, &out.Text)
	if errors.Is(err, sql.ErrNoRows) {
		return out, fmt.Errorf("store: issue %s: %w", what, digest.ErrNotFound)
	}
	if err != nil {
		return out, fmt.Errorf("store: issue %s: %w", what, err)
	}
	if err := json.Unmarshal([]byte(data), &out.Issue); err != nil {
		return out, fmt.Errorf("store: issue %s: decode: %w", what, err)
	}
	out.Number = num
	return out, nil
}

// queryer is what both *sql.DB and *sql.Tx offer.
type queryer interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

func (s *db) IssueBySlot(ctx context.Context, slot time.Time) (digest.StoredIssue, error) {
	return s.issueWhere(ctx, s.r, slot.UTC().Format(time.RFC3339), `slot = ?`, s.d.t(slot))
}

func (s *db) IssueByNumber(ctx context.Context, n int) (digest.StoredIssue, error) {
	return s.issueWhere(ctx, s.r, fmt.Sprint(n), `number = ?`, n)
}

func (s *db) LatestIssue(ctx context.Context) (digest.StoredIssue, error) {
	return s.issueWhere(ctx, s.r, "latest", `number = (SELECT MAX(number) FROM issues)`)
}

func (s *db) ListIssues(ctx context.Context, limit int) ([]digest.StoredIssue, error) {
	if limit <= 0 {
		return nil, nil
	}
	rows, err := s.r.QueryContext(ctx, s.d.q(`SELECT number, slot, subject, intro, built_at FROM issues ORDER BY number DESC LIMIT ?`), limit)
	if err != nil {
		return nil, fmt.Errorf("store: list issues: %w", err)
	}
	defer rows.Close()
	var out []digest.StoredIssue
	for rows.Next() {
		var (
			is          digest.StoredIssue
			slot, built dbTime
		)
		if err := rows.Scan(&is.Number, &slot, &is.Subject, &is.Intro, &built); err != nil {
			return nil, fmt.Errorf("store: list issues: %w", err)
		}
		is.Slot, is.WindowEnd, is.BuiltAt = slot.T, slot.T, built.T
		out = append(out, is)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: list issues: %w", err)
	}
	return out, nil
}

func (s *db) NextIssueNumber(ctx context.Context) (int, error) {
	return nextNumber(ctx, s.r)
}

func nextNumber(ctx context.Context, q queryer) (int, error) {
	var n int
	if err := q.QueryRowContext(ctx, `SELECT COALESCE(MAX(number), 0) + 1 FROM issues`).Scan(&n); err != nil {
		return 0, fmt.Errorf("store: next issue number: %w", err)
	}
	return n, nil
}

func (s *db) CreateIssue(ctx context.Context, is digest.StoredIssue, seen []string) (digest.StoredIssue, bool, error) {
	if is.Slot.IsZero() {
		return is, false, fmt.Errorf("store: create issue: no slot: %w", digest.ErrInvalid)
	}
	slot := s.d.t(is.Slot)
	is.Slot = roundTime(is.Slot)
	is.Skipped = nil // see insertIssue
	var (
		out     digest.StoredIssue
		created bool
	)
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		if s.d.postgres {
			if _, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock($1)`, int64(issueLock)); err != nil {
				return fmt.Errorf("store: create issue: lock: %w", err)
			}
		}
		prev, err := s.issueWhere(ctx, tx, is.Slot.Format(time.RFC3339), `slot = ?`, slot)
		if err == nil {
			out = prev
			return nil
		}
		if !errors.Is(err, digest.ErrNotFound) {
			return err
		}
		next, err := nextNumber(ctx, tx)
		if err != nil {
			return err
		}
		// The number is in the subject and the web version rendered at
		// build time: an issue built as #n is stored as #n or not at all.
		if is.Number != 0 && is.Number != next {
			return fmt.Errorf("store: create issue: built as #%d, but #%d is the next number (another issue was stored meanwhile); build it again: %w",
				is.Number, next, digest.ErrExists)
		}
		is.Number = next
		if err := s.insertIssue(ctx, tx, is, slot); err != nil {
			return err
		}
		if err := s.insertSeen(ctx, tx, is.Number, seen); err != nil {
			return err
		}
		if err := s.enqueue(ctx, tx, is.Number); err != nil {
			return err
		}
		out, created = is, true
		return nil
	})
	if err != nil {
		return digest.StoredIssue{}, false, err
	}
	return out, created, nil
}

func (s *db) insertIssue(ctx context.Context, tx *sql.Tx, is digest.StoredIssue, slot any) error {
	// The store keeps what the issue shows (CreateIssue clears Skipped). The stories left out are for
	// preview --explain; with a big feed they were nearly all of the row,
	// and every page that read the issue paid for them.
	data, err := json.Marshal(is.Issue)
	if err != nil {
		return fmt.Errorf("store: create issue %d: encode: %w", is.Number, err)
	}
	_, err = tx.ExecContext(ctx, s.d.q(`INSERT INTO issues (number, slot, data, html, text, created_at, subject, intro, built_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`),
		is.Number, slot, string(data), txt(is.HTML), txt(is.Text), s.d.t(time.Now()),
		txt(is.Subject), txt(is.Intro), s.d.t(is.BuiltAt))
	if err != nil {
		return fmt.Errorf("store: create issue %d: %w", is.Number, err)
	}
	return nil
}

func (s *db) insertSeen(ctx context.Context, tx *sql.Tx, number int, ids []string) error {
	if len(ids) == 0 {
		return nil
	}
	st, err := tx.PrepareContext(ctx, s.d.q(`INSERT INTO seen (id, issue) VALUES (?, ?) ON CONFLICT (id) DO NOTHING`))
	if err != nil {
		return fmt.Errorf("store: create issue %d: seen: %w", number, err)
	}
	defer st.Close()
	for _, id := range ids {
		if _, err := st.ExecContext(ctx, txt(id), number); err != nil {
			return fmt.Errorf("store: create issue %d: seen %q: %w", number, id, err)
		}
	}
	return nil
}

// enqueue adds one pending delivery per receiving subscriber in a single
// INSERT ... SELECT, so the list never passes through memory.
func (s *db) enqueue(ctx context.Context, tx *sql.Tx, number int) error {
	now := s.d.t(time.Now())
	_, err := tx.ExecContext(ctx, s.d.q(`INSERT INTO deliveries (issue, subscriber_id, state, next_attempt, due_at)
		SELECT ?, id, ?, ?, ? FROM subscribers WHERE status = ? AND NOT paused
		ON CONFLICT (issue, subscriber_id) DO NOTHING`),
		number, string(digest.DeliveryPending), now, now, string(digest.StatusConfirmed))
	if err != nil {
		return fmt.Errorf("store: create issue %d: enqueue: %w", number, err)
	}
	return nil
}

// seenChunk keeps IN lists well below SQLite's and PostgreSQL's parameter limits.
const seenChunk = 500

func (s *db) Seen(ctx context.Context, ids []string) (map[string]bool, error) {
	out := make(map[string]bool)
	for len(ids) > 0 {
		n := min(len(ids), seenChunk)
		chunk := ids[:n]
		ids = ids[n:]
		// The stored form of an id may differ (see txt); answer in the caller's.
		asked := make(map[string][]string, len(chunk))
		args := make([]any, len(chunk))
		for i, id := range chunk {
			k := txt(id)
			asked[k] = append(asked[k], id)
			args[i] = k
		}
		query := `SELECT id FROM seen WHERE id IN (?` + strings.Repeat(",?", len(chunk)-1) + `)`
		err := s.eachString(ctx, s.d.q(query), args, func(id string) {
			for _, orig := range asked[id] {
				out[orig] = true
			}
		})
		if err != nil {
			return nil, fmt.Errorf("store: seen: %w", err)
		}
	}
	return out, nil
}

// eachString runs a one-column query and hands fn each value.
func (s *db) eachString(ctx context.Context, query string, args []any, fn func(string)) error {
	rows, err := s.r.QueryContext(ctx, query, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var v string
		if err := rows.Scan(&v); err != nil {
			return err
		}
		fn(v)
	}
	return rows.Err()
}

// IssueHTML is the stored web version of issue n alone, for pages (the
// Atom feed) that show the content of many issues without their data.
func (s *db) IssueHTML(ctx context.Context, n int) (string, error) {
	var h string
	err := s.r.QueryRowContext(ctx, s.d.q(`SELECT html FROM issues WHERE number = ?`), n).Scan(&h)
	if errors.Is(err, sql.ErrNoRows) {
		return "", fmt.Errorf("store: issue %d: %w", n, digest.ErrNotFound)
	}
	if err != nil {
		return "", fmt.Errorf("store: issue %d html: %w", n, err)
	}
	return h, nil
}

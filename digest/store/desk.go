package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/weeklywrap/digest/digest"
)

// The desk's sign-in links and sessions. A sign-in link names a row here
// and works once; a session is kept by the SHA-256 of its cookie value, so
// the store never holds a value that would let someone in.

// CreateSignIn records a sign-in link for editor, valid until expires, and
// returns its ID (which the signed link carries).
func (s *db) CreateSignIn(ctx context.Context, editor string, expires time.Time) (int64, error) {
	var id int64
	err := s.w.QueryRowContext(ctx, s.d.q(`INSERT INTO desk_signins (editor, expires_at) VALUES (?, ?) RETURNING id`),
		txt(editor), s.d.t(expires)).Scan(&id)
	if err != nil {
		return 0, fmt.Errorf("store: create sign-in link: %w", err)
	}
	return id, nil
}

// UseSignIn marks sign-in link id used and returns its editor. It returns
// digest.ErrNotFound for an unknown link, digest.ErrConflict for one used
// already and digest.ErrExpired for one past its time; only one of any
// number of concurrent callers succeeds.
func (s *db) UseSignIn(ctx context.Context, id int64, now time.Time) (string, error) {
	var editor string
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		var (
			expires, used dbTime
		)
		q := `SELECT editor, expires_at, used_at FROM desk_signins WHERE id = ?`
		if s.d.postgres {
			q += ` FOR UPDATE`
		}
		err := tx.QueryRowContext(ctx, s.d.q(q), id).Scan(&editor, &expires, &used)
		switch {
		case errors.Is(err, sql.ErrNoRows):
			return fmt.Errorf("store: sign-in link %d: %w", id, digest.ErrNotFound)
		case err != nil:
			return fmt.Errorf("store: sign-in link %d: %w", id, err)
		case !used.T.IsZero():
			return fmt.Errorf("store: sign-in link %d was used at %s: %w", id, used.T.Format(time.RFC3339), digest.ErrConflict)
		case now.After(expires.T):
			return fmt.Errorf("store: sign-in link %d: %w", id, digest.ErrExpired)
		}
		_, err = tx.ExecContext(ctx, s.d.q(`UPDATE desk_signins SET used_at = ? WHERE id = ?`), s.d.t(now), id)
		if err != nil {
			return fmt.Errorf("store: sign-in link %d: %w", id, err)
		}
		return nil
	})
	return editor, err
}

// CreateSession records a session for editor under the hash of its cookie
// value. Expired sessions and sign-in links are purged on the way.
func (s *db) CreateSession(ctx context.Context, hash, editor string, expires time.Time) error {
	now := s.d.t(time.Now())
	return s.inTx(ctx, func(tx *sql.Tx) error {
		for _, q := range []string{`DELETE FROM desk_sessions WHERE expires_at < ?`, `DELETE FROM desk_signins WHERE expires_at < ?`} {
			if _, err := tx.ExecContext(ctx, s.d.q(q), now); err != nil {
				return fmt.Errorf("store: purge desk sessions: %w", err)
			}
		}
		_, err := tx.ExecContext(ctx, s.d.q(`INSERT INTO desk_sessions (hash, editor, created_at, expires_at) VALUES (?, ?, ?, ?)`),
			hash, txt(editor), now, s.d.t(expires))
		if err != nil {
			return fmt.Errorf("store: create desk session: %w", err)
		}
		return nil
	})
}

// SessionEditor returns the editor of a live session, or digest.ErrNotFound.
func (s *db) SessionEditor(ctx context.Context, hash string, now time.Time) (string, error) {
	var editor string
	err := s.r.QueryRowContext(ctx, s.d.q(`SELECT editor FROM desk_sessions WHERE hash = ? AND expires_at > ?`),
		hash, s.d.t(now)).Scan(&editor)
	if errors.Is(err, sql.ErrNoRows) {
		return "", fmt.Errorf("store: desk session: %w", digest.ErrNotFound)
	}
	if err != nil {
		return "", fmt.Errorf("store: desk session: %w", err)
	}
	return editor, nil
}

// DeleteSession ends a session.
func (s *db) DeleteSession(ctx context.Context, hash string) error {
	if _, err := s.w.ExecContext(ctx, s.d.q(`DELETE FROM desk_sessions WHERE hash = ?`), hash); err != nil {
		return fmt.Errorf("store: end desk session: %w", err)
	}
	return nil
}

// SignInUsed reports whether sign-in link id was used already; an unknown
// link is digest.ErrNotFound.
func (s *db) SignInUsed(ctx context.Context, id int64) (bool, error) {
	var used dbTime
	err := s.r.QueryRowContext(ctx, s.d.q(`SELECT used_at FROM desk_signins WHERE id = ?`), id).Scan(&used)
	if errors.Is(err, sql.ErrNoRows) {
		return false, fmt.Errorf("store: sign-in link %d: %w", id, digest.ErrNotFound)
	}
	if err != nil {
		return false, fmt.Errorf("store: sign-in link %d: %w", id, err)
	}
	return !used.T.IsZero(), nil
}

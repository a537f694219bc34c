package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/weeklywrap/digest/digest"
)

// testCopyAge is how long the web version of a test send stays viewable.
const testCopyAge = 30 * 24 * time.Hour

func (s *db) SaveTestCopy(ctx context.Context, key, html string) error {
	if key == "" {
		return fmt.Errorf("store: save test copy: empty key: %w", digest.ErrInvalid)
	}
	now := time.Now()
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, s.d.q(`DELETE FROM test_copies WHERE created_at < ?`), s.d.t(now.Add(-testCopyAge))); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, s.d.q(`INSERT INTO test_copies (key, html, created_at) VALUES (?, ?, ?)`),
			key, txt(html), s.d.t(now))
		return err
	})
	if err != nil {
		return fmt.Errorf("store: save test copy: %w", err)
	}
	return nil
}

func (s *db) TestCopy(ctx context.Context, key string) (string, error) {
	var html string
	err := s.r.QueryRowContext(ctx, s.d.q(`SELECT html FROM test_copies WHERE key = ? AND created_at >= ?`),
		key, s.d.t(time.Now().Add(-testCopyAge))).Scan(&html)
	if errors.Is(err, sql.ErrNoRows) {
		return "", fmt.Errorf("store: test copy: %w", digest.ErrNotFound)
	}
	if err != nil {
		return "", fmt.Errorf("store: test copy: %w", err)
	}
	return html, nil
}

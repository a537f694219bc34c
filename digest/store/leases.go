package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

func (s *db) AcquireLease(ctx context.Context, name, owner string, ttl time.Duration) (bool, error) {
	if name == "" || owner == "" {
		return false, fmt.Errorf("store: acquire lease: empty name or owner")
	}
	now := time.Now()
	// One statement: insert, or take over an expired lease, or extend our
	// own; a live lease of another owner makes the WHERE false, and then
	// nothing is returned.
	var got string
	err := s.w.QueryRowContext(ctx, s.d.q(`INSERT INTO leases (name, owner, expires_at) VALUES (?, ?, ?)
		ON CONFLICT (name) DO UPDATE SET owner = excluded.owner, expires_at = excluded.expires_at
		WHERE leases.owner = excluded.owner OR leases.expires_at <= ?
		RETURNING owner`), name, owner, s.d.t(now.Add(ttl)), s.d.t(now)).Scan(&got)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("store: acquire lease %s: %w", name, err)
	}
	return got == owner, nil
}

func (s *db) ReleaseLease(ctx context.Context, name, owner string) error {
	if _, err := s.w.ExecContext(ctx, s.d.q(`DELETE FROM leases WHERE name = ? AND owner = ?`), name, owner); err != nil {
		return fmt.Errorf("store: release lease %s: %w", name, err)
	}
	return nil
}

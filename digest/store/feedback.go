package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/weeklywrap/digest/digest"
)

func (s *db) RecordFeedback(ctx context.Context, f digest.Feedback) (bool, error) {
	email := normEmail(f.Email)
	if email == "" || f.Source == "" || f.EventID == "" {
		return false, fmt.Errorf("store: record feedback: source, event id and address are required: %w", digest.ErrInvalid)
	}
	switch f.Kind {
	case digest.FeedbackHardBounce, digest.FeedbackSoftBounce, digest.FeedbackComplaint:
	default:
		return false, fmt.Errorf("store: record feedback: kind %q: %w", f.Kind, digest.ErrInvalid)
	}
	// Kept by when it was recorded, not when the source says it happened:
	// status counts what came in lately, and a report about an old
	// message is news all the same.
	at := time.Now()
	recorded := false
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		var id int64
		err := tx.QueryRowContext(ctx, s.d.q(`INSERT INTO feedback_events (source, event_id, kind, email_hash, detail, created_at)
			VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (source, event_id) DO NOTHING RETURNING id`),
			txt(f.Source), txt(f.EventID), string(f.Kind), emailHash(email), txt(f.Detail), s.d.t(at)).Scan(&id)
		if errors.Is(err, sql.ErrNoRows) {
			return nil // seen before
		}
		if err != nil {
			return fmt.Errorf("store: record feedback: %w", err)
		}
		recorded = true
		if f.Kind.Suppresses() {
			if err := s.suppress(ctx, tx, email, fmt.Sprintf("%s reported by %s", f.Kind, f.Source)); err != nil {
				return err
			}
			_, err = tx.ExecContext(ctx, s.d.q(`UPDATE subscribers SET status = ?, version = version + 1
				WHERE email = ? AND status IN (?, ?)`),
				string(digest.StatusSuppressed), email, string(digest.StatusPending), string(digest.StatusConfirmed))
		} else {
			_, err = tx.ExecContext(ctx, s.d.q(`UPDATE subscribers SET soft_bounces = soft_bounces + 1 WHERE email = ?`), email)
		}
		if err != nil {
			return fmt.Errorf("store: record feedback: %w", err)
		}
		return nil
	})
	return recorded, err
}

func (s *db) FeedbackCounts(ctx context.Context, since time.Time) ([]digest.FeedbackCount, error) {
	if since.IsZero() {
		since = time.Unix(0, 0) // all of them; the zero time would be NULL
	}
	rows, err := s.r.QueryContext(ctx, s.d.q(`SELECT source, kind, COUNT(*) FROM feedback_events
		WHERE created_at >= ? GROUP BY source, kind ORDER BY source, kind`), s.d.t(since))
	if err != nil {
		return nil, fmt.Errorf("store: feedback counts: %w", err)
	}
	defer rows.Close()
	var out []digest.FeedbackCount
	for rows.Next() {
		var c digest.FeedbackCount
		if err := rows.Scan(&c.Source, &c.Kind, &c.N); err != nil {
			return nil, fmt.Errorf("store: feedback counts: %w", err)
		}
		out = append(out, c)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: feedback counts: %w", err)
	}
	return out, nil
}

func (s *db) TakeSendSlot(ctx context.Context, name string, interval time.Duration) (time.Duration, error) {
	if name == "" || interval <= 0 {
		return 0, fmt.Errorf("store: take send slot: empty name or interval %v: %w", interval, digest.ErrInvalid)
	}
	// One statement, so two processes never take the same slot. The slot
	// is taken at the moment of sending, never booked ahead: a process
	// that wakes late moves the next slot later instead of sending on the
	// heels of the one before.
	now, iv := time.Now().UnixMicro(), interval.Microseconds()
	var next int64
	err := s.w.QueryRowContext(ctx, s.d.q(`INSERT INTO send_budget (name, next_at) VALUES (?, ?)
		ON CONFLICT (name) DO UPDATE SET next_at = excluded.next_at WHERE send_budget.next_at <= ?
		RETURNING next_at`), name, now+iv, now).Scan(&next)
	if err == nil {
		return 0, nil
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return 0, fmt.Errorf("store: take send slot %s: %w", name, err)
	}
	if err := s.w.QueryRowContext(ctx, s.d.q(`SELECT next_at FROM send_budget WHERE name = ?`), name).Scan(&next); err != nil {
		return 0, fmt.Errorf("store: take send slot %s: %w", name, err)
	}
	return max(time.Duration(next-now)*time.Microsecond, time.Microsecond), nil
}

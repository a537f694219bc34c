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

func (s *db) TakeSendSlot(ctx context.Context, name string, interval time.Duration) (time.Time, bool, error) {
	if name == "" || interval <= 0 {
		return time.Time{}, false, fmt.Errorf("store: take send slot: empty name or interval %v: %w", interval, digest.ErrInvalid)
	}
	// One statement, so two processes never take the same slot. A slot
	// starts now when the last one ended in the past (a late process moves
	// the schedule later instead of sending on the heels of the one
	// before), or at the end of the last one when that is at most the
	// horizon ahead; further ahead, nothing is taken. The time is the
	// database's at execution (this machine's clock for SQLite), not one
	// read before the statement waited for the writer.
	nowExpr := `CAST(unixepoch('subsec') * 1000000 AS INTEGER)`
	greatest := "max"
	if s.d.postgres {
		nowExpr = `(EXTRACT(EPOCH FROM clock_timestamp()) * 1000000)::BIGINT`
		greatest = "GREATEST"
	}
	iv := interval.Microseconds()
	horizon := min(interval, sendHorizon).Microseconds()
	var end int64
	err := s.w.QueryRowContext(ctx, s.d.q(`INSERT INTO send_budget (name, next_at) VALUES (?, `+nowExpr+` + ?)
		ON CONFLICT (name) DO UPDATE SET next_at = `+greatest+`(send_budget.next_at + ?, excluded.next_at)
		WHERE send_budget.next_at <= excluded.next_at - ? + ?
		RETURNING next_at`), name, iv, iv, iv, horizon).Scan(&end)
	if err == nil {
		return time.UnixMicro(end - iv), true, nil
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return time.Time{}, false, fmt.Errorf("store: take send slot %s: %w", name, err)
	}
	// Not free yet: say when to ask again. An end further ahead than an
	// interval and sendMaxAhead was written under a slower limit (per_hour
	// raised since) or before the clock was set back; it is brought in to
	// that, so a changed limit holds sending up a minute at most.
	ahead := iv + sendMaxAhead.Microseconds()
	err = s.w.QueryRowContext(ctx, s.d.q(`UPDATE send_budget SET next_at = CASE WHEN next_at > `+nowExpr+` + ?
		THEN `+nowExpr+` + ? ELSE next_at END WHERE name = ? RETURNING next_at`), ahead, ahead, name).Scan(&end)
	if err != nil {
		return time.Time{}, false, fmt.Errorf("store: take send slot %s: %w", name, err)
	}
	next := time.UnixMicro(end)
	return next.Add(-min(interval, sendHorizon)), false, nil
}

// sendHorizon is how far ahead TakeSendSlot books the next slot (never more
// than one interval): enough that processes whose timers fire a little
// early do not miss and ask twice, too little for a stalled one to crowd.
const sendHorizon = 5 * time.Millisecond

// sendMaxAhead bounds how far past one interval the next slot may lie
// (a message accepted late pushes it, see PushSendSlot).
const sendMaxAhead = time.Minute

func (s *db) PushSendSlot(ctx context.Context, name string, notBefore time.Time) error {
	greatest := "max"
	if s.d.postgres {
		greatest = "GREATEST"
	}
	_, err := s.w.ExecContext(ctx, s.d.q(`UPDATE send_budget SET next_at = `+greatest+`(next_at, ?) WHERE name = ?`),
		notBefore.UnixMicro(), name)
	if err != nil {
		return fmt.Errorf("store: push send slot %s: %w", name, err)
	}
	return nil
}

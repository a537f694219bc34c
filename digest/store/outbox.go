package store

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"github.com/weeklywrap/digest/digest"
)

// outboxLock is the first key of the advisory lock that serializes, per
// address, the allowance check and the insert of EnqueueNotice on
// PostgreSQL (SQLite's single writer does that already).
const outboxLock = 0x64696704

// noticeBody is what the message column holds.
type noticeBody struct {
	ToName         string            `json:"to_name,omitempty"`
	Subject        string            `json:"subject"`
	HTML           string            `json:"html,omitempty"`
	Text           string            `json:"text,omitempty"`
	UnsubscribeURL string            `json:"unsubscribe_url,omitempty"`
	Headers        map[string]string `json:"headers,omitempty"`
}

const superseded = "superseded by a newer request"

func (s *db) EnqueueNotice(ctx context.Context, n digest.Notice, every time.Duration) (digest.Notice, bool, error) {
	n.To = normEmail(n.To)
	if n.To == "" || n.Kind == "" {
		return n, false, fmt.Errorf("store: enqueue notice: no recipient or kind: %w", digest.ErrInvalid)
	}
	body, err := json.Marshal(noticeBody{ToName: n.ToName, Subject: n.Subject, HTML: n.HTML, Text: n.Text,
		UnsubscribeURL: n.UnsubscribeURL, Headers: n.Headers})
	if err != nil {
		return n, false, fmt.Errorf("store: enqueue %s notice: %w", n.Kind, err)
	}
	now := time.Now()
	n.CreatedAt, n.State, n.Attempts = roundTime(now), digest.DeliveryPending, 0
	var sub any
	if n.SubscriberID != 0 {
		sub = n.SubscriberID
	}
	queued := false
	err = s.inTx(ctx, func(tx *sql.Tx) error {
		if every > 0 {
			if s.d.postgres {
				if _, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock($1, hashtext($2))`, int32(outboxLock), n.Kind+":"+n.To); err != nil {
					return fmt.Errorf("lock: %w", err)
				}
			}
			since := s.d.t(now.Add(-every))
			var blocking int
			err := tx.QueryRowContext(ctx, s.d.q(`SELECT COUNT(*) FROM outbox WHERE recipient = ? AND kind = ?
				AND ((state = ? AND sent_at > ?) OR state = ? OR (state = ? AND created_at > ?))`),
				n.To, n.Kind, string(digest.DeliverySent), since, string(digest.DeliverySending),
				string(digest.DeliveryPending), since).Scan(&blocking)
			if err != nil {
				return err
			}
			if blocking > 0 {
				return nil
			}
			// A notice stuck longer than the allowance (a relay down for
			// days) would arrive with an expired link: the new one replaces it.
			if _, err := tx.ExecContext(ctx, s.d.q(`UPDATE outbox SET state = ?, last_error = ?, due_at = NULL, message = ''
				WHERE recipient = ? AND kind = ? AND state = ?`),
				string(digest.DeliveryFailed), superseded, n.To, n.Kind, string(digest.DeliveryPending)); err != nil {
				return err
			}
		}
		queued = true
		return tx.QueryRowContext(ctx, s.d.q(`INSERT INTO outbox (kind, subscriber_id, recipient, message, state, due_at, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`),
			txt(n.Kind), sub, n.To, txt(string(body)), string(digest.DeliveryPending), s.d.t(now), s.d.t(now)).Scan(&n.ID)
	})
	if err != nil {
		return n, false, fmt.Errorf("store: enqueue %s notice: %w", n.Kind, err)
	}
	return n, queued, nil
}

func (s *db) ClaimNotices(ctx context.Context, owner string, limit int, lease time.Duration) ([]digest.Notice, error) {
	if limit <= 0 {
		return nil, nil
	}
	if owner == "" {
		return nil, fmt.Errorf("store: claim notices: no owner: %w", digest.ErrInvalid)
	}
	now := time.Now()
	rows, err := s.w.QueryContext(ctx, s.d.q(`UPDATE outbox SET state = ?, due_at = ?, claimed_by = ?
		WHERE id IN (SELECT id FROM outbox WHERE due_at <= ? ORDER BY due_at, id LIMIT ?`+s.d.lockSkip()+`)
		RETURNING id, kind, COALESCE(subscriber_id, 0), recipient, message, state, attempts, last_error, created_at`),
		string(digest.DeliverySending), s.d.t(now.Add(lease)), owner, s.d.t(now), limit)
	if err != nil {
		return nil, fmt.Errorf("store: claim notices: %w", err)
	}
	defer rows.Close()
	var out []digest.Notice
	for rows.Next() {
		var (
			n           digest.Notice
			state, body string
			created     dbTime
			b           noticeBody
		)
		if err := rows.Scan(&n.ID, &n.Kind, &n.SubscriberID, &n.To, &body, &state, &n.Attempts, &n.LastError, &created); err != nil {
			return nil, fmt.Errorf("store: claim notices: %w", err)
		}
		if err := json.Unmarshal([]byte(body), &b); err != nil {
			return nil, fmt.Errorf("store: claim notices: notice %d: %w", n.ID, err)
		}
		n.State, n.CreatedAt = digest.DeliveryState(state), created.T
		n.ToName, n.Subject, n.HTML, n.Text, n.UnsubscribeURL, n.Headers = b.ToName, b.Subject, b.HTML, b.Text, b.UnsubscribeURL, b.Headers
		out = append(out, n)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: claim notices: %w", err)
	}
	slices.SortFunc(out, func(a, b digest.Notice) int { return cmp.Compare(a.ID, b.ID) })
	return out, nil
}

func (s *db) RenewNoticeClaims(ctx context.Context, owner string, lease time.Duration) ([]int64, error) {
	ids, err := s.ids(ctx, s.d.q(`UPDATE outbox SET due_at = ? WHERE claimed_by = ? AND state = ? RETURNING id`),
		s.d.t(time.Now().Add(lease)), owner, string(digest.DeliverySending))
	if err != nil {
		return nil, fmt.Errorf("store: renew notice claims: %w", err)
	}
	return ids, nil
}

func (s *db) MarkNoticeSent(ctx context.Context, id int64, messageID string) error {
	res, err := s.w.ExecContext(ctx, s.d.q(`UPDATE outbox SET state = ?, message = '', message_id = ?, sent_at = ?,
		attempts = attempts + 1, due_at = NULL, last_error = '' WHERE id = ?`),
		string(digest.DeliverySent), txt(messageID), s.d.t(time.Now()), id)
	return affectedOne(res, err, "mark sent notice", id)
}

func (s *db) MarkNoticeRetry(ctx context.Context, id int64, errMsg string, next time.Time) error {
	if next.IsZero() {
		next = time.Now()
	}
	res, err := s.w.ExecContext(ctx, s.d.q(`UPDATE outbox SET state = ?, last_error = ?, due_at = ?, attempts = attempts + 1
		WHERE id = ?`), string(digest.DeliveryPending), txt(errMsg), s.d.t(next), id)
	return affectedOne(res, err, "mark retry notice", id)
}

func (s *db) ReleaseNotice(ctx context.Context, id int64, errMsg string, next time.Time) error {
	if next.IsZero() {
		next = time.Now()
	}
	res, err := s.w.ExecContext(ctx, s.d.q(`UPDATE outbox SET state = ?, last_error = ?, due_at = ?
		WHERE id = ? AND state = ?`), string(digest.DeliveryPending), txt(errMsg), s.d.t(next), id, string(digest.DeliverySending))
	return affectedOne(res, err, "release notice", id)
}

func (s *db) MarkNoticeFailed(ctx context.Context, id int64, errMsg string) error {
	res, err := s.w.ExecContext(ctx, s.d.q(`UPDATE outbox SET state = ?, last_error = ?, message = '', attempts = attempts + 1, due_at = NULL
		WHERE id = ?`), string(digest.DeliveryFailed), txt(errMsg), id)
	return affectedOne(res, err, "mark failed notice", id)
}

func (s *db) OutboxStats(ctx context.Context) (digest.QueueStats, error) {
	var st digest.QueueStats
	rows, err := s.r.QueryContext(ctx, `SELECT state, COUNT(*) FROM outbox GROUP BY state`)
	if err != nil {
		return st, fmt.Errorf("store: outbox stats: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var (
			state string
			c     int
		)
		if err := rows.Scan(&state, &c); err != nil {
			return st, fmt.Errorf("store: outbox stats: %w", err)
		}
		switch digest.DeliveryState(state) {
		case digest.DeliveryPending:
			st.Pending = c
		case digest.DeliverySending:
			st.Sending = c
		case digest.DeliverySent:
			st.Sent = c
		case digest.DeliveryFailed:
			st.Failed = c
		}
	}
	if err := rows.Err(); err != nil {
		return st, fmt.Errorf("store: outbox stats: %w", err)
	}
	return st, nil
}

func (s *db) PruneNotices(ctx context.Context, before time.Time) (int, error) {
	res, err := s.w.ExecContext(ctx, s.d.q(`DELETE FROM outbox WHERE state IN (?, ?) AND created_at < ?`),
		string(digest.DeliverySent), string(digest.DeliveryFailed), s.d.t(before))
	if err != nil {
		return 0, fmt.Errorf("store: prune notices: %w", err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return 0, fmt.Errorf("store: prune notices: %w", err)
	}
	return int(n), nil
}

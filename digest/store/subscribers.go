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

const subscriberCols = `id, email, name, status, topics, paused, created_at, confirmed_at, hard_bounces`

func normEmail(e string) string { return strings.ToLower(strings.TrimSpace(e)) }

func encodeTopics(t []string) (string, error) {
	if t == nil {
		t = []string{}
	}
	b, err := json.Marshal(t)
	return string(b), err
}

func (s *db) AddSubscriber(ctx context.Context, sub digest.Subscriber) (digest.Subscriber, error) {
	sub.Email = normEmail(sub.Email)
	if sub.Email == "" {
		return sub, fmt.Errorf("store: add subscriber: empty email: %w", digest.ErrInvalid)
	}
	if sub.Status == "" {
		sub.Status = digest.StatusPending
	}
	if !sub.Status.Valid() {
		return sub, fmt.Errorf("store: add subscriber %s: status %q: %w", sub.Email, sub.Status, digest.ErrInvalid)
	}
	topics, err := encodeTopics(sub.Topics)
	if err != nil {
		return sub, fmt.Errorf("store: add subscriber %s: %w", sub.Email, err)
	}
	sub.CreatedAt = roundTime(time.Now())
	sub.ConfirmedAt = roundTime(sub.ConfirmedAt)
	// ON CONFLICT DO NOTHING reports a duplicate as "no row" in both
	// databases, without matching driver-specific error codes.
	err = s.w.QueryRowContext(ctx, s.d.q(`INSERT INTO subscribers
		(email, name, status, topics, paused, created_at, confirmed_at, hard_bounces)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (email) DO NOTHING RETURNING id`),
		sub.Email, txt(sub.Name), string(sub.Status), topics, sub.Paused,
		s.d.t(sub.CreatedAt), s.d.t(sub.ConfirmedAt), sub.HardBounces).Scan(&sub.ID)
	if errors.Is(err, sql.ErrNoRows) {
		return sub, fmt.Errorf("store: add subscriber %s: %w", sub.Email, digest.ErrExists)
	}
	if err != nil {
		return sub, fmt.Errorf("store: add subscriber %s: %w", sub.Email, err)
	}
	return sub, nil
}

type rowScanner interface{ Scan(dest ...any) error }

func scanSubscriber(r rowScanner) (digest.Subscriber, error) {
	var (
		sub                digest.Subscriber
		status, topics     string
		created, confirmed dbTime
	)
	err := r.Scan(&sub.ID, &sub.Email, &sub.Name, &status, &topics, &sub.Paused, &created, &confirmed, &sub.HardBounces)
	if err != nil {
		return sub, err
	}
	sub.Status = digest.SubscriberStatus(status)
	sub.CreatedAt, sub.ConfirmedAt = created.T, confirmed.T
	if err := json.Unmarshal([]byte(topics), &sub.Topics); err != nil {
		return sub, fmt.Errorf("subscriber %d topics: %w", sub.ID, err)
	}
	if len(sub.Topics) == 0 {
		sub.Topics = nil
	}
	return sub, nil
}

func (s *db) subscriberWhere(ctx context.Context, what, where string, arg any) (digest.Subscriber, error) {
	row := s.r.QueryRowContext(ctx, s.d.q(`SELECT `+subscriberCols+` FROM subscribers WHERE `+where), arg)
	sub, err := scanSubscriber(row)
	if errors.Is(err, sql.ErrNoRows) {
		return sub, fmt.Errorf("store: subscriber %s: %w", what, digest.ErrNotFound)
	}
	if err != nil {
		return sub, fmt.Errorf("store: subscriber %s: %w", what, err)
	}
	return sub, nil
}

func (s *db) Subscriber(ctx context.Context, id int64) (digest.Subscriber, error) {
	return s.subscriberWhere(ctx, fmt.Sprint(id), `id = ?`, id)
}

func (s *db) SubscriberByEmail(ctx context.Context, email string) (digest.Subscriber, error) {
	email = normEmail(email)
	return s.subscriberWhere(ctx, email, `email = ?`, email)
}

func (s *db) UpdateSubscriber(ctx context.Context, sub digest.Subscriber) error {
	if !sub.Status.Valid() {
		return fmt.Errorf("store: update subscriber %d: status %q: %w", sub.ID, sub.Status, digest.ErrInvalid)
	}
	topics, err := encodeTopics(sub.Topics)
	if err != nil {
		return fmt.Errorf("store: update subscriber %d: %w", sub.ID, err)
	}
	res, err := s.w.ExecContext(ctx, s.d.q(`UPDATE subscribers
		SET name = ?, status = ?, topics = ?, paused = ?, confirmed_at = ?, hard_bounces = ?
		WHERE id = ?`),
		txt(sub.Name), string(sub.Status), topics, sub.Paused, s.d.t(sub.ConfirmedAt), sub.HardBounces, sub.ID)
	return affectedOne(res, err, "update subscriber", sub.ID)
}

func (s *db) DeleteSubscriber(ctx context.Context, id int64) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		// Deleted explicitly, not only by the foreign key's cascade, so the
		// erasure holds even on a database opened without foreign keys.
		if _, err := tx.ExecContext(ctx, s.d.q(`DELETE FROM deliveries WHERE subscriber_id = ?`), id); err != nil {
			return fmt.Errorf("store: delete subscriber %d deliveries: %w", id, err)
		}
		res, err := tx.ExecContext(ctx, s.d.q(`DELETE FROM subscribers WHERE id = ?`), id)
		return affectedOne(res, err, "delete subscriber", id)
	})
}

// affectedOne turns an Exec result into ErrNotFound when no row matched.
func affectedOne(res sql.Result, err error, op string, id int64) error {
	if err != nil {
		return fmt.Errorf("store: %s %d: %w", op, id, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return fmt.Errorf("store: %s %d: %w", op, id, err)
	}
	if n == 0 {
		return fmt.Errorf("store: %s %d: %w", op, id, digest.ErrNotFound)
	}
	return nil
}

func (s *db) EachSubscriber(ctx context.Context, f digest.SubscriberFilter, fn func(digest.Subscriber) error) error {
	query, args := `SELECT `+subscriberCols+` FROM subscribers`, []any{}
	if f.Status != "" {
		query += ` WHERE status = ?`
		args = append(args, string(f.Status))
	}
	rows, err := s.r.QueryContext(ctx, s.d.q(query+` ORDER BY id`), args...)
	if err != nil {
		return fmt.Errorf("store: list subscribers: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		sub, err := scanSubscriber(rows)
		if err != nil {
			return fmt.Errorf("store: list subscribers: %w", err)
		}
		if err := fn(sub); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("store: list subscribers: %w", err)
	}
	return nil
}

func (s *db) CountSubscribers(ctx context.Context) (map[digest.SubscriberStatus]int, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT status, COUNT(*) FROM subscribers GROUP BY status`)
	if err != nil {
		return nil, fmt.Errorf("store: count subscribers: %w", err)
	}
	defer rows.Close()
	out := map[digest.SubscriberStatus]int{}
	for rows.Next() {
		var (
			st string
			n  int
		)
		if err := rows.Scan(&st, &n); err != nil {
			return nil, fmt.Errorf("store: count subscribers: %w", err)
		}
		out[digest.SubscriberStatus(st)] = n
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: count subscribers: %w", err)
	}
	return out, nil
}

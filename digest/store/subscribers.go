package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/weeklywrap/digest/digest"
)

const subscriberCols = `id, email, name, status, topics, paused, created_at, confirmed_at, hard_bounces, version`

func normEmail(e string) string { return strings.ToLower(strings.TrimSpace(e)) }

// emailHash keys the suppression list: the SHA-256 of the normalized
// address, so a suppression outlives an erasure without keeping the address.
func emailHash(e string) string {
	h := sha256.Sum256([]byte(normEmail(e)))
	return hex.EncodeToString(h[:])
}

// notSuppressed is the condition that an address is not on the suppression
// list; its one argument is the address's emailHash.
const notSuppressed = `NOT EXISTS (SELECT 1 FROM suppressions WHERE email_hash = ?)`

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
	var status string
	err = s.w.QueryRowContext(ctx, s.d.q(`INSERT INTO subscribers
		(email, name, status, topics, paused, created_at, confirmed_at, hard_bounces)
		VALUES (?, ?, CASE WHEN `+notSuppressed+` THEN ? ELSE ? END, ?, ?, ?, ?, ?)
		ON CONFLICT (email) DO NOTHING RETURNING id, status`),
		sub.Email, txt(sub.Name), emailHash(sub.Email), string(sub.Status), string(digest.StatusSuppressed),
		topics, sub.Paused, s.d.t(sub.CreatedAt), s.d.t(sub.ConfirmedAt), sub.HardBounces).Scan(&sub.ID, &status)
	if errors.Is(err, sql.ErrNoRows) {
		return sub, fmt.Errorf("store: add subscriber %s: %w", sub.Email, digest.ErrExists)
	}
	if err != nil {
		return sub, fmt.Errorf("store: add subscriber %s: %w", sub.Email, err)
	}
	sub.Status = digest.SubscriberStatus(status)
	return sub, nil
}

type rowScanner interface{ Scan(dest ...any) error }

func scanSubscriber(r rowScanner) (digest.Subscriber, error) {
	var (
		sub                digest.Subscriber
		status, topics     string
		created, confirmed dbTime
	)
	err := r.Scan(&sub.ID, &sub.Email, &sub.Name, &status, &topics, &sub.Paused, &created, &confirmed, &sub.HardBounces, &sub.Version)
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

func (s *db) SubscribersByID(ctx context.Context, ids []int64) ([]digest.Subscriber, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	marks := strings.Repeat("?, ", len(ids))
	rows, err := s.r.QueryContext(ctx, s.d.q(`SELECT `+subscriberCols+` FROM subscribers WHERE id IN (`+marks[:len(marks)-2]+`)`), args...)
	if err != nil {
		return nil, fmt.Errorf("store: %d subscribers by id: %w", len(ids), err)
	}
	defer rows.Close()
	out := make([]digest.Subscriber, 0, len(ids))
	for rows.Next() {
		sub, err := scanSubscriber(rows)
		if err != nil {
			return nil, fmt.Errorf("store: %d subscribers by id: %w", len(ids), err)
		}
		out = append(out, sub)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: %d subscribers by id: %w", len(ids), err)
	}
	return out, nil
}

func (s *db) SubscriberByEmail(ctx context.Context, email string) (digest.Subscriber, error) {
	email = normEmail(email)
	return s.subscriberWhere(ctx, email, `email = ?`, email)
}

func (s *db) SavePreferences(ctx context.Context, id int64, p digest.Preferences) error {
	topics, err := encodeTopics(p.Topics)
	if err != nil {
		return fmt.Errorf("store: save preferences of subscriber %d: %w", id, err)
	}
	res, err := s.w.ExecContext(ctx, s.d.q(`UPDATE subscribers SET name = ?, topics = ?, paused = ? WHERE id = ?`),
		txt(p.Name), topics, p.Paused, id)
	return affectedOne(res, err, "save preferences of subscriber", id)
}

// emailOf reads a subscriber's address, which never changes once stored:
// the targeted writes need it for the suppression list.
func (s *db) emailOf(ctx context.Context, id int64) (string, error) {
	var email string
	err := s.w.QueryRowContext(ctx, s.d.q(`SELECT email FROM subscribers WHERE id = ?`), id).Scan(&email)
	if errors.Is(err, sql.ErrNoRows) {
		return "", fmt.Errorf("store: subscriber %d: %w", id, digest.ErrNotFound)
	}
	if err != nil {
		return "", fmt.Errorf("store: subscriber %d: %w", id, err)
	}
	return email, nil
}

func (s *db) ConfirmSubscriber(ctx context.Context, id, version int64, at time.Time) (digest.Subscriber, error) {
	email, err := s.emailOf(ctx, id)
	if err != nil {
		return digest.Subscriber{}, err
	}
	row := s.w.QueryRowContext(ctx, s.d.q(`UPDATE subscribers
		SET status = ?, confirmed_at = ?, version = version + 1
		WHERE id = ? AND version = ? AND status IN (?, ?) AND `+notSuppressed+`
		RETURNING `+subscriberCols),
		string(digest.StatusConfirmed), s.d.t(roundTime(at)), id, version,
		string(digest.StatusPending), string(digest.StatusUnsubscribed), emailHash(email))
	sub, err := scanSubscriber(row)
	if errors.Is(err, sql.ErrNoRows) {
		return sub, fmt.Errorf("store: confirm subscriber %d at version %d: %w", id, version, digest.ErrStale)
	}
	if err != nil {
		return sub, fmt.Errorf("store: confirm subscriber %d: %w", id, err)
	}
	return sub, nil
}

func (s *db) Unsubscribe(ctx context.Context, id int64) (bool, error) {
	res, err := s.w.ExecContext(ctx, s.d.q(`UPDATE subscribers SET status = ?, version = version + 1
		WHERE id = ? AND status IN (?, ?)`),
		string(digest.StatusUnsubscribed), id, string(digest.StatusPending), string(digest.StatusConfirmed))
	err = affectedOne(res, err, "unsubscribe", id)
	if err == nil {
		return true, nil
	}
	if !errors.Is(err, digest.ErrNotFound) {
		return false, err
	}
	// Nothing matched: gone, or off the list already.
	if _, err := s.emailOf(ctx, id); err != nil {
		return false, err
	}
	return false, nil
}

func (s *db) Resubscribe(ctx context.Context, id int64) (digest.Subscriber, error) {
	email, err := s.emailOf(ctx, id)
	if err != nil {
		return digest.Subscriber{}, err
	}
	_, err = s.w.ExecContext(ctx, s.d.q(`UPDATE subscribers
		SET status = CASE WHEN confirmed_at IS NULL THEN ? ELSE ? END, version = version + 1
		WHERE id = ? AND status = ? AND `+notSuppressed),
		string(digest.StatusPending), string(digest.StatusConfirmed), id, string(digest.StatusUnsubscribed), emailHash(email))
	if err != nil {
		return digest.Subscriber{}, fmt.Errorf("store: resubscribe %d: %w", id, err)
	}
	return s.subscriberWhere(ctx, fmt.Sprint(id), `id = ?`, id)
}

func (s *db) RecordHardBounce(ctx context.Context, id int64, max int) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		var (
			email   string
			bounces int
		)
		// Every expression in SET sees the row as it was, so
		// hard_bounces + 1 is the new count throughout.
		err := tx.QueryRowContext(ctx, s.d.q(`UPDATE subscribers SET
			hard_bounces = hard_bounces + 1,
			status  = CASE WHEN hard_bounces + 1 >= ? AND status IN (?, ?) THEN ? ELSE status END,
			version = CASE WHEN hard_bounces + 1 >= ? AND status IN (?, ?) THEN version + 1 ELSE version END
			WHERE id = ? RETURNING email, hard_bounces`),
			max, string(digest.StatusPending), string(digest.StatusConfirmed), string(digest.StatusSuppressed),
			max, string(digest.StatusPending), string(digest.StatusConfirmed), id).Scan(&email, &bounces)
		if errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("store: record bounce of subscriber %d: %w", id, digest.ErrNotFound)
		}
		if err != nil {
			return fmt.Errorf("store: record bounce of subscriber %d: %w", id, err)
		}
		if bounces < max {
			return nil
		}
		return s.suppress(ctx, tx, email, fmt.Sprintf("%d hard bounces", bounces))
	})
}

// suppress puts an address on the suppression list.
func (s *db) suppress(ctx context.Context, tx *sql.Tx, email, reason string) error {
	_, err := tx.ExecContext(ctx, s.d.q(`INSERT INTO suppressions (email_hash, reason, created_at) VALUES (?, ?, ?)
		ON CONFLICT (email_hash) DO NOTHING`), emailHash(email), txt(reason), s.d.t(time.Now()))
	if err != nil {
		return fmt.Errorf("store: suppress address: %w", err)
	}
	return nil
}

func (s *db) SuppressAddress(ctx context.Context, email, reason string) error {
	email = normEmail(email)
	if email == "" {
		return fmt.Errorf("store: suppress address: empty email: %w", digest.ErrInvalid)
	}
	return s.inTx(ctx, func(tx *sql.Tx) error {
		if err := s.suppress(ctx, tx, email, reason); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, s.d.q(`UPDATE subscribers SET status = ?, version = version + 1
			WHERE email = ? AND status IN (?, ?)`),
			string(digest.StatusSuppressed), email, string(digest.StatusPending), string(digest.StatusConfirmed))
		if err != nil {
			return fmt.Errorf("store: suppress address: %w", err)
		}
		return nil
	})
}

func (s *db) DeleteSubscriber(ctx context.Context, id int64) error {
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		var email, status string
		err := tx.QueryRowContext(ctx, s.d.q(`SELECT email, status FROM subscribers WHERE id = ?`+s.d.forUpdate()), id).Scan(&email, &status)
		if errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("store: delete subscriber %d: %w", id, digest.ErrNotFound)
		}
		if err != nil {
			return fmt.Errorf("store: delete subscriber %d: %w", id, err)
		}
		// Erasing is no way back onto the list for an address that
		// bounced: its hash stays suppressed.
		if status == string(digest.StatusSuppressed) {
			if err := s.suppress(ctx, tx, email, "suppressed when erased"); err != nil {
				return err
			}
		}
		// Deleted explicitly, not only by the foreign key's cascade, so the
		// erasure holds even on a database opened without foreign keys.
		if _, err := tx.ExecContext(ctx, s.d.q(`DELETE FROM deliveries WHERE subscriber_id = ?`), id); err != nil {
			return fmt.Errorf("store: delete subscriber %d deliveries: %w", id, err)
		}
		if _, err := tx.ExecContext(ctx, s.d.q(`DELETE FROM outbox WHERE subscriber_id = ?`), id); err != nil {
			return fmt.Errorf("store: delete subscriber %d notices: %w", id, err)
		}
		res, err := tx.ExecContext(ctx, s.d.q(`DELETE FROM subscribers WHERE id = ?`), id)
		return affectedOne(res, err, "delete subscriber", id)
	})
	if err != nil {
		return err
	}
	return s.purgeLog(ctx, fmt.Sprintf("delete subscriber %d", id))
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

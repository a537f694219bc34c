package store

import (
	"cmp"
	"context"
	"database/sql"
	"fmt"
	"slices"
	"time"

	"github.com/weeklywrap/digest/digest"
)

func (s *db) ClaimDeliveries(ctx context.Context, owner string, n int, limit int, lease time.Duration) ([]digest.Delivery, error) {
	if limit <= 0 {
		return nil, nil
	}
	if owner == "" {
		return nil, fmt.Errorf("store: claim deliveries of issue %d: no owner: %w", n, digest.ErrInvalid)
	}
	now := time.Now()
	until := roundTime(now.Add(lease))
	// One statement: pick due rows (PostgreSQL skips rows another claimer
	// holds; SQLite has a single writer) and mark them in the same step.
	// due_at covers both pending rows whose time has come and sending rows
	// whose claim expired.
	// On PostgreSQL the commit does not wait for the disk flush (see
	// markSentManyPostgres): a claim lost with a crash of the database
	// server is only a row due again.
	prefix, cond := "", ""
	if s.d.postgres {
		prefix, cond = `WITH cfg AS (SELECT set_config('synchronous_commit', 'off', true)) `, ` AND EXISTS (SELECT 1 FROM cfg)`
	}
	query := s.d.q(prefix + `UPDATE deliveries SET state = ?, claimed_until = ?, due_at = ?, claimed_by = ?
		WHERE id IN (SELECT id FROM deliveries
			WHERE issue = ? AND due_at <= ?
			ORDER BY due_at, id LIMIT ?` + s.d.lockSkip() + `)` + cond + `
		RETURNING id, issue, subscriber_id,
			COALESCE((SELECT email FROM subscribers WHERE subscribers.id = deliveries.subscriber_id), ''),
			state, attempts, next_attempt, claimed_until, last_error, message_id, sent_at`)
	args := []any{string(digest.DeliverySending), s.d.t(until), s.d.t(until), owner, n, s.d.t(now), limit}
	var rows *sql.Rows
	var err error
	if s.d.postgres {
		// pgx keeps its own cache of prepared statements per connection.
		rows, err = s.w.QueryContext(ctx, query, args...)
	} else {
		// Parsing the statement cost SQLite a fifth of the claim.
		var prep *sql.Stmt
		if prep, err = s.prepared(ctx, query); err == nil {
			rows, err = prep.QueryContext(ctx, args...)
		}
	}
	if err != nil {
		return nil, fmt.Errorf("store: claim deliveries of issue %d: %w", n, err)
	}
	defer rows.Close()
	out, err := scanDeliveries(rows)
	if err != nil {
		return nil, fmt.Errorf("store: claim deliveries of issue %d: %w", n, err)
	}
	// RETURNING order is unspecified; callers get them in queue order.
	slices.SortFunc(out, func(a, b digest.Delivery) int { return cmp.Compare(a.ID, b.ID) })
	return out, nil
}

func (s *db) RenewClaims(ctx context.Context, owner string, lease time.Duration) ([]int64, error) {
	until := s.d.t(time.Now().Add(lease))
	// 'sending' is spelled out so that SQLite can use the partial index.
	// On PostgreSQL the rows are locked in id order, as MarkSentMany locks
	// them: two writers that take several rows in the same order cannot
	// deadlock.
	query := `UPDATE deliveries SET claimed_until = ?, due_at = ?
		WHERE claimed_by = ? AND state = 'sending' RETURNING id`
	if s.d.postgres {
		query = `UPDATE deliveries SET claimed_until = ?, due_at = ?
		WHERE id IN (SELECT id FROM deliveries WHERE claimed_by = ? AND state = 'sending' ORDER BY id FOR UPDATE)
		RETURNING id`
	}
	ids, err := s.ids(ctx, s.d.q(query), until, until, owner)
	if err != nil {
		return nil, fmt.Errorf("store: renew claims: %w", err)
	}
	return ids, nil
}

func (s *db) ClaimExpiry(ctx context.Context, n int) (time.Time, error) {
	var t dbTime
	err := s.r.QueryRowContext(ctx, s.d.q(`SELECT MIN(claimed_until) FROM deliveries WHERE issue = ? AND state = ?`),
		n, string(digest.DeliverySending)).Scan(&t)
	if err != nil {
		return time.Time{}, fmt.Errorf("store: claim expiry of issue %d: %w", n, err)
	}
	return t.T, nil
}

// ids runs a write that returns one id column and collects the ids.
func (s *db) ids(ctx context.Context, query string, args ...any) ([]int64, error) {
	rows, err := s.w.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		out = append(out, id)
	}
	return out, rows.Err()
}

func (s *db) MarkSent(ctx context.Context, id int64, messageID string) error {
	res, err := s.w.ExecContext(ctx, s.d.q(`UPDATE deliveries
		SET state = ?, message_id = ?, sent_at = ?, attempts = attempts + 1, claimed_until = NULL, due_at = NULL, last_error = ''
		WHERE id = ?`),
		string(digest.DeliverySent), txt(messageID), s.d.t(time.Now()), id)
	return affectedOne(res, err, "mark sent delivery", id)
}

func (s *db) MarkSentMany(ctx context.Context, marks []digest.SentMark) ([]int64, error) {
	if len(marks) == 0 {
		return nil, nil
	}
	// In id order, as RenewClaims locks them (see there).
	marks = slices.Clone(marks)
	slices.SortFunc(marks, func(a, b digest.SentMark) int { return cmp.Compare(a.ID, b.ID) })
	if s.d.postgres {
		return s.markSentManyPostgres(ctx, marks)
	}
	return s.markSentManySQLite(ctx, marks)
}

// markSentManySQLite runs one prepared UPDATE per mark in one
// transaction. One UPDATE ... FROM json_each(batch) RETURNING id for the
// whole batch, without BEGIN and COMMIT, was tried: 11% less CPU per
// delivery in BenchmarkSendPath, yet 25-35% more in MarkSentMany of a real
// 30,000-reader send (perf, two runs each, as many transactions), where
// the statement's ephemeral tables (UPDATE FROM, RETURNING) and JSON
// decoding cost more than the few single-row UPDATEs of a batch.
func (s *db) markSentManySQLite(ctx context.Context, marks []digest.SentMark) ([]int64, error) {
	var missing []int64
	now := s.d.t(time.Now())
	prep, err := s.prepared(ctx, `UPDATE deliveries
		SET state = ?, message_id = ?, sent_at = ?, attempts = attempts + 1, claimed_until = NULL, due_at = NULL, last_error = ''
		WHERE id = ?`)
	if err != nil {
		return nil, fmt.Errorf("store: mark %d deliveries sent: %w", len(marks), err)
	}
	err = s.inTx(ctx, func(tx *sql.Tx) error {
		missing = missing[:0]
		st := tx.StmtContext(ctx, prep)
		for _, m := range marks {
			res, err := st.ExecContext(ctx, string(digest.DeliverySent), txt(m.MessageID), now, m.ID)
			if err != nil {
				return fmt.Errorf("delivery %d: %w", m.ID, err)
			}
			if n, err := res.RowsAffected(); err != nil {
				return fmt.Errorf("delivery %d: %w", m.ID, err)
			} else if n == 0 {
				missing = append(missing, m.ID)
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("store: mark %d deliveries sent: %w", len(marks), err)
	}
	return missing, nil
}

// markSentManyPostgres is MarkSentMany in one statement (round trips to
// the server are what a batch costs), whose commit does not wait for the
// disk flush: it returns once the marks are in the server's log buffer,
// which the server writes within a fraction of a second whatever becomes
// of us. A killed digest loses no mark, as with SQLite's
// synchronous=NORMAL; only a crash of the database server or its machine
// could lose the last of them, and those messages would be sent again,
// never lost. Waiting for the flush instead would hold each connection to
// one message per flush (10-30 ms on a busy disk).
func (s *db) markSentManyPostgres(ctx context.Context, marks []digest.SentMark) ([]int64, error) {
	ids := make([]int64, len(marks))
	mids := make([]string, len(marks))
	for i, m := range marks {
		ids[i], mids[i] = m.ID, txt(m.MessageID)
	}
	// One statement, its own transaction: one round trip. set_config(...,
	// true) holds for that transaction, its commit included.
	//
	// The rows are locked in id order first, as RenewClaims locks them:
	// ARRAY(... ORDER BY id FOR UPDATE) is an InitPlan, which runs to its
	// end (every row of the batch locked, in the sorted order, as ORDER BY
	// is applied before the locking) before the outer UPDATE reads its
	// first row, whatever scan the planner picks for that. The UPDATE then
	// touches only rows it already holds. With arrays for parameters the
	// server would plan each run for its values (custom plans), and this
	// shape, one table and an InitPlan, plans in about a third of the time
	// that a join with the lock as an IN sub-select and the marks as
	// unnest() took (0.09 against 0.26 ms, more than running it); on
	// s.marks it is planned once per session (see openPostgres).
	rows, err := s.marks.QueryContext(ctx, `UPDATE deliveries
		SET state = $1, message_id = ($4::text[])[array_position($3::bigint[], id)], sent_at = $2,
			attempts = attempts + 1, claimed_until = NULL, due_at = NULL, last_error = ''
		WHERE id = ANY(ARRAY(SELECT id FROM deliveries WHERE id = ANY($3::bigint[]) ORDER BY id FOR UPDATE))
			AND (SELECT set_config('synchronous_commit', 'off', true)) IS NOT NULL
		RETURNING id`, string(digest.DeliverySent), s.d.t(time.Now()), ids, mids)
	if err != nil {
		return nil, fmt.Errorf("store: mark %d deliveries sent: %w", len(marks), err)
	}
	return markedMissing(rows, marks)
}

// markedMissing reads the ids a mark statement returned, those it
// updated, and returns the ids of marks that are not among them.
func markedMissing(rows *sql.Rows, marks []digest.SentMark) ([]int64, error) {
	defer rows.Close()
	done := make(map[int64]bool, len(marks))
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, fmt.Errorf("store: mark %d deliveries sent: %w", len(marks), err)
		}
		done[id] = true
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: mark %d deliveries sent: %w", len(marks), err)
	}
	var missing []int64
	for _, m := range marks {
		if !done[m.ID] {
			missing = append(missing, m.ID)
		}
	}
	return missing, nil
}

func (s *db) MarkRetry(ctx context.Context, id int64, errMsg string, next time.Time) error {
	if next.IsZero() {
		next = time.Now() // a zero time would leave the row never due
	}
	res, err := s.w.ExecContext(ctx, s.d.q(`UPDATE deliveries
		SET state = ?, last_error = ?, next_attempt = ?, due_at = ?, attempts = attempts + 1, claimed_until = NULL
		WHERE id = ?`),
		string(digest.DeliveryPending), txt(errMsg), s.d.t(next), s.d.t(next), id)
	return affectedOne(res, err, "mark retry delivery", id)
}

func (s *db) Release(ctx context.Context, id int64, errMsg string, next time.Time) error {
	if next.IsZero() {
		next = time.Now()
	}
	res, err := s.w.ExecContext(ctx, s.d.q(`UPDATE deliveries
		SET state = ?, last_error = ?, next_attempt = ?, due_at = ?, claimed_until = NULL
		WHERE id = ? AND state = ?`),
		string(digest.DeliveryPending), txt(errMsg), s.d.t(next), s.d.t(next), id, string(digest.DeliverySending))
	return affectedOne(res, err, "release delivery", id)
}

func (s *db) MarkFailed(ctx context.Context, id int64, errMsg string) error {
	res, err := s.w.ExecContext(ctx, s.d.q(`UPDATE deliveries
		SET state = ?, last_error = ?, attempts = attempts + 1, claimed_until = NULL, due_at = NULL
		WHERE id = ?`),
		string(digest.DeliveryFailed), txt(errMsg), id)
	return affectedOne(res, err, "mark failed delivery", id)
}

func (s *db) QueueStats(ctx context.Context, n int) (digest.QueueStats, error) {
	var st digest.QueueStats
	rows, err := s.r.QueryContext(ctx, s.d.q(`SELECT state, COUNT(*) FROM deliveries WHERE issue = ? GROUP BY state`), n)
	if err != nil {
		return st, fmt.Errorf("store: queue stats of issue %d: %w", n, err)
	}
	defer rows.Close()
	for rows.Next() {
		var (
			state string
			c     int
		)
		if err := rows.Scan(&state, &c); err != nil {
			return st, fmt.Errorf("store: queue stats of issue %d: %w", n, err)
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
		return st, fmt.Errorf("store: queue stats of issue %d: %w", n, err)
	}
	return st, nil
}

func (s *db) UnfinishedIssues(ctx context.Context) ([]int, error) {
	// Walks the few issues and probes the due index of each, rather than
	// scanning every delivery ever made.
	rows, err := s.r.QueryContext(ctx, `SELECT number FROM issues WHERE EXISTS
		(SELECT 1 FROM deliveries WHERE issue = issues.number AND due_at IS NOT NULL)
		ORDER BY number`)
	if err != nil {
		return nil, fmt.Errorf("store: unfinished issues: %w", err)
	}
	defer rows.Close()
	var out []int
	for rows.Next() {
		var n int
		if err := rows.Scan(&n); err != nil {
			return nil, fmt.Errorf("store: unfinished issues: %w", err)
		}
		out = append(out, n)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: unfinished issues: %w", err)
	}
	return out, nil
}

func (s *db) RecentFailures(ctx context.Context, limit int) ([]digest.Delivery, error) {
	if limit <= 0 {
		return nil, nil
	}
	rows, err := s.r.QueryContext(ctx, s.d.q(`SELECT d.id, d.issue, d.subscriber_id, COALESCE(sub.email, ''),
			d.state, d.attempts, d.next_attempt, d.claimed_until, d.last_error, d.message_id, d.sent_at
		FROM deliveries d LEFT JOIN subscribers sub ON sub.id = d.subscriber_id
		WHERE d.last_error <> '' AND d.state IN (?, ?)
		ORDER BY d.id DESC LIMIT ?`), string(digest.DeliveryFailed), string(digest.DeliveryPending), limit)
	if err != nil {
		return nil, fmt.Errorf("store: recent failures: %w", err)
	}
	defer rows.Close()
	out, err := scanDeliveries(rows)
	if err != nil {
		return nil, fmt.Errorf("store: recent failures: %w", err)
	}
	return out, nil
}

// scanDeliveries reads rows of id, issue, subscriber_id, email, state,
// attempts, next_attempt, claimed_until, last_error, message_id, sent_at.
func scanDeliveries(rows *sql.Rows) ([]digest.Delivery, error) {
	var out []digest.Delivery
	for rows.Next() {
		var (
			d                    digest.Delivery
			state                string
			next, claimed, sentT dbTime
		)
		if err := rows.Scan(&d.ID, &d.IssueNumber, &d.SubscriberID, &d.Email, &state, &d.Attempts,
			&next, &claimed, &d.LastError, &d.MessageID, &sentT); err != nil {
			return nil, err
		}
		d.State = digest.DeliveryState(state)
		d.NextAttempt, d.ClaimedUntil, d.SentAt = next.T, claimed.T, sentT.T
		out = append(out, d)
	}
	return out, rows.Err()
}

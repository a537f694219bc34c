package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/weeklywrap/digest/digest"
)

func (s *db) FeedState(ctx context.Context, url string) (digest.FeedState, error) {
	st := digest.FeedState{URL: url}
	var fresh, fetched, failing dbTime
	err := s.r.QueryRowContext(ctx, s.d.q(`SELECT etag, last_modified, fresh_until, last_fetched,
		last_error, consecutive_failures, failing_since FROM feeds WHERE url = ?`), url).
		Scan(&st.ETag, &st.LastModified, &fresh, &fetched, &st.LastError, &st.ConsecutiveFailures, &failing)
	if errors.Is(err, sql.ErrNoRows) {
		return st, nil
	}
	if err != nil {
		return st, fmt.Errorf("store: feed state %s: %w", url, err)
	}
	st.FreshUntil, st.LastFetched, st.FailingSince = fresh.T, fetched.T, failing.T
	return st, nil
}

func (s *db) FeedStates(ctx context.Context, urls []string) (map[string]digest.FeedState, error) {
	want := make(map[string]bool, len(urls))
	for _, u := range urls {
		want[u] = true
	}
	// The table holds one row per feed ever configured: reading it whole
	// beats a query per feed.
	rows, err := s.r.QueryContext(ctx, `SELECT url, etag, last_modified, fresh_until, last_fetched,
		last_error, consecutive_failures, failing_since FROM feeds`)
	if err != nil {
		return nil, fmt.Errorf("store: feed states: %w", err)
	}
	defer rows.Close()
	out := make(map[string]digest.FeedState, len(urls))
	for rows.Next() {
		var st digest.FeedState
		var fresh, fetched, failing dbTime
		if err := rows.Scan(&st.URL, &st.ETag, &st.LastModified, &fresh, &fetched, &st.LastError,
			&st.ConsecutiveFailures, &failing); err != nil {
			return nil, fmt.Errorf("store: feed states: %w", err)
		}
		if want[st.URL] {
			st.FreshUntil, st.LastFetched, st.FailingSince = fresh.T, fetched.T, failing.T
			out[st.URL] = st
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: feed states: %w", err)
	}
	return out, nil
}

const saveFeedState = `INSERT INTO feeds (url, etag, last_modified, fresh_until,
		last_fetched, last_error, consecutive_failures, failing_since)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (url) DO UPDATE SET etag = excluded.etag, last_modified = excluded.last_modified,
			fresh_until = excluded.fresh_until, last_fetched = excluded.last_fetched,
			last_error = excluded.last_error, consecutive_failures = excluded.consecutive_failures,
			failing_since = excluded.failing_since`

func (s *db) SaveFeedStates(ctx context.Context, sts []digest.FeedState) error {
	if len(sts) == 0 {
		return nil
	}
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		ins, err := tx.PrepareContext(ctx, s.d.q(saveFeedState))
		if err != nil {
			return err
		}
		defer ins.Close()
		for _, st := range sts {
			if st.URL == "" {
				return fmt.Errorf("empty url: %w", digest.ErrInvalid)
			}
			if _, err := ins.ExecContext(ctx, st.URL, txt(st.ETag), txt(st.LastModified), s.d.t(st.FreshUntil),
				s.d.t(st.LastFetched), txt(st.LastError), st.ConsecutiveFailures, s.d.t(st.FailingSince)); err != nil {
				return fmt.Errorf("%s: %w", st.URL, err)
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("store: save %d feed states: %w", len(sts), err)
	}
	return nil
}

func (s *db) SaveFeedState(ctx context.Context, st digest.FeedState) error {
	if st.URL == "" {
		return fmt.Errorf("store: save feed state: empty url: %w", digest.ErrInvalid)
	}
	_, err := s.w.ExecContext(ctx, s.d.q(`INSERT INTO feeds (url, etag, last_modified, fresh_until,
		last_fetched, last_error, consecutive_failures, failing_since)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (url) DO UPDATE SET etag = excluded.etag, last_modified = excluded.last_modified,
			fresh_until = excluded.fresh_until, last_fetched = excluded.last_fetched,
			last_error = excluded.last_error, consecutive_failures = excluded.consecutive_failures,
			failing_since = excluded.failing_since`),
		st.URL, txt(st.ETag), txt(st.LastModified), s.d.t(st.FreshUntil), s.d.t(st.LastFetched),
		txt(st.LastError), st.ConsecutiveFailures, s.d.t(st.FailingSince))
	if err != nil {
		return fmt.Errorf("store: save feed state %s: %w", st.URL, err)
	}
	return nil
}

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

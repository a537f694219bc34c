package service

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/weeklywrap/digest/digest"
	"github.com/weeklywrap/digest/digest/redact"
)

// FeedHealth is one configured feed's fetch record.
type FeedHealth struct {
	Name, URL           string
	LastFetched         time.Time
	LastError           string
	ConsecutiveFailures int
	FailingSince        time.Time
	// Failing is set when the feed has failed for at least the configured
	// number of days: it is reported, never dropped silently.
	Failing bool
}

// Health is what the operator summary and /status show.
type Health struct {
	Last     *digest.StoredIssue
	Queue    digest.QueueStats
	Feeds    []FeedHealth
	Failing  int
	NextSlot time.Time
}

// Health gathers the operator's view: the last issue and its queue, and
// every configured feed's record.
func (s *Service) Health(ctx context.Context) (Health, error) {
	h := Health{NextSlot: s.Slots.Next(s.Now())}
	last, err := s.Store.LatestIssue(ctx)
	switch {
	case err == nil:
		h.Last = &last
		if h.Queue, err = s.Store.QueueStats(ctx, last.Number); err != nil {
			return h, fmt.Errorf("health: %w", err)
		}
	case !errors.Is(err, digest.ErrNotFound):
		return h, fmt.Errorf("health: %w", err)
	}
	days := s.Cfg.Sources.FailingDays
	for _, f := range FeedOptions(s.Cfg) {
		fh := FeedHealth{Name: f.Name, URL: redact.URL(f.URL)}
		if strings.Contains(f.URL, "://") {
			st, err := s.Store.FeedState(ctx, f.URL)
			if err != nil {
				return h, fmt.Errorf("health: feed %s: %w", f.Name, err)
			}
			fh.LastFetched, fh.LastError, fh.ConsecutiveFailures, fh.FailingSince = st.LastFetched, st.LastError, st.ConsecutiveFailures, st.FailingSince
			fh.Failing = st.ConsecutiveFailures > 0 && !st.FailingSince.IsZero() && s.Now().Sub(st.FailingSince) >= time.Duration(days)*24*time.Hour
		}
		if fh.Failing {
			h.Failing++
		}
		h.Feeds = append(h.Feeds, fh)
	}
	return h, nil
}

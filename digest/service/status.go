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

// IssueQueue is one issue's deliveries by state.
type IssueQueue struct {
	Number int
	digest.QueueStats
}

// StatusDays is how many days back Status counts the feedback reported
// after sending.
const StatusDays = 30

// statusFailures is how many failed deliveries Status lists.
const statusFailures = 10

// Status is the operator's view, gathered in one place for `digest
// status` and the daemon's /status page.
type Status struct {
	Last  *digest.StoredIssue // nil before the first issue
	Queue digest.QueueStats   // Last's deliveries
	// Unfinished are the issues with deliveries pending or in flight,
	// oldest first; Depth sums their pending and in-flight ones.
	Unfinished []IssueQueue
	Depth      int
	Outbox     digest.QueueStats // the notices (confirmations, welcomes, editors' mail)
	// Failures are the latest deliveries that failed for good or wait to
	// be retried after an error, newest first.
	Failures    []digest.Delivery
	Subscribers map[digest.SubscriberStatus]int
	Feedback    []digest.FeedbackCount // reported in the last StatusDays
	Feeds       []FeedHealth           // every configured feed, in config order
	Failing     int                    // feeds failing for sources.failing_days or more
	NextSlot    time.Time
}

// Status gathers the operator's view: the last issue and its queue, the
// unfinished issues, the outbox, recent failures, the list's size, the
// feedback of the last StatusDays, and every configured feed's record.
func (s *Service) Status(ctx context.Context) (Status, error) {
	now := s.Now()
	st := Status{NextSlot: s.Slots.Next(now)}
	last, err := s.Store.LatestIssue(ctx)
	switch {
	case err == nil:
		st.Last = &last
		if st.Queue, err = s.Store.QueueStats(ctx, last.Number); err != nil {
			return st, fmt.Errorf("status: %w", err)
		}
	case !errors.Is(err, digest.ErrNotFound):
		return st, fmt.Errorf("status: %w", err)
	}
	unfinished, err := s.Store.UnfinishedIssues(ctx)
	if err != nil {
		return st, fmt.Errorf("status: %w", err)
	}
	for _, n := range unfinished {
		qs, err := s.Store.QueueStats(ctx, n)
		if err != nil {
			return st, fmt.Errorf("status: issue %d: %w", n, err)
		}
		st.Unfinished = append(st.Unfinished, IssueQueue{Number: n, QueueStats: qs})
		st.Depth += qs.Pending + qs.Sending
	}
	if st.Outbox, err = s.Store.OutboxStats(ctx); err != nil {
		return st, fmt.Errorf("status: %w", err)
	}
	if st.Failures, err = s.Store.RecentFailures(ctx, statusFailures); err != nil {
		return st, fmt.Errorf("status: %w", err)
	}
	if st.Subscribers, err = s.Store.CountSubscribers(ctx); err != nil {
		return st, fmt.Errorf("status: %w", err)
	}
	if st.Feedback, err = s.Store.FeedbackCounts(ctx, now.AddDate(0, 0, -StatusDays)); err != nil {
		return st, fmt.Errorf("status: %w", err)
	}
	days := s.Cfg.Sources.FailingDays
	for _, f := range FeedOptions(s.Cfg) {
		fh := FeedHealth{Name: f.Name, URL: redact.URL(f.URL)}
		if strings.Contains(f.URL, "://") {
			fs, err := s.Store.FeedState(ctx, f.URL)
			if err != nil {
				return st, fmt.Errorf("status: feed %s: %w", f.Name, err)
			}
			fh.LastFetched, fh.LastError, fh.ConsecutiveFailures, fh.FailingSince = fs.LastFetched, fs.LastError, fs.ConsecutiveFailures, fs.FailingSince
			fh.Failing = fs.ConsecutiveFailures > 0 && !fs.FailingSince.IsZero() && now.Sub(fs.FailingSince) >= time.Duration(days)*24*time.Hour
		}
		if fh.Failing {
			st.Failing++
		}
		st.Feeds = append(st.Feeds, fh)
	}
	return st, nil
}

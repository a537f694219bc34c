package digest

import (
	"context"
	"time"
)

// SubscriberFilter selects subscribers for listing and export.
type SubscriberFilter struct {
	Status SubscriberStatus // empty means any
}

// Store keeps subscribers, issues, deliveries, the seen-set and feed state.
// Implementations: SQLite (the default) and PostgreSQL. Every method is safe
// for concurrent use.
type Store interface {
	// AddSubscriber inserts s (Email lower-cased by the caller) and returns it
	// with ID and CreatedAt set. Returns ErrExists if the address is on the list.
	AddSubscriber(ctx context.Context, s Subscriber) (Subscriber, error)
	// Subscriber returns the subscriber with that ID, or ErrNotFound.
	Subscriber(ctx context.Context, id int64) (Subscriber, error)
	// SubscriberByEmail returns the subscriber with that address, or ErrNotFound.
	SubscriberByEmail(ctx context.Context, email string) (Subscriber, error)
	// UpdateSubscriber saves Name, Status, Topics, Paused, ConfirmedAt and
	// HardBounces of s. Returns ErrNotFound if s.ID does not exist.
	UpdateSubscriber(ctx context.Context, s Subscriber) error
	// DeleteSubscriber erases the subscriber and their personal data,
	// deliveries included. Returns ErrNotFound if absent.
	DeleteSubscriber(ctx context.Context, id int64) error
	// EachSubscriber streams matching subscribers in ID order, never loading
	// the whole list. fn's error stops the walk and is returned.
	EachSubscriber(ctx context.Context, f SubscriberFilter, fn func(Subscriber) error) error
	// CountSubscribers counts subscribers by status.
	CountSubscribers(ctx context.Context) (map[SubscriberStatus]int, error)

	// IssueBySlot returns the issue built for that slot, or ErrNotFound.
	IssueBySlot(ctx context.Context, slot time.Time) (StoredIssue, error)
	// IssueByNumber returns issue n, or ErrNotFound.
	IssueByNumber(ctx context.Context, n int) (StoredIssue, error)
	// LatestIssue returns the highest-numbered issue, or ErrNotFound.
	LatestIssue(ctx context.Context) (StoredIssue, error)
	// ListIssues returns issues newest first, without HTML and Text.
	ListIssues(ctx context.Context, limit int) ([]StoredIssue, error)
	// NextIssueNumber returns the number the next created issue will get.
	NextIssueNumber(ctx context.Context) (int, error)
	// CreateIssue stores is for is.Slot in one transaction: it assigns the
	// next number, marks seen as used by that issue, and enqueues one pending
	// delivery for every subscriber who Receives(). If an issue for the slot
	// exists already, it changes nothing and returns that issue with
	// created=false: the slot is the idempotency key.
	CreateIssue(ctx context.Context, is StoredIssue, seen []string) (out StoredIssue, created bool, err error)
	// Seen returns which of ids were used by an earlier issue.
	Seen(ctx context.Context, ids []string) (map[string]bool, error)

	// ClaimDeliveries marks up to limit due deliveries of issue n as sending
	// until now+lease and returns them. Due means pending with NextAttempt
	// <= now, or sending with an expired claim (a dead worker's). Two callers
	// never receive the same row while its claim is live.
	ClaimDeliveries(ctx context.Context, n int, limit int, lease time.Duration) ([]Delivery, error)
	// MarkSent records a sent delivery with its Message-ID.
	MarkSent(ctx context.Context, id int64, messageID string) error
	// MarkRetry returns a delivery to pending with the error and the time of
	// the next attempt, counting the attempt.
	MarkRetry(ctx context.Context, id int64, errMsg string, next time.Time) error
	// Release returns a claimed delivery to pending, due at next, without
	// counting an attempt: it was never tried (the run stopped, or no relay
	// could be reached), so it must not use up its retries.
	Release(ctx context.Context, id int64, errMsg string, next time.Time) error
	// MarkFailed records a permanent failure.
	MarkFailed(ctx context.Context, id int64, errMsg string) error
	// QueueStats counts issue n's deliveries by state.
	QueueStats(ctx context.Context, n int) (QueueStats, error)
	// RecentFailures returns up to limit deliveries that failed for good or
	// wait to retry after an error, newest first.
	RecentFailures(ctx context.Context, limit int) ([]Delivery, error)
	// UnfinishedIssues lists numbers of issues with pending or sending deliveries, oldest first.
	UnfinishedIssues(ctx context.Context) ([]int, error)

	// FeedState returns what is remembered about a feed; a zero FeedState
	// with URL set when nothing is.
	FeedState(ctx context.Context, url string) (FeedState, error)
	// SaveFeedState stores st under st.URL.
	SaveFeedState(ctx context.Context, st FeedState) error

	Close() error
}

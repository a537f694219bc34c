package digest

import (
	"context"
	"time"
)

// SubscriberFilter selects subscribers for listing and export.
type SubscriberFilter struct {
	Status SubscriberStatus // empty means any
}

// SubscriberStore keeps the list: who is on it, with what preferences, in
// which state. The web pages, the CLI's subscribers commands and delivery
// (which reads a batch's subscribers) use it.
type SubscriberStore interface {
	// AddSubscriber inserts s (Email lower-cased by the caller) and returns it
	// with ID and CreatedAt set. Returns ErrExists if the address is on the
	// list. An address on the suppression list is stored suppressed,
	// whatever s.Status says.
	AddSubscriber(ctx context.Context, s Subscriber) (Subscriber, error)

	// Subscriber returns the subscriber with that ID, or ErrNotFound.
	Subscriber(ctx context.Context, id int64) (Subscriber, error)

	// SubscribersByID returns those of ids that exist, in no set order: one
	// read for a batch of deliveries.
	SubscribersByID(ctx context.Context, ids []int64) ([]Subscriber, error)

	// SubscriberByEmail returns the subscriber with that address, or ErrNotFound.
	SubscriberByEmail(ctx context.Context, email string) (Subscriber, error)

	// The writes below (and FeedbackStore's) are targeted: each sets its
	// own columns in one statement and never writes back a row read
	// before, so two of them at once (a bounce and an unsubscribe) both
	// take effect. Each returns ErrNotFound if the subscriber does not
	// exist.

	// SavePreferences sets Name, Topics and Paused, and nothing else.
	SavePreferences(ctx context.Context, id int64, p Preferences) error

	// ConfirmSubscriber confirms a pending or unsubscribed subscriber whose
	// Version is still version (the one its confirm link was signed with),
	// and returns them. ErrStale if the version moved on (they confirmed
	// already, unsubscribed since, or were suppressed).
	ConfirmSubscriber(ctx context.Context, id, version int64, at time.Time) (Subscriber, error)

	// Unsubscribe makes a pending or confirmed subscriber unsubscribed and
	// reports whether it changed anything; a suppressed one stays so.
	Unsubscribe(ctx context.Context, id int64) (bool, error)

	// Resubscribe brings back an unsubscribed subscriber (confirmed if
	// they ever confirmed, else pending) unless the address is suppressed,
	// and returns them as they are now.
	Resubscribe(ctx context.Context, id int64) (Subscriber, error)

	// DeleteSubscriber erases the subscriber and their personal data,
	// deliveries included, from the database file too (SQLite's
	// secure_delete). A suppressed address stays on the suppression list,
	// as a hash. Returns ErrNotFound if absent.
	DeleteSubscriber(ctx context.Context, id int64) error

	// EachSubscriber streams matching subscribers in ID order, never loading
	// the whole list. fn's error stops the walk and is returned.
	EachSubscriber(ctx context.Context, f SubscriberFilter, fn func(Subscriber) error) error

	// CountSubscribers counts subscribers by status.
	CountSubscribers(ctx context.Context) (map[SubscriberStatus]int, error)
}

// FeedbackStore records what comes back after sending (bounces and
// complaints) and acts on it. Delivery counts hard bounces; the webhooks
// and the bounce mailbox record reports.
type FeedbackStore interface {
	// RecordHardBounce counts a hard bounce; at max bounces the address
	// joins the suppression list and, unless unsubscribed, the subscriber
	// becomes suppressed.
	RecordHardBounce(ctx context.Context, id int64, max int) error

	// SuppressAddress puts email on the suppression list (a complaint, a
	// bounce reported later) and suppresses its subscriber, if any.
	SuppressAddress(ctx context.Context, email, reason string) error

	// RecordFeedback stores a bounce or complaint reported after sending
	// and acts on it in the same transaction: a hard bounce or a complaint
	// puts the address on the suppression list and suppresses its
	// subscriber (as SuppressAddress), a soft bounce counts on the
	// subscriber. It reports false, changing nothing, when an event with
	// the same Source and EventID was recorded before (a replay or a
	// provider's retry).
	RecordFeedback(ctx context.Context, f Feedback) (recorded bool, err error)

	// SentMessageTo reports whether this list sent the message whose
	// Message-ID is messageID (with or without <>) to email, as an issue
	// or a notice. A bounce or complaint mailed to the bounce mailbox,
	// which anyone can write to, is acted on only for such a message.
	SentMessageTo(ctx context.Context, messageID, email string) (bool, error)

	// FeedbackCounts counts the events recorded since t by source and kind.
	FeedbackCounts(ctx context.Context, since time.Time) ([]FeedbackCount, error)
}

// IssueArchive reads stored issues: what the public pages and the
// schedule look at.
type IssueArchive interface {
	// IssueBySlot returns the issue built for that slot, or ErrNotFound.
	IssueBySlot(ctx context.Context, slot time.Time) (StoredIssue, error)

	// IssueByNumber returns issue n, or ErrNotFound.
	IssueByNumber(ctx context.Context, n int) (StoredIssue, error)

	// LatestIssue returns the highest-numbered issue, or ErrNotFound.
	LatestIssue(ctx context.Context) (StoredIssue, error)

	// ListIssues returns issues newest first with only Number, Slot,
	// Subject, Intro and BuiltAt: what the listing pages show, read without
	// decoding whole issues.
	ListIssues(ctx context.Context, limit int) ([]StoredIssue, error)
}

// IssueStore stores issues once per slot, with the seen-set that keeps
// an article in one issue only.
type IssueStore interface {
	IssueArchive

	// NextIssueNumber returns the number the next created issue will get.
	NextIssueNumber(ctx context.Context) (int, error)

	// CreateIssue stores is for is.Slot in one transaction: it assigns the
	// next number, marks seen as used by that issue, and enqueues one pending
	// delivery for every subscriber who Receives(). If an issue for the slot
	// exists already, it changes nothing and returns that issue with
	// created=false: the slot is the idempotency key. An is.Number other
	// than 0 must be the next number (it was rendered into the subject),
	// else nothing is stored and the error wraps ErrExists.
	CreateIssue(ctx context.Context, is StoredIssue, seen []string) (out StoredIssue, created bool, err error)

	// Seen returns which of ids were used by an earlier issue.
	Seen(ctx context.Context, ids []string) (map[string]bool, error)
}

// DeliveryQueue holds one delivery per issue and subscriber, claimed by
// sending runs and marked with each outcome.
type DeliveryQueue interface {
	// ClaimDeliveries marks up to limit due deliveries of issue n as sending
	// until now+lease on behalf of owner (a token naming one sending run)
	// and returns them. Due means pending with NextAttempt <= now, or
	// sending with an expired claim (a dead worker's). Two callers never
	// receive the same row while its claim is live.
	ClaimDeliveries(ctx context.Context, owner string, n int, limit int, lease time.Duration) ([]Delivery, error)

	// RenewClaims extends every delivery owner still holds to now+lease
	// (the heartbeat of a live run) and returns their IDs; a claim that
	// expired and was taken over by another owner is not among them.
	RenewClaims(ctx context.Context, owner string, lease time.Duration) ([]int64, error)

	// ClaimExpiry is the earliest time a claim on issue n's deliveries runs
	// out, zero when none is claimed.
	ClaimExpiry(ctx context.Context, n int) (time.Time, error)

	// MarkSent records a sent delivery with its Message-ID.
	MarkSent(ctx context.Context, id int64, messageID string) error

	// MarkSentMany is MarkSent for several deliveries in one transaction:
	// all are recorded, or none (err). The IDs of deliveries that no longer
	// exist (their subscriber was deleted) are returned in missing; the
	// others are recorded all the same.
	MarkSentMany(ctx context.Context, marks []SentMark) (missing []int64, err error)

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
}

// OutboxStore queues every mail that is not an issue (confirmations,
// welcomes, the editors' mails) as notices.
type OutboxStore interface {
	// EnqueueNotice stores n as a pending notice, due now, and returns it
	// with ID and CreatedAt set. With every > 0 it is a no-op, returning
	// queued=false, while a notice of the same Kind to the same address is
	// waiting or being sent (and was created within every), or was sent
	// within every: at most one per address per every, and a notice that
	// failed for good does not count. A waiting one older than every is
	// replaced (marked failed) by n.
	EnqueueNotice(ctx context.Context, n Notice, every time.Duration) (out Notice, queued bool, err error)

	// ClaimNotices marks up to limit due notices as sending until now+lease
	// on behalf of owner and returns them, oldest first.
	ClaimNotices(ctx context.Context, owner string, limit int, lease time.Duration) ([]Notice, error)

	// RenewNoticeClaims is RenewClaims for notices.
	RenewNoticeClaims(ctx context.Context, owner string, lease time.Duration) ([]int64, error)

	// MarkNoticeSent records a sent notice and forgets its content.
	MarkNoticeSent(ctx context.Context, id int64, messageID string) error

	// MarkNoticeRetry returns a notice to pending, due at next, counting the attempt.
	MarkNoticeRetry(ctx context.Context, id int64, errMsg string, next time.Time) error

	// ReleaseNotice returns a claimed notice to pending, due at next,
	// without counting an attempt (it was never tried, or the relay itself
	// refused).
	ReleaseNotice(ctx context.Context, id int64, errMsg string, next time.Time) error

	// MarkNoticeFailed records a permanent failure.
	MarkNoticeFailed(ctx context.Context, id int64, errMsg string) error

	// OutboxStats counts notices by state.
	OutboxStats(ctx context.Context) (QueueStats, error)

	// PruneNotices deletes sent and failed notices created before t.
	PruneNotices(ctx context.Context, before time.Time) (int, error)
}

// LeaseStore hands out named leases, so that of several processes on one
// store only one runs a slot or a retry pass at a time.
type LeaseStore interface {
	// AcquireLease takes the lease name for owner until now+ttl, or
	// extends it when owner holds it already; it reports false, changing
	// nothing, while another owner's lease on name has not expired.
	AcquireLease(ctx context.Context, name, owner string, ttl time.Duration) (bool, error)

	// ReleaseLease gives up owner's lease on name; a no-op when owner does
	// not hold it.
	ReleaseLease(ctx context.Context, name, owner string) error
}

// SendBudget is the sending rate shared by every process on one store.
type SendBudget interface {
	// TakeSendSlot takes the next sending slot of the budget name, shared
	// by every process on this store, when it starts now or within a few
	// ms (slots are interval apart; a slot whose time has passed starts
	// now), and returns its start with taken true: the caller sends then.
	// Otherwise it takes nothing and returns when to ask again.
	TakeSendSlot(ctx context.Context, name string, interval time.Duration) (at time.Time, taken bool, err error)

	// PushSendSlot makes the next slot of budget name free no sooner than
	// notBefore (it never brings it earlier): a sender that saw its
	// message accepted later than planned keeps the next one from
	// following too close.
	PushSendSlot(ctx context.Context, name string, notBefore time.Time) error
}

// TestCopyStore keeps the web versions of test sends.
type TestCopyStore interface {
	// SaveTestCopy keeps the web version of a test send under key (random,
	// unguessable), dropping copies older than 30 days.
	SaveTestCopy(ctx context.Context, key, html string) error

	// TestCopy returns the web version saved under key, or ErrNotFound.
	TestCopy(ctx context.Context, key string) (string, error)
}

// FeedStateStore remembers each feed's fetch state (conditional GET,
// failures) between runs.
type FeedStateStore interface {
	// FeedState returns what is remembered about a feed; a zero FeedState
	// with URL set when nothing is.
	FeedState(ctx context.Context, url string) (FeedState, error)

	// SaveFeedState stores st under st.URL.
	SaveFeedState(ctx context.Context, st FeedState) error

	// FeedStates returns what is remembered about each of urls that has a
	// state, in one read.
	FeedStates(ctx context.Context, urls []string) (map[string]FeedState, error)

	// SaveFeedStates stores each of sts under its URL, in one transaction.
	SaveFeedStates(ctx context.Context, sts []FeedState) error
}

// Store is the whole store: every part above, which the SQLite and
// PostgreSQL implementations both provide. Every method is safe for
// concurrent use. Only the wiring (cmd/digest) and the service, which
// drives all of them, hold a Store; every other consumer asks for the part
// it uses (web.Store, mailer.Queue, mailer.NoticeQueue, mailer.Budget,
// feed.StateStore, feedback.Recorder and feedback.Ledger), so a test
// fakes only that and a reader sees what a package can touch.
type Store interface {
	SubscriberStore
	FeedbackStore
	IssueStore
	DeliveryQueue
	OutboxStore
	LeaseStore
	SendBudget
	TestCopyStore
	FeedStateStore

	Close() error
}

package digest

import "time"

// DeliveryState is where one (issue, subscriber) message stands.
type DeliveryState string

const (
	DeliveryPending DeliveryState = "pending" // waiting, possibly for a retry time
	DeliverySending DeliveryState = "sending" // claimed by a worker until ClaimedUntil
	DeliverySent    DeliveryState = "sent"
	DeliveryFailed  DeliveryState = "failed" // permanent
)

// Delivery is one message of one issue to one subscriber. (IssueNumber,
// SubscriberID) is unique, so a subscriber never gets an issue twice.
type Delivery struct {
	ID           int64         `json:"id"`
	IssueNumber  int           `json:"issue"`
	SubscriberID int64         `json:"subscriber_id"`
	Email        string        `json:"email"`
	State        DeliveryState `json:"state"`
	Attempts     int           `json:"attempts"`
	NextAttempt  time.Time     `json:"next_attempt"`
	ClaimedUntil time.Time     `json:"claimed_until"`
	LastError    string        `json:"last_error"`
	MessageID    string        `json:"message_id"`
	SentAt       time.Time     `json:"sent_at"`
}

// SentMark is one delivery accepted by the relay, with its Message-ID.
type SentMark struct {
	ID        int64
	MessageID string
}

// StoredIssue is an issue as kept in the store: its data, and the web
// version rendered once at build time for the archive.
type StoredIssue struct {
	Issue
	HTML string // web version (not personalized)
	Text string
}

// QueueStats counts an issue's deliveries by state.
type QueueStats struct {
	Pending, Sending, Sent, Failed int
}

// FeedState is what the fetcher remembers about one feed between runs.
type FeedState struct {
	URL                 string
	ETag                string
	LastModified        string
	FreshUntil          time.Time // from Cache-Control max-age, <ttl> or Retry-After
	LastFetched         time.Time
	LastError           string
	ConsecutiveFailures int
	FailingSince        time.Time
}

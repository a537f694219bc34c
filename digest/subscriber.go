package digest

import "time"

// SubscriberStatus is where a subscriber stands in the opt-in life cycle.
type SubscriberStatus string

const (
	StatusPending      SubscriberStatus = "pending"      // subscribed, not yet confirmed
	StatusConfirmed    SubscriberStatus = "confirmed"    // receives issues
	StatusUnsubscribed SubscriberStatus = "unsubscribed" // left; may resubscribe
	StatusSuppressed   SubscriberStatus = "suppressed"   // too many hard bounces
)

// Valid reports whether s is a known status.
func (s SubscriberStatus) Valid() bool {
	switch s {
	case StatusPending, StatusConfirmed, StatusUnsubscribed, StatusSuppressed:
		return true
	}
	return false
}

// Subscriber is one address on the list.
type Subscriber struct {
	ID          int64            `json:"id"`
	Email       string           `json:"email"` // lower-cased, validated
	Name        string           `json:"name"`
	Status      SubscriberStatus `json:"status"`
	Topics      []string         `json:"topics"` // empty means every topic
	Paused      bool             `json:"paused"`
	CreatedAt   time.Time        `json:"created"`
	ConfirmedAt time.Time        `json:"confirmed_at"`
	HardBounces int              `json:"hard_bounces"`
	// Version counts status changes; confirm links are bound to it.
	Version int64 `json:"-"`
}

// Preferences are what a subscriber sets on the preferences page.
type Preferences struct {
	Name   string
	Topics []string // empty means every topic
	Paused bool
}

// Receives reports whether the subscriber should get the next issue.
func (s *Subscriber) Receives() bool { return s.Status == StatusConfirmed && !s.Paused }

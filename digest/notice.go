package digest

import "time"

// Notice is one message of the outbox: a mail other than an issue (a
// confirmation, a welcome, an editors' review mail), stored composed and
// sent with retries like a delivery. (Kind, To) is what the per-address
// allowance counts.
type Notice struct {
	ID   int64  `json:"id"`
	Kind string `json:"kind"` // "confirm", "welcome", "review", ...
	// SubscriberID ties the notice to a subscriber, so that erasing them
	// erases it; 0 for mail to someone who is not on the list (an editor).
	SubscriberID   int64             `json:"subscriber_id,omitempty"`
	To             string            `json:"to"`
	ToName         string            `json:"to_name,omitempty"`
	Subject        string            `json:"subject"`
	HTML           string            `json:"html,omitempty"`
	Text           string            `json:"text,omitempty"`
	UnsubscribeURL string            `json:"unsubscribe_url,omitempty"`
	Headers        map[string]string `json:"headers,omitempty"`

	State     DeliveryState `json:"state"`
	Attempts  int           `json:"attempts"`
	LastError string        `json:"last_error,omitempty"`
	MessageID string        `json:"message_id,omitempty"`
	CreatedAt time.Time     `json:"created_at"`
	SentAt    time.Time     `json:"sent_at,omitzero"`
}

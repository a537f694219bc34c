package digest

import "time"

// FeedbackKind is what a bounce or complaint reported after sending says.
type FeedbackKind string

const (
	// FeedbackHardBounce is a permanent failure (no such mailbox, domain
	// gone): the address is suppressed at once.
	FeedbackHardBounce FeedbackKind = "hard_bounce"
	// FeedbackSoftBounce is a temporary one (mailbox full, deferred): it
	// is counted, and the address stays on the list.
	FeedbackSoftBounce FeedbackKind = "soft_bounce"
	// FeedbackComplaint is a spam report by the recipient: the address is
	// suppressed at once.
	FeedbackComplaint FeedbackKind = "complaint"
)

// Suppresses reports whether an event of kind k takes the address off the
// list for good.
func (k FeedbackKind) Suppresses() bool {
	return k == FeedbackHardBounce || k == FeedbackComplaint
}

// Feedback is one bounce or complaint reported after the SMTP session: by
// a provider's webhook or by a DSN or ARF report in a mailbox.
type Feedback struct {
	Source  string       // ses, postmark, mailgun, sendgrid, dsn, arf
	EventID string       // the source's id of the event; a repeat of it is recorded once
	Kind    FeedbackKind // hard_bounce, soft_bounce or complaint
	Email   string       // the recipient it concerns
	Detail  string       // the provider's reason or status code, for the operator
	At      time.Time    // when the source says it happened (logged; the store keeps when it was recorded)
	// MessageID is the Message-ID (without <>) of the message a mailed
	// report returns, when it quotes one; the mailbox reader acts only on
	// reports about a message this list sent to Email.
	MessageID string
}

// FeedbackCount is how many events of one kind a source reported.
type FeedbackCount struct {
	Source string
	Kind   FeedbackKind
	N      int
}

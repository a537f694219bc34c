package config

import (
	"fmt"
	"time"

	"github.com/weeklywrap/digest/digest"
)

// Review modes.
const (
	ReviewOff     = "off"     // issues go out as built (the default)
	ReviewVeto    = "veto"    // the draft goes out at the slot unless an editor holds it
	ReviewApprove = "approve" // the draft goes out only once an editor approves it
)

// Deadline policies of approve mode: what happens at the slot when nobody
// has approved the draft.
const (
	DeadlineWait = "wait" // keep waiting; it goes out as soon as it is approved
	DeadlineSend = "send" // send it as it stands
	DeadlineSkip = "skip" // send nothing for this slot
)

// Review sets how editors look at a draft before it becomes the issue.
type Review struct {
	Mode    string        `yaml:"mode"`
	Lead    time.Duration `yaml:"lead"`    // the draft is built this long before the slot
	Editors []string      `yaml:"editors"` // addresses that get the review email and may sign in
	// Deadline is approve mode's policy at the slot: wait, send or skip.
	Deadline string `yaml:"deadline"`
	// Remind is how long before the slot the editors are reminded of a
	// draft nobody approved (approve mode); 0 sends no reminder.
	Remind time.Duration `yaml:"remind"`
	// Refresh is how often the draft is rebuilt when new articles arrived.
	Refresh time.Duration `yaml:"refresh"`
	// LinkTTL is how long a sign-in link mailed from the desk works.
	LinkTTL time.Duration `yaml:"link_ttl"`
	// Session is how long an editor stays signed in.
	Session time.Duration `yaml:"session"`
}

// On reports whether drafts are reviewed at all.
func (r Review) On() bool { return r.Mode == ReviewVeto || r.Mode == ReviewApprove }

func defaultReview() Review {
	return Review{Mode: ReviewOff, Lead: 24 * time.Hour, Deadline: DeadlineWait, Remind: 2 * time.Hour,
		Refresh: 30 * time.Minute, LinkTTL: 30 * time.Minute, Session: 12 * time.Hour}
}

func (c *Config) validateReview(bad func(key, format string, args ...any)) {
	r := &c.Review
	switch r.Mode {
	case ReviewOff, ReviewVeto, ReviewApprove:
	default:
		bad("review.mode", "%q is not allowed; use off, veto (sent unless an editor holds it) or approve (sent once an editor approves)", r.Mode)
	}
	switch r.Deadline {
	case DeadlineWait, DeadlineSend, DeadlineSkip:
	default:
		bad("review.deadline", "%q is not allowed; use wait, send or skip (what approve mode does at the slot when nobody approved)", r.Deadline)
	}
	if r.Lead < time.Minute {
		bad("review.lead", "must be a duration of at least 1m, e.g. 24h (how long before the slot the draft is built)")
	}
	if r.Remind < 0 {
		bad("review.remind", "must be zero (no reminder) or a positive duration such as 2h")
	}
	if r.Refresh < time.Minute {
		bad("review.refresh", "must be a duration of at least 1m, e.g. 30m")
	}
	if r.LinkTTL < time.Minute || r.LinkTTL > 7*24*time.Hour {
		bad("review.link_ttl", "must be between 1m and 168h, e.g. 30m")
	}
	if r.Session < 5*time.Minute {
		bad("review.session", "must be a duration of at least 5m, e.g. 12h")
	}
	for i, e := range r.Editors {
		n, err := digest.NormalizeEmail(e)
		if err != nil {
			bad(fmt.Sprintf("review.editors[%d]", i), "%q is not an email address like editor@example.org", e)
			continue
		}
		r.Editors[i] = n
	}
	if r.On() && len(r.Editors) == 0 && c.Web.AdminToken == "" {
		bad("review.mode", "%s needs someone to review: list their addresses in review.editors, or set web.admin_token to sign in to the desk", r.Mode)
	}
}

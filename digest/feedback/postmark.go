package feedback

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/weeklywrap/digest/digest"
)

// postmarkEvent is a Postmark bounce or spam complaint webhook body.
type postmarkEvent struct {
	RecordType  string
	ID          int64
	Type        string
	TypeCode    int
	Email       string
	Description string
	Details     string
	BouncedAt   time.Time
}

// postmarkHard are the bounce types that mean the address will never
// take mail; the rest (Transient, SoftBounce, DnsError, AutoResponder,
// Blocked, ...) only count. SpamComplaint is a complaint.
var postmarkHard = map[string]bool{"HardBounce": true, "BadEmailAddress": true, "ManuallyDeactivated": true}

func (h *Handler) postmark(r *http.Request, body []byte) ([]digest.Feedback, error) {
	user, pass, ok := r.BasicAuth()
	// Both compared whatever the first gave, so timing tells nothing.
	if u, p := equal(user, h.o.Postmark.Username), equal(pass, h.o.Postmark.Password); !ok || !u || !p {
		return nil, refuse(http.StatusUnauthorized, "bad_signature", "basic auth credentials missing or wrong")
	}
	var e postmarkEvent
	if err := json.Unmarshal(body, &e); err != nil {
		return nil, refuse(http.StatusBadRequest, "bad_request", "body is not a Postmark webhook: %v", err)
	}
	var kind digest.FeedbackKind
	switch {
	case e.RecordType == "SpamComplaint" || e.Type == "SpamComplaint":
		kind = digest.FeedbackComplaint
	case e.RecordType == "Bounce" && postmarkHard[e.Type]:
		kind = digest.FeedbackHardBounce
	case e.RecordType == "Bounce":
		kind = digest.FeedbackSoftBounce
	default:
		return nil, nil // deliveries, opens, clicks: nothing to act on
	}
	if e.ID == 0 || strings.TrimSpace(e.Email) == "" {
		return nil, refuse(http.StatusBadRequest, "bad_request", "Postmark %s without ID or Email", e.RecordType)
	}
	return []digest.Feedback{{Source: "postmark", EventID: fmt.Sprint(e.ID), Kind: kind, Email: e.Email,
		Detail: strings.TrimSpace(e.Type + " " + e.Details), At: e.BouncedAt}}, nil
}

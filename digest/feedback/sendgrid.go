package feedback

import (
	"crypto/ecdsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/weeklywrap/digest/digest"
)

const (
	sendgridSignatureHeader = "X-Twilio-Email-Event-Webhook-Signature"
	sendgridTimestampHeader = "X-Twilio-Email-Event-Webhook-Timestamp"
)

type sendgridKey struct{ pub *ecdsa.PublicKey }

// parseSendGridKey reads the verification key as SendGrid shows it:
// base64 of a DER SubjectPublicKeyInfo, with or without PEM armour.
func parseSendGridKey(s string) (*sendgridKey, error) {
	s = strings.TrimSpace(s)
	s = strings.TrimPrefix(s, "-----BEGIN PUBLIC KEY-----")
	s = strings.TrimSuffix(s, "-----END PUBLIC KEY-----")
	der, err := base64.StdEncoding.DecodeString(strings.Join(strings.Fields(s), ""))
	if err != nil {
		return nil, fmt.Errorf("feedback.sendgrid.public_key: not base64: %w; paste the verification key from SendGrid's Mail Settings", err)
	}
	k, err := x509.ParsePKIXPublicKey(der)
	if err != nil {
		return nil, fmt.Errorf("feedback.sendgrid.public_key: %w", err)
	}
	pub, ok := k.(*ecdsa.PublicKey)
	if !ok {
		return nil, fmt.Errorf("feedback.sendgrid.public_key: a %T, want an ECDSA key", k)
	}
	return &sendgridKey{pub: pub}, nil
}

// sendgridEvent is one event of SendGrid's batch.
type sendgridEvent struct {
	Email     string `json:"email"`
	Event     string `json:"event"`
	Type      string `json:"type"` // bounce or blocked, on bounce events
	SGEventID string `json:"sg_event_id"`
	Reason    string `json:"reason"`
	Status    string `json:"status"`
	Timestamp int64  `json:"timestamp"`
}

func (h *Handler) sendgridEvents(r *http.Request, body []byte) ([]digest.Feedback, error) {
	sig, ts := r.Header.Get(sendgridSignatureHeader), r.Header.Get(sendgridTimestampHeader)
	der, err := base64.StdEncoding.DecodeString(sig)
	if err != nil || sig == "" || ts == "" {
		return nil, refuse(http.StatusForbidden, "bad_signature", "%s or %s missing or not base64", sendgridSignatureHeader, sendgridTimestampHeader)
	}
	sum := sha256.Sum256(append([]byte(ts), body...))
	if !ecdsa.VerifyASN1(h.sendgrid.pub, sum[:], der) {
		return nil, refuse(http.StatusForbidden, "bad_signature", "signature does not verify")
	}
	secs, err := strconv.ParseInt(ts, 10, 64)
	if err != nil {
		return nil, refuse(http.StatusBadRequest, "bad_request", "timestamp %q: %v", ts, err)
	}
	if err := h.fresh(time.Unix(secs, 0)); err != nil {
		return nil, err
	}
	var events []sendgridEvent
	if err := json.Unmarshal(body, &events); err != nil {
		return nil, refuse(http.StatusBadRequest, "bad_request", "body is not a SendGrid event batch: %v", err)
	}
	var out []digest.Feedback
	for _, e := range events {
		var kind digest.FeedbackKind
		switch {
		case e.Event == "spamreport":
			kind = digest.FeedbackComplaint
		case e.Event == "bounce" && e.Type != "blocked":
			kind = digest.FeedbackHardBounce
		case e.Event == "bounce", e.Event == "deferred":
			// A block (the receiver refused this message, not the
			// address) and a deferral only count.
			kind = digest.FeedbackSoftBounce
		default:
			continue // processed, delivered, open, click, dropped (SendGrid's own suppressions), ...
		}
		id := e.SGEventID
		if id == "" {
			id = fmt.Sprintf("%s/%s/%d", e.Event, strings.ToLower(e.Email), e.Timestamp)
		}
		out = append(out, digest.Feedback{Source: "sendgrid", EventID: id, Kind: kind, Email: e.Email,
			Detail: strings.TrimSpace(e.Event + " " + e.Type + " " + e.Status + " " + e.Reason), At: time.Unix(e.Timestamp, 0)})
	}
	return out, nil
}

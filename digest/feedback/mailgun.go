package feedback

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/weeklywrap/digest/digest"
)

// mailgunWebhook is Mailgun's webhook body: the signature beside the event.
type mailgunWebhook struct {
	Signature struct {
		Timestamp string `json:"timestamp"`
		Token     string `json:"token"`
		Signature string `json:"signature"`
	} `json:"signature"`
	EventData struct {
		ID             string  `json:"id"`
		Event          string  `json:"event"`
		Severity       string  `json:"severity"`
		Reason         string  `json:"reason"`
		Recipient      string  `json:"recipient"`
		Timestamp      float64 `json:"timestamp"`
		DeliveryStatus struct {
			Code        int    `json:"code"`
			Description string `json:"description"`
			Message     string `json:"message"`
		} `json:"delivery-status"`
	} `json:"event-data"`
}

func (h *Handler) mailgun(_ *http.Request, body []byte) ([]digest.Feedback, error) {
	var m mailgunWebhook
	if err := json.Unmarshal(body, &m); err != nil {
		return nil, refuse(http.StatusBadRequest, "bad_request", "body is not a Mailgun webhook: %v", err)
	}
	s := m.Signature
	mac := hmac.New(sha256.New, []byte(h.o.Mailgun.SigningKey))
	mac.Write([]byte(s.Timestamp + s.Token))
	got, err := hex.DecodeString(s.Signature)
	if err != nil || s.Token == "" || !hmac.Equal(got, mac.Sum(nil)) {
		return nil, refuse(http.StatusForbidden, "bad_signature", "signature does not verify")
	}
	secs, err := strconv.ParseInt(s.Timestamp, 10, 64)
	if err != nil {
		return nil, refuse(http.StatusBadRequest, "bad_request", "timestamp %q: %v", s.Timestamp, err)
	}
	if err := h.fresh(time.Unix(secs, 0)); err != nil {
		return nil, err
	}
	e := m.EventData
	var kind digest.FeedbackKind
	switch {
	case e.Event == "complained":
		kind = digest.FeedbackComplaint
	case e.Event == "failed" && e.Severity == "permanent":
		kind = digest.FeedbackHardBounce
	case e.Event == "failed":
		kind = digest.FeedbackSoftBounce
	default:
		return nil, nil // delivered, opened, clicked, unsubscribed (handled by our own links)
	}
	sec, frac := math.Modf(e.Timestamp)
	at := time.Unix(int64(sec), int64(frac*1e9))
	detail := strings.TrimSpace(e.Severity + " " + e.Reason + " " + strconv.Itoa(e.DeliveryStatus.Code) + " " + e.DeliveryStatus.Description)
	// The signature covers the timestamp and token, not the event: the
	// token is the event's id here, so a captured signature is good for
	// its one event and nothing else.
	return []digest.Feedback{{Source: "mailgun", EventID: s.Token, Kind: kind, Email: e.Recipient, Detail: detail, At: at}}, nil
}

package feedback

import (
	"context"
	"crypto"
	"crypto/rsa"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/weeklywrap/digest/digest"
)

// snsHost is where SNS serves its signing certificates and subscription
// links: sns.<region>.amazonaws.com, or .amazonaws.com.cn in China.
var snsHost = regexp.MustCompile(`^sns\.[a-z0-9-]+\.amazonaws\.com(\.cn)?$`)

// snsMessage is the JSON body SNS posts (Notification,
// SubscriptionConfirmation, UnsubscribeConfirmation).
type snsMessage struct {
	Type             string
	MessageId        string
	Token            string
	TopicArn         string
	Subject          *string // signed only when present
	Message          string
	Timestamp        string
	SignatureVersion string
	Signature        string
	SigningCertURL   string `json:"SigningCertURL"`
	SubscribeURL     string `json:"SubscribeURL"`
}

// stringToSign is the text SNS signs: the listed fields as "Name\nvalue\n"
// in this order, per type.
func (m *snsMessage) stringToSign() (string, error) {
	var b strings.Builder
	add := func(k, v string) { b.WriteString(k + "\n" + v + "\n") }
	switch m.Type {
	case "Notification":
		add("Message", m.Message)
		add("MessageId", m.MessageId)
		if m.Subject != nil {
			add("Subject", *m.Subject)
		}
		add("Timestamp", m.Timestamp)
		add("TopicArn", m.TopicArn)
		add("Type", m.Type)
	case "SubscriptionConfirmation", "UnsubscribeConfirmation":
		add("Message", m.Message)
		add("MessageId", m.MessageId)
		add("SubscribeURL", m.SubscribeURL)
		add("Timestamp", m.Timestamp)
		add("Token", m.Token)
		add("TopicArn", m.TopicArn)
		add("Type", m.Type)
	default:
		return "", fmt.Errorf("unknown message type %q", m.Type)
	}
	return b.String(), nil
}

// snsVerifier checks SNS signatures, with the certificates it fetched
// cached by URL (SNS rotates them rarely).
type snsVerifier struct {
	client   *http.Client
	certHost func(string) bool

	mu    sync.Mutex
	certs map[string]*x509.Certificate
}

func newSNSVerifier(c *http.Client, certHost func(string) bool) *snsVerifier {
	if c == nil {
		c = &http.Client{Timeout: 10 * time.Second}
	}
	if certHost == nil {
		certHost = snsHost.MatchString
	}
	return &snsVerifier{client: c, certHost: certHost, certs: map[string]*x509.Certificate{}}
}

// checkURL allows only https on an SNS host, so a forged message cannot
// point the verifier at a certificate of the forger's own.
func (v *snsVerifier) checkURL(what, raw string) (*url.URL, error) {
	u, err := url.Parse(raw)
	if err != nil || u.Scheme != "https" || u.User != nil || !v.certHost(u.Hostname()) {
		return nil, refuse(http.StatusForbidden, "bad_signature", "%s %q is not https on an SNS host", what, raw)
	}
	return u, nil
}

func (v *snsVerifier) cert(ctx context.Context, raw string) (*x509.Certificate, error) {
	u, err := v.checkURL("SigningCertURL", raw)
	if err != nil {
		return nil, err
	}
	v.mu.Lock()
	c := v.certs[u.String()]
	v.mu.Unlock()
	if c != nil {
		return c, nil
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, err
	}
	resp, err := v.client.Do(req)
	if err != nil {
		return nil, fmt.Errorf("fetch SNS signing certificate: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("fetch SNS signing certificate %s: %s", u, resp.Status)
	}
	data, err := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	if err != nil {
		return nil, fmt.Errorf("fetch SNS signing certificate: %w", err)
	}
	block, _ := pem.Decode(data)
	if block == nil || block.Type != "CERTIFICATE" {
		return nil, refuse(http.StatusForbidden, "bad_signature", "%s holds no PEM certificate", u)
	}
	c, err = x509.ParseCertificate(block.Bytes)
	if err != nil {
		return nil, refuse(http.StatusForbidden, "bad_signature", "certificate at %s: %v", u, err)
	}
	if _, ok := c.PublicKey.(*rsa.PublicKey); !ok {
		return nil, refuse(http.StatusForbidden, "bad_signature", "certificate at %s has no RSA key", u)
	}
	v.mu.Lock()
	v.certs[u.String()] = c
	v.mu.Unlock()
	return c, nil
}

func (v *snsVerifier) verify(ctx context.Context, m *snsMessage) error {
	text, err := m.stringToSign()
	if err != nil {
		return refuse(http.StatusBadRequest, "bad_request", "%v", err)
	}
	sig, err := base64.StdEncoding.DecodeString(m.Signature)
	if err != nil || len(sig) == 0 {
		return refuse(http.StatusForbidden, "bad_signature", "signature is not base64")
	}
	var (
		hash   crypto.Hash
		digest []byte
	)
	switch m.SignatureVersion {
	case "1":
		h := sha1.Sum([]byte(text))
		hash, digest = crypto.SHA1, h[:]
	case "2":
		h := sha256.Sum256([]byte(text))
		hash, digest = crypto.SHA256, h[:]
	default:
		return refuse(http.StatusForbidden, "bad_signature", "SignatureVersion %q is neither 1 nor 2", m.SignatureVersion)
	}
	c, err := v.cert(ctx, m.SigningCertURL)
	if err != nil {
		return err
	}
	if err := rsa.VerifyPKCS1v15(c.PublicKey.(*rsa.PublicKey), hash, digest, sig); err != nil {
		return refuse(http.StatusForbidden, "bad_signature", "signature does not verify")
	}
	return nil
}

// sesNotification is the part of an SES notification (the Message of an
// SNS Notification) that matters here. Notifications set notificationType,
// event publishing sets eventType; the rest is alike.
type sesNotification struct {
	NotificationType string `json:"notificationType"`
	EventType        string `json:"eventType"`
	Bounce           *struct {
		BounceType        string `json:"bounceType"`
		BounceSubType     string `json:"bounceSubType"`
		BouncedRecipients []struct {
			EmailAddress   string `json:"emailAddress"`
			Status         string `json:"status"`
			DiagnosticCode string `json:"diagnosticCode"`
		} `json:"bouncedRecipients"`
		Timestamp  time.Time `json:"timestamp"`
		FeedbackID string    `json:"feedbackId"`
	} `json:"bounce"`
	Complaint *struct {
		ComplainedRecipients []struct {
			EmailAddress string `json:"emailAddress"`
		} `json:"complainedRecipients"`
		ComplaintFeedbackType string    `json:"complaintFeedbackType"`
		Timestamp             time.Time `json:"timestamp"`
		FeedbackID            string    `json:"feedbackId"`
	} `json:"complaint"`
}

func (h *Handler) ses(r *http.Request, body []byte) ([]digest.Feedback, error) {
	var m snsMessage
	if err := json.Unmarshal(body, &m); err != nil {
		return nil, refuse(http.StatusBadRequest, "bad_request", "body is not an SNS message: %v", err)
	}
	if t := r.Header.Get("x-amz-sns-message-type"); t != "" && t != m.Type {
		return nil, refuse(http.StatusBadRequest, "bad_request", "header says %q, body %q", t, m.Type)
	}
	if !slices.Contains(h.o.SES.TopicARNs, m.TopicArn) {
		return nil, refuse(http.StatusForbidden, "unknown_topic", "topic %q is not in feedback.ses.topic_arns", m.TopicArn)
	}
	if err := h.sns.verify(r.Context(), &m); err != nil {
		return nil, err
	}
	at, err := time.Parse(time.RFC3339, m.Timestamp)
	if err != nil {
		return nil, refuse(http.StatusBadRequest, "bad_request", "Timestamp %q: %v", m.Timestamp, err)
	}
	if err := h.fresh(at); err != nil {
		return nil, err
	}
	switch m.Type {
	case "SubscriptionConfirmation":
		return nil, h.confirmSNS(r.Context(), &m)
	case "UnsubscribeConfirmation":
		h.o.Log.Warn("webhook: SNS says the subscription ended", "topic", m.TopicArn)
		return nil, nil
	}
	var n sesNotification
	if err := json.Unmarshal([]byte(m.Message), &n); err != nil {
		return nil, refuse(http.StatusBadRequest, "bad_request", "message %s is not an SES notification: %v", m.MessageId, err)
	}
	kind := n.NotificationType
	if kind == "" {
		kind = n.EventType
	}
	var out []digest.Feedback
	switch {
	case kind == "Bounce" && n.Bounce != nil:
		// Permanent is a hard bounce; Transient and Undetermined (SES
		// could not tell) only count.
		k := digest.FeedbackSoftBounce
		if n.Bounce.BounceType == "Permanent" {
			k = digest.FeedbackHardBounce
		}
		for _, rcpt := range n.Bounce.BouncedRecipients {
			detail := strings.TrimSpace(n.Bounce.BounceType + "/" + n.Bounce.BounceSubType + " " + rcpt.Status + " " + rcpt.DiagnosticCode)
			out = append(out, digest.Feedback{Source: "ses", EventID: m.MessageId + "/" + strings.ToLower(rcpt.EmailAddress),
				Kind: k, Email: rcpt.EmailAddress, Detail: detail, At: n.Bounce.Timestamp})
		}
	case kind == "Complaint" && n.Complaint != nil:
		for _, rcpt := range n.Complaint.ComplainedRecipients {
			out = append(out, digest.Feedback{Source: "ses", EventID: m.MessageId + "/" + strings.ToLower(rcpt.EmailAddress),
				Kind: digest.FeedbackComplaint, Email: rcpt.EmailAddress, Detail: n.Complaint.ComplaintFeedbackType, At: n.Complaint.Timestamp})
		}
	}
	// Deliveries, sends, opens and the like carry nothing to act on.
	return out, nil
}

// confirmSNS follows a subscription's SubscribeURL, on an SNS host only.
func (h *Handler) confirmSNS(ctx context.Context, m *snsMessage) error {
	if !h.o.SES.AutoConfirm {
		h.o.Log.Warn("webhook: SNS asks to confirm a subscription; open SubscribeURL to confirm it, or set feedback.ses.auto_confirm",
			"topic", m.TopicArn, "subscribe_url", m.SubscribeURL)
		return nil
	}
	u, err := h.sns.checkURL("SubscribeURL", m.SubscribeURL)
	if err != nil {
		return err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return err
	}
	resp, err := h.sns.client.Do(req)
	if err != nil {
		return fmt.Errorf("confirm SNS subscription to %s: %w", m.TopicArn, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("confirm SNS subscription to %s: %s", m.TopicArn, resp.Status)
	}
	h.o.Log.Info("webhook: SNS subscription confirmed", "topic", m.TopicArn)
	return nil
}

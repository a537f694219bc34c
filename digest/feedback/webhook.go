// Package feedback takes in bounces and complaints reported after the
// SMTP session: signed webhooks from Amazon SES (through SNS), Postmark,
// Mailgun and SendGrid, and RFC 3464 delivery status notifications and
// RFC 5965 (ARF) complaint reports from a mailbox (a maildir or IMAP).
// Every event goes to the store, which suppresses the address at once on
// a hard bounce or a complaint and counts a soft bounce.
package feedback

import (
	"context"
	"crypto/subtle"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"time"

	"github.com/weeklywrap/digest/digest"
	"github.com/weeklywrap/digest/digest/route"
)

// Recorder stores an event and acts on it (digest.Store implements it);
// it reports false for an event it had recorded before.
type Recorder interface {
	RecordFeedback(ctx context.Context, f digest.Feedback) (bool, error)
}

// Options configures the webhook endpoints; a provider whose settings
// are empty has no endpoint (404).
type Options struct {
	Store Recorder
	Log   *slog.Logger
	// MaxAge bounds replays: a signed request whose timestamp is older
	// than this (or as far in the future) is refused, and within it the
	// store records each event id once. Default one hour.
	MaxAge time.Duration

	SES      SES
	Postmark Postmark
	Mailgun  Mailgun
	SendGrid SendGrid

	// OnEvent hears every event taken in (recorded false for a repeat);
	// OnRefused every request refused, with the reason (bad_signature,
	// stale, bad_request, ...). For the metrics; nil ignores them.
	OnEvent   func(f digest.Feedback, recorded bool)
	OnRefused func(provider, reason string)
	Now       func() time.Time
}

// SES takes Amazon SES notifications through an SNS topic subscribed to
// <base_url>/webhooks/ses.
type SES struct {
	// TopicARNs are the topics whose messages are accepted; any other is
	// refused (AWS's advice: a forged message could name any topic).
	TopicARNs []string
	// AutoConfirm confirms a subscription to one of TopicARNs by fetching
	// its SubscribeURL (on an SNS host, over HTTPS) once the request's
	// signature holds.
	AutoConfirm bool
	// Client fetches signing certificates and confirms subscriptions;
	// default a client with a 10 s timeout.
	Client *http.Client
	// CertHost decides which hosts may serve signing certificates and
	// subscription links; default sns.<region>.amazonaws.com (and .com.cn).
	// Tests replace it to use a local TLS server.
	CertHost func(host string) bool
}

// Postmark takes Postmark's bounce and spam complaint webhooks. Postmark
// signs nothing: its documentation has the webhook URL carry HTTP basic
// auth credentials (https://user:password@host/webhooks/postmark), which
// are checked here.
type Postmark struct {
	Username, Password string
}

// Mailgun takes Mailgun's webhooks, signed with the account's HTTP
// webhook signing key (HMAC-SHA256 of timestamp and token).
type Mailgun struct {
	SigningKey string
}

// SendGrid takes SendGrid's signed event webhook: an ECDSA P-256
// signature of the timestamp and body, checked with the verification key
// SendGrid shows (base64 DER, as copied from its settings page).
type SendGrid struct {
	PublicKey string
}

// maxBody bounds a webhook request's body; providers batch at most a few
// hundred events.
const maxBody = 4 << 20

// Handler serves POST /webhooks/{ses,postmark,mailgun,sendgrid}.
type Handler struct {
	o        Options
	sns      *snsVerifier
	sendgrid *sendgridKey
}

// New checks the options and builds the handler.
func New(o Options) (*Handler, error) {
	if o.Store == nil {
		return nil, errors.New("feedback: no store")
	}
	if o.Log == nil {
		o.Log = slog.New(slog.DiscardHandler)
	}
	if o.MaxAge <= 0 {
		o.MaxAge = time.Hour
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	h := &Handler{o: o}
	if len(o.SES.TopicARNs) > 0 {
		h.sns = newSNSVerifier(o.SES.Client, o.SES.CertHost)
	}
	if o.SendGrid.PublicKey != "" {
		k, err := parseSendGridKey(o.SendGrid.PublicKey)
		if err != nil {
			return nil, err
		}
		h.sendgrid = k
	}
	if (o.Postmark.Username == "") != (o.Postmark.Password == "") {
		return nil, errors.New("feedback: postmark needs both username and password")
	}
	return h, nil
}

// Enabled lists the providers with an endpoint.
func (h *Handler) Enabled() []string {
	var out []string
	if h.sns != nil {
		out = append(out, "ses")
	}
	if h.o.Postmark.Username != "" {
		out = append(out, "postmark")
	}
	if h.o.Mailgun.SigningKey != "" {
		out = append(out, "mailgun")
	}
	if h.sendgrid != nil {
		out = append(out, "sendgrid")
	}
	return out
}

// refusal is a request turned away: status, a reason for the metric and
// a message for the log (never echoing the request's secrets).
type refusal struct {
	status int
	reason string
	msg    string
}

func (r *refusal) Error() string { return r.msg }

func refuse(status int, reason, format string, args ...any) *refusal {
	// Clipped: the values quoted come from the request, checked or not,
	// and an unsigned request of 4 MB wrote a log line as long.
	return &refusal{status: status, reason: reason, msg: clip(fmt.Sprintf(format, args...), maxDetail)}
}

func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	provider := r.PathValue("provider")
	if provider == "" {
		provider = r.URL.Path[len(route.Webhooks+"/"):]
	}
	var take func(*http.Request, []byte) ([]digest.Feedback, error)
	switch provider {
	case "ses":
		if h.sns != nil {
			take = h.ses
		}
	case "postmark":
		if h.o.Postmark.Username != "" {
			take = h.postmark
		}
	case "mailgun":
		if h.o.Mailgun.SigningKey != "" {
			take = h.mailgun
		}
	case "sendgrid":
		if h.sendgrid != nil {
			take = h.sendgridEvents
		}
	}
	if take == nil {
		http.NotFound(w, r)
		return
	}
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", "POST")
		http.Error(w, "POST only", http.StatusMethodNotAllowed)
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBody))
	if err != nil {
		h.refused(w, provider, refuse(http.StatusRequestEntityTooLarge, "bad_request", "body: %v", err))
		return
	}
	events, err := take(r, body)
	var rf *refusal
	if errors.As(err, &rf) {
		h.refused(w, provider, rf)
		return
	}
	if err != nil {
		h.o.Log.Error("webhook: reading the events failed", "provider", provider, "error", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	if err := h.record(r.Context(), provider, events); err != nil {
		// A 5xx makes the provider retry later; the store's event ids
		// keep the retry from counting twice.
		h.o.Log.Error("webhook: storing the events failed", "provider", provider, "error", err)
		http.Error(w, "store unavailable, try again", http.StatusServiceUnavailable)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (h *Handler) refused(w http.ResponseWriter, provider string, rf *refusal) {
	h.o.Log.Warn("webhook: request refused", "provider", provider, "reason", rf.reason, "why", rf.msg)
	if h.o.OnRefused != nil {
		h.o.OnRefused(provider, rf.reason)
	}
	http.Error(w, rf.reason, rf.status)
}

// record stores each event; one bad event (no address) is logged and
// skipped, never blocking the rest.
func (h *Handler) record(ctx context.Context, provider string, events []digest.Feedback) error {
	for _, f := range events {
		ok, err := h.o.Store.RecordFeedback(ctx, f)
		if errors.Is(err, digest.ErrInvalid) {
			h.o.Log.Warn("webhook: event skipped", "provider", provider, "event", f.EventID, "error", err)
			continue
		}
		if err != nil {
			return err
		}
		if ok {
			h.o.Log.Info("feedback recorded", "source", f.Source, "kind", string(f.Kind), "event", f.EventID, "detail", f.Detail, "at", f.At)
		}
		if h.o.OnEvent != nil {
			h.o.OnEvent(f, ok)
		}
	}
	return nil
}

// fresh checks a signed timestamp against MaxAge both ways.
func (h *Handler) fresh(at time.Time) error {
	if d := h.o.Now().Sub(at); d > h.o.MaxAge || d < -h.o.MaxAge {
		return refuse(http.StatusForbidden, "stale", "timestamp %s is %s from now, beyond %s", at.UTC().Format(time.RFC3339), d.Round(time.Second), h.o.MaxAge)
	}
	return nil
}

// equal compares secrets in constant time.
func equal(a, b string) bool {
	return subtle.ConstantTimeCompare([]byte(a), []byte(b)) == 1
}

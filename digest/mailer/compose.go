package mailer

import (
	"crypto/rand"
	"encoding/base32"
	"fmt"
	"io"
	"net/url"
	"strings"

	"github.com/weeklywrap/digest/digest"
	"github.com/wneessen/go-mail"
)

// Message is one personalized message.
type Message struct {
	To, ToName string
	Subject    string
	HTML, Text string
	// UnsubscribeURL is an http(s) one-click endpoint; it becomes
	// List-Unsubscribe: <URL> with List-Unsubscribe-Post (RFC 8058).
	UnsubscribeURL string
	Headers        map[string]string // extra headers, e.g. "X-Digest-Issue"
}

// reservedHeaders are set by Compose itself; letting Message.Headers
// replace them would break the structure or the sender identity.
var reservedHeaders = map[string]bool{
	"from": true, "to": true, "cc": true, "bcc": true, "reply-to": true, "sender": true,
	"subject": true, "message-id": true, "date": true, "mime-version": true,
	"content-type": true, "content-transfer-encoding": true,
	"list-id": true, "list-unsubscribe": true, "list-unsubscribe-post": true,
}

// maxURL keeps the unfolded List-Unsubscribe line under RFC 5322's
// 998-character limit.
const maxURL = 900

var idEncoding = base32.StdEncoding.WithPadding(base32.NoPadding)

// Compose builds m as a multipart/alternative message (text, then HTML) and
// returns it with its Message-ID (without angle brackets). Every error wraps
// digest.ErrInvalid and names the offending field: the message can never be
// sent as it is, so retrying is pointless.
func Compose(cfg Config, m Message) (*mail.Msg, string, error) {
	cfg, err := cfg.withDefaults()
	if err != nil {
		return nil, "", err
	}
	return compose(cfg, m, nil)
}

// compose is Compose for a cfg that has been through withDefaults. end, if
// set, is called once the content is written and before the message is
// complete (the relay cannot have accepted it yet); an error from it
// abandons the message.
func compose(cfg Config, m Message, end func() error) (*mail.Msg, string, error) {
	if m.Text == "" && m.HTML == "" {
		return nil, "", fmt.Errorf("mailer: %w: message to %q has neither Text nor HTML", digest.ErrInvalid, m.To)
	}
	for _, f := range []struct{ name, v string }{
		{"Subject", m.Subject}, {"ToName", m.ToName}, {"UnsubscribeURL", m.UnsubscribeURL},
	} {
		if err := checkHeaderValue(f.name, f.v); err != nil {
			return nil, "", err
		}
	}
	to, err := parseAddr("To", m.To)
	if err != nil {
		return nil, "", err
	}
	if m.ToName != "" {
		to.Name = m.ToName
	}

	msg := mail.NewMsg(mail.WithNoDefaultUserAgent())
	if cfg.dkim != nil {
		msg.SetDKIM(cfg.dkim)
	}
	if err := msg.From(cfg.From); err != nil {
		return nil, "", fmt.Errorf("mailer: %w: From %q: %w", digest.ErrInvalid, cfg.From, err)
	}
	msg.ToMailAddress(to)
	if cfg.ReplyTo != "" {
		if err := msg.ReplyTo(cfg.ReplyTo); err != nil {
			return nil, "", fmt.Errorf("mailer: %w: ReplyTo %q: %w", digest.ErrInvalid, cfg.ReplyTo, err)
		}
	}
	msg.Subject(m.Subject)
	id := newMessageID(cfg.Domain)
	msg.SetMessageIDWithValue(id)
	msg.SetDate()
	msg.SetGenHeaderPreformatted(mail.Header("List-Id"), cfg.ListID)
	if m.UnsubscribeURL != "" {
		u, err := url.Parse(m.UnsubscribeURL)
		if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || strings.ContainsAny(m.UnsubscribeURL, "<> ") || len(m.UnsubscribeURL) > maxURL {
			return nil, "", fmt.Errorf("mailer: %w: UnsubscribeURL %q is not an absolute http(s) URL", digest.ErrInvalid, m.UnsubscribeURL)
		}
		msg.SetListUnsubscribe(m.UnsubscribeURL)
		msg.SetListUnsubscribePost()
	}
	for k, v := range m.Headers {
		if err := checkHeaderName(k); err != nil {
			return nil, "", err
		}
		if err := checkHeaderValue("header "+k, v); err != nil {
			return nil, "", err
		}
		msg.SetGenHeader(mail.Header(k), v)
	}

	// The parts are written from the strings as they are: the *String
	// setters would copy each (tens of KB per subscriber) into a buffer.
	switch {
	case m.Text != "" && m.HTML != "":
		msg.SetBodyWriter(mail.TypeTextPlain, writeString(m.Text, nil))
		msg.AddAlternativeWriter(mail.TypeTextHTML, writeString(m.HTML, end))
	case m.Text != "":
		msg.SetBodyWriter(mail.TypeTextPlain, writeString(m.Text, end))
	default:
		msg.SetBodyWriter(mail.TypeTextHTML, writeString(m.HTML, end))
	}
	return msg, id, nil
}

// writeString writes s through a small buffer: the part's encoder has no
// WriteString, and io.WriteString would copy all of s for each message.
// Then it calls end, if set: the last part's content is then written (to
// go-mail's buffer; the final dot comes after it).
func writeString(s string, end func() error) func(io.Writer) (int64, error) {
	return func(w io.Writer) (int64, error) {
		buf := make([]byte, min(len(s), 4096))
		var total int64
		for rest := s; len(rest) > 0; {
			k := copy(buf, rest)
			n, err := w.Write(buf[:k])
			total += int64(n)
			if err != nil {
				return total, err
			}
			rest = rest[k:]
		}
		if end != nil {
			return total, end()
		}
		return total, nil
	}
}

// checkHeaderName accepts RFC 5322 field names that Compose does not own.
func checkHeaderName(k string) error {
	if k == "" {
		return fmt.Errorf("mailer: %w: empty header name", digest.ErrInvalid)
	}
	for i := 0; i < len(k); i++ {
		if c := k[i]; c <= ' ' || c >= 0x7f || c == ':' {
			return fmt.Errorf("mailer: %w: header name %q has a forbidden character at byte %d", digest.ErrInvalid, k, i)
		}
	}
	if reservedHeaders[strings.ToLower(k)] {
		return fmt.Errorf("mailer: %w: header %q is set by the mailer itself", digest.ErrInvalid, k)
	}
	return nil
}

// newMessageID returns a random, globally unique Message-ID on domain:
// 20 random bytes, so collisions are not a concern.
func newMessageID(domain string) string {
	var b [20]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails
	return strings.ToLower(idEncoding.EncodeToString(b[:])) + "@" + domain
}

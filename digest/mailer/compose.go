package mailer

import (
	"crypto/rand"
	"encoding/base32"
	"fmt"
	"io"
	"net/url"
	"strings"
	"sync"

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
	// WriteHTML and WriteText, when set, write the parts in place of HTML
	// and Text: a message personalized from a prepared rendering goes from
	// its pieces into the encoder, never built as a string of its own (tens
	// of KB per subscriber). w has WriteString, which copies through a
	// small buffer. They may be called more than once (DKIM writes the
	// message twice) and must write the same each time.
	WriteHTML, WriteText func(w io.Writer) (int64, error)
	// WriteHTMLQP and WriteTextQP, when set beside WriteHTML and WriteText,
	// write the same parts already quoted-printable encoded (CRLF line
	// ends, lines of at most 76 characters): the bulk send's parts, whose
	// fixed text is encoded once for the whole list and only each reader's
	// own values per message. A Sender without DKIM then writes them to the
	// relay as they are (see encodedMsg); with DKIM, go-mail signs the
	// message and encodes WriteHTML and WriteText itself.
	WriteHTMLQP, WriteTextQP func(w io.Writer) (int64, error)
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
	msg, id, err := composeHead(cfg, m)
	if err != nil {
		return nil, "", err
	}
	hasHTML, hasText := m.parts()
	// The parts are written from the strings as they are: the *String
	// setters would copy each (tens of KB per subscriber) into a buffer.
	html, text := m.WriteHTML, m.WriteText
	if html == nil {
		html = writeString(m.HTML)
	}
	if text == nil {
		text = writeString(m.Text)
	}
	switch {
	case hasText && hasHTML:
		msg.SetBodyWriter(mail.TypeTextPlain, part(text, nil))
		msg.AddAlternativeWriter(mail.TypeTextHTML, part(html, end))
	case hasText:
		msg.SetBodyWriter(mail.TypeTextPlain, part(text, end))
	default:
		msg.SetBodyWriter(mail.TypeTextHTML, part(html, end))
	}
	return msg, id, nil
}

// composeHead checks m and builds its headers, everything but the parts.
func composeHead(cfg Config, m Message) (*mail.Msg, string, error) {
	hasHTML, hasText := m.parts()
	if !hasText && !hasHTML {
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
	return msg, id, nil
}

// parts reports which parts m has, as strings or as writers.
func (m Message) parts() (hasHTML, hasText bool) {
	return m.HTML != "" || m.WriteHTML != nil, m.Text != "" || m.WriteText != nil
}

// encoded reports whether every part m has comes encoded as well, so
// that the encoded path sends the same parts go-mail's would.
func (m Message) encoded() bool {
	hasHTML, hasText := m.parts()
	if m.WriteHTMLQP == nil && m.WriteTextQP == nil {
		return false
	}
	return (!hasHTML || m.WriteHTMLQP != nil) && (!hasText || m.WriteTextQP != nil)
}

func writeString(s string) func(io.Writer) (int64, error) {
	return func(w io.Writer) (int64, error) {
		n, err := io.WriteString(w, s)
		return int64(n), err
	}
}

// part writes one part through a stringWriter, then calls end, if set:
// the last part's content is then written (to go-mail's buffer; the final
// dot comes after it).
func part(write func(io.Writer) (int64, error), end func() error) func(io.Writer) (int64, error) {
	return func(w io.Writer) (int64, error) {
		sw := stringWriters.Get().(*stringWriter)
		sw.w = w
		total, err := write(sw)
		sw.w = nil
		stringWriters.Put(sw)
		if err == nil && end != nil {
			err = end()
		}
		return total, err
	}
}

// stringWriter gives a part's encoder, which has no WriteString, one that
// copies through a small buffer: io.WriteString would copy the whole
// string (the prepared issue's pieces, tens of KB) for each message. The
// buffers are pooled, as every message of a send needs one per part.
type stringWriter struct {
	w   io.Writer
	buf [4096]byte
}

var stringWriters = sync.Pool{New: func() any { return new(stringWriter) }}

func (sw *stringWriter) Write(p []byte) (int, error) { return sw.w.Write(p) }

func (sw *stringWriter) WriteString(s string) (int, error) {
	total := 0
	for len(s) > 0 {
		k := copy(sw.buf[:], s)
		n, err := sw.w.Write(sw.buf[:k])
		total += n
		if err != nil {
			return total, err
		}
		s = s[k:]
	}
	return total, nil
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

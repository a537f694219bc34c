package mailer

import (
	"crypto/tls"
	"fmt"
	netmail "net/mail"
	"strings"
	"time"

	"github.com/weeklywrap/digest/digest"
	"github.com/wneessen/go-mail"
)

// Server is one SMTP relay.
type Server struct {
	Host     string
	Port     int // default 587, or 465 with TLS "tls", 25 with TLS "none"
	Username string
	Password string
	// TLS is "starttls" (the default: STARTTLS is mandatory), "tls"
	// (implicit TLS from the first byte) or "none" (plain text; for local
	// relays and tests only).
	TLS     string
	Timeout time.Duration // per connection and command; default 30s
	// TLSConfig replaces the default TLS settings, e.g. to trust a private
	// CA (RootCAs); ServerName defaults to Host.
	TLSConfig *tls.Config
}

// Config is how and where the list's mail is sent.
type Config struct {
	Servers     []Server // tried in order; later ones are fallbacks
	From        string   // "The Weekly Wrap <wrap@example.org>"
	ReplyTo     string   // optional
	Domain      string   // right side of Message-IDs; default: From's domain
	ListID      string   // List-Id value; default "<list.Domain>"
	Connections int      // parallel SMTP connections; default 4
	PerSecond   float64  // rate limit; 0 = none
	PerHour     int      // rate limit; 0 = none
	// Budget, when set, shares PerSecond and PerHour with every other
	// process on the same store: together they send no faster than the
	// limits, instead of each alone.
	Budget         Budget
	MaxAttempts    int           // attempts before a temporary failure is final; default 8
	RetryBase      time.Duration // delay before the first retry, doubling after; default 1m
	MaxHardBounces int           // permanent failures before a subscriber is suppressed; default 3
	// Lease is how long a claimed delivery or notice stays with this
	// worker without renewal; a live worker renews its claims every
	// Lease/3 (a heartbeat), and after a crash another worker takes them
	// over once the lease runs out. Default 15 seconds.
	Lease time.Duration
	// OnSend, when set, hears how long each SMTP transaction took (for
	// the latency metric); it must be quick and safe for concurrent use.
	OnSend func(took time.Duration, err error)

	// DKIMSelector and DKIMKey sign every message with DKIM (RFC 6376)
	// for d=Domain when both are set; the public key is published at
	// <selector>._domainkey.<Domain>. DKIMKey is a PEM private key: RSA
	// (PKCS #1 or #8) or Ed25519 (PKCS #8).
	DKIMSelector string
	DKIMKey      []byte

	dkim *mail.DKIMSigner // built from the two above by withDefaults
}

// DefaultLease is Config.Lease when unset.
const DefaultLease = 15 * time.Second

// dkimHeaders are the signed headers. Receivers honour one-click
// unsubscribe (RFC 8058 section 4) only when List-Unsubscribe and
// List-Unsubscribe-Post are covered by a valid signature. The list is no
// longer because go-mail v0.8.1 folds an h= tag that does not fit on one
// line (76 columns) in the middle of a name and then signs the unfolded
// text, so the signature fails to verify; this list is 72 columns with
// "h=" and TestComposeDKIM verifies real signatures.
var dkimHeaders = []string{
	"From", "To", "Subject", "Date", "Message-ID", "List-Unsubscribe", "List-Unsubscribe-Post",
}

// withDefaults returns c with zero fields set to their defaults and checks
// what Compose and the Sender rely on.
func (c Config) withDefaults() (Config, error) {
	from, err := parseAddr("From", c.From)
	if err != nil {
		return c, err
	}
	if c.ReplyTo != "" {
		if _, err := parseAddr("ReplyTo", c.ReplyTo); err != nil {
			return c, err
		}
	}
	if c.Domain == "" {
		c.Domain = from.Address[strings.LastIndexByte(from.Address, '@')+1:]
	}
	if err := checkHeaderValue("Domain", c.Domain); err != nil {
		return c, err
	}
	if strings.ContainsAny(c.Domain, "<>@ \t") {
		return c, fmt.Errorf("mailer: %w: Domain %q is not a domain name", digest.ErrInvalid, c.Domain)
	}
	if c.ListID == "" {
		c.ListID = "<list." + c.Domain + ">"
	}
	if err := checkHeaderValue("ListID", c.ListID); err != nil {
		return c, err
	}
	if c.Connections <= 0 {
		c.Connections = 4
	}
	if c.MaxAttempts <= 0 {
		c.MaxAttempts = 8
	}
	if c.Lease <= 0 {
		c.Lease = DefaultLease
	}
	if c.RetryBase <= 0 {
		c.RetryBase = time.Minute
	}
	if c.MaxHardBounces <= 0 {
		c.MaxHardBounces = 3
	}
	if (c.DKIMSelector == "") != (len(c.DKIMKey) == 0) {
		return c, fmt.Errorf("mailer: %w: DKIM needs both DKIMSelector and DKIMKey", digest.ErrInvalid)
	}
	if c.DKIMSelector != "" && c.dkim == nil {
		key, err := mail.PrivKeyFromPEM(c.DKIMKey)
		if err != nil {
			return c, fmt.Errorf("mailer: %w: DKIMKey: %w", digest.ErrInvalid, err)
		}
		c.dkim = mail.NewDKIMSigner(c.Domain, c.DKIMSelector, key)
		c.dkim.SignHeaders(dkimHeaders...)
		// The first Sign records the key's algorithm in the signer; doing it
		// here keeps that write away from the concurrent sends, and proves
		// the key can sign.
		if _, err := c.dkim.Sign([]byte("From: <"+c.DKIMSelector+"@"+c.Domain+">\r\n"), nil); err != nil {
			return c, fmt.Errorf("mailer: %w: DKIM: %w", digest.ErrInvalid, err)
		}
	}
	if c.PerSecond < 0 || c.PerHour < 0 {
		return c, fmt.Errorf("mailer: negative rate limit (PerSecond %v, PerHour %d)", c.PerSecond, c.PerHour)
	}
	return c, nil
}

// withDefaults fills in the port and timeout and checks the TLS mode.
func (s Server) withDefaults() (Server, error) {
	if s.Host == "" {
		return s, fmt.Errorf("mailer: server without Host")
	}
	s.TLS = strings.ToLower(strings.TrimSpace(s.TLS))
	switch s.TLS {
	case "", "starttls":
		s.TLS = "starttls"
		if s.Port == 0 {
			s.Port = 587
		}
	case "tls":
		if s.Port == 0 {
			s.Port = 465
		}
	case "none":
		if s.Port == 0 {
			s.Port = 25
		}
	default:
		return s, fmt.Errorf("mailer: server %s: TLS %q is not one of starttls, tls, none", s.Host, s.TLS)
	}
	if s.Timeout <= 0 {
		s.Timeout = 30 * time.Second
	}
	return s, nil
}

// parseAddr parses one address, refusing CR/LF before the parser can
// unfold them away.
func parseAddr(field, v string) (*netmail.Address, error) {
	if err := checkHeaderValue(field, v); err != nil {
		return nil, err
	}
	a, err := netmail.ParseAddress(v)
	if err != nil {
		return nil, fmt.Errorf("mailer: %w: %s %q: %w", digest.ErrInvalid, field, v, err)
	}
	return a, nil
}

// checkHeaderValue rejects the characters that would end a header line
// and let input add headers or a body of its own.
func checkHeaderValue(field, v string) error {
	if i := strings.IndexAny(v, "\r\n\x00"); i >= 0 {
		return fmt.Errorf("mailer: %w: %s contains a line break or NUL at byte %d", digest.ErrInvalid, field, i)
	}
	return nil
}

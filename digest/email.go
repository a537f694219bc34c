package digest

import (
	"fmt"
	"net/mail"
	"strings"
)

// MaxEmailLen is the longest address accepted (RFC 5321's path limit).
const MaxEmailLen = 254

// NormalizeEmail validates a bare address and returns it lower-cased.
// It refuses display names, CR/LF and other control characters (header
// injection), and over-long addresses. Errors wrap ErrInvalid.
func NormalizeEmail(s string) (string, error) {
	s = strings.TrimSpace(s)
	switch {
	case s == "":
		return "", fmt.Errorf("empty address: %w", ErrInvalid)
	case len(s) > MaxEmailLen:
		return "", fmt.Errorf("address longer than %d characters: %w", MaxEmailLen, ErrInvalid)
	case strings.ContainsFunc(s, func(r rune) bool { return r < 0x20 || r == 0x7f || r == ' ' || r == '<' || r == '>' || r == ',' }):
		return "", fmt.Errorf("address %q contains spaces, control characters or separators: %w", s, ErrInvalid)
	}
	a, err := mail.ParseAddress(s)
	if err != nil || a.Address != s || a.Name != "" {
		return "", fmt.Errorf("%q is not an email address like name@example.org: %w", s, ErrInvalid)
	}
	local, domain, ok := strings.Cut(s, "@")
	if !ok || local == "" || len(local) > 64 || !strings.Contains(domain, ".") || strings.HasPrefix(domain, ".") || strings.HasSuffix(domain, ".") {
		return "", fmt.Errorf("%q is not an email address like name@example.org: %w", s, ErrInvalid)
	}
	return strings.ToLower(s), nil
}

// MaxNameLen is the longest subscriber name kept, in characters.
const MaxNameLen = 100

// CleanName makes a subscriber's name safe for a greeting and a mail
// header: control characters (CR/LF included) are dropped, white space is
// collapsed, and it is cut to MaxNameLen characters.
func CleanName(n string) string {
	n = strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f {
			return -1
		}
		return r
	}, n)
	n = strings.Join(strings.Fields(n), " ")
	if r := []rune(n); len(r) > MaxNameLen {
		n = string(r[:MaxNameLen])
	}
	return n
}

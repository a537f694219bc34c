package digest

import (
	"errors"
	"testing"
)

func TestNormalizeEmail(t *testing.T) {
	good := map[string]string{"Ann@Example.ORG": "ann@example.org", " bob+news@mail.example.com ": "bob+news@mail.example.com"}
	for in, want := range good {
		if got, err := NormalizeEmail(in); err != nil || got != want {
			t.Errorf("NormalizeEmail(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	bad := []string{"", "no-at-sign", "a@b", "Ann <ann@example.org>", "ann@example.org\r\nBcc: x@evil.example",
		"ann@example.org\nX: y", "a,b@example.org", "ann@.example.org", "x@example.org.", string(make([]byte, 300)) + "@example.org"}
	for _, in := range bad {
		if _, err := NormalizeEmail(in); !errors.Is(err, ErrInvalid) {
			t.Errorf("NormalizeEmail(%q) err = %v, want ErrInvalid", in, err)
		}
	}
}

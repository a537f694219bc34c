package digest

import (
	"errors"
	"strings"
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

func TestCleanName(t *testing.T) {
	for in, want := range map[string]string{
		"  Ann   Lee ":                  "Ann Lee",
		"Eve\r\nBcc: x@evil.example":    "EveBcc: x@evil.example",
		"Tab\tName":                     "TabName",
		string(make([]rune, 0)) + "Zoë": "Zoë",
	} {
		if got := CleanName(in); got != want {
			t.Errorf("CleanName(%q) = %q, want %q", in, got, want)
		}
	}
	long := strings.Repeat("é", 150)
	if got := CleanName(long); len([]rune(got)) != MaxNameLen {
		t.Errorf("long name kept %d characters", len([]rune(got)))
	}
}

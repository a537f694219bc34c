package token

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func TestSignVerify(t *testing.T) {
	now := time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)
	old, _ := NewSigner("old-secret-0123456789")
	s, err := NewSigner("new-secret-0123456789", "old-secret-0123456789")
	if err != nil {
		t.Fatal(err)
	}
	tok := s.Sign(Unsubscribe, 42, time.Time{})
	if id, err := s.Verify(Unsubscribe, tok, now); err != nil || id != 42 {
		t.Fatalf("Verify = %d, %v", id, err)
	}
	// Rotation: a token signed with the old key still verifies.
	if id, err := s.Verify(Unsubscribe, old.Sign(Unsubscribe, 7, time.Time{}), now); err != nil || id != 7 {
		t.Errorf("old-key token: %d, %v", id, err)
	}
	bad := []struct{ name, purpose, tok string }{
		{"wrong purpose", Confirm, tok},
		{"tampered payload", Unsubscribe, enc.EncodeToString([]byte("unsub:43:0")) + tok[strings.Index(tok, "."):]},
		{"tampered mac", Unsubscribe, tok[:len(tok)-2] + "AA"},
		{"forged", Unsubscribe, "dW5zdWI6MTow.AAAAAAAAAAAAAAAAAAAAAAAAAAA"},
		{"garbage", Unsubscribe, "not-a-token"},
		{"empty", Unsubscribe, ""},
	}
	for _, b := range bad {
		if _, err := s.Verify(b.purpose, b.tok, now); !errors.Is(err, ErrInvalid) {
			t.Errorf("%s: err = %v, want ErrInvalid", b.name, err)
		}
	}
	other, _ := NewSigner("another-secret-0123456789")
	if _, err := other.Verify(Unsubscribe, tok, now); !errors.Is(err, ErrInvalid) {
		t.Errorf("other key: err = %v", err)
	}
	exp := s.Sign(Confirm, 5, now.Add(time.Hour))
	if _, err := s.Verify(Confirm, exp, now.Add(59*time.Minute)); err != nil {
		t.Errorf("before expiry: %v", err)
	}
	if _, err := s.Verify(Confirm, exp, now.Add(61*time.Minute)); !errors.Is(err, ErrExpired) {
		t.Errorf("after expiry: err = %v, want ErrExpired", err)
	}
	if _, err := NewSigner("short"); err == nil {
		t.Error("short secret accepted")
	}
}

func TestLinks(t *testing.T) {
	s, _ := NewSigner("links-secret-0123456789")
	prefs, unsub := s.Links("https://wrap.example/", 9)
	for link, purpose := range map[string]string{prefs: Preferences, unsub: Unsubscribe} {
		prefix := map[string]string{Preferences: "https://wrap.example/preferences/", Unsubscribe: "https://wrap.example/unsubscribe/"}[purpose]
		if !strings.HasPrefix(link, prefix) {
			t.Fatalf("link %q lacks %q", link, prefix)
		}
		if id, err := s.Verify(purpose, strings.TrimPrefix(link, prefix), time.Now().AddDate(10, 0, 0)); err != nil || id != 9 {
			t.Errorf("%s link: %d, %v (must verify and never expire)", purpose, id, err)
		}
	}
}

// A bound token carries one more number (a subscriber's version) and is
// accepted only by VerifyBound; the two kinds never stand in for each other.
func TestBoundTokens(t *testing.T) {
	s, _ := NewSigner("0123456789abcdef-secret")
	now := time.Unix(1_800_000_000, 0)
	tok := s.SignBound(Confirm, 42, 7, now.Add(time.Hour))
	id, v, err := s.VerifyBound(Confirm, tok, now)
	if err != nil || id != 42 || v != 7 {
		t.Fatalf("VerifyBound = %d, %d, %v", id, v, err)
	}
	if _, err := s.Verify(Confirm, tok, now); !errors.Is(err, ErrInvalid) {
		t.Errorf("Verify accepted a bound token: %v", err)
	}
	if _, _, err := s.VerifyBound(Confirm, s.Sign(Confirm, 42, now.Add(time.Hour)), now); !errors.Is(err, ErrInvalid) {
		t.Errorf("VerifyBound accepted an unbound token: %v", err)
	}
	if _, _, err := s.VerifyBound(Unsubscribe, tok, now); !errors.Is(err, ErrInvalid) {
		t.Errorf("wrong purpose: %v", err)
	}
	if _, _, err := s.VerifyBound(Confirm, tok, now.Add(2*time.Hour)); !errors.Is(err, ErrExpired) {
		t.Errorf("expired: %v", err)
	}
	// The bound number is signed: changing it breaks the token.
	raw, _ := enc.DecodeString(strings.SplitN(tok, ".", 2)[0])
	forged := enc.EncodeToString([]byte(strings.Replace(string(raw), ":7", ":8", 1))) + "." + strings.SplitN(tok, ".", 2)[1]
	if _, _, err := s.VerifyBound(Confirm, forged, now); !errors.Is(err, ErrInvalid) {
		t.Errorf("forged version accepted: %v", err)
	}
}

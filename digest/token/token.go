// Package token signs and verifies the links in emails (confirm,
// unsubscribe, preferences) with HMAC-SHA256. Several keys may be given,
// newest first: new tokens use the first, and any of them verifies, so keys
// can be rotated without breaking links in mail already sent.
package token

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Purposes keep a token for one action from working for another.
const (
	Confirm     = "confirm"
	Unsubscribe = "unsub"
	Preferences = "prefs"
)

var (
	ErrInvalid = errors.New("token: invalid or tampered")
	ErrExpired = errors.New("token: expired")
)

// Signer holds the keys.
type Signer struct {
	keys [][]byte
}

// NewSigner takes one or more secrets, newest first. Each must be at least
// 16 bytes so a short secret cannot be guessed.
func NewSigner(secrets ...string) (*Signer, error) {
	s := &Signer{}
	for _, sec := range secrets {
		if len(sec) < 16 {
			return nil, fmt.Errorf("token: secret too short (%d bytes); use at least 16 random bytes", len(sec))
		}
		s.keys = append(s.keys, []byte(sec))
	}
	if len(s.keys) == 0 {
		return nil, errors.New("token: no secret configured")
	}
	return s, nil
}

var enc = base64.RawURLEncoding

func mac(key []byte, payload string) []byte {
	h := hmac.New(sha256.New, key)
	h.Write([]byte(payload))
	return h.Sum(nil)[:20]
}

// Sign returns a URL-safe token binding purpose and subscriber id. A zero
// expires means the token does not expire (unsubscribe links in old mail
// must keep working).
func (s *Signer) Sign(purpose string, id int64, expires time.Time) string {
	exp := int64(0)
	if !expires.IsZero() {
		exp = expires.Unix()
	}
	payload := purpose + ":" + strconv.FormatInt(id, 10) + ":" + strconv.FormatInt(exp, 36)
	return enc.EncodeToString([]byte(payload)) + "." + enc.EncodeToString(mac(s.keys[0], payload))
}

// Verify checks a token for purpose and returns the subscriber id.
func (s *Signer) Verify(purpose, tok string, now time.Time) (int64, error) {
	p64, m64, ok := strings.Cut(tok, ".")
	if !ok || len(tok) > 200 {
		return 0, ErrInvalid
	}
	raw, err1 := enc.DecodeString(p64)
	sig, err2 := enc.DecodeString(m64)
	if err1 != nil || err2 != nil {
		return 0, ErrInvalid
	}
	payload := string(raw)
	valid := false
	for _, k := range s.keys {
		if hmac.Equal(sig, mac(k, payload)) {
			valid = true
			break
		}
	}
	if !valid {
		return 0, ErrInvalid
	}
	parts := strings.Split(payload, ":")
	if len(parts) != 3 || parts[0] != purpose {
		return 0, ErrInvalid
	}
	id, err := strconv.ParseInt(parts[1], 10, 64)
	if err != nil {
		return 0, ErrInvalid
	}
	exp, err := strconv.ParseInt(parts[2], 36, 64)
	if err != nil {
		return 0, ErrInvalid
	}
	if exp != 0 && now.Unix() > exp {
		return 0, ErrExpired
	}
	return id, nil
}

// Links returns a subscriber's preferences and unsubscribe URLs on the
// site at baseURL. These links never expire: they sit in mail already sent.
func (s *Signer) Links(baseURL string, id int64) (prefs, unsub string) {
	base := strings.TrimRight(baseURL, "/")
	return base + "/preferences/" + s.Sign(Preferences, id, time.Time{}),
		base + "/unsubscribe/" + s.Sign(Unsubscribe, id, time.Time{})
}

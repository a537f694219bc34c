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

	"github.com/weeklywrap/digest/digest/route"
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

// SignBound is Sign with one more number bound into the token: a state
// the action depends on (the subscriber's version, for confirm links), so
// the token stops working once that state has moved on.
func (s *Signer) SignBound(purpose string, id, bound int64, expires time.Time) string {
	exp := int64(0)
	if !expires.IsZero() {
		exp = expires.Unix()
	}
	payload := purpose + ":" + strconv.FormatInt(id, 10) + ":" + strconv.FormatInt(exp, 36) + ":" + strconv.FormatInt(bound, 10)
	return enc.EncodeToString([]byte(payload)) + "." + enc.EncodeToString(mac(s.keys[0], payload))
}

// Verify checks a token for purpose and returns the subscriber id.
func (s *Signer) Verify(purpose, tok string, now time.Time) (int64, error) {
	parts, err := s.verify(purpose, tok, now, 3)
	if err != nil {
		return 0, err
	}
	return parts[0], nil
}

// VerifyBound checks a token made by SignBound and returns the subscriber
// id and the bound number. A token from Sign does not verify here, nor
// one from SignBound in Verify.
func (s *Signer) VerifyBound(purpose, tok string, now time.Time) (id, bound int64, err error) {
	parts, err := s.verify(purpose, tok, now, 4)
	if err != nil {
		return 0, 0, err
	}
	return parts[0], parts[2], nil
}

// verify checks signature, purpose, field count and expiry, and returns
// the numbers after the purpose: id, expiry, and any bound number.
func (s *Signer) verify(purpose, tok string, now time.Time, fields int) ([]int64, error) {
	p64, m64, ok := strings.Cut(tok, ".")
	if !ok || len(tok) > 200 {
		return nil, ErrInvalid
	}
	raw, err1 := enc.DecodeString(p64)
	sig, err2 := enc.DecodeString(m64)
	if err1 != nil || err2 != nil {
		return nil, ErrInvalid
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
		return nil, ErrInvalid
	}
	parts := strings.Split(payload, ":")
	if len(parts) != fields || parts[0] != purpose {
		return nil, ErrInvalid
	}
	nums := make([]int64, 0, fields-1)
	for i, p := range parts[1:] {
		base := 10
		if i == 1 {
			base = 36 // the expiry
		}
		n, err := strconv.ParseInt(p, base, 64)
		if err != nil {
			return nil, ErrInvalid
		}
		nums = append(nums, n)
	}
	if exp := nums[1]; exp != 0 && now.Unix() > exp {
		return nil, ErrExpired
	}
	return nums, nil
}

// Links returns a subscriber's preferences and unsubscribe URLs on the
// site at baseURL. These links never expire: they sit in mail already sent.
func (s *Signer) Links(baseURL string, id int64) (prefs, unsub string) {
	site := route.Site(baseURL)
	return site.Preferences(s.Sign(Preferences, id, time.Time{})),
		site.Unsubscribe(s.Sign(Unsubscribe, id, time.Time{}))
}

package racetest

import (
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/weeklywrap/digest/digest"
	"github.com/weeklywrap/digest/digest/route"
	"github.com/weeklywrap/digest/digest/token"
	"github.com/weeklywrap/digest/digest/web"
	"github.com/weeklywrap/digest/templates"
)

// Site is the real site a race runs against, over real HTTP.
type Site struct {
	URL    string
	Tokens *token.Signer
	client *http.Client
}

// Post posts the url-encoded form to path on the site and wants 200 OK.
func (s *Site) Post(path, form string) error { return PostForm(s.client, s.URL+path, form) }

// Unsubscribe is the one click of a List-Unsubscribe-Post header (RFC 8058).
func (s *Site) Unsubscribe(id int64) error {
	return s.Post(route.Path.Unsubscribe(s.Tokens.Sign(token.Unsubscribe, id, time.Time{})), "List-Unsubscribe=One-Click")
}

// Unsubscribe races a one-click unsubscribe through the site against
// another change to the same subscriber.
type Unsubscribe struct {
	// Other names the other change in messages ("bounce").
	Other string
	// Site is the site's options; Run fills in the store, tokens,
	// templates and a silent log.
	Site web.Options
	// Like is each subscriber stored, but for its address and status.
	Like digest.Subscriber
	// Do makes the other change.
	Do func(s *Site, sub digest.Subscriber) error
	// Kept tells whether the other change is there at the end.
	Kept func(got digest.Subscriber) bool
}

// Run serves the real site on st, stores n confirmed subscribers, and for
// each runs Do and a one-click unsubscribe at the same moment (Pairs).
// Then it reads every subscriber again: each must be unsubscribed, and
// Kept. A subscriber that is not fails t.
func (u Unsubscribe) Run(t *testing.T, st digest.Store, n int) {
	t.Helper()
	tokens, err := token.NewSigner("race-test-secret-0123456789")
	if err != nil {
		t.Fatal(err)
	}
	opts := u.Site
	opts.Store, opts.Tokens, opts.Templates = st, tokens, templates.FS
	opts.Log = slog.New(slog.NewTextHandler(io.Discard, nil))
	site, err := web.New(opts)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(site.Handler())
	defer srv.Close()
	s := &Site{URL: srv.URL, Tokens: tokens, client: Client(t)}
	subs := make([]digest.Subscriber, n)
	for i := range subs {
		sub := u.Like
		sub.Email, sub.Status = fmt.Sprintf("race%d@example.org", i), digest.StatusConfirmed
		if subs[i], err = st.AddSubscriber(t.Context(), sub); err != nil {
			t.Fatal(err)
		}
	}
	start := time.Now()
	Pairs(t, subs, func(sub digest.Subscriber) error { return u.Do(s, sub) },
		func(sub digest.Subscriber) error { return s.Unsubscribe(sub.ID) })
	took := time.Since(start)
	undone, lost := 0, 0
	for _, sub := range subs {
		got, err := st.Subscriber(t.Context(), sub.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Status != digest.StatusUnsubscribed {
			undone++
		}
		if !u.Kept(got) {
			lost++
		}
	}
	t.Logf("%d concurrent %s/unsubscribe pairs in %s: %d unsubscribes undone, %d of the %[2]s changes lost",
		n, u.Other, took.Round(time.Millisecond), undone, lost)
	if undone > 0 || lost > 0 {
		t.Errorf("%d of %d unsubscribes were undone by a concurrent %s; %d of the %[3]s changes lost", undone, n, u.Other, lost)
	}
}

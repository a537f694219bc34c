package service

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"

	"github.com/weeklywrap/digest/digest"
	"github.com/weeklywrap/digest/digest/mailer"
	"github.com/weeklywrap/digest/digest/render"
	"github.com/weeklywrap/digest/digest/route"
)

// TestSend is what SendTest did.
type TestSend struct {
	Issue     int    // the number the issue will have when it is sent
	Subject   string // as subscribers will see it
	To        string
	MessageID string // empty on a dry run
	WebURL    string // the test copy's "view in browser" page
}

// SendTest builds the next issue without storing it and mails it to one
// address as a subscriber would get it: the same subject, parts and
// headers, List-Unsubscribe and List-Unsubscribe-Post included. Its links
// lead to pages of their own, since the issue and the address are not in
// the store: "view in browser" shows this copy (kept 30 days), and the
// preferences and unsubscribe links work and say they belong to a test,
// changing nothing. With dryRun it builds and reports, sending and storing
// nothing. Returns digest.ErrNoContent when the window has no new article
// and send_empty is off.
func (s *Service) SendTest(ctx context.Context, to, name string, dryRun bool) (TestSend, error) {
	is, _, err := s.Build(ctx, s.Slots.Next(s.Now()))
	if err != nil {
		return TestSend{}, err
	}
	if is.Empty() && !s.Cfg.SendEmpty {
		return TestSend{}, digest.ErrNoContent
	}
	var b [16]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails
	key := hex.EncodeToString(b[:])
	// The links lead to /test/{key}/issues/{n} (the copy), and to
	// /test/{key}/preferences and /test/{key}/unsubscribe (pages saying
	// they belong to a test).
	test := route.Site(s.Cfg.Newsletter.BaseURL).Test(key)
	site := string(test)
	p, err := s.Render.WithBaseURL(site).Prepare(&is)
	if err != nil {
		return TestSend{}, fmt.Errorf("render issue %d: %w", is.Number, err)
	}
	if err := s.enforceChecks(p, is.Number); err != nil {
		return TestSend{}, err
	}
	pe := render.Personal{Name: name, Email: to, PreferencesURL: test.URL(route.Preferences), UnsubscribeURL: test.URL(route.Unsubscribe)}
	m := mailer.Message{To: to, ToName: name, Subject: p.Subject(), HTML: p.HTML(pe), Text: p.Text(pe),
		UnsubscribeURL: pe.UnsubscribeURL, Headers: map[string]string{"X-Digest-Issue": fmt.Sprint(is.Number)}}
	out := TestSend{Issue: is.Number, Subject: m.Subject, To: to, WebURL: render.WebURL(site, is.Number)}
	if dryRun {
		return out, nil
	}
	if err := s.Store.SaveTestCopy(ctx, key, p.HTML(render.Personal{})); err != nil {
		return out, err
	}
	snd, err := s.Sender()
	if err != nil {
		return out, err
	}
	if out.MessageID, err = snd.Send(ctx, m); err != nil {
		return out, fmt.Errorf("send to %s: %w", to, err)
	}
	return out, nil
}

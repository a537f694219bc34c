package service

import (
	"bytes"
	"context"
	"fmt"
	htmltemplate "html/template"
	"io/fs"
	texttemplate "text/template"
	"time"

	"github.com/weeklywrap/digest/digest"
	"github.com/weeklywrap/digest/digest/render"
	"github.com/weeklywrap/digest/digest/route"
	"github.com/weeklywrap/digest/digest/token"
)

// Notices renders the mail other than issues from the notice/ templates
// and hands it to the service's outbox (Service.Outbox), which stores it
// and sends it with retries: nothing is lost to a relay's hiccup or a
// restart. It implements web.Notifier.
type Notices struct {
	svc   *Service
	cat   *render.Catalog
	html  *htmltemplate.Template
	text  *texttemplate.Template
	valid string
}

// NewNotices parses notice/*.tmpl from fsys with the labels of the
// newsletter's language (lang/<code>.json in fsys); valid is how long a
// confirm link works.
func (s *Service) NewNotices(fsys fs.FS, valid time.Duration) (*Notices, error) {
	cat, err := render.LoadCatalog(fsys, s.Cfg.Newsletter.Lang)
	if err != nil {
		return nil, fmt.Errorf("notice templates: %w", err)
	}
	h, err := htmltemplate.New("").Funcs(cat.Funcs()).ParseFS(fsys, "notice/*.html.tmpl")
	if err != nil {
		return nil, fmt.Errorf("notice templates: %w", err)
	}
	t, err := texttemplate.New("").Funcs(cat.Funcs()).ParseFS(fsys, "notice/*.txt.tmpl")
	if err != nil {
		return nil, fmt.Errorf("notice templates: %w", err)
	}
	return &Notices{svc: s, cat: cat, html: h, text: t, valid: cat.Duration(valid)}, nil
}

// Send queues the notice kind for to, rendered from notice/<kind>.html.tmpl
// and notice/<kind>.txt.tmpl with data plus Name, Email, Site, Tagline,
// Lang and Valid, and the functions t and tf (render.Catalog.Funcs). to.ID ties it to a subscriber (and gives it their one-click
// unsubscribe link); leave it 0 for someone not on the list, such as an
// editor. It returns once the notice is stored; the outbox sends it.
func (n *Notices) Send(ctx context.Context, kind, subject string, to digest.Subscriber, data map[string]string) error {
	_, err := n.queue(ctx, kind, subject, to, data, 0)
	return err
}

// queue renders and stores a notice; with every > 0 at most one of kind
// per address per every (see mailer.Outbox.Add).
func (n *Notices) queue(ctx context.Context, kind, subject string, sub digest.Subscriber, data map[string]string, every time.Duration) (bool, error) {
	if data == nil {
		data = map[string]string{}
	}
	nl := n.svc.Cfg.Newsletter
	data["Name"], data["Email"], data["Site"], data["Tagline"], data["Lang"], data["Valid"] = sub.Name, sub.Email, nl.Title, nl.Tagline, n.cat.Lang, n.valid
	var h, t bytes.Buffer
	if err := n.html.ExecuteTemplate(&h, kind+".html.tmpl", data); err != nil {
		return false, fmt.Errorf("%s message: %w", kind, err)
	}
	if err := n.text.ExecuteTemplate(&t, kind+".txt.tmpl", data); err != nil {
		return false, fmt.Errorf("%s message: %w", kind, err)
	}
	ob, err := n.svc.Outbox()
	if err != nil {
		return false, err
	}
	m := n.svc.Message(nil, 0, sub)
	m.Subject, m.HTML, m.Text = subject, h.String(), t.String()
	m.Headers = map[string]string{"X-Digest-Notice": kind}
	queued, err := ob.Add(ctx, kind, sub.ID, m, every)
	if err != nil {
		// The subscriber's ID, not the address: logs should not collect personal data.
		return false, fmt.Errorf("queue %s message to subscriber %d: %w", kind, sub.ID, err)
	}
	if queued {
		n.svc.Log.Info("notice queued", "kind", kind, "subscriber", sub.ID)
	}
	return queued, nil
}

// Confirm queues the double opt-in link. An address gets at most one per
// web.confirm_every: a request while one waits, or within that time after
// one was sent, queues nothing; one that failed for good does not count.
func (n *Notices) Confirm(ctx context.Context, sub digest.Subscriber, link string) error {
	_, err := n.ConfirmQueued(ctx, sub, link)
	return err
}

// ConfirmQueued is Confirm that says whether a message was queued (false
// when the address had one within web.confirm_every).
func (n *Notices) ConfirmQueued(ctx context.Context, sub digest.Subscriber, link string) (bool, error) {
	every := n.svc.Cfg.Web.ConfirmEvery
	if every <= 0 {
		every = time.Hour
	}
	return n.queue(ctx, "confirm", n.cat.Tf("Confirm your subscription to %s", n.svc.Cfg.Newsletter.Title), sub, map[string]string{"Link": link}, every)
}

// ConfirmTTL is how long a confirm link works, on the site and in invitations.
const ConfirmTTL = 48 * time.Hour

// ConfirmLink is the double opt-in link of a pending subscriber. It is
// bound to the subscriber's version: once they unsubscribe, it is dead.
func (s *Service) ConfirmLink(sub digest.Subscriber) string {
	return route.Site(s.Cfg.Newsletter.BaseURL).Confirm(s.Tokens.SignBound(token.Confirm, sub.ID, sub.Version, s.Now().Add(ConfirmTTL)))
}

// Welcome queues the greeting of a newly confirmed subscriber.
func (n *Notices) Welcome(ctx context.Context, sub digest.Subscriber, prefs, unsub string) error {
	return n.Send(ctx, "welcome", n.cat.Tf("Welcome to %s", n.svc.Cfg.Newsletter.Title), sub, map[string]string{"Prefs": prefs, "Unsub": unsub})
}

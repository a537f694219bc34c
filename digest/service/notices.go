package service

import (
	"bytes"
	"context"
	"fmt"
	htmltemplate "html/template"
	"io/fs"
	texttemplate "text/template"

	"github.com/weeklywrap/digest/digest"
)

// Notices sends the subscription messages (confirm, welcome) through the
// service's SMTP sender. It implements web.Notifier.
type Notices struct {
	svc   *Service
	html  *htmltemplate.Template
	text  *texttemplate.Template
	valid string
}

// NewNotices parses notice/*.tmpl from fsys; valid says how long a
// confirm link works, in words ("2 days").
func (s *Service) NewNotices(fsys fs.FS, valid string) (*Notices, error) {
	h, err := htmltemplate.ParseFS(fsys, "notice/*.html.tmpl")
	if err != nil {
		return nil, fmt.Errorf("notice templates: %w", err)
	}
	t, err := texttemplate.ParseFS(fsys, "notice/*.txt.tmpl")
	if err != nil {
		return nil, fmt.Errorf("notice templates: %w", err)
	}
	return &Notices{svc: s, html: h, text: t, valid: valid}, nil
}

func (n *Notices) send(ctx context.Context, name, subject string, sub digest.Subscriber, data map[string]string) error {
	data["Name"], data["Email"], data["Site"], data["Lang"], data["Valid"] = sub.Name, sub.Email, n.svc.Cfg.Newsletter.Title, n.svc.Cfg.Newsletter.Lang, n.valid
	var h, t bytes.Buffer
	if err := n.html.ExecuteTemplate(&h, name+".html.tmpl", data); err != nil {
		return fmt.Errorf("%s message: %w", name, err)
	}
	if err := n.text.ExecuteTemplate(&t, name+".txt.tmpl", data); err != nil {
		return fmt.Errorf("%s message: %w", name, err)
	}
	snd, err := n.svc.Sender()
	if err != nil {
		return err
	}
	m := n.svc.Message(nil, 0, sub)
	m.Subject, m.HTML, m.Text = subject, h.String(), t.String()
	m.Headers = map[string]string{"X-Digest-Notice": name}
	if _, err := snd.Send(ctx, m); err != nil {
		// The subscriber's ID, not the address: logs should not collect personal data.
		return fmt.Errorf("send %s message to subscriber %d: %w", name, sub.ID, err)
	}
	n.svc.Log.Info("notice sent", "kind", name, "subscriber", sub.ID)
	return nil
}

// Confirm sends the double opt-in link.
func (n *Notices) Confirm(ctx context.Context, sub digest.Subscriber, link string) error {
	return n.send(ctx, "confirm", "Confirm your subscription to "+n.svc.Cfg.Newsletter.Title, sub, map[string]string{"Link": link})
}

// Welcome greets a confirmed subscriber.
func (n *Notices) Welcome(ctx context.Context, sub digest.Subscriber, prefs, unsub string) error {
	return n.send(ctx, "welcome", "Welcome to "+n.svc.Cfg.Newsletter.Title, sub, map[string]string{"Prefs": prefs, "Unsub": unsub})
}

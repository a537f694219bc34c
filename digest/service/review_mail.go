package service

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	htmltemplate "html/template"
	"io/fs"
	"strings"
	texttemplate "text/template"
	"time"

	"github.com/weeklywrap/digest/digest"
	"github.com/weeklywrap/digest/digest/config"
	"github.com/weeklywrap/digest/digest/render"
	"github.com/weeklywrap/digest/digest/route"
	"github.com/weeklywrap/digest/digest/token"
)

// EditorMail writes the editors' mail: the review email (the draft as
// subscribers will see it, under a note with a link that signs the editor
// in to the desk), reminders, and sign-in links. Like the subscription
// notices, it goes into the service's outbox, which stores it and sends it
// with retries (`digest serve` runs the outbox).
type EditorMail struct {
	svc  *Service
	html *htmltemplate.Template
	text *texttemplate.Template
}

// NewEditorMail parses notice/review.* and notice/signin.* from fsys.
func (s *Service) NewEditorMail(fsys fs.FS) (*EditorMail, error) {
	h, err := htmltemplate.ParseFS(fsys, "notice/review.html.tmpl", "notice/signin.html.tmpl")
	if err != nil {
		return nil, fmt.Errorf("editor mail templates: %w", err)
	}
	t, err := texttemplate.ParseFS(fsys, "notice/review.txt.tmpl", "notice/signin.txt.tmpl")
	if err != nil {
		return nil, fmt.Errorf("editor mail templates: %w", err)
	}
	return &EditorMail{svc: s, html: h, text: t}, nil
}

// What a review message is about.
type mailKind string

const (
	mailReview   mailKind = "review"   // a new draft
	mailReminder mailKind = "reminder" // nobody approved it yet, the slot is near
	mailWaiting  mailKind = "waiting"  // the slot passed; it waits for an approval
)

// Reminder stages, claimed once per draft across processes.
const (
	reminderBefore  = 1
	reminderWaiting = 2
)

// editorData is what the editor mail templates see.
type editorData struct {
	Kind     mailKind
	Site     string
	Lang     string
	Number   int
	Subject  string
	When     string // the slot, in the newsletter's zone
	Mode     string
	Deadline string
	Link     string
	Expires  string
	Stories  int
}

func (em *EditorMail) send(ctx context.Context, to, name, subject string, data any, every time.Duration) error {
	var h, t bytes.Buffer
	if err := em.html.ExecuteTemplate(&h, name+".html.tmpl", data); err != nil {
		return fmt.Errorf("%s message: %w", name, err)
	}
	if err := em.text.ExecuteTemplate(&t, name+".txt.tmpl", data); err != nil {
		return fmt.Errorf("%s message: %w", name, err)
	}
	return em.queue(ctx, to, subject, name, h.String(), t.String(), every)
}

// queue stores the message in the outbox; with every > 0, at most one of
// kind per editor per every.
func (em *EditorMail) queue(ctx context.Context, to, subject, kind, html, text string, every time.Duration) error {
	ob, err := em.svc.Outbox()
	if err != nil {
		return err
	}
	m := em.svc.Message(nil, 0, digest.Subscriber{Email: to})
	m.Subject, m.HTML, m.Text = subject, html, text
	m.Headers = map[string]string{"X-Digest-Notice": kind}
	if _, err := ob.Add(ctx, kind, 0, m, every); err != nil {
		return fmt.Errorf("queue %s message to an editor: %w", kind, err)
	}
	return nil
}

// signIns is the part of the store that keeps the desk's sign-in links.
type signIns interface {
	CreateSignIn(ctx context.Context, editor string, expires time.Time) (int64, error)
}

// SignInLink makes a single-use link that signs editor in to the desk
// until expires.
func (s *Service) SignInLink(ctx context.Context, editor string, expires time.Time) (string, error) {
	st, ok := s.Store.(signIns)
	if !ok {
		return "", errors.New("desk: the store keeps no sign-in links")
	}
	id, err := st.CreateSignIn(ctx, editor, expires)
	if err != nil {
		return "", err
	}
	return route.Site(s.Cfg.Newsletter.BaseURL).DeskSignIn(s.Tokens.Sign(token.Desk, id, expires)), nil
}

// MailSignIn mails an editor a sign-in link that works once, for
// review.link_ttl. Addresses not in review.editors get nothing.
func (s *Service) MailSignIn(ctx context.Context, editor string) error {
	editor, err := digest.NormalizeEmail(editor)
	if err != nil || !s.IsEditor(editor) {
		return nil
	}
	if s.EditorMail == nil {
		return errors.New("desk: no editor mail configured")
	}
	expires := s.Now().Add(s.Cfg.Review.LinkTTL)
	link, err := s.SignInLink(ctx, editor, expires)
	if err != nil {
		return err
	}
	data := editorData{Site: s.Cfg.Newsletter.Title, Lang: s.Cfg.Newsletter.Lang, Link: link, Expires: s.when(expires)}
	if err := s.EditorMail.send(ctx, editor, "signin", "Sign in to the desk of "+s.Cfg.Newsletter.Title, data, time.Minute); err != nil {
		return err
	}
	s.Log.Info("sign-in link queued for an editor")
	return nil
}

// IsEditor reports whether addr is listed in review.editors.
func (s *Service) IsEditor(addr string) bool {
	for _, e := range s.Cfg.Review.Editors {
		if strings.EqualFold(e, addr) {
			return true
		}
	}
	return false
}

func (s *Service) when(t time.Time) string {
	return t.In(s.Cfg.Location).Format("Mon 2 Jan 2006 15:04 MST")
}

// remind mails the editors once, review.remind before the slot, about a
// draft nobody approved (approve mode).
func (s *Service) remind(ctx context.Context, d digest.Draft) {
	r := s.Cfg.Review
	if r.Mode != config.ReviewApprove || r.Remind <= 0 || d.State == digest.DraftApproved || d.State.Final() ||
		s.Now().Before(d.Slot.Add(-r.Remind)) {
		return
	}
	s.remindStage(ctx, d, reminderBefore)
}

// remindStage sends reminder stage once for the draft, whichever process
// gets there first.
func (s *Service) remindStage(ctx context.Context, d digest.Draft, stage int) {
	ds, err := s.Drafts()
	if err != nil {
		return
	}
	ok, err := ds.ClaimReminder(ctx, d.Slot, stage)
	if err != nil {
		s.Log.Error("reminder", "slot", d.Slot.Format(time.RFC3339), "error", err)
		return
	}
	if !ok {
		return
	}
	kind := mailReminder
	if stage == reminderWaiting {
		kind = mailWaiting
	}
	s.mailEditors(ctx, d, kind)
}

// mailEditors sends every editor the draft as subscribers will see it (the
// web version, without personal links), under a note that says what
// happens next and links to the desk with a single-use sign-in link. A
// failure is logged: the draft stands, and the desk can mail a new link.
func (s *Service) mailEditors(ctx context.Context, d digest.Draft, kind mailKind) {
	r := s.Cfg.Review
	if len(r.Editors) == 0 {
		return
	}
	if s.EditorMail == nil {
		s.Log.Warn("no editor mail configured; the editors are not told about the draft", "slot", d.Slot.Format(time.RFC3339))
		return
	}
	v, err := s.View(ctx, d)
	if err != nil {
		s.Log.Error("review email", "error", err)
		return
	}
	p, err := s.Render.Prepare(&v.Edited.Issue)
	if err != nil {
		s.Log.Error("review email: render the draft", "error", err)
		return
	}
	draftHTML, draftText := p.HTML(render.Personal{}), p.Text(render.Personal{})
	expires := d.Slot
	if min := s.Now().Add(r.LinkTTL); expires.Before(min) {
		expires = min
	}
	if kind == mailWaiting {
		expires = s.Now().Add(max(r.LinkTTL, 24*time.Hour))
	}
	subject := map[mailKind]string{
		mailReview:   "Review the draft: ",
		mailReminder: "Reminder, not approved yet: ",
		mailWaiting:  "Waiting for your approval: ",
	}[kind] + v.Edited.Issue.Subject
	sent := 0
	for _, editor := range r.Editors {
		link, err := s.SignInLink(ctx, editor, expires)
		if err != nil {
			s.Log.Error("review email: sign-in link", "error", err)
			return
		}
		data := editorData{Kind: kind, Site: s.Cfg.Newsletter.Title, Lang: s.Cfg.Newsletter.Lang, Number: v.Edited.Issue.Number,
			Subject: v.Edited.Issue.Subject, When: s.when(d.Slot), Mode: r.Mode, Deadline: r.Deadline, Link: link,
			Expires: s.when(expires), Stories: v.Edited.Issue.ArticleCount()}
		var h, t bytes.Buffer
		if err := s.EditorMail.html.ExecuteTemplate(&h, "review.html.tmpl", data); err != nil {
			s.Log.Error("review email", "error", err)
			return
		}
		if err := s.EditorMail.text.ExecuteTemplate(&t, "review.txt.tmpl", data); err != nil {
			s.Log.Error("review email", "error", err)
			return
		}
		html := afterBody(draftHTML, h.String())
		text := strings.TrimRight(t.String(), "\n") + "\n\n" + strings.Repeat("=", 76) + "\n\n" + draftText
		if err := s.EditorMail.queue(ctx, editor, subject, "review", html, text, 0); err != nil {
			s.Log.Error("review email", "kind", string(kind), "error", err)
			continue
		}
		sent++
	}
	s.Log.Info("review email queued", "kind", string(kind), "slot", d.Slot.Format(time.RFC3339), "editors", sent)
}

// afterBody puts fragment at the start of the body of doc.
func afterBody(doc, fragment string) string {
	i := strings.Index(strings.ToLower(doc), "<body")
	if i < 0 {
		return fragment + doc
	}
	j := strings.IndexByte(doc[i:], '>')
	if j < 0 {
		return fragment + doc
	}
	k := i + j + 1
	return doc[:k] + fragment + doc[k:]
}

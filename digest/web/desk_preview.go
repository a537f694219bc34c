package web

import (
	"errors"
	"html/template"
	"net/http"
	"net/url"
	"slices"

	"github.com/weeklywrap/digest/digest"
	"github.com/weeklywrap/digest/digest/render"
	"github.com/weeklywrap/digest/digest/route"
)

// deskPreview is the preview page's data.
type deskPreview struct {
	View    string       // desktop, phone or text
	Query   template.URL // topics and name, for the frame and the view links (url.Values.Encode)
	Name    string
	Topics  []topicOption
	Subject string
	Text    string
	Version int
}

// previewPersonal is the made-up subscriber a preview is rendered for:
// the name the editor typed and placeholder links.
func (s *Server) previewPersonal(name string) render.Personal {
	site := route.Site(s.Site.BaseURL)
	return render.Personal{Name: digest.CleanName(name), Email: "reader@example.org",
		UnsubscribeURL: site.URL(route.Unsubscribe), PreferencesURL: site.URL(route.Preferences)}
}

// previewRequest reads the subscriber's topics and name from the query.
func (s *Server) previewRequest(r *http.Request) (topics []string, name string) {
	q := r.URL.Query()
	for _, t := range q["topics"] {
		if slices.Contains(s.Topics, t) && !slices.Contains(topics, t) {
			topics = append(topics, t)
		}
	}
	return topics, digest.CleanName(q.Get("name"))
}

func (s *Server) previewIssue(w http.ResponseWriter, r *http.Request) (subject, html, text string, v digest.DraftView, ok bool) {
	v, err := s.desk.Service.CurrentView(r.Context())
	if errors.Is(err, digest.ErrNotFound) {
		s.deskMessage(w, http.StatusNotFound, "No draft", "There is no draft under review now.", route.Desk, "Back to the desk")
		return "", "", "", v, false
	}
	if err != nil {
		s.fail(w, r, err)
		return "", "", "", v, false
	}
	topics, name := s.previewRequest(r)
	subject, html, text, err = s.desk.Service.Preview(r.Context(), v.Edited.Issue, topics, s.previewPersonal(name))
	if err != nil {
		s.fail(w, r, err)
		return "", "", "", v, false
	}
	return subject, html, text, v, true
}

// showDeskPreview shows the email as a subscriber with the chosen topics
// will get it: at desktop or phone width (the email in a frame) or as
// plain text.
func (s *Server) showDeskPreview(w http.ResponseWriter, r *http.Request) {
	ed, ok := s.signedIn(w, r)
	if !ok {
		return
	}
	subject, _, text, v, ok := s.previewIssue(w, r)
	if !ok {
		return
	}
	topics, name := s.previewRequest(r)
	view := r.URL.Query().Get("view")
	if view != "phone" && view != "text" {
		view = "desktop"
	}
	q := url.Values{}
	for _, t := range topics {
		q.Add("topics", t)
	}
	if name != "" {
		q.Set("name", name)
	}
	p := &deskPreview{View: view, Query: template.URL(q.Encode()), Name: name, Subject: subject, Text: text, Version: v.Draft.Version}
	for i, t := range s.Topics {
		p.Topics = append(p.Topics, topicOption{Name: t, ID: "ptopic-" + string(rune('a'+i%26)), Checked: len(topics) == 0 || slices.Contains(topics, t)})
	}
	// The page frames the email from this site; nothing else changes in
	// the policy, and no script runs in either.
	w.Header().Set("Content-Security-Policy", "default-src 'none'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; frame-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'")
	s.renderDesk(w, http.StatusOK, "desk_preview", deskPage{Title: "Preview", Editor: ed, Preview: p})
}

// deskPreviewEmail is the email's HTML, for the preview's frame.
func (s *Server) deskPreviewEmail(w http.ResponseWriter, r *http.Request) {
	if _, ok := s.signedIn(w, r); !ok {
		return
	}
	_, html, _, _, ok := s.previewIssue(w, r)
	if !ok {
		return
	}
	h := w.Header()
	h.Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'self'; sandbox allow-popups allow-popups-to-escape-sandbox")
	h.Set("X-Frame-Options", "SAMEORIGIN")
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	_, _ = w.Write([]byte(html))
}

// deskPreviewText is the email's plain-text part.
func (s *Server) deskPreviewText(w http.ResponseWriter, r *http.Request) {
	if _, ok := s.signedIn(w, r); !ok {
		return
	}
	_, _, text, _, ok := s.previewIssue(w, r)
	if !ok {
		return
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	_, _ = w.Write([]byte(text))
}

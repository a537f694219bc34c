package web

import (
	"errors"
	"fmt"
	"html/template"
	"net/http"
	"strconv"
	"strings"

	"github.com/weeklywrap/digest/digest"
	"github.com/weeklywrap/digest/digest/render"
	"github.com/weeklywrap/digest/digest/route"
)

// issueBody is the content of a stored issue's HTML (greeting, intro,
// stories: table rows), between the markers the email template sets; ok
// is false for an issue rendered by a template without them.
func issueBody(st digest.StoredIssue) (string, bool) {
	i := strings.Index(st.HTML, render.BodyStart)
	j := strings.LastIndex(st.HTML, render.BodyEnd)
	if i < 0 || j < i {
		return "", false
	}
	return st.HTML[i+len(render.BodyStart) : j], true
}

// headline is what the site calls an issue: its subject without the
// "<newsletter> #N: " that the subject line needs in an inbox but that
// the page says around it.
func (s *Server) headline(st digest.StoredIssue) string {
	subj := strings.TrimSpace(st.Subject)
	n := "#" + strconv.Itoa(st.Number)
	for _, prefix := range []string{s.Site.Title + " " + n + ":", s.Site.Title + " " + n + " ·", s.Site.Title + " " + n + " -", n + ":"} {
		if rest, ok := strings.CutPrefix(subj, prefix); ok && strings.TrimSpace(rest) != "" {
			return strings.TrimSpace(rest)
		}
	}
	if subj == "" {
		return s.cat.Tf("Issue #%d", st.Number)
	}
	return subj
}

// writeIssue shows an issue in the site's layout: header, navigation,
// the issue's own content, and the subscribe form. An issue stored by a
// template without the body markers is shown as it was sent.
func (s *Server) writeIssue(w http.ResponseWriter, r *http.Request, st digest.StoredIssue) {
	body, ok := issueBody(st)
	if !ok {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_, _ = w.Write([]byte(st.HTML))
		return
	}
	p := page{Title: s.headline(st), Issue: &st,
		// The body was rendered by html/template from sanitized content
		// when the issue was built, and is stored as it was sent.
		Content: template.HTML(body)}
	if st.Number > 1 {
		p.Prev = st.Number - 1
	}
	if latest, err := s.Store.LatestIssue(r.Context()); err == nil && latest.Number > st.Number {
		p.Next = st.Number + 1
	}
	s.render(w, http.StatusOK, "issue", p)
}

func (s *Server) showLatest(w http.ResponseWriter, r *http.Request) {
	st, err := s.Store.LatestIssue(r.Context())
	if errors.Is(err, digest.ErrNotFound) {
		s.render(w, http.StatusOK, "message", page{Title: s.cat.T("Coming soon"),
			Message: s.cat.Tf("The first issue of %s has not been published yet.", s.Site.Title),
			Link:    route.Home, LinkText: s.cat.Tf("Subscribe to %s", s.Site.Title)})
		return
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.writeIssue(w, r, st)
}

func (s *Server) showIssue(w http.ResponseWriter, r *http.Request) {
	n, err := strconv.Atoi(r.PathValue("n"))
	if err != nil || n < 1 {
		s.fail(w, r, fmt.Errorf("issue %q: %w", r.PathValue("n"), digest.ErrNotFound))
		return
	}
	st, err := s.Store.IssueByNumber(r.Context(), n)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.writeIssue(w, r, st)
}

func (s *Server) showArchive(w http.ResponseWriter, r *http.Request) {
	issues, err := s.Store.ListIssues(r.Context(), 500)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, http.StatusOK, "archive", page{Title: s.cat.T("Archive"), Issues: issues})
}

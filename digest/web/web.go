// Package web serves the newsletter's pages: the latest issue and the
// archive, one-click unsubscribe (RFC 8058), and health. Pages are
// server-rendered with html/template and work without JavaScript.
package web

import (
	"bytes"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"time"

	"github.com/weeklywrap/digest/digest"
	"github.com/weeklywrap/digest/digest/token"
)

// Site is what the pages show of the newsletter.
type Site struct {
	Title, Tagline, Lang, BaseURL string
}

// Server holds the handlers' dependencies.
type Server struct {
	store  digest.Store
	tokens *token.Signer
	site   Site
	log    *slog.Logger
	pages  map[string]*template.Template
	css    []byte
	now    func() time.Time
}

var pageNames = []string{"message", "unsubscribe", "archive"}

// New parses the web templates from fsys (web/*.tmpl and web/site.css).
func New(st digest.Store, tokens *token.Signer, site Site, fsys fs.FS, log *slog.Logger) (*Server, error) {
	s := &Server{store: st, tokens: tokens, site: site, log: log, pages: map[string]*template.Template{}, now: time.Now}
	for _, name := range pageNames {
		t, err := template.ParseFS(fsys, "web/layout.tmpl", "web/"+name+".tmpl")
		if err != nil {
			return nil, fmt.Errorf("web: template %s: %w", name, err)
		}
		s.pages[name] = t
	}
	css, err := fs.ReadFile(fsys, "web/site.css")
	if err != nil {
		return nil, fmt.Errorf("web: %w", err)
	}
	s.css = css
	return s, nil
}

// Handler routes every page.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", s.showLatest)
	mux.HandleFunc("GET /issues", s.showArchive)
	mux.HandleFunc("GET /issues/{n}", s.showIssue)
	mux.HandleFunc("GET /unsubscribe", s.showUnsubscribeHelp)
	mux.HandleFunc("GET /unsubscribe/{token}", s.showUnsubscribe)
	mux.HandleFunc("POST /unsubscribe/{token}", s.unsubscribe)
	mux.HandleFunc("GET /healthz", s.healthz)
	mux.HandleFunc("GET /static/site.css", s.staticCSS)
	return securityHeaders(mux)
}

// page is the data every page template gets.
type page struct {
	Site     Site
	Title    string
	Message  string
	Link     string
	LinkText string
	Email    string
	Action   string
	Issues   []digest.StoredIssue
}

func (s *Server) render(w http.ResponseWriter, status int, name string, p page) {
	p.Site = s.site
	var buf bytes.Buffer
	if err := s.pages[name].ExecuteTemplate(&buf, "layout", p); err != nil {
		s.log.Error("render page", "page", name, "error", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}

// fail maps domain errors to statuses in one place and logs only the
// unexpected ones.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, err error) {
	status, msg := http.StatusInternalServerError, "Something went wrong on our side. Please try again later."
	switch {
	case errors.Is(err, digest.ErrNotFound):
		status, msg = http.StatusNotFound, "There is nothing here."
	case errors.Is(err, token.ErrExpired):
		status, msg = http.StatusGone, "This link has expired."
	case errors.Is(err, token.ErrInvalid), errors.Is(err, digest.ErrInvalid):
		status, msg = http.StatusBadRequest, "This link is not valid. Please use the link from your email as it is."
	default:
		s.log.Error("request failed", "method", r.Method, "path", r.URL.Path, "error", err)
	}
	s.render(w, status, "message", page{Title: http.StatusText(status), Message: msg, Link: "/", LinkText: "Go to the home page"})
}

func (s *Server) healthz(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	_, _ = w.Write([]byte("ok\n"))
}

func (s *Server) staticCSS(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/css; charset=utf-8")
	w.Header().Set("Cache-Control", "public, max-age=3600")
	_, _ = w.Write(s.css)
}

// securityHeaders sets a strict CSP (no script at all) and friends. Inline
// styles are allowed because issue pages are the email's HTML, whose CSS is
// inlined for mail clients. Referrer-Policy keeps tokens in URLs from leaking.
func securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", "default-src 'none'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("X-Frame-Options", "DENY")
		next.ServeHTTP(w, r)
	})
}

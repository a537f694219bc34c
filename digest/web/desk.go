package web

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"strings"
	"time"

	"github.com/weeklywrap/digest/digest"
	"github.com/weeklywrap/digest/digest/render"
	"github.com/weeklywrap/digest/digest/route"
)

// The editors' desk (/desk) shows the draft under review and lets editors
// shape it with plain forms: no script, like every page of the site, and
// under the same strict CSP. Editors sign in with a single-use link mailed
// to an address in review.editors, or with web.admin_token; a session
// cookie (HttpOnly, SameSite=Lax, Secure behind https) keeps them in.
// Every change goes through digest.DraftStore, which records who made it
// and when; the service turns the edited draft into the issue that is sent.

// Desk is what the desk needs from the service.
type Desk interface {
	// CurrentView returns the draft under review with its edits applied,
	// or digest.ErrNotFound.
	CurrentView(ctx context.Context) (digest.DraftView, error)
	// Preview renders is as a subscriber who chose topics receives it.
	Preview(ctx context.Context, is digest.Issue, topics []string, pe render.Personal) (subject, html, text string, err error)
	// AddLink fetches, extracts and stores a page as an editor's pick; bad
	// input is a *digest.Refusal.
	AddLink(ctx context.Context, url, note, editor string) (digest.Link, error)
	// MailSignIn mails a sign-in link to editor if it is one.
	MailSignIn(ctx context.Context, editor string) error
	// Wake tells the scheduler that a draft's state changed.
	Wake()
}

// DeskSessions keeps the desk's sign-in links and sessions.
type DeskSessions interface {
	// UseSignIn marks a sign-in link used and returns its editor:
	// digest.ErrNotFound (unknown), digest.ErrConflict (used already) or
	// digest.ErrExpired otherwise.
	UseSignIn(ctx context.Context, id int64, now time.Time) (string, error)
	// SignInUsed reports whether a sign-in link was used already.
	SignInUsed(ctx context.Context, id int64) (bool, error)
	CreateSession(ctx context.Context, hash, editor string, expires time.Time) error
	// SessionEditor returns the editor of a live session, or digest.ErrNotFound.
	SessionEditor(ctx context.Context, hash string, now time.Time) (string, error)
	DeleteSession(ctx context.Context, hash string) error
}

// DeskOptions configure the desk; Options.Desk nil switches it off.
type DeskOptions struct {
	Service  Desk
	Drafts   digest.DraftStore
	Sessions DeskSessions
	Editors  []string // review.editors
	Mode     string   // review.mode: veto or approve
	Deadline string   // review.deadline
	Session  time.Duration
	LinkTTL  time.Duration
	// APIToken guards POST /api/links; empty switches the API off.
	APIToken string
	Location *time.Location
}

// desk is the server's desk state.
type desk struct {
	DeskOptions
	pages   map[string]*template.Template
	css     []byte
	signIns *keyedLimiter // sign-in attempts per client (IPv4 address, IPv6 /64)
	mailed  *keyedLimiter // sign-in mails per address
	secure  bool          // cookies only over https
	cookie  string
}

var deskPageNames = []string{"desk", "desk_signin", "desk_confirm", "desk_add", "desk_preview", "desk_message"}

func newDesk(o Options) (*desk, error) {
	d := &desk{DeskOptions: *o.Desk, pages: map[string]*template.Template{},
		signIns: newKeyedLimiter(10, time.Minute), mailed: newKeyedLimiter(1, time.Minute)}
	if d.Session <= 0 {
		d.Session = 12 * time.Hour
	}
	if d.LinkTTL <= 0 {
		d.LinkTTL = 30 * time.Minute
	}
	if d.Location == nil {
		d.Location = time.UTC
	}
	if d.Service == nil || d.Drafts == nil || d.Sessions == nil {
		return nil, fmt.Errorf("web: the desk needs its service, drafts and sessions")
	}
	d.secure = strings.HasPrefix(strings.ToLower(o.Site.BaseURL), "https://")
	d.cookie = "digest_desk"
	if d.secure {
		d.cookie = "__Host-digest_desk" // only over https, for this host and path /
	}
	for _, name := range deskPageNames {
		t, err := template.New("").Funcs(deskFuncs(d.Location)).ParseFS(o.Templates, "web/desk_layout.tmpl", "web/"+name+".tmpl")
		if err != nil {
			return nil, fmt.Errorf("web: template %s: %w", name, err)
		}
		d.pages[name] = t
	}
	css, err := fs.ReadFile(o.Templates, "web/desk.css")
	if err != nil {
		return nil, fmt.Errorf("web: %w", err)
	}
	d.css = css
	return d, nil
}

func deskFuncs(loc *time.Location) template.FuncMap {
	return template.FuncMap{
		"when": func(t time.Time) string {
			if t.IsZero() {
				return ""
			}
			return t.In(loc).Format("Mon 2 Jan 2006 15:04 MST")
		},
		"score": func(f float64) string { return fmt.Sprintf("%.3f", f) },
		"join":  strings.Join,
		"add":   func(a, b int) int { return a + b },
	}
}

func (s *Server) deskRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET "+route.Desk, s.showDesk)
	mux.HandleFunc("GET "+route.DeskSignIn, s.showDeskSignIn)
	mux.HandleFunc("POST "+route.DeskSignIn, s.deskSignIn)
	mux.HandleFunc("GET "+route.DeskSignIn+"/{token}", s.showDeskLink)
	mux.HandleFunc("POST "+route.DeskSignIn+"/{token}", s.useDeskLink)
	mux.HandleFunc("POST "+route.DeskSignOut, s.deskSignOut)
	mux.HandleFunc("POST "+route.DeskEdit, s.deskEdit)
	mux.HandleFunc("POST "+route.DeskIntro, s.deskIntro)
	mux.HandleFunc("POST "+route.DeskState, s.deskState)
	mux.HandleFunc("GET "+route.DeskAdd, s.showDeskAdd)
	mux.HandleFunc("POST "+route.DeskLinks, s.deskAddLink)
	mux.HandleFunc("GET "+route.DeskPreview, s.showDeskPreview)
	mux.HandleFunc("GET "+route.DeskPreviewEmail, s.deskPreviewEmail)
	mux.HandleFunc("GET "+route.DeskPreviewText, s.deskPreviewText)
	mux.HandleFunc("GET "+route.DeskCSS, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/css; charset=utf-8")
		w.Header().Set("Cache-Control", "public, max-age=3600")
		_, _ = w.Write(s.desk.css)
	})
	mux.HandleFunc("POST "+route.APILinks, s.apiAddLink)
}

// deskPage is the data every desk template gets.
type deskPage struct {
	Site    Site
	Title   string
	Editor  string // who is signed in; empty on the sign-in pages
	Message string
	Error   string
	Link    string
	LinkTxt string
	Notice  string
	// Page-specific parts.
	View    *deskView
	Token   string // sign-in link confirm
	Admin   bool   // the admin-token form is offered
	Add     *deskAdd
	Preview *deskPreview
}

func (s *Server) renderDesk(w http.ResponseWriter, status int, name string, p deskPage) {
	p.Site = s.Site
	var buf bytes.Buffer
	if err := s.desk.pages[name].ExecuteTemplate(&buf, "layout", p); err != nil {
		s.Log.Error("render desk page", "page", name, "error", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	// Pages with a draft or a session must not be cached by a proxy or
	// shown from history after signing out.
	h.Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}

// deskMessage answers with a short page: what happened and where to go.
func (s *Server) deskMessage(w http.ResponseWriter, status int, title, msg, link, linkText string) {
	s.renderDesk(w, status, "desk_message", deskPage{Title: title, Message: msg, Link: link, LinkTxt: linkText})
}

// sessionHash is what the store keeps of a session's cookie value.
func sessionHash(v string) string {
	h := sha256.Sum256([]byte(v))
	return hex.EncodeToString(h[:])
}

// startSession signs editor in: a random cookie value, kept in the store
// only as its hash.
func (s *Server) startSession(w http.ResponseWriter, r *http.Request, editor string) error {
	var b [32]byte
	if _, err := rand.Read(b[:]); err != nil {
		return fmt.Errorf("desk: session: %w", err)
	}
	v := base64.RawURLEncoding.EncodeToString(b[:])
	expires := s.Now().Add(s.desk.Session)
	if err := s.desk.Sessions.CreateSession(r.Context(), sessionHash(v), editor, expires); err != nil {
		return err
	}
	http.SetCookie(w, &http.Cookie{Name: s.desk.cookie, Value: v, Path: "/", Expires: expires, MaxAge: int(s.desk.Session.Seconds()),
		HttpOnly: true, Secure: s.desk.secure, SameSite: http.SameSiteLaxMode})
	s.Log.Info("editor signed in to the desk", "editor", editor)
	return nil
}

// editor returns who is signed in, or "".
func (s *Server) editor(r *http.Request) string {
	c, err := r.Cookie(s.desk.cookie)
	if err != nil || c.Value == "" || len(c.Value) > 100 {
		return ""
	}
	ed, err := s.desk.Sessions.SessionEditor(r.Context(), sessionHash(c.Value), s.Now())
	if err != nil {
		return ""
	}
	return ed
}

// signedIn returns the editor, or answers the request itself: a page
// load goes to the sign-in page, a form post gets 401 with a way back.
func (s *Server) signedIn(w http.ResponseWriter, r *http.Request) (string, bool) {
	if ed := s.editor(r); ed != "" {
		return ed, true
	}
	if r.Method == http.MethodGet {
		s.rememberNext(w, r.URL.RequestURI())
		http.Redirect(w, r, route.DeskSignIn, http.StatusSeeOther)
		return "", false
	}
	w.Header().Set("WWW-Authenticate", `Cookie realm="desk"`)
	s.deskMessage(w, http.StatusUnauthorized, "Not signed in",
		"You are not signed in to the desk, or your session has ended. Nothing was changed.", route.DeskSignIn, "Sign in")
	return "", false
}

// crossSite answers a cross-origin form post, which is refused.
func (s *Server) crossSite(w http.ResponseWriter, r *http.Request) {
	s.render(w, http.StatusForbidden, "message", page{Title: "Refused",
		Message: "This form was sent from another site, so it was refused and nothing was changed. Open the page on this site and send the form from there.",
		Link:    route.Home, LinkText: "Go to the home page"})
}

// The page an editor asked for before signing in (the bookmarklet's add
// form with its URL, above all) is kept in a short-lived cookie and
// opened after the sign-in, instead of dropping the editor on /desk with
// the link lost. Only desk paths are kept, so it cannot redirect away.
func (s *Server) rememberNext(w http.ResponseWriter, path string) {
	if !deskPath(path) || len(path) > 3000 {
		return
	}
	http.SetCookie(w, &http.Cookie{Name: s.desk.cookie + "_next", Value: base64.RawURLEncoding.EncodeToString([]byte(path)),
		Path: "/", MaxAge: int(s.desk.LinkTTL.Seconds()) + 300, HttpOnly: true, Secure: s.desk.secure, SameSite: http.SameSiteLaxMode})
}

// signedInTo sends a newly signed-in editor to the page kept by
// rememberNext, or to the desk.
func (s *Server) signedInTo(w http.ResponseWriter, r *http.Request) {
	next := route.Desk
	if c, err := r.Cookie(s.desk.cookie + "_next"); err == nil {
		if b, err := base64.RawURLEncoding.DecodeString(c.Value); err == nil && deskPath(string(b)) {
			next = string(b)
		}
		http.SetCookie(w, &http.Cookie{Name: c.Name, Value: "", Path: "/", MaxAge: -1, HttpOnly: true, Secure: s.desk.secure, SameSite: http.SameSiteLaxMode})
	}
	http.Redirect(w, r, next, http.StatusSeeOther)
}

// deskPath says whether p is a path on this site's desk: no scheme, no
// host, no "//" or backslash a browser could read as another host.
func deskPath(p string) bool {
	return (p == route.Desk || strings.HasPrefix(p, route.Desk+"/") || strings.HasPrefix(p, route.Desk+"?")) &&
		!strings.Contains(p, "//") && !strings.ContainsAny(p, "\\\r\n")
}

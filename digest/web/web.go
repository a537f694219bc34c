// Package web serves the newsletter's pages: the latest issue and the
// archive, one-click unsubscribe (RFC 8058), and health. Pages are
// server-rendered with html/template and work without JavaScript.
package web

import (
	"bytes"
	"context"
	"crypto/subtle"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/time/rate"

	"github.com/weeklywrap/digest/digest"
	"github.com/weeklywrap/digest/digest/render"
	"github.com/weeklywrap/digest/digest/route"
	"github.com/weeklywrap/digest/digest/token"
)

// Site is what the pages show of the newsletter.
type Site struct {
	Title, Tagline, Lang, BaseURL string
}

// Notifier sends the mail the pages trigger. Implementations must not
// block for long: the subscribe handler calls them off the request path.
type Notifier interface {
	// Confirm sends the double opt-in message with its confirm link. The
	// site calls it for every valid subscribe request (within the per-IP
	// limit): Confirm itself must keep to one message per address per
	// while, so the form cannot mail-bomb anyone.
	Confirm(ctx context.Context, sub digest.Subscriber, confirmURL string) error
	// Welcome greets a newly confirmed subscriber.
	Welcome(ctx context.Context, sub digest.Subscriber, prefsURL, unsubURL string) error
}

// Store is the part of the store the pages use: the list, the archive
// and the test sends' web copies (digest.Store implements it).
type Store interface {
	digest.SubscriberStore
	digest.IssueArchive
	digest.TestCopyStore
}

// Options configure the site.
type Options struct {
	Store     Store
	Tokens    *token.Signer
	Site      Site
	Templates fs.FS // web/*.tmpl and web/site.css
	Log       *slog.Logger
	Notifier  Notifier                                  // nil disables subscribing through the site
	Topics    []string                                  // the sections a subscriber may choose
	Welcome   bool                                      // send a welcome email after confirming
	Metrics   http.Handler                              // served at /metrics when set
	Ready     func(context.Context) error               // /readyz fails while this does; nil means ready
	Status    func(context.Context) (StatusView, error) // /status, the operator's page; nil hides it
	// TrustedProxies are the reverse proxies (IPs or CIDRs) whose
	// X-Forwarded-For names the real client, for rate limits.
	TrustedProxies []string
	// AdminToken guards /status and /metrics: requests must carry
	// "Authorization: Bearer <token>". Empty means loopback clients only.
	// It also signs an operator in to the desk.
	AdminToken string
	// Desk, when set, serves the editors' desk (/desk) and POST /api/links.
	Desk *DeskOptions

	ConfirmTTL  time.Duration // how long a confirm link works; default 48h
	IPPerMinute int           // subscribe POSTs per client (IPv4 address, IPv6 /64) per minute; default 10
	// ConfirmPerMinute caps confirmation mails per minute in all, whatever
	// the number of clients asking; default 60.
	ConfirmPerMinute int
	Now              func() time.Time
}

// Server holds the handlers' dependencies.
type Server struct {
	Options
	pages    map[string]*template.Template
	css      []byte
	byIP     *keyedLimiter
	confirms *rate.Limiter
	// capLog lets the cap's warning through once a minute, with the count
	// refused since, so an attack does not flood the log.
	capLog     *rate.Limiter
	capRefused atomic.Int64
	repeats    *recentKeys // addresses that took a place in confirms
	proxies    []*net.IPNet
	wg         sync.WaitGroup
	desk       *desk
	cat        *render.Catalog // the site's labels, in Site.Lang
}

var pageNames = []string{"message", "unsubscribe", "archive", "home", "preferences", "status", "confirm", "issue"}

// New parses the web templates and sets defaults.
func New(o Options) (*Server, error) {
	if o.ConfirmTTL <= 0 {
		o.ConfirmTTL = 48 * time.Hour
	}
	if o.IPPerMinute <= 0 {
		o.IPPerMinute = 10
	}
	if o.ConfirmPerMinute <= 0 {
		o.ConfirmPerMinute = 60
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Log == nil {
		o.Log = slog.Default()
	}
	s := &Server{Options: o, pages: map[string]*template.Template{},
		byIP:     newKeyedLimiter(o.IPPerMinute, time.Minute),
		confirms: rate.NewLimiter(rate.Every(time.Minute/time.Duration(o.ConfirmPerMinute)), o.ConfirmPerMinute),
		capLog:   rate.NewLimiter(rate.Every(time.Minute), 1),
		repeats:  newRecentKeys(time.Hour)}
	for _, p := range o.TrustedProxies {
		if !strings.Contains(p, "/") {
			if ip := net.ParseIP(p); ip != nil && ip.To4() != nil {
				p += "/32"
			} else {
				p += "/128"
			}
		}
		_, n, err := net.ParseCIDR(p)
		if err != nil {
			return nil, fmt.Errorf("web: trusted proxy %q is not an IP or CIDR: %w", p, err)
		}
		s.proxies = append(s.proxies, n)
	}
	var err error
	if s.cat, err = render.LoadCatalog(o.Templates, o.Site.Lang); err != nil {
		return nil, fmt.Errorf("web: %w", err)
	}
	funcs := s.cat.Funcs()
	funcs["headline"] = s.headline
	funcs["date"] = s.cat.ShortDate
	funcs["longdate"] = s.cat.LongDate
	for _, name := range pageNames {
		t, err := template.New("").Funcs(funcs).ParseFS(o.Templates, "web/layout.tmpl", "web/"+name+".tmpl")
		if err != nil {
			return nil, fmt.Errorf("web: template %s: %w", name, err)
		}
		s.pages[name] = t
	}
	css, err := fs.ReadFile(o.Templates, "web/site.css")
	if err != nil {
		return nil, fmt.Errorf("web: %w", err)
	}
	s.css = css
	if o.Desk != nil {
		if s.desk, err = newDesk(o); err != nil {
			return nil, err
		}
	}
	return s, nil
}

// Wait blocks until mail started by requests has been handed over; for
// shutdown and tests.
func (s *Server) Wait() { s.wg.Wait() }

// Handler routes every page.
func (s *Server) Handler() http.Handler {
	mux := s.routes()
	// CSRF: browsers' cross-origin POSTs are refused. The one-click
	// unsubscribe is exempt: RFC 8058 POSTs come from mail providers, it
	// carries its own signed token, and unsubscribing is idempotent.
	csrf := http.NewCrossOriginProtection()
	csrf.AddInsecureBypassPattern("POST " + route.Unsubscribe + "/{token}")
	csrf.AddInsecureBypassPattern("POST " + route.Test + "/{key}" + route.Unsubscribe)
	csrf.SetDenyHandler(http.HandlerFunc(s.crossSite))
	return securityHeaders(csrf.Handler(mux))
}

// routes maps every path of the route table to its handler.
func (s *Server) routes() *http.ServeMux {
	mux := http.NewServeMux()
	mux.HandleFunc("GET "+route.Home+"{$}", s.showHome)
	mux.HandleFunc("GET "+route.Latest, s.showLatest)
	mux.HandleFunc("POST "+route.Subscribe, s.subscribe)
	mux.HandleFunc("GET "+route.Confirm+"/{token}", s.showConfirm)
	mux.HandleFunc("POST "+route.Confirm+"/{token}", s.confirm)
	mux.HandleFunc("GET "+route.Preferences+"/{token}", s.showPreferences)
	mux.HandleFunc("POST "+route.Preferences+"/{token}", s.savePreferences)
	mux.HandleFunc("POST "+route.Resubscribe+"/{token}", s.resubscribe)
	mux.HandleFunc("GET "+route.Feed, s.atomFeed)
	mux.HandleFunc("GET "+route.Issues, s.showArchive)
	mux.HandleFunc("GET "+route.Issues+"/{n}", s.showIssue)
	mux.HandleFunc("GET "+route.Unsubscribe, s.showUnsubscribeHelp)
	mux.HandleFunc("GET "+route.Unsubscribe+"/{token}", s.showUnsubscribe)
	mux.HandleFunc("POST "+route.Unsubscribe+"/{token}", s.unsubscribe)
	mux.HandleFunc("GET "+route.Test+"/{key}"+route.Issues+"/{n}", s.showTestCopy)
	mux.HandleFunc("GET "+route.Test+"/{key}"+route.Preferences, s.showTestLink)
	mux.HandleFunc("GET "+route.Test+"/{key}"+route.Unsubscribe, s.showTestLink)
	mux.HandleFunc("POST "+route.Test+"/{key}"+route.Unsubscribe, s.showTestLink)
	mux.HandleFunc("GET "+route.Test+"/{key}/{$}", s.testHome)
	mux.HandleFunc("GET "+route.Healthz, s.healthz)
	mux.HandleFunc("GET "+route.Readyz, s.readyz)
	mux.Handle("GET "+route.Status, s.adminOnly(http.HandlerFunc(s.showStatus)))
	if s.Metrics != nil {
		mux.Handle("GET "+route.Metrics, s.adminOnly(s.Metrics))
	}
	mux.HandleFunc("GET "+route.SiteCSS, s.staticCSS)
	// Every other path gets the site's own 404 page, not the mux's text.
	mux.HandleFunc(route.Home, s.notFound)
	if s.desk != nil {
		s.deskRoutes(mux)
	}
	return mux
}

// page is the data every page template gets.
type page struct {
	Site       Site
	Title      string
	Message    string
	Link       string // a first link, put in front of Links
	LinkText   string
	Links      []pageLink
	Form       *pageForm // a one-button form under the message
	Email      string
	Action     string
	Error      string
	FormEmail  string // what the subscribe form shows again after an error
	FormName   string
	Issues     []digest.StoredIssue
	Latest     *digest.StoredIssue
	Issue      *digest.StoredIssue
	Content    template.HTML // the issue's body rows, from its stored HTML
	Prev, Next int           // neighbouring issue numbers; 0 for none
	Prefs      *prefsView
	StatusView *StatusView
}

type pageLink struct{ URL, Text string }

type pageForm struct{ Action, Button string }

func (s *Server) render(w http.ResponseWriter, status int, name string, p page) {
	p.Site = s.Site
	if p.Link != "" {
		p.Links = append([]pageLink{{URL: p.Link, Text: p.LinkText}}, p.Links...)
	}
	var buf bytes.Buffer
	if err := s.pages[name].ExecuteTemplate(&buf, "layout", p); err != nil {
		s.Log.Error("render page", "page", name, "error", err)
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
	status, title, msg := http.StatusInternalServerError, "Something went wrong", "Something went wrong on our side. Please try again later."
	switch {
	case errors.Is(err, digest.ErrNotFound):
		status, title, msg = http.StatusNotFound, "Page not found", "There is nothing here."
	case errors.Is(err, token.ErrExpired):
		status, title, msg = http.StatusGone, "Link expired", "This link has expired."
	case errors.Is(err, token.ErrInvalid), errors.Is(err, digest.ErrInvalid):
		status, title, msg = http.StatusBadRequest, "Link not valid", "This link is not valid. Please use the link from your email as it is."
	default:
		s.Log.Error("request failed", "method", r.Method, "path", r.URL.Path, "error", err)
	}
	s.render(w, status, "message", page{Title: s.cat.T(title), Message: s.cat.T(msg),
		Links: []pageLink{{URL: route.Home, Text: s.cat.T("Go to the home page")}, {URL: route.Issues, Text: s.cat.T("Browse the archive")}}})
}

// notFound answers every path no route takes with the styled 404 page.
func (s *Server) notFound(w http.ResponseWriter, r *http.Request) {
	s.fail(w, r, fmt.Errorf("path %q: %w", r.URL.Path, digest.ErrNotFound))
}

func (s *Server) healthz(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	_, _ = w.Write([]byte("ok\n"))
}

// adminOnly keeps the operator's pages (feed URLs and errors, queue
// sizes) from the public: a bearer token, or a loopback client when no
// token is configured.
func (s *Server) adminOnly(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ok := false
		if s.AdminToken != "" {
			got := strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")
			ok = subtle.ConstantTimeCompare([]byte(got), []byte(s.AdminToken)) == 1
		} else if ip := net.ParseIP(remoteIP(r)); ip != nil && ip.IsLoopback() && !forwarded(r) {
			// A request a local reverse proxy forwards also comes from
			// loopback: only an unproxied local client counts as the operator.
			ok = true
		}
		if !ok {
			w.Header().Set("WWW-Authenticate", `Bearer realm="digest"`)
			http.Error(w, "forbidden: set web.admin_token and send it as a bearer token", http.StatusForbidden)
			return
		}
		h.ServeHTTP(w, r)
	})
}

func forwarded(r *http.Request) bool {
	return r.Header.Get("X-Forwarded-For") != "" || r.Header.Get("Forwarded") != "" || r.Header.Get("X-Real-Ip") != ""
}

// readyz answers 503 while a dependency (the store) is not usable, so a
// load balancer sends readers elsewhere; healthz only says the process runs.
func (s *Server) readyz(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	if s.Ready != nil {
		ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
		defer cancel()
		if err := s.Ready(ctx); err != nil {
			s.Log.Warn("not ready", "error", err)
			w.WriteHeader(http.StatusServiceUnavailable)
			_, _ = w.Write([]byte("not ready\n"))
			return
		}
	}
	_, _ = w.Write([]byte("ready\n"))
}

func (s *Server) staticCSS(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/css; charset=utf-8")
	w.Header().Set("Cache-Control", "public, max-age=3600")
	_, _ = w.Write(s.css)
}

// securityHeaders sets a strict CSP (no script at all) and friends. Inline
// styles are allowed because issue pages are the email's HTML, whose CSS is
// inlined for mail clients; images from any http(s) host because the lead
// images are the sources' own. Referrer-Policy keeps tokens in URLs from leaking.
func securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", "default-src 'none'; style-src 'self' 'unsafe-inline'; img-src 'self' data: https: http:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("X-Frame-Options", "DENY")
		next.ServeHTTP(w, r)
	})
}

package web

import (
	"context"
	"io"
	"io/fs"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/weeklywrap/digest/digest"
	"github.com/weeklywrap/digest/digest/route"
	"github.com/weeklywrap/digest/digest/store"
	"github.com/weeklywrap/digest/digest/token"
	"github.com/weeklywrap/digest/templates"
)

// notFound is the pattern of the catch-all that serves the 404 page.
const notFound = route.Home

// The router serves every link the route table builds and every path the
// web templates write literally, so a link and its page cannot drift
// apart (the templates' paths are not built by route; this test is what
// holds them to it).
func TestEveryLinkHasARoute(t *testing.T) {
	st, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "routes.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	tokens, _ := token.NewSigner("web-test-secret-0123456789")
	s, err := New(Options{Store: st, Tokens: tokens, Templates: templates.FS, Log: slog.New(slog.NewTextHandler(io.Discard, nil)),
		Site: Site{Title: "The Weekly Wrap", Lang: "en"}, Metrics: http.NotFoundHandler(),
		Desk: &DeskOptions{Service: noDraft{}, Drafts: st.(digest.DraftStore), Sessions: st.(DeskSessions), Mode: "veto"}})
	if err != nil {
		t.Fatal(err)
	}
	mux := s.routes()
	served := func(method, path string) string {
		_, pattern := mux.Handler(httptest.NewRequest(method, path, nil))
		return pattern
	}

	p := route.Path
	for _, l := range []struct{ method, path, want string }{
		{"GET", p.URL(route.Home), "GET /{$}"},
		{"GET", p.Issue(7), "GET /issues/{n}"},
		{"GET", p.URL(route.Issues), "GET /issues"},
		{"GET", p.URL(route.Feed), "GET /feed.xml"},
		{"GET", p.Confirm("tok"), "GET /confirm/{token}"},
		{"POST", p.Confirm("tok"), "POST /confirm/{token}"},
		{"GET", p.Preferences("tok"), "GET /preferences/{token}"},
		{"POST", p.Resubscribe("tok"), "POST /resubscribe/{token}"},
		{"GET", p.URL(route.Unsubscribe), "GET /unsubscribe"},
		{"GET", p.Unsubscribe("tok"), "GET /unsubscribe/{token}"},
		{"POST", p.Unsubscribe("tok"), "POST /unsubscribe/{token}"},
		{"GET", p.Test("k").Issue(7), "GET /test/{key}/issues/{n}"},
		{"GET", p.Test("k").URL(route.Preferences), "GET /test/{key}/preferences"},
		{"POST", p.Test("k").URL(route.Unsubscribe), "POST /test/{key}/unsubscribe"},
		{"GET", p.Test("k").URL(route.Home), "GET /test/{key}/{$}"},
		{"GET", p.DeskSignIn("tok"), "GET /desk/signin/{token}"},
		{"GET", p.URL(route.DeskAdd), "GET /desk/add"},
		{"GET", p.URL(route.Status), "GET /status"},
		{"GET", p.URL(route.Metrics), "GET /metrics"},
		{"POST", p.URL(route.APILinks), "POST /api/links"},
	} {
		if got := served(l.method, l.path); got != l.want {
			t.Errorf("%s %s is served by %q, want %q", l.method, l.path, got, l.want)
		}
	}

	// The templates' own links; preview.tmpl belongs to the preview
	// server (web.Preview), which has paths of its own.
	forms := regexp.MustCompile(`<form[^>]*method="(\w+)"[^>]*action="(/[^"]*)"`)
	links := regexp.MustCompile(`(?:href|src)="(/[^"]*)"`)
	actions := regexp.MustCompile(`\{\{[^}]*\}\}`)
	names, err := fs.Glob(templates.FS, "web/*.tmpl")
	if err != nil || len(names) < 10 {
		t.Fatalf("web templates: %v, %v", names, err)
	}
	checked := 0
	for _, name := range names {
		if name == "web/preview.tmpl" {
			continue
		}
		b, err := fs.ReadFile(templates.FS, name)
		if err != nil {
			t.Fatal(err)
		}
		check := func(method, path string) {
			path = actions.ReplaceAllString(path, "1")
			path, _, _ = strings.Cut(path, "?")
			if got := served(method, path); got == notFound {
				t.Errorf("%s: %s %s has no route", name, method, path)
			}
			checked++
		}
		for _, m := range forms.FindAllStringSubmatch(string(b), -1) {
			check(strings.ToUpper(m[1]), m[2])
		}
		for _, m := range links.FindAllStringSubmatch(string(b), -1) {
			check("GET", m[1])
		}
	}
	if checked < 30 {
		t.Errorf("only %d template links checked; is the pattern still right?", checked)
	}
}

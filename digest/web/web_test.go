package web

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/weeklywrap/digest/digest"
	"github.com/weeklywrap/digest/digest/store"
	"github.com/weeklywrap/digest/digest/token"
	"github.com/weeklywrap/digest/templates"
)

type fixture struct {
	srv    *httptest.Server
	st     digest.Store
	tokens *token.Signer
	sub    digest.Subscriber
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "web.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	tokens, _ := token.NewSigner("web-test-secret-0123456789")
	sub, err := st.AddSubscriber(ctx, digest.Subscriber{Email: "ann@example.org", Name: `<script>alert(1)</script>`, Status: digest.StatusConfirmed})
	if err != nil {
		t.Fatal(err)
	}
	_, srv := serve(t, Options{Store: st, Tokens: tokens, Site: Site{Title: "The Weekly Wrap", Lang: "en"}})
	return &fixture{srv: srv, st: st, tokens: tokens, sub: sub}
}

// serve builds the site from o, with the embedded templates and a silent
// log where o names none, and serves it until tb ends.
func serve(tb testing.TB, o Options) (*Server, *httptest.Server) {
	tb.Helper()
	if o.Templates == nil {
		o.Templates = templates.FS
	}
	if o.Log == nil {
		o.Log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	s, err := New(o)
	if err != nil {
		tb.Fatal(err)
	}
	srv := httptest.NewServer(s.Handler())
	tb.Cleanup(srv.Close)
	return s, srv
}

func get(t *testing.T, url string) (int, string, http.Header) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b), resp.Header
}

func TestUnsubscribeGetNeverUnsubscribes(t *testing.T) {
	f := newFixture(t)
	tok := f.tokens.Sign(token.Unsubscribe, f.sub.ID, time.Time{})
	code, body, h := get(t, f.srv.URL+"/unsubscribe/"+tok)
	if code != 200 || !strings.Contains(body, `method="post"`) || !strings.Contains(body, "ann@example.org") {
		t.Fatalf("GET unsubscribe: %d\n%s", code, body)
	}
	if csp := h.Get("Content-Security-Policy"); !strings.Contains(csp, "default-src 'none'") || strings.Contains(csp, "script-src") {
		t.Errorf("CSP = %q", csp)
	}
	s, _ := f.st.Subscriber(context.Background(), f.sub.ID)
	if s.Status != digest.StatusConfirmed {
		t.Fatalf("GET changed the status to %s", s.Status)
	}
	resp, err := http.Post(f.srv.URL+"/unsubscribe/"+tok, "application/x-www-form-urlencoded", strings.NewReader("List-Unsubscribe=One-Click"))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("one-click POST: %d", resp.StatusCode)
	}
	s, _ = f.st.Subscriber(context.Background(), f.sub.ID)
	if s.Status != digest.StatusUnsubscribed {
		t.Fatalf("after POST status = %s", s.Status)
	}
}

func TestBadTokensAreRejected(t *testing.T) {
	f := newFixture(t)
	good := f.tokens.Sign(token.Unsubscribe, f.sub.ID, time.Time{})
	for name, tok := range map[string]string{
		"tampered":      good[:len(good)-3] + "xyz",
		"wrong purpose": f.tokens.Sign(token.Confirm, f.sub.ID, time.Time{}),
		"garbage":       "hello",
	} {
		resp, err := http.Post(f.srv.URL+"/unsubscribe/"+tok, "application/x-www-form-urlencoded", strings.NewReader("List-Unsubscribe=One-Click"))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusBadRequest {
			t.Errorf("%s token: status %d, want 400", name, resp.StatusCode)
		}
	}
	s, _ := f.st.Subscriber(context.Background(), f.sub.ID)
	if s.Status != digest.StatusConfirmed {
		t.Errorf("a bad token changed the status to %s", s.Status)
	}
}

func TestIssuePagesAndHealth(t *testing.T) {
	f := newFixture(t)
	if code, body, _ := get(t, f.srv.URL+"/latest"); code != 200 || !strings.Contains(body, "not been published") {
		t.Errorf("latest without issues: %d %s", code, body)
	}
	slot := time.Date(2026, 11, 23, 7, 0, 0, 0, time.UTC)
	is := digest.StoredIssue{Issue: digest.Issue{Slot: slot, Subject: `Wrap #1: <b>bold</b>`}, HTML: "<html><body>issue one</body></html>"}
	if _, _, err := f.st.CreateIssue(context.Background(), is, nil); err != nil {
		t.Fatal(err)
	}
	if code, body, _ := get(t, f.srv.URL+"/latest"); code != 200 || !strings.Contains(body, "issue one") {
		t.Errorf("latest: %d %s", code, body)
	}
	if code, body, _ := get(t, f.srv.URL+"/"); code != 200 || !strings.Contains(body, `action="/subscribe"`) || !strings.Contains(body, "/issues/1") {
		t.Errorf("home: %d %s", code, body)
	}
	if code, body, _ := get(t, f.srv.URL+"/issues/1"); code != 200 || !strings.Contains(body, "issue one") {
		t.Errorf("/issues/1: %d %s", code, body)
	}
	if code, _, _ := get(t, f.srv.URL+"/issues/2"); code != 404 {
		t.Errorf("/issues/2: %d, want 404", code)
	}
	if code, body, _ := get(t, f.srv.URL+"/issues"); code != 200 || strings.Contains(body, "<b>bold</b>") || !strings.Contains(body, "&lt;b&gt;") {
		t.Errorf("archive must escape subjects: %d %s", code, body)
	}
	if code, body, _ := get(t, f.srv.URL+"/healthz"); code != 200 || strings.TrimSpace(body) != "ok" {
		t.Errorf("healthz: %d %q", code, body)
	}
}

func TestAdminPagesNeedTheToken(t *testing.T) {
	st, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "admin.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	tokens, _ := token.NewSigner("admin-test-secret-0123456789")
	_, srv := serve(t, Options{Store: st, Tokens: tokens, Site: Site{Title: "W"}, AdminToken: "s3cret-admin",
		Metrics: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { _, _ = w.Write([]byte("metrics")) })})
	for _, tc := range []struct {
		auth string
		want int
	}{{"", 403}, {"Bearer wrong", 403}, {"Bearer s3cret-admin", 200}} {
		req, _ := http.NewRequest("GET", srv.URL+"/metrics", nil)
		if tc.auth != "" {
			req.Header.Set("Authorization", tc.auth)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != tc.want {
			t.Errorf("auth %q: status %d, want %d", tc.auth, resp.StatusCode, tc.want)
		}
	}
}

func TestAdminPagesRefuseProxiedLoopback(t *testing.T) {
	st, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "admin2.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	tokens, _ := token.NewSigner("admin-test-secret-0123456789")
	_, srv := serve(t, Options{Store: st, Tokens: tokens, Site: Site{Title: "W"}, Metrics: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { _, _ = w.Write([]byte("metrics")) })})
	for xff, want := range map[string]int{"": 200, "203.0.113.7": 403} {
		if code := statusAs(t, http.MethodGet, srv.URL+"/metrics", xff, ""); code != want {
			t.Errorf("loopback with X-Forwarded-For %q: %d, want %d", xff, code, want)
		}
	}
}

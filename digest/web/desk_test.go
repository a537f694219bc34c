package web

import (
	"context"
	"encoding/base64"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"

	"github.com/weeklywrap/digest/digest"
	"github.com/weeklywrap/digest/digest/render"
	"github.com/weeklywrap/digest/digest/store"
	"github.com/weeklywrap/digest/digest/token"
)

// noDraft is the desk's service with nothing under review: these tests
// are about signing in, which needs no draft.
type noDraft struct{}

func (noDraft) CurrentView(context.Context) (digest.DraftView, error) {
	return digest.DraftView{}, digest.ErrNotFound
}
func (noDraft) Preview(context.Context, digest.Issue, []string, render.Personal) (string, string, string, error) {
	return "", "", "", digest.ErrNotFound
}
func (noDraft) AddLink(context.Context, string, string, string) (digest.Link, error) {
	return digest.Link{}, digest.ErrNotFound
}
func (noDraft) MailSignIn(context.Context, string) error { return nil }
func (noDraft) Wake()                                    {}

// newDeskSite serves a site at baseURL whose desk has no draft (these
// tests are about signing in, which needs none) and the admin token
// "admin-0123456789", with a client that does not follow redirects.
func newDeskSite(t *testing.T, baseURL string) (*httptest.Server, *http.Client) {
	t.Helper()
	st, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "desk.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	tokens, _ := token.NewSigner("web-test-secret-0123456789")
	_, srv := serve(t, Options{Store: st, Tokens: tokens, Site: Site{Title: "The Weekly Wrap", Lang: "en", BaseURL: baseURL}, AdminToken: "admin-0123456789",
		Desk: &DeskOptions{Service: noDraft{}, Drafts: st.(digest.DraftStore), Sessions: st.(DeskSessions), Mode: "veto"}})
	return srv, &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

// Behind https the session cookie is Secure and __Host- prefixed, so it
// never travels in clear and no subdomain can set it.
func TestDeskCookieBehindHTTPS(t *testing.T) {
	srv, client := newDeskSite(t, "https://news.example.org")
	resp, err := client.Post(srv.URL+"/desk/signin", "application/x-www-form-urlencoded", strings.NewReader("token=admin-0123456789"))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	cs := resp.Cookies()
	if resp.StatusCode != http.StatusSeeOther || len(cs) != 1 {
		t.Fatalf("sign-in: %d, cookies %v", resp.StatusCode, cs)
	}
	c := cs[0]
	if c.Name != "__Host-digest_desk" || !c.Secure || !c.HttpOnly || c.SameSite != http.SameSiteLaxMode || c.Path != "/" || c.Domain != "" || len(c.Value) < 40 {
		t.Errorf("session cookie: %+v", c)
	}
	req, _ := http.NewRequest(http.MethodGet, srv.URL+"/desk", nil)
	req.AddCookie(c)
	resp, err = client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(string(body), "Signed in as admin") || !strings.Contains(string(body), "No draft is under review") {
		t.Errorf("desk with the session: %d %s", resp.StatusCode, body)
	}
	// The value is not what the store keeps: a stolen copy of the store's
	// table signs nobody in.
	req, _ = http.NewRequest(http.MethodGet, srv.URL+"/desk", nil)
	req.AddCookie(&http.Cookie{Name: c.Name, Value: sessionHash(c.Value)})
	if resp, err := client.Do(req); err != nil || resp.StatusCode != http.StatusSeeOther {
		t.Errorf("the stored hash used as a cookie: %v %v", resp.StatusCode, err)
	}
}

// The bookmarklet opens /desk/add?url=… in a browser that may have no
// session yet: after signing in, the editor lands on that form with the
// URL, not on the bare desk. A path off the desk is never followed.
func TestDeskSignInKeepsTheBookmarkletsLink(t *testing.T) {
	srv, client := newDeskSite(t, "http://127.0.0.1")
	signIn := func(next *http.Cookie) *http.Response {
		t.Helper()
		req, _ := http.NewRequest(http.MethodPost, srv.URL+"/desk/signin", strings.NewReader("token=admin-0123456789"))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		if next != nil {
			req.AddCookie(next)
		}
		resp, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp
	}
	const add = "/desk/add?url=https%3A%2F%2Fexample.org%2Fstory%3Fa%3D1"
	resp, err := client.Get(srv.URL + add)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	var next *http.Cookie
	for _, c := range resp.Cookies() {
		if c.Name == "digest_desk_next" {
			next = c
		}
	}
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/desk/signin" || next == nil || !next.HttpOnly {
		t.Fatalf("the add form without a session: %d to %q, next cookie %+v", resp.StatusCode, resp.Header.Get("Location"), next)
	}
	resp = signIn(next)
	if loc := resp.Header.Get("Location"); resp.StatusCode != http.StatusSeeOther || loc != add {
		t.Errorf("after signing in: %d to %q, want the add form %q", resp.StatusCode, loc, add)
	}
	cleared := false
	for _, c := range resp.Cookies() {
		cleared = cleared || (c.Name == "digest_desk_next" && c.MaxAge < 0)
	}
	if !cleared {
		t.Errorf("the kept page is not cleared after use: %v", resp.Cookies())
	}
	// A forged cookie pointing off the desk lands on the desk.
	for _, bad := range []string{"https://evil.example/", "//evil.example/desk", "/desk/..//evil.example", "/preferences"} {
		resp = signIn(&http.Cookie{Name: "digest_desk_next", Value: base64.RawURLEncoding.EncodeToString([]byte(bad))})
		if loc := resp.Header.Get("Location"); loc != "/desk" {
			t.Errorf("next %q: sent to %q, want /desk", bad, loc)
		}
	}
}

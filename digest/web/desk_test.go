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

	"github.com/weeklywrap/digest/digest"
	"github.com/weeklywrap/digest/digest/render"
	"github.com/weeklywrap/digest/digest/store"
	"github.com/weeklywrap/digest/digest/token"
	"github.com/weeklywrap/digest/templates"
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

// Behind https the session cookie is Secure and __Host- prefixed, so it
// never travels in clear and no subdomain can set it.
func TestDeskCookieBehindHTTPS(t *testing.T) {
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "desk.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	tokens, _ := token.NewSigner("web-test-secret-0123456789")
	s, err := New(Options{Store: st, Tokens: tokens, Templates: templates.FS, Log: slog.New(slog.NewTextHandler(io.Discard, nil)),
		Site: Site{Title: "The Weekly Wrap", Lang: "en", BaseURL: "https://news.example.org"}, AdminToken: "admin-0123456789",
		Desk: &DeskOptions{Service: noDraft{}, Drafts: st.(digest.DraftStore), Sessions: st.(DeskSessions), Mode: "veto"}})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(s.Handler())
	defer srv.Close()
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
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

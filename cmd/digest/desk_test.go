package main

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/weeklywrap/digest/digest"
)

// deskEnv is a project with review on and the real site served on a
// loopback port that is also base_url: a small issue (two seeds), an
// editor, an admin token, an API token, and the draft for the next real
// slot built. privatePages is the test-only switch that lets added links
// reach pages served by httptest on 127.0.0.1.
type deskEnv struct {
	*testEnv
	base  string
	app   *app
	draft digest.Draft
}

const (
	testAdminToken = "admin-token-0123456789"
	testAPIToken   = "api-token-0123456789"
)

func newDeskEnv(t *testing.T, review string, privatePages bool) *deskEnv {
	t.Helper()
	return newDeskEnvWith(t, review, privatePages, false)
}

// newDeskEnvWith is newDeskEnv; with full, the issue is built from the
// bundled seeds and sample feeds (a dozen stories in sections) rather
// than two short seeds.
func newDeskEnvWith(t *testing.T, review string, privatePages, full bool) *deskEnv {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	base := "http://" + ln.Addr().String()
	e := newEnv(t, envOpts{Mailpit: true})
	if !full {
		e.smallIssue(t)
		e.addSeed(t, "002_second.md", "---\ntitle: A second story\n---\n\nThere is more to read this week. It is short but real.\n")
	}
	data, _ := os.ReadFile(e.config)
	cfg := strings.Replace(string(data), "base_url: http://digest.test", "base_url: "+base, 1)
	cfg += "topics:\n  - name: Security\n    categories: [Security]\n  - name: Open Source\n    categories: [Open Source]\n"
	cfg += "web:\n  admin_token: " + testAdminToken + "\n  api_token: " + testAPIToken + "\n"
	cfg += "review:\n  lead: 168h\n  editors: [ed@example.org, kim@example.org]\n" + review
	if err := os.WriteFile(e.config, []byte(cfg), 0o644); err != nil {
		t.Fatal(err)
	}
	a := &app{configPath: e.config, privatePages: privatePages}
	h, err := a.webHandler(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewUnstartedServer(h)
	srv.Listener.Close()
	srv.Listener = ln
	srv.Start()
	t.Cleanup(func() { srv.Close(); a.Close() })
	runOutbox(t, a)
	d, created, err := a.svc.EnsureDraft(context.Background(), a.svc.Slots.Next(time.Now()))
	if err != nil || !created {
		t.Fatalf("draft: %v %v", created, err)
	}
	return &deskEnv{testEnv: e, base: base, app: a, draft: d}
}

// runOutbox sends the app's queued mail until the test ends, as digest
// serve does.
func runOutbox(t *testing.T, a *app) {
	t.Helper()
	ob, err := a.svc.Outbox()
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); ob.Run(ctx) }()
	t.Cleanup(func() { cancel(); <-done })
}

// browser is an HTTP client with its own cookies that does not follow
// redirects, so tests see each answer.
type browser struct {
	t *testing.T
	c *http.Client
}

func newBrowser(t *testing.T) *browser {
	jar, _ := cookiejar.New(nil)
	return &browser{t: t, c: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

func (b *browser) do(req *http.Request) (int, string, http.Header) {
	b.t.Helper()
	resp, err := b.c.Do(req)
	if err != nil {
		b.t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body), resp.Header
}

func (b *browser) get(u string) (int, string, http.Header) {
	b.t.Helper()
	req, _ := http.NewRequest(http.MethodGet, u, nil)
	return b.do(req)
}

// post sends a form as a same-origin browser form would.
func (b *browser) post(u string, form url.Values) (int, string, http.Header) {
	b.t.Helper()
	req, _ := http.NewRequest(http.MethodPost, u, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	return b.do(req)
}

var deskLink = regexp.MustCompile(`https?://\S+/desk/signin/[A-Za-z0-9_\-.]+`)

// signIn asks for a link for editor, reads it from Mailpit and uses it.
func (de *deskEnv) signIn(t *testing.T, b *browser, editor string) {
	t.Helper()
	if code, body, _ := b.post(de.base+"/desk/signin", url.Values{"email": {editor}}); code != 200 || !strings.Contains(body, "Check your inbox") {
		t.Fatalf("ask for a link: %d %s", code, body)
	}
	var link string
	waitFor(t, "a sign-in link for "+editor, 10*time.Second, func() bool {
		for _, m := range de.mp.Messages(t) {
			if m.To[0].Address == editor && strings.HasPrefix(m.Subject, "Sign in to the desk") {
				link = deskLink.FindString(de.mp.Message(t, m.ID).Text)
				return true
			}
		}
		return false
	})
	if link == "" {
		t.Fatalf("the sign-in mail to %s holds no link", editor)
	}
	if code, _, h := b.post(link, nil); code != http.StatusSeeOther || h.Get("Location") != "/desk" {
		t.Fatalf("use the link: %d %v", code, h)
	}
}

func (de *deskEnv) view(t *testing.T) digest.DraftView {
	t.Helper()
	v, err := de.app.svc.CurrentView(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func (de *deskEnv) form(v digest.DraftView, kv ...string) url.Values {
	f := url.Values{"slot": {fmt.Sprint(v.Draft.Slot.Unix())}}
	for i := 0; i+1 < len(kv); i += 2 {
		f.Set(kv[i], kv[i+1])
	}
	return f
}

func TestDeskSignIn(t *testing.T) {
	de := newDeskEnv(t, "  mode: veto\n", false)
	b := newBrowser(t)
	ctx := context.Background()

	if code, _, h := b.get(de.base + "/desk"); code != http.StatusSeeOther || h.Get("Location") != "/desk/signin" {
		t.Fatalf("desk without a session: %d %v", code, h.Get("Location"))
	}
	v := de.view(t)
	code, body, _ := b.post(de.base+"/desk/edit", de.form(v, "action", "drop", "story", v.Edited.Stories[0].Entry.Article.ID))
	if code != http.StatusUnauthorized || !strings.Contains(body, "not signed in") {
		t.Fatalf("edit without a session: %d %s", code, body)
	}

	// A stranger's address gets the same page, and no mail.
	if code, body, _ := b.post(de.base+"/desk/signin", url.Values{"email": {"stranger@example.org"}}); code != 200 || !strings.Contains(body, "Check your inbox") {
		t.Fatalf("stranger: %d", code)
	}
	de.signIn(t, b, "ed@example.org")
	u, _ := url.Parse(de.base)
	cookies := b.c.Jar.Cookies(u)
	if len(cookies) != 1 || cookies[0].Name != "digest_desk" {
		t.Fatalf("session cookie: %+v", cookies)
	}
	for _, m := range de.mp.Messages(t) {
		if m.To[0].Address == "stranger@example.org" {
			t.Errorf("a sign-in link was mailed to an address that is not an editor's")
		}
	}
	code, body, h := b.get(de.base + "/desk")
	if code != 200 || !strings.Contains(body, "Signed in as ed@example.org") || !strings.Contains(body, "The only story this week") {
		t.Fatalf("desk: %d %s", code, body)
	}
	if csp := h.Get("Content-Security-Policy"); !strings.Contains(csp, "default-src 'none'") || strings.Contains(csp, "script") {
		t.Errorf("desk CSP %q allows script", csp)
	}
	if h.Get("Cache-Control") != "no-store" {
		t.Errorf("desk page may be cached")
	}

	// The cookie's attributes, as the server set them.
	req, _ := http.NewRequest(http.MethodPost, de.base+"/desk/signin", strings.NewReader("token="+testAdminToken))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := http.DefaultTransport.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	sc := resp.Header.Get("Set-Cookie")
	if resp.StatusCode != http.StatusSeeOther || !strings.Contains(sc, "HttpOnly") || !strings.Contains(sc, "SameSite=Lax") || strings.Contains(sc, "Secure") {
		t.Errorf("admin sign-in: %d, Set-Cookie %q (http base URL: no Secure)", resp.StatusCode, sc)
	}

	// A wrong admin token.
	if code, body, _ := newBrowser(t).post(de.base+"/desk/signin", url.Values{"token": {"guess"}}); code != http.StatusForbidden || !strings.Contains(body, "not the admin token") {
		t.Errorf("wrong admin token: %d", code)
	}

	// Links: reused, forged, expired, for someone no longer an editor.
	link, err := de.app.svc.SignInLink(ctx, "kim@example.org", time.Now().Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	other := newBrowser(t)
	if code, body, _ := other.get(link); code != 200 || !strings.Contains(body, `method="post"`) {
		t.Fatalf("GET of a fresh link must only show the button: %d", code)
	}
	if code, _, _ := other.post(link, nil); code != http.StatusSeeOther {
		t.Fatalf("first use: %d", code)
	}
	expired, _ := de.app.svc.SignInLink(ctx, "kim@example.org", time.Now().Add(-time.Minute))
	forged := link[:len(link)-3] + "AAA"
	stranger, _ := de.app.svc.SignInLink(ctx, "gone@example.org", time.Now().Add(time.Hour))
	for _, tc := range []struct {
		name, link string
		code       int
		want       string
	}{
		{"reused", link, http.StatusGone, "used already"},
		{"forged", forged, http.StatusBadRequest, "not valid"},
		{"expired", expired, http.StatusGone, "expired"},
		{"not an editor", stranger, http.StatusForbidden, "no longer one of the editors"},
		{"garbage", de.base + "/desk/signin/not-a-token", http.StatusBadRequest, "not valid"},
	} {
		nb := newBrowser(t)
		code, body, _ := nb.post(tc.link, nil)
		if code != tc.code || !strings.Contains(body, tc.want) || !strings.Contains(body, "Ask for a new sign-in link") {
			t.Errorf("%s link: %d, want %d saying %q:\n%s", tc.name, code, tc.code, tc.want, body)
		}
		if tc.name != "not an editor" {
			if code, _, _ := nb.get(tc.link); code != tc.code {
				t.Errorf("%s link, GET: %d, want %d", tc.name, code, tc.code)
			}
		}
		if code, _, _ := nb.get(de.base + "/desk"); code != http.StatusSeeOther {
			t.Errorf("%s link signed someone in", tc.name)
		}
	}

	// Signing out ends the session on the server, not just the cookie.
	jarCookie := b.c.Jar.Cookies(u)[0]
	if code, _, _ := b.post(de.base+"/desk/signout", nil); code != 200 {
		t.Fatalf("sign out: %d", code)
	}
	replay := newBrowser(t)
	replay.c.Jar.SetCookies(u, []*http.Cookie{jarCookie})
	if code, _, _ := replay.get(de.base + "/desk"); code != http.StatusSeeOther {
		t.Errorf("the old session cookie still works after signing out: %d", code)
	}
}

func TestDeskRefusesCrossSiteAndBadTokens(t *testing.T) {
	de := newDeskEnv(t, "  mode: veto\n", false)
	b := newBrowser(t)
	de.signIn(t, b, "ed@example.org")
	v := de.view(t)
	id := v.Edited.Stories[0].Entry.Article.ID

	// The editor's own browser, tricked by another site into posting.
	req, _ := http.NewRequest(http.MethodPost, de.base+"/desk/edit", strings.NewReader(de.form(v, "action", "drop", "story", id).Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	req.Header.Set("Origin", "https://evil.example")
	code, body, _ := b.do(req)
	if code != http.StatusForbidden || !strings.Contains(body, "sent from another site") {
		t.Errorf("cross-site POST: %d %s", code, body)
	}
	for _, path := range []string{"/desk/state", "/desk/links", "/desk/intro", "/desk/signin"} {
		req, _ := http.NewRequest(http.MethodPost, de.base+path, strings.NewReader("action=hold"))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Origin", "https://evil.example")
		if code, _, _ := b.do(req); code != http.StatusForbidden {
			t.Errorf("cross-site POST %s: %d", path, code)
		}
	}
	if v2 := de.view(t); v2.Draft.Version != v.Draft.Version || len(v2.Edits) != 0 {
		t.Errorf("a refused request changed the draft: version %d→%d, %d edits", v.Draft.Version, v2.Draft.Version, len(v2.Edits))
	}

	// The links API.
	api := func(auth, body string) (int, string, http.Header) {
		req, _ := http.NewRequest(http.MethodPost, de.base+"/api/links", strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		if auth != "" {
			req.Header.Set("Authorization", auth)
		}
		return newBrowser(t).do(req)
	}
	for _, tc := range []struct{ auth, want string }{{"", "missing token"}, {"Bearer wrong", "wrong token"}, {"Basic " + testAPIToken, "wrong token"},
		{"Bearer " + testAdminToken, "wrong token"}} {
		code, body, h := api(tc.auth, `{"url":"https://example.org/"}`)
		if code != http.StatusUnauthorized || !strings.Contains(body, tc.want) || h.Get("WWW-Authenticate") == "" {
			t.Errorf("API with %q: %d %s", tc.auth, code, body)
		}
	}
	code, body, _ = api("Bearer "+testAPIToken, `not json`)
	if code != http.StatusBadRequest || !strings.Contains(body, "not JSON") {
		t.Errorf("API with a bad body: %d %s", code, body)
	}
	// The right token, but a page on this machine: refused by the guard.
	code, body, _ = api("Bearer "+testAPIToken, `{"url":"`+de.base+`/"}`)
	if code != http.StatusUnprocessableEntity || !strings.Contains(body, "private or local address") {
		t.Errorf("API with a private URL: %d %s", code, body)
	}
	if links, _ := de.app.svc.Store.(digest.DraftStore).Links(context.Background(), v.Draft.Slot); len(links) != 0 {
		t.Errorf("a refused link was stored")
	}
}

func TestDeskLinksAPIOff(t *testing.T) {
	e := newEnv(t, envOpts{})
	e.appendConfig(t, "web:\n  admin_token: "+testAdminToken+"\nreview:\n  mode: approve\n")
	srv := newWebServer(t, e)
	req, _ := http.NewRequest(http.MethodPost, srv.URL+"/api/links", strings.NewReader(`{"url":"https://example.org/"}`))
	req.Header.Set("Authorization", "Bearer anything")
	code, body, _ := newBrowser(t).do(req)
	if code != http.StatusNotFound || !strings.Contains(body, "web.api_token") {
		t.Errorf("API without web.api_token: %d %s", code, body)
	}
}

// articlePage is a page with an article, for adding as a link.
const articlePage = `<!DOCTYPE html><html><head><title>Ferries return to the harbour | Harbour News</title>
<meta property="og:site_name" content="Harbour News"></head><body>
<nav><a href="/">Home</a> <a href="/about">About</a></nav>
<article><h1>Ferries return to the harbour</h1>
<p>After two years of repairs the old ferry line runs again between the two halves of the city, and the first crossings were full.</p>
<p>The council paid for new engines and a ramp that wheelchairs can use, and says the boats will run every twenty minutes in summer.</p>
<p>Commuters who used to drive around the bay now save half an hour each way, and the cafés by the pier have stayed open later.</p>
</article><footer>© Harbour News</footer></body></html>`

// pageServer serves the pages added links point at.
func pageServer(t *testing.T) *httptest.Server {
	t.Helper()
	mux := http.NewServeMux()
	mux.HandleFunc("/story", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		io.WriteString(w, articlePage)
	})
	mux.HandleFunc("/paper.pdf", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/pdf")
		io.WriteString(w, "%PDF-1.7 not a page")
	})
	mux.HandleFunc("/huge", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		io.WriteString(w, "<html><body><p>"+strings.Repeat("big ", 600_000)+"</p></body></html>")
	})
	mux.HandleFunc("/index", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		io.WriteString(w, `<html><body><nav><a href="/a">A</a> <a href="/b">B</a> <a href="/c">C</a></nav></body></html>`)
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv
}

func TestDeskAddLink(t *testing.T) {
	de := newDeskEnv(t, "  mode: approve\n", true)
	pages := pageServer(t)
	b := newBrowser(t)
	de.signIn(t, b, "kim@example.org")
	ctx := context.Background()
	ds, _ := de.app.svc.Drafts()
	before := de.view(t)

	for _, tc := range []struct{ name, url, want string }{
		{"unreachable", "http://127.0.0.1:1/story", "could not be fetched"},
		{"not HTML", pages.URL + "/paper.pdf", "is not HTML (application/pdf)"},
		{"too large", pages.URL + "/huge", "larger than the limit"},
		{"no article", pages.URL + "/index", "No article was found"},
		{"not found", pages.URL + "/missing", "404"},
		{"not a web address", "javascript:alert(1)", "not a web address"},
		{"unknown host", "http://no-such-host.invalid/story", "could not be found"},
	} {
		code, body, _ := b.post(de.base+"/desk/links", url.Values{"url": {tc.url}, "note": {"n"}})
		if code != http.StatusUnprocessableEntity || !strings.Contains(body, tc.want) || !strings.Contains(body, "Nothing was added") {
			t.Errorf("%s: %d, want 422 saying %q:\n%s", tc.name, code, tc.want, body)
		}
		if !strings.Contains(body, `value="`+htmlEscape(tc.url)+`"`) {
			t.Errorf("%s: the form does not keep the address for another try", tc.name)
		}
	}
	if links, _ := ds.Links(ctx, before.Draft.Slot); len(links) != 0 {
		t.Fatalf("refused links were stored: %+v", links)
	}
	if after := de.view(t); after.Draft.Version != before.Draft.Version {
		t.Errorf("refused links changed the draft: version %d → %d", before.Draft.Version, after.Draft.Version)
	}

	// The bookmarklet's page shows the address and adds nothing by itself.
	code, body, _ := b.get(de.base + "/desk/add?url=" + url.QueryEscape(pages.URL+"/story"))
	if code != 200 || !strings.Contains(body, pages.URL+"/story") || !strings.Contains(body, `method="post"`) {
		t.Fatalf("add page: %d", code)
	}
	if links, _ := ds.Links(ctx, before.Draft.Slot); len(links) != 0 {
		t.Fatal("opening the add page added the link")
	}
	code, _, h := b.post(de.base+"/desk/links", url.Values{"url": {pages.URL + "/story?utm_source=bookmarklet"}, "note": {"Good <news> for commuters."}})
	if code != http.StatusSeeOther || h.Get("Location") != "/desk?done=link" {
		t.Fatalf("add a real page: %d %v", code, h)
	}
	v := de.view(t)
	top := v.Edited.Issue.Top[0]
	if top.Article.Title != "Ferries return to the harbour" || top.Note != "Good <news> for commuters." || !top.Article.Pinned ||
		strings.Contains(top.Article.ID, "utm_source") || len(top.Article.Summary) == 0 {
		t.Fatalf("the pick: %+v", top)
	}
	_, body, _ = b.get(de.base + "/desk")
	if !strings.Contains(body, "Good &lt;news&gt; for commuters.") || strings.Contains(body, "<news>") ||
		!strings.Contains(body, "added the link") || !strings.Contains(body, "kim@example.org") {
		t.Errorf("desk after adding: note not escaped or history missing")
	}

	// The API adds the same way.
	req, _ := http.NewRequest(http.MethodPost, de.base+"/api/links", strings.NewReader(`{"url":"`+pages.URL+`/story#again","note":"twice"}`))
	req.Header.Set("Authorization", "Bearer "+testAPIToken)
	req.Header.Set("Content-Type", "application/json")
	code, body, _ = newBrowser(t).do(req)
	if code != http.StatusCreated || !strings.Contains(body, `"title":"Ferries return to the harbour"`) || !strings.Contains(body, `"draft":"`) {
		t.Errorf("API add: %d %s", code, body)
	}
	req, _ = http.NewRequest(http.MethodPost, de.base+"/api/links", strings.NewReader(`{"url":"`+pages.URL+`/paper.pdf"}`))
	req.Header.Set("Authorization", "Bearer "+testAPIToken)
	req.Header.Set("Content-Type", "application/json")
	if code, body, _ := newBrowser(t).do(req); code != http.StatusUnprocessableEntity || !strings.Contains(body, "not HTML") {
		t.Errorf("API with a PDF: %d %s", code, body)
	}

	// The CLI keeps the guard: only tests can lift it, and this run does not.
	if _, _, err := de.run(t, "links", "add", pages.URL+"/story", "--note", "from the shell"); err == nil || !strings.Contains(err.Error(), "private or local address") {
		t.Errorf("links add of a page on 127.0.0.1: %v", err)
	}
	cliApp := &app{configPath: de.config, privatePages: true}
	defer cliApp.Close()
	cmd := linksCmd(cliApp)
	var out strings.Builder
	cmd.SetOut(&out)
	cmd.SetArgs([]string{"add", pages.URL + "/story", "--note", "from the shell"})
	if err := cmd.ExecuteContext(ctx); err != nil || !strings.Contains(out.String(), `added "Ferries return to the harbour"`) ||
		!strings.Contains(out.String(), "joined the draft") {
		t.Errorf("links add: %v %s", err, out.String())
	}
	if links, _ := ds.Links(ctx, before.Draft.Slot); len(links) != 3 || links[2].AddedBy != "cli" || links[2].Note != "from the shell" {
		t.Errorf("links after desk, API and CLI: %+v", links)
	}
}

func htmlEscape(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&#34;", "'", "&#39;").Replace(s)
}

func TestDeskEditsEscapedAndNeverLost(t *testing.T) {
	de := newDeskEnv(t, "  mode: approve\n", false)
	ann, kim := newBrowser(t), newBrowser(t)
	de.signIn(t, ann, "ed@example.org")
	de.signIn(t, kim, "kim@example.org")
	v := de.view(t)
	id := v.Edited.Stories[0].Entry.Article.ID
	hostile := `<script>alert(1)</script><img src=x onerror=alert(2)>`

	// Both load the desk, both edit the same summary from the original.
	code, _, _ := ann.post(de.base+"/desk/edit", de.form(v, "action", "summary", "story", id, "value", "Ann's summary "+hostile, "base", "0"))
	if code != http.StatusSeeOther {
		t.Fatalf("ann's summary: %d", code)
	}
	code, body, _ := kim.post(de.base+"/desk/edit", de.form(v, "action", "summary", "story", id, "value", "Kim's summary.", "base", "0"))
	if code != http.StatusConflict || !strings.Contains(body, "Someone else changed the summary") ||
		!strings.Contains(body, "Ann&#39;s summary &lt;script&gt;") || !strings.Contains(body, "Kim&#39;s summary.") {
		t.Fatalf("kim's stale summary: %d, want 409 showing both versions:\n%s", code, body)
	}
	// Kim saves hers knowingly, from Ann's.
	v2 := de.view(t)
	s, _ := v2.Edited.Story(id)
	code, _, _ = kim.post(de.base+"/desk/edit", de.form(v2, "action", "summary", "story", id, "value", "Kim's summary.", "base", fmt.Sprint(s.SummaryEdit)))
	if code != http.StatusSeeOther {
		t.Fatalf("kim's summary from ann's: %d", code)
	}
	// Meanwhile, edits to different stories and fields never collide.
	other := v.Edited.Stories[1].Entry.Article.ID
	done := make(chan int, 2)
	go func() {
		c, _, _ := ann.post(de.base+"/desk/edit", de.form(v, "action", "headline", "story", other, "value", hostile, "base", "0"))
		done <- c
	}()
	go func() {
		c, _, _ := kim.post(de.base+"/desk/edit", de.form(v, "action", "pin", "story", other))
		done <- c
	}()
	if a, b := <-done, <-done; a != http.StatusSeeOther || b != http.StatusSeeOther {
		t.Fatalf("concurrent edits: %d %d", a, b)
	}
	v3 := de.view(t)
	if len(v3.Edits) != 4 {
		t.Errorf("%d edits recorded, want 4", len(v3.Edits))
	}
	st, _ := v3.Edited.Story(other)
	if !st.Pinned || st.Entry.Article.Title != hostile {
		t.Errorf("one of the concurrent edits was lost: pinned %v, title %q", st.Pinned, st.Entry.Article.Title)
	}

	// Everything an editor wrote is escaped: on the desk, in the preview and in the email.
	_, body, _ = ann.get(de.base + "/desk")
	if strings.Contains(body, "<script>alert") || strings.Contains(body, "<img src=x") || !strings.Contains(body, "&lt;script&gt;alert(1)&lt;/script&gt;") {
		t.Errorf("desk does not escape editor text")
	}
	for _, who := range []string{"ed@example.org", "kim@example.org"} {
		if !strings.Contains(body, who) {
			t.Errorf("history does not name %s", who)
		}
	}
	_, body, _ = ann.get(de.base + "/desk/preview/email")
	if strings.Contains(body, "<script>alert") || strings.Contains(body, "<img src=x") {
		t.Errorf("preview email does not escape editor text")
	}

	// Approval names the version seen: a change since is refused.
	code, body, _ = ann.post(de.base+"/desk/state", de.form(v, "action", "approve", "version", fmt.Sprint(v.Draft.Version)))
	if code != http.StatusConflict || !strings.Contains(body, "changed since you loaded the page") {
		t.Errorf("stale approval: %d %s", code, body)
	}
	code, _, _ = ann.post(de.base+"/desk/state", de.form(v3, "action", "approve", "version", fmt.Sprint(v3.Draft.Version)))
	if code != http.StatusSeeOther {
		t.Fatalf("approval: %d", code)
	}
	code, body, _ = kim.post(de.base+"/desk/edit", de.form(v3, "action", "drop", "story", id))
	if code != http.StatusConflict || !strings.Contains(body, "takes no more edits") {
		t.Errorf("edit after approval: %d %s", code, body)
	}
	code, body, _ = kim.post(de.base+"/desk/edit", url.Values{"slot": {"12345"}, "action": {"drop"}, "story": {id}})
	if code != http.StatusConflict || !strings.Contains(body, "replaced by a newer one") {
		t.Errorf("edit of another draft: %d %s", code, body)
	}
	code, body, _ = kim.post(de.base+"/desk/edit", de.form(v3, "action", "headline", "story", id, "value", strings.Repeat("x", 301)))
	if code != http.StatusUnprocessableEntity && code != http.StatusConflict {
		t.Errorf("over-long headline: %d", code)
	}
}

package web

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/weeklywrap/digest/digest"
	"github.com/weeklywrap/digest/digest/render"
	"github.com/weeklywrap/digest/digest/store"
	"github.com/weeklywrap/digest/digest/token"
	"github.com/weeklywrap/digest/templates"
)

// preparedIssue renders issue n with the real email template: three top
// stories with lead images under imgBase, two sections, and a most
// discussed story with a reader's comment.
func preparedIssue(t testing.TB, lang string, n int, imgBase string) (*render.Prepared, digest.Issue) {
	t.Helper()
	r, err := render.New(render.Newsletter{Title: "The Weekly Wrap", Tagline: "Reading, gathered", BaseURL: "http://wrap.test",
		PostalAddress: "1 Example Street, Springfield", Lang: lang}, templates.FS)
	if err != nil {
		t.Fatal(err)
	}
	slot := time.Date(2026, 11, 2+7*n, 7, 0, 0, 0, time.UTC)
	story := func(i int) digest.Entry {
		return digest.Entry{Article: digest.Article{
			ID: fmt.Sprintf("s%d-%d", n, i), URL: fmt.Sprintf("https://news.example.org/%d/%d", n, i),
			Title: fmt.Sprintf("Headline %d.%d", n, i), SiteName: "News Example", Published: slot.Add(-24 * time.Hour),
			Paragraphs: []string{"Lorem ipsum dolor sit amet."}, Summary: []string{fmt.Sprintf("Summarium %d.%d.", n, i)},
			Author: "Mira Zolt", CommentCount: 3 * i,
		}}
	}
	top := []digest.Entry{story(1), story(2), story(3)}
	for i := range top {
		top[i].Article.Image = &digest.Image{URL: fmt.Sprintf("%s/img/%d-%d.png", imgBase, n, i+1), Width: 300, Height: 200, Alt: "Alt text"}
	}
	discussed := story(9)
	discussed.Highlight = &digest.Comment{Author: "Sam Okafor", Text: "Lorem ipsum dolor sit amet, consectetur adipiscing elit."}
	is := digest.Issue{Number: n, Slot: slot, WindowEnd: slot, BuiltAt: slot, Intro: "Lorem ipsum intro.",
		Top: top,
		Sections: []digest.Section{{Name: "Scientia", Entries: []digest.Entry{story(4), story(5), story(6)}},
			{Name: "More this week", Entries: []digest.Entry{story(7), story(8)}}},
		MostDiscussed: []digest.Entry{discussed}}
	p, err := r.Prepare(&is)
	if err != nil {
		t.Fatal(err)
	}
	is.Subject = p.Subject()
	return p, is
}

// pagesSite is a site in lang with two issues stored.
func pagesSite(t testing.TB, lang string) (*Server, *httptest.Server, digest.Store, *recorder) {
	return pagesSiteAt(t, lang, "http://127.0.0.1:1")
}

// pagesSiteAt is pagesSite with the issues' lead images under imgBase.
func pagesSiteAt(t testing.TB, lang, imgBase string) (*Server, *httptest.Server, digest.Store, *recorder) {
	t.Helper()
	st, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "pages.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	for n := 1; n <= 2; n++ {
		p, is := preparedIssue(t, lang, n, imgBase)
		stored := digest.StoredIssue{Issue: is, HTML: p.HTML(render.Personal{}), Text: p.Text(render.Personal{})}
		if _, _, err := st.CreateIssue(context.Background(), stored, nil); err != nil {
			t.Fatal(err)
		}
	}
	tokens, _ := token.NewSigner("pages-test-secret-0123456789")
	rec := &recorder{}
	s, srv := serve(t, Options{Store: st, Tokens: tokens, Site: Site{Title: "The Weekly Wrap", Tagline: "Reading, gathered", Lang: lang, BaseURL: "http://wrap.test"},
		Notifier: rec, Welcome: true, IPPerMinute: 1000})
	return s, srv, st, rec
}

var titleRe = regexp.MustCompile(`<title>([^<]*)</title>`)

// layoutOf checks a page is in the site's layout: one document, one
// <title> that does not repeat the site's name, the masthead and the
// navigation.
func layoutOf(t *testing.T, where, body string) string {
	t.Helper()
	if n := strings.Count(strings.ToLower(body), "<html"); n != 1 {
		t.Errorf("%s: %d <html> elements", where, n)
	}
	m := titleRe.FindAllStringSubmatch(body, -1)
	if len(m) != 1 {
		t.Fatalf("%s: %d <title> elements", where, len(m))
	}
	if strings.Count(m[0][1], "The Weekly Wrap") != 1 {
		t.Errorf("%s: title %q names the site other than once", where, m[0][1])
	}
	if !strings.Contains(body, `<header class="masthead"><a href="/" class="brand">The Weekly Wrap</a>`) || !strings.Contains(body, `href="/issues"`) {
		t.Errorf("%s: no site header and navigation", where)
	}
	return m[0][1]
}

func TestPages(t *testing.T) {
	s, srv, st, _ := pagesSite(t, "en")
	ctx := context.Background()

	_, home, _ := get(t, srv.URL+"/")
	if title := layoutOf(t, "/", home); title != "The Weekly Wrap" {
		t.Errorf("/: title %q", title)
	}
	if n := strings.Count(home, "Reading, gathered"); n != 1 {
		t.Errorf("/: the tagline appears %d times, want once", n)
	}
	for _, page := range []string{"/", "/issues"} {
		_, body, _ := get(t, srv.URL+page)
		layoutOf(t, page, body)
		if strings.Contains(body, "#1: The Weekly Wrap") || strings.Contains(body, ">The Weekly Wrap #") || strings.Contains(body, "<ol") {
			t.Errorf("%s: an issue is named twice over (number and subject prefix)", page)
		}
		if !strings.Contains(body, `<a href="/issues/1">Headline 1.1</a>`) && page == "/issues" {
			t.Errorf("%s: issue 1 is not listed by its headline", page)
		}
		if !strings.Contains(body, `<a href="/issues/2">Headline 2.1</a>`) {
			t.Errorf("%s: the latest issue is not listed by its headline", page)
		}
	}
	if n := strings.Count(home, `href="/issues/2"`); n != 1 {
		t.Errorf("/: the latest issue is linked %d times, want once", n)
	}

	code, issue, h := get(t, srv.URL+"/issues/1")
	if code != 200 {
		t.Fatalf("/issues/1: %d", code)
	}
	if title := layoutOf(t, "/issues/1", issue); title != "Headline 1.1 · The Weekly Wrap" {
		t.Errorf("/issues/1: title %q", title)
	}
	for _, want := range []string{"Headline 1.1", "Summarium 1.2.", `action="/subscribe"`, `href="/issues/2" rel="next"`, "Top stories", "Scientia", `<img src="http://127.0.0.1:1/img/1-1.png" width="120" height="80" alt="Alt text"`} {
		if !strings.Contains(issue, want) {
			t.Errorf("/issues/1 lacks %q", want)
		}
	}
	for _, bad := range []string{"View this issue in your browser", "web version", "<body class=\"bo\""} {
		if strings.Contains(issue, bad) {
			t.Errorf("/issues/1 shows %q", bad)
		}
	}
	if csp := h.Get("Content-Security-Policy"); !strings.Contains(csp, "img-src 'self' data: https: http:") || strings.Contains(csp, "script") {
		t.Errorf("CSP %q", csp)
	}
	if _, latest, _ := get(t, srv.URL+"/latest"); !strings.Contains(latest, "Headline 2.1") || !strings.Contains(latest, `rel="prev"`) {
		t.Errorf("/latest is not issue 2 in the layout")
	}

	_, feed, _ := get(t, srv.URL+"/feed.xml")
	if !strings.Contains(feed, `<content type="html">`) || !strings.Contains(feed, "Summarium 2.2.") || !strings.Contains(feed, "&lt;h3") {
		t.Errorf("/feed.xml entries lack the issue's content:\n%.2000s", feed)
	}

	for _, path := range []string{"/nope", "/issues/99", "/static/nope.css", "/issues/x/y"} {
		code, body, h := get(t, srv.URL+path)
		if code != 404 || !strings.HasPrefix(h.Get("Content-Type"), "text/html") || !strings.Contains(body, "Page not found") {
			t.Errorf("%s: %d %s, want the styled 404", path, code, h.Get("Content-Type"))
			continue
		}
		layoutOf(t, path, body)
	}

	// A validation error keeps what was typed.
	code, back := postForm(t, srv.URL+"/subscribe", url.Values{"email": {"zoe at example"}, "name": {`Zoë "Z" Ng`}})
	if code != 400 || !strings.Contains(back, `value="Zoë &#34;Z&#34; Ng"`) || !strings.Contains(back, `value="zoe at example"`) || !strings.Contains(back, `role="alert"`) {
		t.Errorf("validation error: %d, the form lost what was typed:\n%s", code, back)
	}

	// Welcome aboard links to the latest issue; unsubscribing offers a way back.
	sub, err := st.AddSubscriber(ctx, digest.Subscriber{Email: "new@example.org", Status: digest.StatusPending})
	if err != nil {
		t.Fatal(err)
	}
	_, welcome := postForm(t, srv.URL+"/confirm/"+s.Tokens.SignBound(token.Confirm, sub.ID, sub.Version, time.Now().Add(time.Hour)), nil)
	s.Wait()
	if !strings.Contains(welcome, "Welcome aboard") || !strings.Contains(welcome, `<a href="/issues/2">Read the latest issue: Headline 2.1</a>`) {
		t.Errorf("welcome page does not link to the latest issue:\n%s", welcome)
	}
	_, gone := postForm(t, srv.URL+"/unsubscribe/"+s.Tokens.Sign(token.Unsubscribe, sub.ID, time.Time{}), url.Values{"List-Unsubscribe": {"One-Click"}})
	action := regexp.MustCompile(`<form method="post" action="(/resubscribe/[^"]+)"><button type="submit">Subscribe to The Weekly Wrap again</button>`).FindStringSubmatch(gone)
	if action == nil {
		t.Fatalf("the unsubscribed page offers no way back:\n%s", gone)
	}
	if got, _ := st.Subscriber(ctx, sub.ID); got.Status != digest.StatusUnsubscribed {
		t.Fatalf("status %s after unsubscribing", got.Status)
	}
	if code, body := postForm(t, srv.URL+action[1], nil); code != 200 || !strings.Contains(body, "Welcome back") {
		t.Errorf("the way back: %d\n%s", code, body)
	}
	if got, _ := st.Subscriber(ctx, sub.ID); got.Status != digest.StatusConfirmed {
		t.Errorf("status %s after the way back, want confirmed", got.Status)
	}
}

// TestPagesInLanguages opens every reader-facing page with lang de, fr and
// es and looks for each string of the catalogue in English: none may be
// left on a page.
func TestPagesInLanguages(t *testing.T) {
	b, err := os.ReadFile("../../templates/lang/de.json")
	if err != nil {
		t.Fatal(err)
	}
	var de map[string]string
	if err := json.Unmarshal(b, &de); err != nil {
		t.Fatal(err)
	}
	var probes []*regexp.Regexp
	var keys []string
	for k := range de {
		parts := regexp.MustCompile(`%[sd]`).Split(k, -1)
		for i, p := range parts {
			parts[i] = regexp.QuoteMeta(p)
		}
		keys = append(keys, k)
		probes = append(probes, regexp.MustCompile(`(?i)(?:^|[^\p{L}\p{N}])`+strings.Join(parts, `.{0,80}?`)+`(?:$|[^\p{L}\p{N}@])`))
	}
	same := map[string]map[string]bool{"de": {"Links": true, "Name": true}, "fr": {"%d minutes": true, "Site": true}}
	strip := regexp.MustCompile(`(?s)<style>.*?</style>|<[^>]*>|https?://\S+`)
	for _, lang := range []string{"de", "fr", "es"} {
		t.Run(lang, func(t *testing.T) {
			s, srv, st, _ := pagesSite(t, lang)
			ctx := context.Background()
			sub, err := st.AddSubscriber(ctx, digest.Subscriber{Email: "new@example.org", Status: digest.StatusPending})
			if err != nil {
				t.Fatal(err)
			}
			confirm := srv.URL + "/confirm/" + s.Tokens.SignBound(token.Confirm, sub.ID, sub.Version, time.Now().Add(time.Hour))
			pages := map[string]string{}
			for _, p := range []string{"/", "/issues", "/issues/1", "/issues/2", "/nope", "/unsubscribe"} {
				_, pages[p], _ = get(t, srv.URL+p)
			}
			_, pages["confirm page"], _ = get(t, confirm)
			_, pages["welcome"] = postForm(t, confirm, nil)
			s.Wait()
			_, pages["preferences"], _ = get(t, srv.URL+"/preferences/"+s.Tokens.Sign(token.Preferences, sub.ID, time.Time{}))
			unsub := srv.URL + "/unsubscribe/" + s.Tokens.Sign(token.Unsubscribe, sub.ID, time.Time{})
			_, pages["unsubscribe page"], _ = get(t, unsub)
			_, pages["unsubscribed"] = postForm(t, unsub, nil)
			_, pages["unsubscribed already"], _ = get(t, unsub)
			_, pages["preferences, unsubscribed"], _ = get(t, srv.URL+"/preferences/"+s.Tokens.Sign(token.Preferences, sub.ID, time.Time{}))
			_, pages["bad address"] = postForm(t, srv.URL+"/subscribe", url.Values{"email": {"x"}})
			_, pages["check your inbox"] = postForm(t, srv.URL+"/subscribe", url.Values{"email": {"zeta@example.org"}})
			s.Wait()
			for where, body := range pages {
				if !strings.Contains(body, `<html lang="`+lang+`">`) {
					t.Errorf("%s: not in the layout with lang %s", where, lang)
				}
				visible := strip.ReplaceAllString(body, " ")
				for i, k := range keys {
					if same[lang][k] {
						continue
					}
					if m := probes[i].FindString(visible); m != "" {
						t.Errorf("%s: English label %q left on the page: %q", where, k, m)
					}
				}
			}
		})
	}
}

package feed

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/weeklywrap/digest/digest"
)

var paraRe = regexp.MustCompile(`<p>([^<]*)</p>`)

// fakeExtract stands in for htmlpage.Extract: the text of each <p>.
func fakeExtract(_ context.Context, pageURL string, body []byte) (digest.Article, error) {
	var a digest.Article
	for _, m := range paraRe.FindAllSubmatch(body, -1) {
		a.Paragraphs = append(a.Paragraphs, string(m[1]))
	}
	if len(a.Paragraphs) == 0 {
		return a, errors.New("no article in " + pageURL)
	}
	a.Author = "Page Author"
	a.LowConfidence = bytes.Contains(body, []byte("class=index"))
	return a, nil
}

func TestFullText(t *testing.T) {
	long := strings.Repeat("word ", 200)
	var mu sync.Mutex
	pages := map[string]int{}
	mux := http.NewServeMux()
	var srvURL string
	mux.HandleFunc("/feed.xml", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, `<rss version="2.0"><channel><title>T</title>
<item><guid>teaser</guid><title>Teaser</title><link>%[1]s/page/teaser</link><description>Only a teaser.</description></item>
<item><guid>missing</guid><title>Missing page</title><link>%[1]s/page/missing</link><description>Teaser of a missing page.</description></item>
<item><guid>empty</guid><title>Empty page</title><link>%[1]s/page/empty</link><description>Teaser of an empty page.</description></item>
<item><guid>index</guid><title>Index page</title><link>%[1]s/page/index</link><description>Teaser of an index.</description></item>
<item><guid>long</guid><title>Long</title><link>%[1]s/page/long</link><description>%[2]s</description></item>
</channel></rss>`, srvURL, long)
	})
	mux.HandleFunc("/page/", func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		pages[r.URL.Path]++
		mu.Unlock()
		switch r.URL.Path {
		case "/page/teaser":
			w.Header().Set("Content-Type", "text/html; charset=iso-8859-1")
			w.Write([]byte("<html><body><p>Full text, first paragraph caf\xe9.</p><p>Second paragraph.</p></body></html>"))
		case "/page/index":
			fmt.Fprint(w, "<html><body class=index><p>Many</p><p>links and more words than the teaser has</p></body></html>")
		case "/page/empty":
			fmt.Fprint(w, "<html><body><div>nothing</div></body></html>")
		default:
			http.NotFound(w, r)
		}
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()
	srvURL = srv.URL

	f := NewFetcher(testLimits(), nil, fakeExtract)
	r := f.Fetch(context.Background(), Options{Name: "ft", URL: srv.URL + "/feed.xml", FullText: true, MinWords: 50}, time.Time{}, time.Time{})
	if r.Err != nil || len(r.Articles) != 5 {
		t.Fatalf("fetch: %v, %d articles", r.Err, len(r.Articles))
	}
	got := map[string]string{}
	for _, a := range r.Articles {
		got[a.Title] = a.Text()
	}
	if want := "Full text, first paragraph café.\n\nSecond paragraph."; got["Teaser"] != want {
		t.Errorf("teaser: got %q, want the page text %q", got["Teaser"], want)
	}
	if r.Articles[0].Author != "Page Author" {
		t.Errorf("author from page: %q", r.Articles[0].Author)
	}
	if got["Missing page"] != "Teaser of a missing page." || got["Empty page"] != "Teaser of an empty page." || got["Index page"] != "Teaser of an index." {
		t.Errorf("failed pages should keep the feed text: %q, %q, %q", got["Missing page"], got["Empty page"], got["Index page"])
	}
	if r.FullTextErr != 3 {
		t.Errorf("FullTextErr = %d, want 3", r.FullTextErr)
	}
	if pages["/page/long"] != 0 {
		t.Errorf("a long item's page was fetched")
	}

	// Without FullText nothing is fetched.
	f.Fetch(context.Background(), Options{Name: "ft", URL: srv.URL + "/feed.xml"}, time.Time{}, time.Time{})
	if pages["/page/teaser"] != 1 {
		t.Errorf("teaser page fetched %d times, want 1", pages["/page/teaser"])
	}
}

// A teaser whose link points inside this machine keeps its own text unless
// PrivatePages allows such pages: feeds must not make the server read its
// own network into a newsletter.
func TestFullTextRefusesPrivateAddresses(t *testing.T) {
	page := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = w.Write([]byte("<html><body><article><p>Secret internal text that must not leak into mail.</p></article></body></html>"))
	}))
	defer page.Close()
	feedSrv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/rss+xml")
		fmt.Fprintf(w, `<?xml version="1.0"?><rss version="2.0"><channel><title>t</title><item><title>Teaser</title><link>%s/internal</link><description>Short teaser.</description></item></channel></rss>`, page.URL)
	}))
	defer feedSrv.Close()
	l := testLimits()
	l.PrivatePages = false
	called := false
	full := func(ctx context.Context, u string, body []byte) (digest.Article, error) {
		called = true
		return digest.Article{Paragraphs: []string{string(body)}}, nil
	}
	res := NewFetcher(l, nil, full).Fetch(context.Background(), Options{Name: "f", URL: feedSrv.URL, FullText: true}, time.Time{}, time.Time{})
	if res.Err != nil || len(res.Articles) != 1 {
		t.Fatalf("fetch: %v, %d articles", res.Err, len(res.Articles))
	}
	if called || res.FullTextErr != 1 || strings.Contains(res.Articles[0].Text(), "Secret") {
		t.Errorf("a page on 127.0.0.1 was fetched for full text: called=%v errs=%d text=%q", called, res.FullTextErr, res.Articles[0].Text())
	}
}

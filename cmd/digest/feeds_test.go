package main

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"
)

const goodItems = `<item><title>First story</title><link>https://h.example/1</link><guid>g1</guid><description>A first story with some words in it.</description></item>
<item><title>Same guid again</title><link>https://h.example/1</link><guid>g1</guid><description>A duplicate of the first.</description></item>
<item><title>From the future</title><link>https://h.example/2</link><guid>g2</guid><pubDate>Mon, 01 Jan 2099 00:00:00 GMT</pubDate><description>Dated far ahead.</description></item>
<item><title>Undated story</title><link>https://h.example/3</link><guid>g3</guid><description>No date at all.</description></item>`

// hostile serves one misbehaving feed per path, all on 127.0.0.1.
func hostile(t *testing.T) *httptest.Server {
	t.Helper()
	mux := http.NewServeMux()
	mux.HandleFunc("/hang", func(w http.ResponseWriter, r *http.Request) { <-r.Context().Done() })
	mux.HandleFunc("/trickle", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/rss+xml")
		for i := 0; i < 600; i++ {
			if _, err := w.Write([]byte("<")); err != nil {
				return
			}
			w.(http.Flusher).Flush()
			select {
			case <-time.After(100 * time.Millisecond):
			case <-r.Context().Done():
				return
			}
		}
	})
	mux.HandleFunc("/endless", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/rss+xml")
		_, _ = w.Write([]byte(`<?xml version="1.0"?><rss version="2.0"><channel><title>x</title>`))
		chunk := []byte(strings.Repeat("<item><title>more</title></item>", 1000))
		for {
			if _, err := w.Write(chunk); err != nil {
				return
			}
		}
	})
	mux.HandleFunc("/loop", func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, "/loop2", http.StatusFound) })
	mux.HandleFunc("/loop2", func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, "/loop", http.StatusFound) })
	mux.HandleFunc("/invalid", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/rss+xml")
		_, _ = w.Write([]byte(`<?xml version="1.0"?><rss version="2.0"><channel><title>broken<item></rss`))
	})
	mux.HandleFunc("/html", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		_, _ = w.Write([]byte(`<!DOCTYPE html><html><head><title>Not a feed</title></head><body><p>Hello</p></body></html>`))
	})
	mux.HandleFunc("/charset", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/rss+xml") // no charset; the body is windows-1252
		_, _ = w.Write([]byte("<?xml version=\"1.0\" encoding=\"windows-1252\"?><rss version=\"2.0\"><channel><title>Caf\xe9</title><item><title>Caf\xe9 cr\xe8me \x93quoted\x94</title><link>https://h.example/c</link><guid>c1</guid><description>Na\xefve text.</description></item></channel></rss>"))
	})
	mux.HandleFunc("/dupes", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/rss+xml; charset=utf-8")
		_, _ = fmt.Fprintf(w, `<?xml version="1.0"?><rss version="2.0"><channel><title>Dupes</title>%s</channel></rss>`, goodItems)
	})
	mux.HandleFunc("/500", func(w http.ResponseWriter, r *http.Request) { http.Error(w, "oops", http.StatusInternalServerError) })
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv
}

// `digest feeds check` shows every hostile feed with its reason, each held
// inside its own timeout and size cap, and the good ones still work.
func TestFeedsCheckShowsHostileFeeds(t *testing.T) {
	srv := hostile(t)
	var feeds []string
	for _, p := range []string{"hang", "trickle", "endless", "loop", "invalid", "html", "charset", "dupes", "500"} {
		feeds = append(feeds, srv.URL+"/"+p)
	}
	e := newEnv(t, envOpts{ExtraFeeds: feeds, Timeout: "2s"})
	start := time.Now()
	out, _, err := e.run(t, "feeds", "check")
	took := time.Since(start)
	if err == nil {
		t.Error("feeds check must exit non-zero when feeds fail")
	}
	t.Logf("feeds check took %s:\n%s", took, out)
	rows := map[string]string{}
	for _, line := range strings.Split(out, "\n") {
		for _, f := range feeds {
			if strings.HasPrefix(line, f+" ") {
				rows[f[len(srv.URL)+1:]] = line
			}
		}
	}
	for _, bad := range []string{"hang", "trickle", "endless", "loop", "invalid", "html", "500"} {
		if !strings.Contains(rows[bad], "FAIL") {
			t.Errorf("%s: not shown as failing: %q", bad, rows[bad])
		}
	}
	for _, good := range []string{"charset", "dupes"} {
		if strings.Contains(rows[good], "FAIL") || rows[good] == "" {
			t.Errorf("%s: should work: %q", good, rows[good])
		}
	}
	if !strings.Contains(rows["dupes"], "ok") || !strings.Contains(rows["dupes"], "1 item dated in the future left out") {
		t.Errorf("dupes row should be ok and note the future-dated item: %q", rows["dupes"])
	}
	if !strings.Contains(out, "Net Policy Notes") {
		t.Errorf("the sample feeds are missing from the table")
	}
	// The issue still builds from the rest, and the windows-1252 feed reads right.
	pv := e.mustRun(t, "preview")
	if !strings.Contains(pv, "issue #1") {
		t.Fatalf("preview: %s", pv)
	}
	text := readOut(t, e, "issue.txt")
	if !strings.Contains(text, "Café crème “quoted”") {
		t.Errorf("windows-1252 feed was mis-decoded")
	}
	if strings.Count(text, "First story") != 1 {
		t.Errorf("duplicate GUIDs gave %d copies", strings.Count(text, "First story"))
	}
}

// A second run against an unchanged feed gets a 304 and still reads the
// feed's items, from the last good copy.
func TestNotModifiedFeedStillGivesItsItems(t *testing.T) {
	requests, conditional := 0, 0
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		requests++
		if r.Header.Get("If-None-Match") == `"v1"` {
			conditional++
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.Header().Set("ETag", `"v1"`)
		w.Header().Set("Content-Type", "application/rss+xml; charset=utf-8")
		_, _ = fmt.Fprintf(w, `<?xml version="1.0"?><rss version="2.0"><channel><title>Etagged</title>%s</channel></rss>`, goodItems)
	}))
	defer srv.Close()
	e := newEnv(t, envOpts{ExtraFeeds: []string{srv.URL + "/feed.xml"}})
	e.mustRun(t, "preview")
	first := readOut(t, e, "issue.txt")
	e.mustRun(t, "preview")
	second := readOut(t, e, "issue.txt")
	if requests != 2 || conditional != 1 {
		t.Errorf("requests %d, conditional %d; want the second to be a conditional GET", requests, conditional)
	}
	if !strings.Contains(first, "First story") || !strings.Contains(second, "First story") {
		t.Errorf("after a 304 the feed's items are gone")
	}
}

func TestFeedsOPMLRoundTrip(t *testing.T) {
	e := newEnv(t, envOpts{})
	opml := e.mustRun(t, "feeds", "export")
	if !strings.Contains(opml, "<opml") || !strings.Contains(opml, "Net Policy Notes") {
		t.Fatalf("export:\n%s", opml)
	}
	p := e.dir + "/feeds.opml"
	if err := os.WriteFile(p, []byte(opml), 0o644); err != nil {
		t.Fatal(err)
	}
	before, _ := os.ReadFile(e.config)
	out := e.mustRun(t, "feeds", "import", p)
	if !strings.Contains(out, "added 0 of 3 feeds") || !strings.Contains(out, "3 were configured already") {
		t.Errorf("importing the exported feeds should add none:\n%s", out)
	}
	if after, _ := os.ReadFile(e.config); string(after) != string(before) {
		t.Errorf("an import that adds nothing changed the config")
	}
	if _, _, err := e.run(t, "feeds", "import", e.config); err == nil {
		t.Error("importing a non-OPML file should fail")
	}
}

package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// extract --json is a contract: the eval scorers read these fields.
func TestExtractJSONContract(t *testing.T) {
	e := newEnv(t, envOpts{})
	seed := filepath.Join("..", "..", "seeds", "000_bfb80475702a41a0.txt")
	bad := filepath.Join(e.dir, "empty.txt")
	if err := os.WriteFile(bad, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	feedFile := filepath.Join("..", "..", "seeds", "feeds", "netpolicy.xml")
	out, errOut, err := e.run(t, "extract", "--json", seed, bad, feedFile)
	if err == nil {
		t.Error("an unreadable file must make the exit status non-zero")
	}
	if !strings.Contains(errOut, bad) || strings.Count(strings.TrimSpace(errOut), "\n") != 0 {
		t.Errorf("stderr should be one line naming %s: %q", bad, errOut)
	}
	var recs []map[string]any
	sc := bufio.NewScanner(strings.NewReader(out))
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		var r map[string]any
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			t.Fatalf("not a JSON line: %v: %s", err, sc.Text())
		}
		recs = append(recs, r)
	}
	if len(recs) != 4 {
		t.Fatalf("got %d records, want 1 for the seed and 3 for the feed's items", len(recs))
	}
	for _, k := range []string{"file", "url", "title", "author", "published", "published_from", "categories", "text", "comments", "comment_count", "summary"} {
		if _, ok := recs[0][k]; !ok {
			t.Errorf("record lacks %q", k)
		}
	}
	s := recs[0]
	if s["file"] != seed || s["author"] != "Milton Mueller" || s["published"] != "2011-09-21T02:10:00Z" ||
		s["published_from"] != "earliest-comment" || s["comment_count"].(float64) != 2 {
		t.Errorf("seed record: file %v author %v published %v from %v comments %v", s["file"], s["author"], s["published"], s["published_from"], s["comment_count"])
	}
	if paras := strings.Split(s["text"].(string), "\n\n"); len(paras) != 5 {
		t.Errorf("seed text has %d paragraphs separated by blank lines, want 5", len(paras))
	}
	if sum := s["summary"].([]any); len(sum) == 0 || len(sum) > 3 {
		t.Errorf("seed summary has %d sentences", len(sum))
	}
	if recs[1]["file"] != feedFile || recs[1]["title"] == "" {
		t.Errorf("feed item record: %v", recs[1])
	}

	out, _, err = e.run(t, "summarize", "--json", "--words", "40", seed)
	if err != nil {
		t.Fatal(err)
	}
	var sr struct {
		File    string   `json:"file"`
		Title   string   `json:"title"`
		Summary []string `json:"summary"`
	}
	if err := json.Unmarshal([]byte(strings.TrimSpace(out)), &sr); err != nil || sr.File != seed || len(sr.Summary) == 0 {
		t.Fatalf("summarize --json: %v %q", err, out)
	}
	if n := len(strings.Fields(strings.Join(sr.Summary, " "))); n > 40 && len(sr.Summary) > 1 {
		t.Errorf("a 40-word budget gave %d words in %d sentences", n, len(sr.Summary))
	}
}

// extract URL goes through the feed fetcher: the public-address guard and
// the size limit hold there as in the daemon, and the error names the URL.
func TestExtractURLIsGuarded(t *testing.T) {
	e := newEnv(t, envOpts{})
	page := "<html><head><title>A page</title></head><body><article><h1>A page</h1><p>" +
		strings.Repeat("Some sentence of the article goes here. ", 40) + "</p></article></body></html>"
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		if r.URL.Path == "/huge" {
			w.Write([]byte(strings.Repeat("<p>x</p>", 3<<20)))
			return
		}
		w.Write([]byte(page))
	}))
	defer srv.Close()
	_, errOut, err := e.run(t, "extract", "--json", srv.URL+"/story")
	if err == nil || !strings.Contains(errOut, srv.URL+"/story") || !strings.Contains(errOut, "not a public address") {
		t.Errorf("extract of a loopback URL: err %v, stderr %q; want it refused as not public, naming the URL", err, errOut)
	}
	// With private pages allowed (tests only), the same URL is read, and
	// the size limit still holds.
	root, a := newRoot()
	defer a.Close()
	a.privatePages = true
	var out, errb bytes.Buffer
	root.SetOut(&out)
	root.SetErr(&errb)
	root.SetArgs([]string{"--config", e.config, "extract", "--json", srv.URL + "/story", srv.URL + "/huge"})
	err = root.ExecuteContext(context.Background())
	if !strings.Contains(out.String(), `"title":"A page"`) {
		t.Errorf("extract of an allowed URL: %s", out.String())
	}
	if err == nil || !strings.Contains(errb.String(), srv.URL+"/huge") || !strings.Contains(errb.String(), "too large") || strings.Count(errb.String(), srv.URL+"/huge") != 1 {
		t.Errorf("a page over the size limit: err %v, stderr %q", err, errb.String())
	}
}

package main

import (
	"bufio"
	"encoding/json"
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

package source

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/weeklywrap/digest/digest"
)

func TestDetect(t *testing.T) {
	tests := []struct {
		name, data string
		want       Format
	}{
		{"a.xml", `<?xml version="1.0"?><rss version="2.0"><channel></channel></rss>`, FormatFeed},
		{"feed", `<feed xmlns="http://www.w3.org/2005/Atom"></feed>`, FormatFeed},
		{"f.json", `{"version": "https://jsonfeed.org/version/1.1", "items": []}`, FormatFeed},
		{"r.rdf", `<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"></rdf:RDF>`, FormatFeed},
		{"page.html", `<!DOCTYPE html><html><body>x</body></html>`, FormatHTML},
		{"page", `<!doctype html><html>`, FormatHTML},
		{"note.md", "---\ntitle: x\n---\nbody", FormatMarkdown},
		{"dump.txt", "Home / Blogs\n\nA title\n\nText.", FormatText},
		{"dump.txt", "An article that mentions <feed> in its text.", FormatText},
	}
	for _, tt := range tests {
		if got := Detect(tt.name, []byte(tt.data)); got != tt.want {
			t.Errorf("Detect(%q, %.30q) = %s, want %s", tt.name, tt.data, got, tt.want)
		}
	}
}

func write(t *testing.T, dir, name, data string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

const dump = "A Plain Title For The Test\n\nThe first paragraph says something long enough to be an article body, with several words in it and a full stop.\n\nThe second paragraph adds more of the same, so that the extractor sees a real run of text here.\n"

func TestSeedsReadsGoodFilesAndReportsBadOnes(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, "a.txt", dump)
	write(t, dir, "b.md", "---\ntitle: A note\nauthor: Ed\n---\n\nA short note. It has two sentences.\n")
	write(t, dir, "c.txt", "")
	write(t, dir, "d.md", "---\ntitle: [unclosed\n---\nbody\n")
	write(t, dir, "ignored.pdf", "%PDF-1.4")
	if err := os.Mkdir(filepath.Join(dir, "feeds"), 0o755); err != nil {
		t.Fatal(err)
	}
	arts, errs := Seeds(dir)
	if len(arts) != 2 {
		t.Fatalf("got %d articles, want 2 (a.txt, b.md): %+v", len(arts), arts)
	}
	if len(errs) != 2 || !strings.Contains(errs[0].Source, "c.txt") || !strings.Contains(errs[0].Err, "empty") ||
		!strings.Contains(errs[1].Source, "d.md") {
		t.Fatalf("errors = %+v, want c.txt empty and d.md front matter", errs)
	}
	for _, a := range arts {
		if !strings.HasPrefix(a.ID, "seed:") || a.Source.Kind != "seed" || a.Source.Name == "" || a.Source.Name == filepath.Base(a.Source.URL) {
			t.Errorf("article %q: ID %q, source %+v", a.Title, a.ID, a.Source)
		}
	}
	if arts[0].Title != "A Plain Title For The Test" || len(arts[0].Paragraphs) != 2 {
		t.Errorf("a.txt: title %q, %d paragraphs", arts[0].Title, len(arts[0].Paragraphs))
	}
}

func TestSeedIdentityFollowsContent(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, "a.txt", dump)
	first, _ := Seeds(dir)
	again, _ := Seeds(dir)
	write(t, dir, "a.txt", dump+"\nA third paragraph was added later by the editor, which makes it a new seed.\n")
	changed, _ := Seeds(dir)
	if first[0].ID != again[0].ID {
		t.Errorf("same file, different IDs: %s %s", first[0].ID, again[0].ID)
	}
	if first[0].ID == changed[0].ID {
		t.Errorf("a changed file kept its ID %s; it must count as new", first[0].ID)
	}
}

func TestReadFileRefusesHugeFiles(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "big.txt")
	f, err := os.Create(p)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Truncate(MaxFileBytes + 1); err != nil {
		t.Fatal(err)
	}
	f.Close()
	if _, err := ReadFile(p); err == nil || !strings.Contains(err.Error(), "limit") {
		t.Errorf("huge file: err = %v", err)
	}
	if _, err := ReadFile(dir); err == nil || !strings.Contains(err.Error(), "directory") {
		t.Errorf("directory: err = %v", err)
	}
}

func TestUndatedSeedIsNotDatedByItsFileTime(t *testing.T) {
	mod := time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC)
	arts, err := File(Seed{Path: "x.txt", Data: []byte(dump), ModTime: mod}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if a := arts[0]; !a.Published.IsZero() || a.PublishedFrom != digest.DateNone {
		t.Errorf("published %v from %q, want undated (%q)", a.Published, a.PublishedFrom, digest.DateNone)
	}
}

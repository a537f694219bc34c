package service

import (
	"flag"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/weeklywrap/digest/digest"
	"github.com/weeklywrap/digest/digest/curate"
	"github.com/weeklywrap/digest/digest/render"
	"github.com/weeklywrap/digest/digest/source"
	"github.com/weeklywrap/digest/templates"
)

var update = flag.Bool("update", false, "update golden files")

// issueSlot is the Monday the test issue is for; its window is the week before.
var issueSlot = time.Date(2026, 11, 23, 7, 0, 0, 0, time.UTC)

// testIssue builds an issue the way the service does, from seeds of every
// kind and feeds: the project's bundled seeds and sample feeds (an old
// page dump, an editor's note, an HTML page, undated feed items) and this
// package's fixtures (a pinned note, an editor's note on a feed story,
// a feed of this week with headings, captions, lists and quotations).
func testIssue(t *testing.T) (digest.Issue, []digest.Article) {
	t.Helper()
	dir := t.TempDir()
	copyFiles(t, filepath.Join("..", "..", "seeds"), dir, "*.txt", "*.md", "*.html")
	copyFiles(t, filepath.Join("testdata", "issue"), dir, "*.md")
	arts, errs := source.Seeds(dir)
	if len(errs) > 0 {
		t.Fatalf("seeds: %v", errs)
	}
	feeds, _ := filepath.Glob(filepath.Join("..", "..", "seeds", "feeds", "*"))
	for _, f := range append(feeds, filepath.Join("testdata", "issue", "week.xml")) {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		items, err := source.File(source.Seed{Path: f, Data: data}, nil)
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		for i := range items {
			items[i].Source.Name = feedNames[filepath.Base(f)] // as the config names them
		}
		arts = append(arts, items...)
	}
	is := curate.Build(arts, curate.Options{
		Now: issueSlot, Window: 7 * 24 * time.Hour,
		Topics: []curate.Topic{
			{Name: "Internet Governance", Categories: []string{"Internet Governance", "Policy"}, Keywords: []string{"treaty", "sovereignty", "resolution"}},
			{Name: "Infrastructure", Categories: []string{"Infrastructure"}, Keywords: []string{"ipv6", "router", "mesh"}},
		},
	})
	is.Number, is.Slot, is.WindowStart, is.WindowEnd = 7, issueSlot, issueSlot.AddDate(0, 0, -7), issueSlot
	return is, arts
}

var feedNames = map[string]string{
	"netpolicy.xml": "Net Policy Notes", "opensource.atom": "Open Source Weekly Notes",
	"community.json": "Community Radio", "week.xml": "Harbour Town Courier",
}

// copyFiles copies the files of src matching patterns into dst, with a
// fixed modification time so that nothing depends on the checkout.
func copyFiles(t *testing.T, src, dst string, patterns ...string) {
	t.Helper()
	for _, p := range patterns {
		files, _ := filepath.Glob(filepath.Join(src, p))
		for _, f := range files {
			data, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			out := filepath.Join(dst, filepath.Base(f))
			if err := os.WriteFile(out, data, 0o644); err != nil {
				t.Fatal(err)
			}
			if err := os.Chtimes(out, issueSlot, issueSlot); err != nil {
				t.Fatal(err)
			}
		}
	}
}

// TestIssueGolden renders the test issue's text part and compares it with
// testdata/issue.golden.txt (go test ./digest/service -run IssueGolden
// -update to accept a change after reading the diff). Every summary in it
// is made of whole sentences: none ends with an ellipsis or mid-sentence.
func TestIssueGolden(t *testing.T) {
	is, _ := testIssue(t)
	r, err := render.New(render.Newsletter{Title: "The Weekly Wrap", BaseURL: "https://wrap.example.org", Lang: "en"}, templates.FS)
	if err != nil {
		t.Fatal(err)
	}
	p, err := r.Prepare(&is)
	if err != nil {
		t.Fatal(err)
	}
	text := p.Text(render.Personal{})
	const golden = "testdata/issue.golden.txt"
	if *update {
		if err := os.WriteFile(golden, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if text != string(want) {
		t.Errorf("the rendered issue differs from %s; run go test -update and read the diff", golden)
	}

	flat := strings.Join(strings.Fields(text), " ")
	if strings.Contains(text, "…") || strings.Contains(text, "...") {
		t.Error("the rendered issue holds an ellipsis")
	}
	for _, e := range is.Entries() {
		sum := e.Article.Summary
		if len(sum) == 0 && !e.Article.SummaryFixed {
			t.Errorf("%q has no summary", e.Article.Title)
		}
		for _, s := range sum {
			if !wholeSentence(s) {
				t.Errorf("%q: summary sentence %q is cut", e.Article.Title, s)
			}
		}
		if joined := strings.Join(strings.Fields(strings.Join(sum, " ")), " "); !strings.Contains(flat, joined) {
			t.Errorf("%q: the summary is not shown whole: %q", e.Article.Title, joined)
		}
	}
}

// wholeSentence: ends with a full stop, question or exclamation mark
// (and closing quotes or brackets), not with an ellipsis.
func wholeSentence(s string) bool {
	s = strings.TrimRight(s, `"'”’)]»`)
	if strings.HasSuffix(s, "...") || strings.HasSuffix(s, "…") {
		return false
	}
	return strings.HasSuffix(s, ".") || strings.HasSuffix(s, "!") || strings.HasSuffix(s, "?")
}

// TestIssueHonest checks what the issue promises readers and editors.
func TestIssueHonest(t *testing.T) {
	is, arts := testIssue(t)
	entries := is.Entries()
	titles := make([]string, len(entries))
	for i, e := range entries {
		titles[i] = e.Article.Title
	}
	// Every story once.
	for i, title := range titles {
		if slices.Index(titles, title) != i {
			t.Errorf("%q appears twice", title)
		}
	}
	// The pinned note leads.
	if len(is.Top) == 0 || !is.Top[0].Article.Pinned || !strings.Contains(is.Top[0].Article.Title, "winter break") {
		t.Errorf("top = %q, want the pinned note first", titles[:len(is.Top)])
	}
	// The 2011 page is in, below the top, shown with its year.
	old := slices.IndexFunc(entries, func(e digest.Entry) bool { return e.Article.Published.Year() == 2011 })
	if old < len(is.Top) {
		t.Errorf("the 2011 page is at %d of %q", old, titles)
	}
	// The editor's summary survives the fold into the feed's story.
	i := slices.IndexFunc(entries, func(e digest.Entry) bool { return strings.Contains(e.Article.URL, "ipv6-edge") })
	if i < 0 {
		t.Fatal("the IPv6 story is missing")
	}
	if e := entries[i]; !e.Article.SummaryFixed || !strings.Contains(strings.Join(e.Article.Summary, " "), "the router, not the backbone") ||
		len(e.Article.Paragraphs) < 2 {
		t.Errorf("IPv6 story: summary %q, %d paragraphs; want the editor's summary with the feed's fuller text", e.Article.Summary, len(e.Article.Paragraphs))
	}
	// The intro names no headline and counts nothing.
	for _, title := range titles {
		if strings.Contains(is.Intro, title) {
			t.Errorf("intro %q repeats %q", is.Intro, title)
		}
	}
	if strings.ContainsAny(strings.ReplaceAll(is.Intro, "2011", ""), "0123456789") {
		t.Errorf("intro %q counts", is.Intro)
	}
	if len(arts) <= len(entries) {
		t.Errorf("%d articles, %d stories: the fixture should fold at least one", len(arts), len(entries))
	}
}

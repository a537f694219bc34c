package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// Page dumps written for these tests, each about something else so that
// none is folded into another as a near-duplicate.
const (
	ferries = "Harbour Towns Vote To Share Their Ferries\n\n" +
		"The councils of three harbour towns voted on Tuesday to run their ferries as one service, ending a decade of competing timetables that left travellers waiting at empty piers.\n\n" +
		"Under the plan the boats keep their crews and colours, but tickets are valid on every route and the schedules are drawn up together each spring by a small joint office.\n"
	orchards = "Island Orchards Bring Back Forgotten Apples\n\n" +
		"Growers on the island have replanted eleven apple varieties that had not been sold in shops for fifty years, grafting them from the last old trees standing in farmyards and churchyards.\n\n" +
		"The first harvest went to a cider press in the harbour, and the growers hope to sell the fruit itself at the market within three seasons.\n"
	bridge = "Valley Towns Refuse The New Toll Bridge\n\n" +
		"Residents of the valley rejected the planned toll bridge in a vote on Sunday, saying the fee would cut the villages off from the only hospital in the district.\n\n" +
		"The regional government said it would study a bridge without tolls, paid for from the road budget, and present the new plan before the winter.\n"
)

// TestSeedLinksSourcesAndDatesInTheIssue reads .txt seeds with a URL line,
// with a sidecar .url file and with neither, through preview's real
// wiring, and checks the rendered email: linked headlines, the
// publication's name instead of "Editor's pick", and no date taken from a
// file's time.
func TestSeedLinksSourcesAndDatesInTheIssue(t *testing.T) {
	e := newEnv(t, envOpts{})
	e.addSeed(t, "p1.txt", "https://www.harbourherald.example/ferries\n\n"+ferries+"\nContact | Jobs | The Harbour Herald\n")
	e.addSeed(t, "p2.txt", orchards)
	e.addSeed(t, "p2.url", "[InternetShortcut]\r\nURL=https://news.islandpost.example/orchards\r\n")
	e.addSeed(t, "p3.txt", bridge+"\n© 2023 The Valley Courier Ltd. All rights reserved.\n")
	// Every seed's file time is one date nobody wrote: it must not be shown.
	old := time.Date(2001, 2, 3, 4, 5, 6, 0, time.UTC)
	for _, n := range []string{"p1.txt", "p2.txt", "p3.txt", "000_bfb80475702a41a0.txt", "001_editors-note.md", "002_sample-page.html"} {
		if err := os.Chtimes(filepath.Join(e.seeds, n), old, old); err != nil {
			t.Fatal(err)
		}
	}
	e.mustRun(t, "preview")
	html := readOut(t, e, "issue.html")
	text := readOut(t, e, "issue.txt")
	for _, want := range []struct{ url, title, source string }{
		{"https://www.harbourherald.example/ferries", "Harbour Towns Vote To Share Their Ferries", "The Harbour Herald"},
		{"https://news.islandpost.example/orchards", "Island Orchards Bring Back Forgotten Apples", "news.islandpost.example"},
	} {
		link := regexp.MustCompile(`<a [^>]*href="` + regexp.QuoteMeta(want.url) + `[^"]*"[^>]*>` + regexp.QuoteMeta(want.title) + `</a>`)
		if !link.MatchString(html) {
			t.Errorf("issue.html has no link %s on %q", want.url, want.title)
		}
		if !strings.Contains(html, want.source) || !strings.Contains(text, want.source) {
			t.Errorf("issue lacks the publication %q", want.source)
		}
		if !strings.Contains(text, want.url) {
			t.Errorf("issue.txt lacks the link %s", want.url)
		}
	}
	if strings.Contains(html, ">Valley Towns Refuse The New Toll Bridge</a>") || !strings.Contains(html, "Valley Towns Refuse The New Toll Bridge") {
		t.Errorf("the seed without an address must be listed, unlinked")
	}
	if !strings.Contains(html, "The Valley Courier") {
		t.Errorf("the copyright line's publication is not shown")
	}
	// Only the bundled seed, whose page names no publication, may be an editor's pick.
	if n := strings.Count(text, "Editor's pick"); n > 2 {
		t.Errorf("%d stories shown as an editor's pick; the seeds naming their publication must not be", n)
	}
	for _, d := range []string{"3 Feb 2001", "Feb 2001", "2001-02-03"} {
		if strings.Contains(html, d) || strings.Contains(text, d) {
			t.Errorf("the issue shows %q, a date taken from a file's time", d)
		}
	}
	// An old page is labelled with its year (its earliest comment, 21 Sep 2011).
	if !strings.Contains(text, "from 2011") {
		t.Errorf("the bundled seed's year (its earliest comment, 21 Sep 2011) is not shown")
	}
}

// TestExtractJSONSaysUndated checks the documented value for a seed
// without a date: published empty, published_from "none".
func TestExtractJSONSaysUndated(t *testing.T) {
	e := newEnv(t, envOpts{})
	p := filepath.Join(e.seeds, "undated.txt")
	if err := os.WriteFile(p, []byte(ferries), 0o644); err != nil {
		t.Fatal(err)
	}
	out := e.mustRun(t, "extract", "--json", p)
	if !strings.Contains(out, `"published":""`) || !strings.Contains(out, `"published_from":"none"`) {
		t.Errorf("undated seed: %s", out)
	}
}

// TestConfidenceInExtractAndExplain checks that extract --json prints each
// article's confidence (1 for feed items and notes) and that preview
// --explain points at a seed where no clear article was found.
func TestConfidenceInExtractAndExplain(t *testing.T) {
	e := newEnv(t, envOpts{})
	root := repoRoot(t)
	out := e.mustRun(t, "extract", "--json", filepath.Join(root, "seeds", "feeds", "netpolicy.xml"), filepath.Join(e.seeds, "001_editors-note.md"))
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) < 2 {
		t.Fatalf("extract printed %d lines", len(lines))
	}
	for _, l := range lines {
		if !strings.Contains(l, `"confidence":1`) {
			t.Errorf("feed item or note without confidence 1: %.200s", l)
		}
	}
	e.addSeed(t, "zz_login.txt", "Sign in\nEmail\nPassword\nForgot password?\nCreate account\nHelp\n")
	exp := e.mustRun(t, "preview", "--explain")
	if !regexp.MustCompile(`low confidence \([0-9.]+\): no clear article found in \S*zz_login\.txt`).MatchString(exp) {
		t.Errorf("preview --explain does not point at the low-confidence seed:\n%s", exp)
	}
}

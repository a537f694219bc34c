package curate

import (
	"strings"
	"testing"
	"time"

	"github.com/weeklywrap/digest/digest"
)

func TestMostDiscussed(t *testing.T) {
	mk := func(title string, ago int, n int, cs ...digest.Comment) digest.Article {
		a := art(feed(title, 1), "https://"+strings.ToLower(title)+".example/x", title, time.Duration(ago)*day, textOutage...)
		a.Paragraphs = []string{title + " " + strings.Repeat(title+" says something. ", 20)}
		a.CommentCount, a.Comments = n, cs
		return a
	}
	arts := []digest.Article{
		mk("Lead", 0, 300, digest.Comment{Author: "Cy", Text: "The lead story deserves every one of these comments, and more will come."}),
		mk("Quiet", 1, 0),
		mk("Busy", 2, 120, digest.Comment{Author: "x", Text: "+1"}, digest.Comment{Author: "Ann", Text: "This changes how we deploy everything, and I doubt the vendor has thought it through. More later."}),
		mk("Counted", 3, 40), // a count but no comment text
		mk("Few", 4, 1, digest.Comment{Author: "Bo", Text: "A short but real comment with enough words to quote here."}),
		mk("Rare", 5, 2, digest.Comment{Author: "Di", Text: "Another short but real comment with enough words to quote."}),
	}
	is := Build(arts, Options{Now: slot, TopN: 1})
	if len(is.Top) != 1 || is.Top[0].Article.Title != "Lead" {
		t.Fatalf("top = %v, want Lead", titles(is.Top))
	}
	if h := is.Top[0].Highlight; h == nil || h.Author != "Cy" {
		t.Errorf("the top story's comment is quoted where it stands: got %+v", h)
	}
	if got, want := strings.Join(titles(is.MostDiscussed), "|"), "Busy|Counted|Rare"; got != want {
		t.Fatalf("most discussed = %q, want %q (never the top story again)", got, want)
	}
	if h := is.MostDiscussed[0].Highlight; h == nil || h.Author != "Ann" || h.Text != "This changes how we deploy everything, and I doubt the vendor has thought it through. More later." {
		t.Errorf("Busy highlight = %+v, want Ann's comment, skipping the \"+1\"", h)
	}
	if h := is.MostDiscussed[1].Highlight; h != nil {
		t.Errorf("Counted highlight = %+v, want none (no comment text)", h)
	}
	assertOnce(t, is)
	for _, s := range is.Sections {
		for _, e := range s.Entries {
			if e.Highlight != nil {
				t.Errorf("%q: a highlight in a section", e.Article.Title)
			}
		}
	}
}

// assertOnce fails when a story appears twice in the issue.
func assertOnce(t *testing.T, is digest.Issue) {
	t.Helper()
	seen := map[string]bool{}
	for _, e := range is.Entries() {
		k := e.Article.ID + "|" + e.Article.Title
		if seen[k] {
			t.Errorf("%q appears twice in the issue", e.Article.Title)
		}
		seen[k] = true
	}
}

func titles(es []digest.Entry) []string {
	var out []string
	for _, e := range es {
		out = append(out, e.Article.Title)
	}
	return out
}

func TestQuote(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"two sentences fit", "First point is here. Second point is too.", "First point is here. Second point is too."},
		{"thanks skipped", "Thanks for this! The law would block most encrypted apps.", "The law would block most encrypted apps."},
		{"thanks kept when alone", "Thanks for this!", "Thanks for this!"},
		{"list follows", "The rules worry me a lot. My worries:\n- one\n- two", "The rules worry me a lot."},
	}
	for _, tt := range tests {
		if got := quote(tt.in); got != tt.want {
			t.Errorf("%s: quote = %q, want %q", tt.name, got, tt.want)
		}
	}
}

package curate

import (
	"strings"
	"testing"

	"github.com/weeklywrap/digest/digest"
	"github.com/weeklywrap/digest/digest/summary"
)

func TestMostDiscussed(t *testing.T) {
	seed := loadSeed(t)
	mk := func(title string, n int, cs ...digest.Comment) digest.Article {
		a := art(feed(title, 1), "https://"+strings.ToLower(title)+".example/x", title, day, textOutage...)
		a.Paragraphs = []string{title + " " + strings.Repeat(title+" says something. ", 20)}
		a.CommentCount, a.Comments = n, cs
		return a
	}
	arts := []digest.Article{
		seed,
		mk("Quiet", 0),
		mk("Busy", 120, digest.Comment{Author: "x", Text: "+1"}, digest.Comment{Author: "Ann", Text: "This changes how we deploy everything, and I doubt the vendor has thought it through. More later."}),
		mk("Counted", 40), // a count but no comment text
		mk("Few", 1, digest.Comment{Author: "Bo", Text: "A short but real comment with enough words to quote here."}),
	}
	is := Build(arts, Options{Now: slot})
	var got []string
	for _, e := range is.MostDiscussed {
		got = append(got, e.Article.Title)
	}
	if want := "Busy|Counted|" + seed.Title; strings.Join(got, "|") != want {
		t.Fatalf("most discussed = %q, want %q", got, want)
	}
	if h := is.MostDiscussed[0].Highlight; h == nil || h.Author != "Ann" || h.Text != "This changes how we deploy everything, and I doubt the vendor has thought it through. More later." {
		t.Errorf("Busy highlight = %+v, want Ann's comment, skipping the \"+1\"", h)
	}
	if h := is.MostDiscussed[1].Highlight; h != nil {
		t.Errorf("Counted highlight = %+v, want none (no comment text)", h)
	}
	h := is.MostDiscussed[2].Highlight
	if h == nil || h.Author != "Jean-Jacques Subrenat" || len(strings.Fields(h.Text)) > highlightWords ||
		!strings.Contains(seed.Comments[0].Text, strings.TrimSuffix(h.Text, "…")) {
		t.Errorf("seed highlight = %+v, want a quote of at most %d words from the first comment", h, highlightWords)
	}
	for _, e := range is.Entries() {
		if e.Highlight != nil {
			t.Errorf("%q: highlight leaked into the issue's entries", e.Article.Title)
		}
	}
}

func TestQuote(t *testing.T) {
	long := strings.Repeat("word ", 40) + "end."
	tests := []struct{ name, in, want string }{
		{"two sentences fit", "First point here. Second point too.", "First point here. Second point too."},
		{"stop before overflow", "Short opening sentence here. W" + long, "Short opening sentence here."},
		{"one long sentence is cut", long, strings.TrimSpace(strings.Repeat("word ", 30)) + "…"},
		{"thanks skipped", "Thanks for this! The law would block most encrypted apps.", "The law would block most encrypted apps."},
		{"thanks kept when alone", "Thanks for this!", "Thanks for this!"},
		{"list follows", "My worries:\n- one\n- two", "My worries…"},
	}
	for _, tt := range tests {
		if got := quote(summary.Sentences(tt.in)); got != tt.want {
			t.Errorf("%s: quote = %q, want %q", tt.name, got, tt.want)
		}
	}
}

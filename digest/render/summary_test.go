package render

import (
	"strings"
	"testing"
	"time"

	"github.com/weeklywrap/digest/digest"
)

// TestSummariesWhole: the template shows a summary and a quote as curation
// chose them, however long, never cut with an ellipsis.
func TestSummariesWhole(t *testing.T) {
	long := strings.Repeat("The council spent the evening on the tram plan and its many costs. ", 12) + "The vote comes next week."
	is := fixedIssue()
	is.Top[0].Article.Summary = []string{long}
	is.MostDiscussed[0].Highlight.Text = strings.Repeat("A reader wrote at length about the plan. ", 10) + "The end."
	p, err := newRenderer(t, "https://wrap.example.com/").Prepare(is)
	if err != nil {
		t.Fatal(err)
	}
	text := strings.Join(strings.Fields(p.Text(fullPersonal)), " ")
	html := p.HTML(fullPersonal)
	for _, want := range []string{"The vote comes next week.", "The end."} {
		if !strings.Contains(text, want) || !strings.Contains(html, want) {
			t.Errorf("the end of a long summary or quote, %q, is missing", want)
		}
	}
	if strings.Contains(text, "…") || strings.Contains(html, "…") {
		t.Error("the rendering adds an ellipsis")
	}
}

// TestOldStoryDate: a story of an earlier year than the issue's window says
// so ("from 2011"); this week's stories show their day.
func TestOldStoryDate(t *testing.T) {
	is := fixedIssue()
	loc := time.UTC
	tests := []struct {
		published time.Time
		from      string
		want      string
	}{
		{time.Date(2011, 9, 21, 2, 0, 0, 0, time.UTC), "", "from 2011"},
		{day(20, 9), "", "20 Nov 2026"},
		{time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC), "", "2 Mar 2026"}, // old, but this year: the date says it
		{time.Time{}, "", ""},
		{time.Time{}, digest.DateNone, ""},
	}
	for _, tt := range tests {
		a := digest.Article{Published: tt.published, PublishedFrom: tt.from}
		if got := storyDate(&a, is, loc, nil); got != tt.want {
			t.Errorf("storyDate(%v, %q) = %q, want %q", tt.published, tt.from, got, tt.want)
		}
	}
	p, err := newRenderer(t, "https://wrap.example.com/").Prepare(is)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(p.Text(fullPersonal), "archive.example.net · from 2011 ·") {
		t.Error("the text part does not label the 2011 story with its year")
	}
}

package render

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/weeklywrap/digest/digest"
	"github.com/weeklywrap/digest/templates"
)

var testZone = time.FixedZone("CET", 3600)

func testNewsletter(baseURL string) Newsletter {
	return Newsletter{
		Title:         "The Weekly Wrap",
		Tagline:       "The week's best reading, gathered for you",
		BaseURL:       baseURL,
		PostalAddress: "Weekly Wrap, 1 Example Street, 10115 Berlin, Germany",
		Lang:          "en",
		Location:      testZone,
	}
}

func newRenderer(t testing.TB, baseURL string) *Renderer {
	t.Helper()
	r, err := New(testNewsletter(baseURL), templates.FS)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// prepare prepares is with the renderer of https://wrap.example.com, and
// fails t if it cannot.
func prepare(t testing.TB, is *digest.Issue) *Prepared {
	t.Helper()
	return prepareWith(t, testNewsletter("https://wrap.example.com"), is)
}

// prepareWith prepares is with a renderer for nl and the embedded
// templates, and fails t if it cannot.
func prepareWith(t testing.TB, nl Newsletter, is *digest.Issue) *Prepared {
	t.Helper()
	r, err := New(nl, templates.FS)
	if err != nil {
		t.Fatal(err)
	}
	p, err := r.Prepare(is)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func day(d, h int) time.Time { return time.Date(2026, 11, d, h, 30, 0, 0, time.UTC) }

func words(n int, seed string) []string {
	// Paragraphs of n words, enough for reading-time estimates.
	w := strings.Fields("the council said on tuesday that new rules for " + seed + " would take effect next spring after a long review by experts")
	var out []string
	for len(out)*len(w) < n {
		out = append(out, strings.Join(w, " ")+".")
	}
	return out
}

func article(site, path, title, author string, published time.Time, nwords, comments int, summary ...string) digest.Article {
	base := "https://" + site
	return digest.Article{
		ID:           base + path,
		URL:          base + path,
		Title:        title,
		Author:       author,
		Published:    published,
		Source:       digest.Source{Name: site, Kind: digest.KindFeed, URL: base + "/feed"},
		Paragraphs:   words(nwords, title),
		CommentCount: comments,
		Summary:      summary,
	}
}

// fixedIssue is the issue behind the golden files: every block of the
// layout appears at least once.
func fixedIssue() *digest.Issue {
	is := &digest.Issue{
		Number:      12,
		Slot:        day(22, 7),
		WindowStart: day(15, 7),
		WindowEnd:   day(22, 7),
		Intro: "This week the internet argued about who should run it. " +
			"Also: a quieter way to do email, and a long read on tides.\n\n" +
			"Thanks for reading.",
		Top: []digest.Entry{
			{
				Article: article("news.example.org", "/un-resolution", "Russia and China Propose UN Resolution on “Information Security”", "Milton Mueller", day(20, 9), 980, 14,
					"Russia and China have proposed a resolution at the UN General Assembly.", "Critics say it would give states more control over the internet."),
				AlsoCoveredBy: []digest.Source{{Name: "Policy Weekly"}, {Name: "The Wire Desk"}},
				Highlight:     &digest.Comment{Author: "Jean-Jacques Subrenat", Text: "Internet governance is not a matter for states alone; the multi-stakeholder model exists for a reason."},
			},
			{Article: article("blog.example.net", "/quiet-email", "A quieter way to do email", "Ann Lee", day(19, 14), 460, 0,
				"Batching mail twice a day cut the author's inbox time in half.")},
		},
		Sections: []digest.Section{
			{Name: "Science", Entries: []digest.Entry{
				{Article: article("science.example.com", "/tides", "Why the tides are getting higher", "", day(18, 6), 2300, 3,
					"Sea level rise is only part of the story.", "Dredged harbours amplify the tide.")},
				{Article: article("lab.example.com", "/microscope", "A microscope made of paper", "Kofi Mensah", time.Time{}, 120, 0)},
				{Article: article("archive.example.net", "/2011/folding", "How a paper microscope folds", "", time.Date(2011, 9, 21, 2, 10, 0, 0, time.UTC), 640, 0,
					"The design folds from a single sheet in ten minutes.")},
			}},
			{Name: "Technology", Entries: []digest.Entry{
				{Article: article("dev.example.io", "/go-126", "What's new in Go 1.26 & why it matters", "Gopher <team>", day(21, 18), 700, 1,
					"The release tightens the type checker.")},
			}},
		},
		MostDiscussed: []digest.Entry{
			{
				Article: article("forum.example.org", "/tabs-or-spaces", "Tabs or spaces, settled at last?", "Ines Duarte", day(21, 8), 540, 212,
					"A survey of ten thousand projects found no link between indentation and bugs."),
				Highlight: &digest.Comment{Author: "Sam Okafor", Text: "Consistency within a project matters far more than the choice itself."},
			},
		},
	}
	is.Top[0].Article.Image = &digest.Image{URL: "https://news.example.org/img/un-hall.jpg", Width: 1200, Height: 800, Alt: "The UN General Assembly hall"}
	return is
}

// bigIssue has n stories with summaries of realistic length: 3 top stories,
// the rest in sections of five, and 5 most-discussed with quotes.
func bigIssue(n int) *digest.Issue {
	is := fixedIssue()
	is.Top, is.Sections, is.MostDiscussed = nil, nil, nil
	summary := []string{
		"Officials confirmed on Thursday that the long-awaited changes to the regional transport plan will go ahead next year, with new routes and higher frequencies on the busiest lines.",
		"Critics argue that the budget does not cover maintenance, and that the plan repeats mistakes made a decade ago when two lines were opened and then cut back within months.",
		"The authority says it has learned from that episode and will publish quarterly figures.",
	}
	for i := range n {
		a := article(fmt.Sprintf("site%d.example.com", i%7), fmt.Sprintf("/2026/11/story-%d", i),
			fmt.Sprintf("Story %d: a headline of a typical length about something that happened", i+1),
			"Reporter Name", day(16+i%6, i%24), 600+37*i, (i*7)%40, summary...)
		if i < 3 {
			a.Image = &digest.Image{URL: fmt.Sprintf("https://site%d.example.com/img/story-%d.jpg", i%7, i), Width: 1200, Height: 675}
		}
		e := digest.Entry{Article: a}
		if i%4 == 0 {
			e.AlsoCoveredBy = []digest.Source{{Name: "Another Outlet"}, {Name: "A Third Site"}}
		}
		switch {
		case i < 3:
			is.Top = append(is.Top, e)
		default:
			k := (i - 3) / 5
			if k >= len(is.Sections) {
				is.Sections = append(is.Sections, digest.Section{Name: fmt.Sprintf("Topic %d", k+1)})
			}
			is.Sections[k].Entries = append(is.Sections[k].Entries, e)
		}
		if i%6 == 1 && len(is.MostDiscussed) < 5 {
			e.Highlight = &digest.Comment{Author: "A Reader", Text: "This is a thoughtful comment that adds context to the story, and it runs to a couple of sentences. Readers liked it."}
			is.MostDiscussed = append(is.MostDiscussed, e)
		}
	}
	return is
}

var fullPersonal = Personal{
	Name:           "Ann",
	Email:          "ann@example.com",
	UnsubscribeURL: "https://wrap.example.com/unsubscribe?t=abc123&s=1",
	PreferencesURL: "https://wrap.example.com/preferences?t=abc123",
}

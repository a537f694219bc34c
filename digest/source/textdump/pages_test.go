package textdump

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/weeklywrap/digest/digest"
)

// TestPages runs hand-written dumps of the common page kinds and checks
// what a reader would check: the fields, the first and last paragraph, and
// that no page furniture got into the body.
func TestPages(t *testing.T) {
	tests := []struct {
		file        string
		title       string
		author      string
		role        string
		published   time.Time
		from        string
		paragraphs  int
		first, last string // prefixes of the first and last paragraph
		categories  []string
		comments    []digest.Comment // Text holds a prefix
		count       int              // stated comment count; 0 means len(comments)
		absent      []string
	}{
		{
			file:       "news.txt",
			title:      "City council approves new ferry terminal after three-year dispute",
			author:     "Dana Whitfield",
			role:       "Staff Reporter",
			published:  time.Date(2024, 3, 12, 20, 15, 0, 0, time.UTC),
			from:       digest.DateFromText,
			paragraphs: 11, // with the announced list of three conditions
			first:      "The city council voted 7-2",
			last:       "Mayor Leon Burke called",
			absent:     []string{"Advertisement", "Share this", "Most Read", "Five places", "©", "Privacy", "Subscribe"},
		},
		{
			file:       "blog.txt",
			title:      "Why I still write my own static site generator",
			author:     "Priya Raman",
			published:  time.Date(2022, 6, 3, 0, 0, 0, 0, time.UTC),
			from:       digest.DateFromText,
			paragraphs: 4, // one lost break repaired
			first:      "Every few years somebody",
			last:       "What I have learned",
			categories: []string{"programming", "static sites", "writing"},
			count:      3, // "3 Comments", two of them shown
			comments: []digest.Comment{
				{Author: "Marcus Lee", Title: "Great post.", Published: time.Date(2022, 6, 4, 9, 12, 0, 0, time.UTC), Text: "I went through the same thing"},
				{Author: "Elena Petrova", Title: "Did you ever publish the code?", Published: time.Date(2022, 6, 5, 23, 40, 0, 0, time.UTC), Text: "I would love to see"},
			},
			absent: []string{"Tags", "Comments", "Home / Notes", "Leave a Reply", "newsletter"},
		},
		{
			file:       "portal.txt",
			title:      "Deep-sea survey finds coral gardens thriving below warming waters",
			author:     "Maya Okafor",
			published:  time.Date(2023, 2, 14, 0, 0, 0, 0, time.UTC),
			from:       digest.DateFromText,
			paragraphs: 5,
			first:      "Researchers say the reefs",
			last:       "The team plans to return",
			absent:     []string{"cookies", "Related stories", "Why the ocean", "Newsletter", "Follow us", "©"},
		},
		{
			// A headline with a longer standfirst under it, and a byline
			// at the end of a "Site | date | By …" line.
			file:       "standfirst.txt",
			title:      "Ferry operator scraps plan to cut winter crossings to northern islands after angry protest from islanders",
			author:     "Ola Nordmann, Kari Berg and Jon Dahl",
			published:  time.Date(2025, 3, 4, 0, 0, 0, 0, time.UTC),
			from:       digest.DateFromText,
			paragraphs: 6, // the standfirst opens the body
			first:      "The ferry operator has dropped",
			last:       "The regional council welcomed",
			absent:     []string{"Related stories", "Subscribe", "©", "Mis à jour"},
		},
		{
			// The headline also heads the page inside a breadcrumb line.
			file:       "crumbs.txt",
			title:      "How we cut our build times in half with remote caching",
			author:     "Noor Haddad",
			published:  time.Date(2024, 4, 9, 0, 0, 0, 0, time.UTC),
			from:       digest.DateFromText,
			paragraphs: 5, // with the standfirst
			first:      "Our builds had grown",
			last:       "The main cost was storage",
			absent:     []string{"Share this", "Related posts", "Blog How"},
		},
		{
			file:       "wp_comments.txt",
			title:      "How to keep tomatoes from splitting",
			author:     "Ana Ruiz",
			published:  time.Date(2021, 6, 12, 0, 0, 0, 0, time.UTC),
			from:       digest.DateFromText,
			paragraphs: 3,
			first:      "Tomatoes split when",
			last:       "If a storm is forecast",
			count:      4, // "4 responses to …"
			comments: []digest.Comment{
				{Author: "greenthumb", Published: time.Date(2021, 6, 13, 7, 2, 0, 0, time.UTC), Text: "Mulch made all the difference"},
				{Author: "Sam Okoro", Published: time.Date(2021, 6, 14, 21, 15, 0, 0, time.UTC), Text: "Does this work for cherry tomatoes too? Mine split every single August."},
			},
			absent: []string{"Share this", "responses to", "says:", "Leave a Reply", "will not be published"},
		},
		{
			// A clean article keeps its list items and a sentence that
			// starts like "Name, role".
			file:  "clean_list.txt",
			title: "Council approves winter shelter plan",
			// no date in the text: undated, whatever the file's time
			paragraphs: 7,
			first:      "The city council approved",
			last:       "Each site will have beds",
		},
		{
			file:  "clean.txt",
			title: "Orchard growers turn to bees from the hills",
			// no date in the text: undated, whatever the file's time
			paragraphs: 6,
			first:      "Apple growers in the valley",
			last:       "Scientists at the agricultural college",
		},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join("testdata", "pages", tt.file))
			if err != nil {
				t.Fatal(err)
			}
			a, err := Extract(tt.file, data, Options{ModTime: time.Date(2025, 5, 1, 0, 0, 0, 0, time.UTC)})
			if err != nil {
				t.Fatalf("Extract: %v", err)
			}
			if a.Title != tt.title {
				t.Errorf("title = %q, want %q", a.Title, tt.title)
			}
			if a.Author != tt.author || a.AuthorRole != tt.role {
				t.Errorf("author = %q (%q), want %q (%q)", a.Author, a.AuthorRole, tt.author, tt.role)
			}
			if !a.Published.Equal(tt.published) || a.PublishedFrom != tt.from {
				t.Errorf("published = %v from %q, want %v from %q", a.Published, a.PublishedFrom, tt.published, tt.from)
			}
			if len(a.Paragraphs) != tt.paragraphs {
				t.Fatalf("got %d paragraphs, want %d:\n%s", len(a.Paragraphs), tt.paragraphs, strings.Join(a.Paragraphs, "\n"))
			}
			if !strings.HasPrefix(a.Paragraphs[0], tt.first) || !strings.HasPrefix(a.Paragraphs[len(a.Paragraphs)-1], tt.last) {
				t.Errorf("body runs from %.40q to %.40q", a.Paragraphs[0], a.Paragraphs[len(a.Paragraphs)-1])
			}
			if strings.Join(a.Categories, "|") != strings.Join(tt.categories, "|") {
				t.Errorf("categories = %q, want %q", a.Categories, tt.categories)
			}
			count := tt.count
			if count == 0 {
				count = len(tt.comments)
			}
			if len(a.Comments) != len(tt.comments) || a.CommentCount != count {
				t.Fatalf("got %d comments (count %d), want %d (count %d)", len(a.Comments), a.CommentCount, len(tt.comments), count)
			}
			for i, w := range tt.comments {
				c := a.Comments[i]
				if c.Author != w.Author || c.Title != w.Title || !c.Published.Equal(w.Published) || !strings.HasPrefix(c.Text, w.Text) {
					t.Errorf("comment %d = %+v, want %+v", i, c, w)
				}
			}
			text := a.Text()
			for _, bad := range tt.absent {
				if strings.Contains(text, bad) {
					t.Errorf("body contains %q", bad)
				}
			}
			if a.LowConfidence {
				t.Errorf("LowConfidence set on a clear page")
			}
		})
	}
}

// TestCommentBodies checks where comment bodies start and stop.
func TestCommentBodies(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("testdata", "pages", "blog.txt"))
	if err != nil {
		t.Fatal(err)
	}
	a, err := Extract("blog", data, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(a.Comments) != 2 {
		t.Fatalf("got %d comments", len(a.Comments))
	}
	if want := "- no plugins\n- no themes\n- no surprises\n\nMarcus"; !strings.HasSuffix(a.Comments[0].Text, want) {
		t.Errorf("first comment lost its list or signature: %q", a.Comments[0].Text)
	}
	if got := a.Comments[1].Text; strings.Contains(got, "Reply") || strings.Contains(got, "newsletter") {
		t.Errorf("last comment runs into the form: %q", got)
	}
}

// TestRelativeStampComments checks a comment thread whose headers are a
// name and a relative time ("2 days ago at 07:52 am"): the comments are
// read as such and kept out of the body.
func TestRelativeStampComments(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("testdata", "pages", "relative_comments.txt"))
	if err != nil {
		t.Fatal(err)
	}
	a, err := Extract("relative_comments.txt", data, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(a.Comments) != 3 || a.Comments[0].Author != "kestrel" || !strings.HasPrefix(a.Comments[1].Text, "I hope they keep") {
		t.Errorf("comments = %+v", a.Comments)
	}
	if a.CommentCount != 42 {
		t.Errorf("comment count = %d, want 42", a.CommentCount)
	}
	text := a.Text()
	if !strings.Contains(text, "Analysts expect") {
		t.Errorf("body lost its last paragraph:\n%s", text)
	}
	for _, bad := range []string{"Finally.", "arrow keys", "hinge", "ago at"} {
		if strings.Contains(text, bad) {
			t.Errorf("body contains comment text %q", bad)
		}
	}
}

// TestDatedListing checks a page whose sidebar lists programmes as "Name
// date" lines, which read like comment headers, above the article: the
// list is no comment thread, and the article below it is the body.
func TestDatedListing(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("testdata", "pages", "dated_listing.txt"))
	if err != nil {
		t.Fatal(err)
	}
	a, err := Extract("dated_listing.txt", data, Options{})
	if err != nil {
		t.Fatal(err)
	}
	text := a.Text()
	for _, want := range []string{"The harbour authority will run two extra", "Tickets bought for the old timetable"} {
		if !strings.Contains(text, want) {
			t.Errorf("body lacks %q:\n%s", want, text)
		}
	}
	if len(a.Comments) != 0 {
		t.Errorf("read %d comments from a programme list: %+v", len(a.Comments), a.Comments)
	}
	if a.LowConfidence {
		t.Errorf("LowConfidence set on a clear article")
	}
}

// TestIntroAboveBox checks an article whose two opening paragraphs stand
// above a box of highlights: the box cuts them off from the rest of the
// text, but whole paragraphs are the article's opening, not a teaser.
func TestIntroAboveBox(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("testdata", "pages", "intro_box.txt"))
	if err != nil {
		t.Fatal(err)
	}
	a, err := Extract("intro_box.txt", data, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if want := "What helps best against the cold"; len(a.Paragraphs) == 0 || !strings.HasPrefix(a.Paragraphs[0], want) {
		t.Errorf("body does not open with %q:\n%s", want, a.Text())
	}
	text := a.Text()
	if !strings.Contains(text, "Did you know that the springs") || !strings.Contains(text, "best trout in the valley") {
		t.Errorf("body lost text:\n%s", text)
	}
	if strings.Contains(text, "Copyright") {
		t.Errorf("body holds the footer:\n%s", text)
	}
	if a.Title != "Five hot springs for a winter weekend in the valley" {
		t.Errorf("title = %q", a.Title)
	}
}

// TestSubheadingUnderByline checks that the first subheading, right under
// the byline and right over the text, does not take the headline's place.
func TestSubheadingUnderByline(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("testdata", "pages", "subheading.txt"))
	if err != nil {
		t.Fatal(err)
	}
	a, err := Extract("subheading.txt", data, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if want := "Weekly notes #41 - the road to version 2.0"; a.Title != want {
		t.Errorf("title = %q, want %q", a.Title, want)
	}
}

// TestStandfirst checks what between the headline and the text opens the
// body: the subtitle does; a second copy of the headline, a caption with
// its picture credit and a "Posted by" line do not.
func TestStandfirst(t *testing.T) {
	page := `Valley Courier

News

Town hall roof to be replaced after winter leaks

Town hall roof to be replaced after winter leaks

Council sets aside money for the work, which starts in June and should end before the autumn rains

Posted by the newsroom on 12 March 2025

The old slate roof over the council chamber. Photo: Valley Courier

The council voted on Tuesday to replace the roof of the town hall, after water came through the ceiling of the council chamber three times during the winter storms.

The work will start in June and should take about four months, during which council meetings will move to the library, the clerk said after the vote.

The roof was last replaced more than sixty years ago, and the council says that repairing it again would cost almost as much as a new one over the next ten years.

Copyright 2025 Valley Courier. All rights reserved.
`
	a, err := Extract("roof.txt", []byte(page), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if want := "Town hall roof to be replaced after winter leaks"; a.Title != want {
		t.Errorf("title = %q, want %q", a.Title, want)
	}
	if len(a.Paragraphs) != 4 || !strings.HasPrefix(a.Paragraphs[0], "Council sets aside money") ||
		!strings.HasPrefix(a.Paragraphs[1], "The council voted on Tuesday") {
		t.Errorf("body:\n%s", strings.Join(a.Paragraphs, "\n"))
	}
	for _, bad := range []string{"Town hall roof", "Photo:", "Posted by", "Copyright"} {
		if strings.Contains(a.Text(), bad) {
			t.Errorf("body holds %q", bad)
		}
	}
}

// TestContactBlock checks that a press contact block after the article,
// opened by its label, stays out of the body.
func TestContactBlock(t *testing.T) {
	page := `Green Office Network

Members

Events

Search

Library looks for partners to cut the energy use of its branches

The city library wants to halve the energy its twelve branches use by 2030, and it is looking for companies and schools that would like to take part in the project with ideas, staff or money.

The first step is a survey of every building this spring, which will show where heat is lost and which of the old lamps and heaters should be replaced first.

Partners will meet every three months to compare what they have learned, and the library will publish the results of each round on its website.

Press contact

Mira Holt

Phone +49 40 123 45 67

mira.holt@example.org

Further information

The project is part of the city's climate programme and is open to any organisation in the region that wants to join it.

Copyright 2025 Green Office Network. All rights reserved.
`
	a, err := Extract("contact.txt", []byte(page), Options{})
	if err != nil {
		t.Fatal(err)
	}
	text := a.Text()
	if !strings.Contains(text, "Partners will meet every three months") {
		t.Errorf("body lost its end:\n%s", text)
	}
	for _, bad := range []string{"Press contact", "Mira Holt", "example.org", "climate programme"} {
		if strings.Contains(text, bad) {
			t.Errorf("body holds %q:\n%s", bad, text)
		}
	}
}

// TestLabelValueList checks that a run of "Label: value" lines inside an
// article (what an outfit is made of) stays in the body, while the menu
// above it, which has no colons, stays out.
func TestLabelValueList(t *testing.T) {
	page := `Style Diary

Fashion

Beauty

Travel

Three ways to wear a wool coat this winter

A long wool coat is the one piece that carries a winter wardrobe, and it does not have to look serious: with the right shoes and a bright scarf it works for the office and for a weekend in the city alike.

For the first look I paired the grey coat with a chunky knit and wide trousers, which keeps the outline long and makes the coat the centre of the outfit.

Coat: Nordwool

Sweater: Fieldhouse

Trousers: Linen & Co

Boots: Harbour Shoes

The second look is for colder days, with a turtleneck under the coat and a scarf in a strong colour that makes the grey look warmer.

Copyright 2025 Style Diary. All rights reserved.
`
	a, err := Extract("coat.txt", []byte(page), Options{})
	if err != nil {
		t.Fatal(err)
	}
	text := a.Text()
	for _, want := range []string{"Coat: Nordwool", "Boots: Harbour Shoes", "The second look is for colder days"} {
		if !strings.Contains(text, want) {
			t.Errorf("body lacks %q:\n%s", want, text)
		}
	}
	for _, bad := range []string{"Fashion", "Beauty", "Copyright"} {
		if strings.Contains(text, bad) {
			t.Errorf("body holds %q", bad)
		}
	}
}

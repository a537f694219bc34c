package htmlpage

import (
	"reflect"
	"strings"
	"testing"

	"golang.org/x/net/html"
)

// pageOf cuts an HTML snippet into blocks and marks those the given
// extractor paragraphs hold, as Extract does with trafilatura's.
func pageOf(t *testing.T, src string, trafParas []string) *page {
	t.Helper()
	doc, err := html.Parse(strings.NewReader(src))
	if err != nil {
		t.Fatal(err)
	}
	return cutBlocks(doc, trafParas, nil, "")
}

func marked(pg *page) []string {
	var out []string
	for _, b := range pg.blocks {
		if b.traf {
			out = append(out, b.Text)
		}
	}
	return out
}

func TestMark(t *testing.T) {
	tests := []struct {
		name  string
		page  string
		paras []string
		want  []string
	}{
		{"same paragraphs",
			`<p>First paragraph of the story.</p><p>Share</p><p>Second paragraph of the story.</p>`,
			[]string{"First paragraph of the story.", "Second paragraph of the story."},
			[]string{"First paragraph of the story.", "Second paragraph of the story."}},
		{"extractor joins inline parts without a space",
			`<ul><li><b>The council voted.</b> The plan passes next week.</li></ul>`,
			[]string{"The council voted.The plan passes next week."},
			[]string{"The council voted. The plan passes next week."}},
		{"extractor drops a bit inside a paragraph",
			`<p>The company <a href="/x">said<span> Opens a new window</span></a> that the new product line was introduced after customers asked for it.</p>`,
			[]string{"The company said that the new product line was introduced after customers asked for it."},
			[]string{"The company said Opens a new window that the new product line was introduced after customers asked for it."}},
		{"extractor splits a paragraph in two",
			`<p>The report says the screen stays the same size, although given the source, a larger one is possible.</p>`,
			[]string{"The report says the screen stays the same size, although given the source,", "a larger one is possible."},
			[]string{"The report says the screen stays the same size, although given the source, a larger one is possible."}},
		{"a short block inside a kept sentence is not marked",
			`<div class="author">Harbour Post</div><p>Start your day with the Harbour Post newsletter, read by ten thousand people.</p>`,
			[]string{"Start your day with the Harbour Post newsletter, read by ten thousand people."},
			[]string{"Start your day with the Harbour Post newsletter, read by ten thousand people."}},
		{"a headline quoted inside a kept paragraph is not marked",
			`<h1>Governor doubles down on the new road safety campaign</h1><p>Most read today: Governor doubles down on the new road safety campaign and more stories.</p>`,
			[]string{"Most read today: Governor doubles down on the new road safety campaign and more stories."},
			[]string{"Most read today: Governor doubles down on the new road safety campaign and more stories."}},
		{"table rows in one extractor paragraph",
			`<table><tr><th>Release</th><th>Date</th></tr><tr><td>4.2</td><td>April 2014</td></tr><tr><td>4.3</td><td>July 2014</td></tr></table>`,
			[]string{"Release Date 4.2 April 2014 4.3 July 2014"},
			[]string{"Release Date", "4.2 April 2014", "4.3 July 2014"}},
		{"paragraph recovered late by the extractor",
			`<p>An opening paragraph that the extractor kept in its place.</p><p>A closing paragraph that the extractor found only on its second pass.</p>`,
			[]string{"An opening paragraph that the extractor kept in its place.", "Something the extractor added.", "A closing paragraph that the extractor found only on its second pass."},
			[]string{"An opening paragraph that the extractor kept in its place.", "A closing paragraph that the extractor found only on its second pass."}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := marked(pageOf(t, tt.page, tt.paras)); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("marked %q\nwant   %q", got, tt.want)
			}
		})
	}
}

func TestDropCopies(t *testing.T) {
	// The lead is repeated as a teaser above the article; the extractor
	// kept it once, so the copy inside the article's container stays.
	src := `<div class="top"><p>A ferry will sail again between the islands from April, the authority said.</p></div>
<article><p>A ferry will sail again between the islands from April, the authority said.</p>
<p>The service was cut eleven years ago when the last ship was sold abroad.</p>
<p>Fares will stay at the level of the day crossing for residents of the islands.</p></article>`
	pg := pageOf(t, src, []string{
		"A ferry will sail again between the islands from April, the authority said.",
		"The service was cut eleven years ago when the last ship was sold abroad.",
		"Fares will stay at the level of the day crossing for residents of the islands.",
	})
	if pg.blocks[0].traf || !pg.blocks[1].traf {
		t.Errorf("copy outside the article marked %v, inside %v; want only the one inside", pg.blocks[0].traf, pg.blocks[1].traf)
	}
}

func TestLocate(t *testing.T) {
	src := `<nav><a href="/">Home</a></nav><main><div class="story"><p>First kept paragraph of the story here.</p>
<p>A pull quote the extractor left out.</p><p>Second kept paragraph of the story here.</p></div>
<div class="related"><p>Another story</p></div></main><footer>About us</footer>`
	pg := pageOf(t, src, []string{"First kept paragraph of the story here.", "Second kept paragraph of the story here."})
	if pg.main == nil || pg.main.Data != "div" || attr(pg.main, "class") != "story" {
		t.Fatalf("main = %v, want div.story", pg.main)
	}
	want := map[string]int{"Home": -1, "First kept paragraph of the story here.": 0,
		"A pull quote the extractor left out.": 0, "Another story": 1, "About us": 1}
	for _, b := range pg.blocks {
		if pos, ok := want[b.Text]; ok && b.pos != pos {
			t.Errorf("%q: pos %d, want %d", b.Text, b.pos, pos)
		}
	}
}

func TestClassTokens(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"ArticleHero__teaser--light", []string{"article", "hero", "teaser", "light"}},
		{"post-author bio_box", []string{"post", "author", "bio", "box"}},
		{"relatedPosts2", []string{"related", "posts2"}},
		{"", nil},
	}
	for _, tt := range tests {
		if got := classTokens(tt.in); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("classTokens(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestElementHints(t *testing.T) {
	tests := []struct {
		src     string
		feature int
		want    bool
	}{
		{`<div class="author-box">x</div>`, fHintAuthor, true},
		{`<div class="relatedposts">x</div>`, fHintRelated, true},
		{`<div id="newsletter-signup">x</div>`, fHintPromo, true},
		{`<div class="header">x</div>`, fHintPromo, false}, // "ad" only as a whole word
		{`<div class="ad">x</div>`, fHintPromo, true},
		{`<div class="entry-content">x</div>`, fHintContent, true},
	}
	for _, tt := range tests {
		doc, err := html.Parse(strings.NewReader(tt.src))
		if err != nil {
			t.Fatal(err)
		}
		div := findBody(doc).FirstChild
		h := elementHints(div)
		got := false
		for g, hw := range hintWords {
			if hw.feature == tt.feature {
				got = h&(1<<g) != 0
			}
		}
		if got != tt.want {
			t.Errorf("%s: %s = %v, want %v", tt.src, featureNames[tt.feature], got, tt.want)
		}
	}
}

func TestBodyHTML(t *testing.T) {
	src := `<article><p>Some <em>kept</em> text <img src="x.jpg"> with <a href="/more">a link</a>.</p>
<ul><li>one</li><li>two</li></ul><div>loose text<br>second line</div><h2 class="x">Heading</h2></article>`
	doc, err := html.Parse(strings.NewReader(src))
	if err != nil {
		t.Fatal(err)
	}
	pg := cutBlocks(doc, nil, nil, "")
	var keep []int
	for i := range pg.blocks {
		keep = append(keep, i)
	}
	got := sanitize(bodyHTML(pg.blocks, keep))
	want := `<p>Some <em>kept</em> text  with <a href="/more" rel="nofollow">a link</a>.</p><ul><li>one</li><li>two</li></ul><p>loose text</p><p>second line</p><h2>Heading</h2>`
	if got != want {
		t.Errorf("body HTML\n got %s\nwant %s", got, want)
	}
}

func TestChooseFallsBack(t *testing.T) {
	// Nothing reaches the model's bar, but two blocks have a fair chance:
	// a short article is returned, flagged, rather than nothing.
	pg := &page{blocks: []block{
		{words: 3, p: 0.05},
		{words: 30, p: 0.35},
		{words: 25, p: 0.3},
		{words: 8, p: 0.1},
	}}
	for i := range pg.blocks {
		pg.blocks[i].Runes = 5 * pg.blocks[i].words
	}
	keep := pg.choose()
	if !reflect.DeepEqual(keep, []int{1, 2}) {
		t.Fatalf("choose = %v, want [1 2]", keep)
	}
	if c := pg.confidence(keep); c >= lowConfidence {
		t.Errorf("confidence %.2f of a fallback, want under %.2f", c, lowConfidence)
	}
	// With a clear article, the fallback stays out of the way.
	pg.blocks[1].p, pg.blocks[2].p = 0.9, 0.95
	pg.blocks[1].words, pg.blocks[2].words = 60, 50
	if keep := pg.choose(); !reflect.DeepEqual(keep, []int{1, 2}) {
		t.Fatalf("choose = %v, want [1 2]", keep)
	}
}

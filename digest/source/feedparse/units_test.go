package feedparse

import (
	"strings"
	"testing"
	"time"

	"github.com/weeklywrap/digest/digest"
)

func TestQualifyGUID(t *testing.T) {
	for _, c := range []struct{ g, want string }{
		{"123", "https://f.example/rss#123"},
		{"post-7", "https://f.example/rss#post-7"},
		{"tag:site.example,2026:/post/7", "tag:site.example,2026:/post/7"},
		{"urn:uuid:2f0c1d4e", "urn:uuid:2f0c1d4e"},
		{"https://site.example/p/7", "https://site.example/p/7"},
		{"a/b:c", "https://f.example/rss#a/b:c"},
	} {
		if got := qualifyGUID(c.g, "https://f.example/rss"); got != c.want {
			t.Errorf("qualifyGUID(%q) = %q, want %q", c.g, got, c.want)
		}
	}
}

func TestFilterAndLimit(t *testing.T) {
	day := func(d int) time.Time { return time.Date(2026, 11, d, 0, 0, 0, 0, time.UTC) }
	arts := []digest.Article{
		{Title: "Go 1.26 released", Paragraphs: []string{"Generics everywhere."}, Published: day(3)},
		{Title: "Going places", Paragraphs: []string{"Travel news."}, Published: day(5)},
		{Title: "Rust and Go", Paragraphs: []string{"A sponsored comparison."}, Published: day(4)},
		{Title: "Undated", Paragraphs: []string{"go go go"}},
	}
	titles := func(as []digest.Article) string {
		var s []string
		for _, a := range as {
			s = append(s, a.Title)
		}
		return strings.Join(s, "|")
	}
	for _, c := range []struct {
		name string
		o    Options
		want string
	}{
		{"none", Options{}, "Go 1.26 released|Going places|Rust and Go|Undated"},
		{"include whole word", Options{Include: []string{"GO"}}, "Go 1.26 released|Rust and Go|Undated"},
		{"exclude", Options{Include: []string{"go"}, Exclude: []string{"Sponsored"}}, "Go 1.26 released|Undated"},
		{"phrase", Options{Include: []string{"travel news"}}, "Going places"},
		{"max items keeps newest in feed order", Options{MaxItems: 2}, "Going places|Rust and Go"},
	} {
		in := append([]digest.Article(nil), arts...)
		if got := titles(Limit(Filter(in, c.o), c.o.MaxItems)); got != c.want {
			t.Errorf("%s: got %s, want %s", c.name, got, c.want)
		}
	}
}

func TestSpanAdmit(t *testing.T) {
	now := time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)
	sp := Span{Since: now.Add(-7 * 24 * time.Hour), Until: now, TooLate: now.Add(24 * time.Hour)} // a day of slack, as the fetcher gives
	for _, c := range []struct {
		name         string
		t            time.Time
		keep, future bool
	}{
		{"undated", time.Time{}, true, false},
		{"inside", now.Add(-time.Hour), true, false},
		{"until is inclusive", now, true, false},
		{"since is exclusive", sp.Since, false, false},
		{"hours ahead: next window", now.Add(3 * time.Hour), false, false},
		{"days ahead: feed bug", now.Add(48 * time.Hour), false, true},
	} {
		keep, future := sp.Admit(c.t)
		if keep != c.keep || future != c.future {
			t.Errorf("%s: keep %v future %v, want %v %v", c.name, keep, future, c.keep, c.future)
		}
	}
}

func TestParseRejects(t *testing.T) {
	for _, c := range []struct{ name, doc, want string }{
		{"empty", "  \n", "not a feed: empty document"},
		{"html", "<!DOCTYPE html><html><body>x</body></html>", "not a feed: got an HTML page"},
		{"opml", `<?xml version="1.0"?><opml version="2.0"><body/></opml>`, "OPML subscription list"},
		{"text", "just some words", "not a feed"},
		{"truncated json", `{"version":"https://jsonfeed.org/version/1.1","items":[{"id":"1",`, "invalid feed"},
		{"broken xml", `<rss version="2.0"><channel><item><title>x</title><1bad/></item></channel></rss>`, "invalid feed: XML syntax error"},
		{"binary", "\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "charset"},
	} {
		_, err := Parse(strings.NewReader(c.doc), Options{Name: c.name}, "")
		if err == nil || !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), `"`+c.name+`"`) {
			t.Errorf("%s: err %v, want one naming the input and saying %q", c.name, err, c.want)
		}
	}
}

func TestParseTruncated(t *testing.T) {
	doc := `<?xml version="1.0"?><rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel><title>Cut</title>
<item><guid>1</guid><title>One</title><dc:creator>A</dc:creator></item>
<item><guid>2</guid><title>Two</title></item>
<item><guid>3</guid><title>Thr`
	arts, err := Parse(strings.NewReader(doc), Options{Name: "cut"}, "")
	if err != nil {
		t.Fatalf("truncated feed: %v", err)
	}
	var titles []string
	for _, a := range arts {
		titles = append(titles, a.Title)
	}
	if got := strings.Join(titles, "|"); got != "One|Two" {
		t.Errorf("truncated feed gave %q, want the complete items before the cut", got)
	}
}

func TestIsFeed(t *testing.T) {
	for _, c := range []struct {
		doc  string
		want bool
	}{
		{`<?xml version="1.0"?><rss version="2.0"><channel/></rss>`, true},
		{`<!-- a comment --><feed xmlns="http://www.w3.org/2005/Atom"></feed>`, true},
		{`<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"></rdf:RDF>`, true},
		{`{"version": "https://jsonfeed.org/version/1", "items": []}`, true},
		{`{"name": "not a feed"}`, false},
		{`<!DOCTYPE html><html></html>`, false},
		{`<opml version="2.0"></opml>`, false},
		{`plain text`, false},
	} {
		if got := IsFeed([]byte(c.doc)); got != c.want {
			t.Errorf("IsFeed(%.40q) = %v, want %v", c.doc, got, c.want)
		}
	}
}

func TestDiscover(t *testing.T) {
	page := `<!DOCTYPE html><html><head><title>Site</title>
<link rel="stylesheet" href="/s.css">
<link rel="alternate" type="application/rss+xml" title="Posts" href="/feed.xml">
<link rel="Alternate Home" type="application/atom+xml" href="https://other.example/atom">
<link rel="alternate" type="text/html" hreflang="fr" href="/fr/">
<link rel="alternate" type="application/rss+xml" href="/feed.xml">
</head><body><link rel="alternate" type="application/feed+json" href="feed.json"></body></html>`
	got := Discover([]byte(page), "https://site.example/blog/")
	want := []FeedLink{
		{URL: "https://site.example/feed.xml", Title: "Posts", Type: "application/rss+xml"},
		{URL: "https://other.example/atom", Type: "application/atom+xml"},
		{URL: "https://site.example/blog/feed.json", Type: "application/feed+json"},
	}
	if len(got) != len(want) {
		t.Fatalf("Discover: got %+v, want %+v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("link %d: got %+v, want %+v", i, got[i], want[i])
		}
	}
	_, err := Parse(strings.NewReader(page), Options{Name: "site"}, "https://site.example/blog/")
	if err == nil || !strings.Contains(err.Error(), "it names its feed: https://site.example/feed.xml") {
		t.Errorf("Parse of a page: %v, want the hint to its feed", err)
	}
}

func TestDublinCoreTermsDate(t *testing.T) {
	doc := `<rss version="2.0" xmlns:dcterms="http://purl.org/dc/terms/"><channel>
<item><guid>a</guid><dcterms:issued>2026-10-01T08:00:00+02:00</dcterms:issued></item>
<item><guid>b</guid><dcterms:modified>2026-10-02</dcterms:modified></item>
<item><guid>c</guid><dcterms:issued>not a date</dcterms:issued></item>
</channel></rss>`
	arts, err := Parse(strings.NewReader(doc), Options{Name: "dc"}, "")
	if err != nil || len(arts) != 3 {
		t.Fatalf("%v, %d articles", err, len(arts))
	}
	for i, want := range []string{"2026-10-01T06:00:00Z", "2026-10-02T00:00:00Z", "0001-01-01T00:00:00Z"} {
		if got := arts[i].Published.Format(time.RFC3339); got != want {
			t.Errorf("item %d: published %s, want %s", i, got, want)
		}
	}
}

func TestGUIDAsLink(t *testing.T) {
	doc := `<rss version="2.0"><channel>
<item><title>a</title><guid>https://site.example/a</guid></item>
<item><title>b</title><guid isPermaLink="true">https://site.example/b</guid></item>
<item><title>c</title><guid isPermaLink="false">https://site.example/c</guid></item>
</channel></rss>`
	arts, err := Parse(strings.NewReader(doc), Options{Name: "guids"}, "")
	if err != nil || len(arts) != 3 {
		t.Fatalf("%v, %d articles", err, len(arts))
	}
	for i, want := range []string{"https://site.example/a", "https://site.example/b", ""} {
		if arts[i].URL != want {
			t.Errorf("item %s: URL %q, want %q", arts[i].Title, arts[i].URL, want)
		}
	}
	if arts[2].ID != "https://site.example/c" {
		t.Errorf("a non-permalink GUID still identifies its item: ID %q", arts[2].ID)
	}
}

func TestSharedLinks(t *testing.T) {
	item := func(guid, link, title string) string {
		s := "<item><title>" + title + "</title>"
		if guid != "" {
			s += "<guid isPermaLink=\"false\">" + guid + "</guid>"
		}
		if link != "" {
			s += "<link>" + link + "</link>"
		}
		return s + "<description>Text of " + title + ".</description></item>"
	}
	doc := func(items ...string) string {
		return `<rss version="2.0"><channel><title>S</title><link>https://site.example/home</link>` + strings.Join(items, "") + `</channel></rss>`
	}
	for _, c := range []struct {
		name, doc string
		want      []string
	}{
		{"own links", doc(item("g1", "https://site.example/a", "A"), item("g2", "https://site.example/b", "B")),
			[]string{"https://site.example/a", "https://site.example/b"}},
		{"home page link, one item", doc(item("g1", "https://site.example/home", "A")), []string{"g1"}},
		{"site root, no guid", doc(item("", "https://site.example/", "A")), []string{"sha256:"}},
		{"link shared by different guids", doc(item("g1", "https://site.example/x", "A"), item("g2", "https://site.example/x", "B")),
			[]string{"g1", "g2"}},
		{"fragment differs, same canonical link", doc(item("g1", "https://site.example/x", "A"), item("g2", "https://site.example/x#2", "B")),
			[]string{"g1", "g2"}},
		{"same guid and link: kept once", doc(item("g1", "https://site.example/x", "A"), item("g1", "https://site.example/x", "A")),
			[]string{"https://site.example/x"}},
		{"no guids, same link, different text", doc(item("", "https://site.example/x", "A"), item("", "https://site.example/x", "B")),
			[]string{"sha256:", "sha256:"}},
	} {
		arts, err := Parse(strings.NewReader(c.doc), Options{Name: c.name}, "")
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		var got []string
		for _, a := range arts {
			id := a.ID
			if strings.HasPrefix(id, "sha256:") {
				id = "sha256:"
			}
			got = append(got, id)
		}
		if strings.Join(got, " ") != strings.Join(c.want, " ") {
			t.Errorf("%s: IDs %v, want %v", c.name, got, c.want)
		}
	}
}

// A feed named by its own address is named once in errors, without the
// credentials its address holds; a named feed gives name and address.
func TestErrLabelNamesAFeedOnce(t *testing.T) {
	for _, tt := range []struct{ name, url, want string }{
		{"http://127.0.0.1:9/hang", "http://127.0.0.1:9/hang", "http://127.0.0.1:9/hang"},
		{"https://ann:pw@example.org/feed", "https://ann:pw@example.org/feed", "https://ann:xxxxx@example.org/feed"},
		{"Example", "https://example.org/feed", `"Example" (https://example.org/feed)`},
		{"", "https://example.org/feed", "https://example.org/feed"},
	} {
		got := Options{Name: tt.name, URL: tt.url}.ErrLabel()
		if got != tt.want && !(strings.Contains(tt.url, "pw@") && !strings.Contains(got, "pw") && strings.Count(got, "example.org") == 1) {
			t.Errorf("errLabel(%q, %q) = %q, want %q", tt.name, tt.url, got, tt.want)
		}
	}
}

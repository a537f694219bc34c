package htmlpage

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	nurl "net/url"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/html"

	"github.com/weeklywrap/digest/digest"
)

var update = flag.Bool("update", false, "update golden files")

func readFixture(t testing.TB, name string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// describe renders the parts of an article a reader sees, for golden files.
func describe(a digest.Article) string {
	var b strings.Builder
	fmt.Fprintf(&b, "title: %s\nauthor: %s\nurl: %s\nsite: %s\n", a.Title, a.Author, a.URL, a.SiteName)
	fmt.Fprintf(&b, "published: %s (%s)\ncategories: %q\nlow confidence: %v\n", a.Published.Format(time.RFC3339), a.PublishedFrom, a.Categories, a.LowConfidence)
	fmt.Fprintf(&b, "comment count: %d\n", a.CommentCount)
	for _, c := range a.Comments {
		fmt.Fprintf(&b, "comment: %s | %s | %s\n", c.Author, c.Published.Format(time.RFC3339), c.Text)
	}
	b.WriteString("\n" + a.Text() + "\n")
	return b.String()
}

func TestExtractGolden(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "*.html"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no fixtures: %v", err)
	}
	for _, f := range files {
		name := filepath.Base(f)
		t.Run(name, func(t *testing.T) {
			art, err := Extract(readFixture(t, name), Options{URL: "https://example.org/saved/" + name})
			if err != nil {
				t.Fatalf("Extract: %v", err)
			}
			got := describe(art)
			golden := filepath.Join("testdata", strings.TrimSuffix(name, ".html")+".golden")
			if *update {
				if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run with -update to create)", err)
			}
			if got != string(want) {
				t.Errorf("Extract(%s) differs from %s:\n--- got\n%s\n--- want\n%s", name, golden, got, want)
			}
		})
	}
}

func TestExtractArticle(t *testing.T) {
	art, err := Extract(readFixture(t, "article.html"), Options{URL: "https://gazette.example.org/feed-link"})
	if err != nil {
		t.Fatal(err)
	}
	checks := []struct {
		what      string
		got, want string
	}{
		{"title", art.Title, "Why Small Gardens Feed Big Cities"},
		{"author", art.Author, "Priya Raman"},
		{"url (canonical)", art.URL, "https://gazette.example.org/2024/05/small-gardens?utm_source=feed"},
		{"site", art.SiteName, "The Allotment Gazette"},
		{"published", art.Published.Format(time.RFC3339), "2024-05-14T06:30:00Z"},
		{"published from", art.PublishedFrom, digest.DateFromMeta},
		{"categories", strings.Join(art.Categories, ","), "Urban farming,Food policy"},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("%s = %q, want %q", c.what, c.got, c.want)
		}
	}
	text := art.Text()
	for _, want := range []string{"Community gardens occupy", "What the numbers show", "Leafy greens were harvested most often.", "“We expected a hobby"} {
		if !strings.Contains(text, want) {
			t.Errorf("body lacks %q", want)
		}
	}
	for _, junk := range []string{"Subscribe to our newsletter", "Most read", "Advertisement", "All rights reserved", "Leave a reply", "Home", "Share"} {
		if strings.Contains(text, junk) {
			t.Errorf("body has boilerplate %q", junk)
		}
	}
	if art.Paragraphs[0] == art.Title {
		t.Errorf("title repeated as first paragraph")
	}
	if strings.Contains(art.HTML, "<h1>") {
		t.Errorf("title heading repeated in HTML: %.80s", art.HTML)
	}
	for _, bad := range []string{"<script", "onerror", "window.tracker", "style="} {
		if strings.Contains(art.HTML, bad) {
			t.Errorf("HTML not sanitized, contains %q", bad)
		}
	}
	if art.LowConfidence {
		t.Error("a clear article flagged low confidence")
	}
}

// TestExtractLeavesOutFurniture: an article followed by an author box, a
// newsletter box, a list of related stories and a licence line keeps only
// the article.
func TestExtractLeavesOutFurniture(t *testing.T) {
	art, err := Extract(readFixture(t, "teasers-bio.html"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(art.Paragraphs) != 5 || !strings.HasPrefix(art.Paragraphs[0], "After eleven winters") ||
		!strings.HasPrefix(art.Paragraphs[4], "Fares will stay") {
		t.Errorf("paragraphs = %q, want the five of the story", art.Paragraphs)
	}
	for _, junk := range []string{"islands correspondent", "@moragwrites", "The Weekly Tide", "free newsletter",
		"Related stories", "Harbour dredging", "south quay", "All rights reserved", "Privacy"} {
		if strings.Contains(art.Text(), junk) || strings.Contains(art.HTML, junk) {
			t.Errorf("body has %q", junk)
		}
	}
	if art.LowConfidence || art.Confidence < 0.8 {
		t.Errorf("confidence %.2f (low %v) for a clear article, want at least 0.8", art.Confidence, art.LowConfidence)
	}
}

// TestExtractConfidence: pages with no article come out low-confidence
// rather than as a random block; articles do not.
func TestExtractConfidence(t *testing.T) {
	for _, tt := range []struct {
		file string
		low  bool
	}{
		{"login.html", true},
		{"product-list.html", true},
		{"short-lead.html", true},
		{"article.html", false},
		{"teasers-bio.html", false},
		{"wordpress-comments.html", false},
	} {
		art, err := Extract(readFixture(t, tt.file), Options{})
		if err != nil {
			t.Fatalf("%s: %v", tt.file, err)
		}
		if art.LowConfidence != tt.low || art.LowConfidence != (art.Confidence < lowConfidence) {
			t.Errorf("%s: confidence %.2f, low %v; want low %v", tt.file, art.Confidence, art.LowConfidence, tt.low)
		}
		if len(art.Paragraphs) == 0 {
			t.Errorf("%s: no text; a page with text should give some, flagged or not", tt.file)
		}
	}
}

func TestExtractComments(t *testing.T) {
	art, err := Extract(readFixture(t, "wordpress-comments.html"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	want := []digest.Comment{
		{Author: "Gareth Evans", Published: time.Date(2023, 9, 3, 8, 14, 22, 0, time.UTC),
			Text: "Lovely write-up. We always put the throughs in at knee height and again at the shoulder.\nDid you use a frame for the batter?"},
		{Author: "Hannah Wood", Published: time.Date(2023, 9, 3, 9, 40, 0, 0, time.UTC), Text: "Just two string lines and a lot of squinting!"},
	}
	if !reflect.DeepEqual(art.Comments, want) {
		t.Errorf("comments = %+v\nwant %+v", art.Comments, want)
	}
	if art.CommentCount != 3 {
		t.Errorf("comment count = %d, want the 3 the page announces", art.CommentCount)
	}
	for _, junk := range []string{"Leave a Reply", "Gareth", "Recent Posts", "powered by"} {
		if strings.Contains(art.Text(), junk) {
			t.Errorf("body has %q", junk)
		}
	}
}

func TestExtractBadInput(t *testing.T) {
	deep := strings.Repeat("<div>", 100000) + "text" + strings.Repeat("</div>", 100000)
	many := "<html><body>" + strings.Repeat("<span>x</span>", maxElements) + "</body></html>"
	tests := []struct {
		name    string
		data    []byte
		wantErr string // empty: no error, LowConfidence expected
	}{
		{"empty", nil, "page is empty"},
		{"whitespace", []byte(" \n\t "), "page is empty"},
		{"too big", bytes.Repeat([]byte("a"), MaxSize+1), "over the 20 MB limit"},
		{"png", []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00"), "image/png"},
		{"NUL bytes", []byte("<p>text\x00\x00\x00</p>"), "NUL byte"},
		{"no article", []byte(`<html><body><form><input name=q></form></body></html>`), "no article text found"},
		{"navigation only", []byte(`<html><body><nav><a href="/">Home</a></nav></body></html>`), "no article text found"},
		{"title only", []byte(`<html><head><title>Just a title</title></head><body></body></html>`), ""},
		{"short page", []byte(`<html><head><title>Hi</title></head><body><p>Short page.</p></body></html>`), ""},
		{"plain text", []byte("Just some words in a file that is not HTML at all."), ""},
		{"invalid utf-8", []byte("<html><body><p>caf\xe9 na\xefve \xff\xfe words</p></body></html>"), ""},
		{"deep nesting", []byte(deep), ""},
		{"deep nesting with text", []byte(strings.Repeat("<div><p>Some words here", 600)), ""},
		{"too many elements", []byte(many), "elements, over the limit"},
		{"too much text", []byte("<p>" + strings.Repeat("word ", maxText/4) + "</p>"), "bytes of text, over the limit"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			art, err := Extract(tt.data, Options{})
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("error = %v, want one mentioning %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("unexpected error: %v", err)
			}
			if !art.LowConfidence {
				t.Errorf("expected LowConfidence for %s, got %+v", tt.name, art)
			}
		})
	}
	if _, err := Extract(nil, Options{}); err != nil && errors.Is(err, ErrNoArticle) {
		t.Error("empty page should not be reported as ErrNoArticle")
	}
}

func FuzzExtract(f *testing.F) {
	f.Add([]byte(`<html><head><title>T</title></head><body><article><p>Some text here.</p></article></body></html>`))
	f.Add([]byte(`<meta charset="shift_jis"><p>` + "\x82\xa0" + `</p>`))
	f.Add([]byte(`<base href="::"><a href="x">`))
	f.Fuzz(func(t *testing.T, data []byte) {
		art, err := Extract(data, Options{URL: "https://example.org/"})
		if err != nil {
			return
		}
		for _, p := range art.Paragraphs {
			if p == "" || strings.TrimSpace(p) != p {
				t.Fatalf("unclean paragraph %q", p)
			}
		}
		if art.Confidence < 0 || art.Confidence > 1 || art.LowConfidence != (art.Confidence < lowConfidence) {
			t.Fatalf("confidence %v with low %v", art.Confidence, art.LowConfidence)
		}
	})
}

func TestSanitizeResolvesLinks(t *testing.T) {
	doc, err := html.Parse(strings.NewReader(`<div><a href="/a?b=1" onclick="x()">a</a><img src="i.png"><a href="#top">t</a><script>s()</script></div>`))
	if err != nil {
		t.Fatal(err)
	}
	base, _ := nurl.Parse("https://example.org/dir/page")
	resolveLinks(doc, base)
	got := sanitize(doc)
	for _, want := range []string{`href="https://example.org/a?b=1"`, `src="https://example.org/dir/i.png"`, `href="#top"`} {
		if !strings.Contains(got, want) {
			t.Errorf("sanitized HTML %q lacks %q", got, want)
		}
	}
	for _, bad := range []string{"onclick", "<script", "s()"} {
		if strings.Contains(got, bad) {
			t.Errorf("sanitized HTML %q keeps %q", got, bad)
		}
	}
}

func TestAuthor(t *testing.T) {
	tests := []struct{ in, want string }{
		{"By Jane Doe", "Jane Doe"},
		{"  by\n\t Jane   Doe ", "Jane Doe"},
		{"Par Sébastien Farcis", "Sébastien Farcis"},
		{"By Nathan Willis\n   March 25, 2015", "Nathan Willis"},
		{"GILLIAN MOHNEY March 11, 2015 3:46 PM", "GILLIAN MOHNEY"},
		{"by Lucas Nolan22 Dec 2016651", "Lucas Nolan"},
		{"Ana Silva | 2024-05-01", "Ana Silva"},
		{"Last Updated: January 7, 2025", ""},
		{"Brenda Goodman, MA", "Brenda Goodman, MA"},
		{"Maybelle Jones", "Maybelle Jones"},
	}
	for _, tt := range tests {
		if got := author(tt.in); got != tt.want {
			t.Errorf("author(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestDeclaredURL(t *testing.T) {
	tests := []struct{ declared, page, want string }{
		{"", "https://a.example/p", "https://a.example/p"},
		{"https://b.example/c", "https://a.example/p", "https://b.example/c"},
		{"/2024/x", "https://a.example/p/q", "https://a.example/2024/x"},
		{"/2024/x", "", ""},
		{"javascript:alert(1)", "https://a.example/p", "https://a.example/p"},
		{" https://b.example/c ", "", "https://b.example/c"},
	}
	for _, tt := range tests {
		if got := declaredURL(tt.declared, tt.page); got != tt.want {
			t.Errorf("declaredURL(%q, %q) = %q, want %q", tt.declared, tt.page, got, tt.want)
		}
	}
}

func TestFindComments(t *testing.T) {
	tests := []struct {
		name, page string
		want       []digest.Comment
		count      int
	}{
		{"opinion label is no comment",
			`<ul class="related"><li class="comment premium"><h3>Comment: taxes</h3><div class="author-name">Telegraph View</div></li></ul>`,
			nil, 0},
		{"date after the author name",
			`<div id="comments"><h3>1 Response</h3><div class="comment"><span class="comment-author">Milan G on September 12, 2018 at 4:47 pm</span><p>Any update?</p></div></div>`,
			[]digest.Comment{{Author: "Milan G", Published: time.Date(2018, 9, 12, 16, 47, 0, 0, time.UTC), Text: "Any update?"}}, 1},
		{"schema.org markup anywhere, empty avatar skipped",
			`<div itemtype="https://schema.org/Comment"><div class="author-img"></div><span itemprop="creator"><span itemprop="name">Regan</span></span><time datetime="2019-08-19T10:00:00Z">Aug 19</time><p>Glad you liked it.</p></div>`,
			[]digest.Comment{{Author: "Regan", Published: time.Date(2019, 8, 19, 10, 0, 0, 0, time.UTC), Text: "Glad you liked it."}}, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc, err := html.Parse(strings.NewReader(tt.page))
			if err != nil {
				t.Fatal(err)
			}
			got, count := findComments(doc)
			if !reflect.DeepEqual(got, tt.want) || count != tt.count {
				t.Errorf("findComments = %+v, %d\nwant %+v, %d", got, count, tt.want, tt.count)
			}
		})
	}
}

func TestExtractContentTypeCharset(t *testing.T) {
	// KOI8-R bytes in a page that declares nothing; the header says it.
	page := []byte("<html><head><title>\xee\xcf\xd7\xcf\xd3\xd4\xc9</title></head><body><p>\xf0\xd2\xc9\xd7\xc5\xd4, \xcd\xc9\xd2! " +
		strings.Repeat("\xf3\xcc\xcf\xd7\xcf ", 50) + "</p></body></html>")
	art, err := Extract(page, Options{ContentType: "text/html; charset=koi8-r"})
	if err != nil {
		t.Fatal(err)
	}
	if art.Title != "Новости" || !strings.HasPrefix(art.Text(), "Привет, мир!") {
		t.Errorf("got title %q, text %.40q", art.Title, art.Text())
	}
}

// TestExtractConcurrent guards the shared sanitizer policy: run with -race.
func TestExtractConcurrent(t *testing.T) {
	data := readFixture(t, "article.html")
	want, err := Extract(data, Options{})
	if err != nil {
		t.Fatal(err)
	}
	errs := make(chan error, 4)
	for range 4 {
		go func() {
			got, err := Extract(data, Options{})
			if err == nil && got.HTML != want.HTML {
				err = errors.New("HTML differs between concurrent runs")
			}
			errs <- err
		}()
	}
	for range 4 {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
}

// TestExtractLeavesOutInlineFurniture: "Lesen Sie auch:" links and a
// picture credit standing between the article's paragraphs are left out,
// the paragraphs around them kept.
func TestExtractLeavesOutInlineFurniture(t *testing.T) {
	art, err := Extract(readFixture(t, "inline-furniture.html"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	text := art.Text()
	for _, want := range []string{"Von Juni an fährt", "geringen Tiefgang", "zweihundert Menschen",
		"Konzession für zehn Jahre", "ermäßigte Monatskarten"} {
		if !strings.Contains(text, want) {
			t.Errorf("body lacks %q", want)
		}
	}
	for _, junk := range []string{"Lesen Sie auch", "Wattenmeer", "Deiche höher", "Foto:"} {
		if strings.Contains(text, junk) || strings.Contains(art.HTML, junk) {
			t.Errorf("body has %q", junk)
		}
	}
}

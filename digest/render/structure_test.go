package render

import (
	"fmt"
	"os"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"github.com/weeklywrap/digest/digest"
	"github.com/weeklywrap/digest/digest/mailcheck"
	"github.com/weeklywrap/digest/internal/htmlnode"
)

func parseHTML(t *testing.T, s string) *html.Node {
	t.Helper()
	doc, err := html.Parse(strings.NewReader(s))
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

// TestStructure checks the accessibility and mail-client rules that the
// golden file would only show by eye.
func TestStructure(t *testing.T) {
	p := prepare(t, bigIssue(30))
	doc := parseHTML(t, p.HTML(fullPersonal))
	count := map[string]int{}
	var links []string
	for n := range doc.Descendants() {
		if n.Type != html.ElementNode {
			continue
		}
		count[n.Data]++
		switch n.Data {
		case "html":
			if v, _ := htmlnode.Attr(n, "lang"); v != "en" {
				t.Errorf("html lang = %q", v)
			}
		case "table":
			if v, _ := htmlnode.Attr(n, "role"); v != "presentation" {
				t.Errorf("layout table without role=presentation")
			}
			if w, ok := htmlnode.Attr(n, "width"); ok && w != "100%" {
				if px, _ := strconv.Atoi(w); px > 600 {
					t.Errorf("table width %s > 600", w)
				}
			}
		case "a":
			links = append(links, htmlnode.Text(n))
		case "img":
			// Lead images: a size for clients that block images, a text
			// alternative, and nothing but http(s).
			src, _ := htmlnode.Attr(n, "src")
			if !strings.HasPrefix(src, "https://") && !strings.HasPrefix(src, "http://") {
				t.Errorf("img src %q", src)
			}
			for _, k := range []string{"width", "height", "alt"} {
				if v, ok := htmlnode.Attr(n, k); !ok || v == "" {
					t.Errorf("img %s without %s", src, k)
				}
			}
		}
		if st, ok := htmlnode.Attr(n, "style"); ok {
			for _, bad := range []string{"font-weight", "text-align", "word-break", "background", "@media"} {
				if strings.Contains(st, bad) {
					t.Errorf("<%s> style uses %s: %q", n.Data, bad, st)
				}
			}
		}
	}
	if count["img"] != 3 {
		t.Errorf("%d images, want 3: one per top story that names one", count["img"])
	}
	for _, tag := range []string{"script", "link", "form", "iframe"} {
		if count[tag] > 0 {
			t.Errorf("%d <%s> elements", count[tag], tag)
		}
	}
	if count["style"] != 1 {
		t.Errorf("%d <style> blocks, want 1", count["style"])
	}
	if count["h1"] != 1 || count["h2"] < 3 || count["h3"] < 30 {
		t.Errorf("headings: h1 %d, h2 %d, h3 %d", count["h1"], count["h2"], count["h3"])
	}
	for _, l := range links {
		switch strings.ToLower(l) {
		case "", "here", "click here", "link", "read more":
			t.Errorf("link text %q says nothing", l)
		}
	}
}

func TestPreheaderAndEmptyIssue(t *testing.T) {
	p := prepare(t, fixedIssue())
	h := p.HTML(Personal{})
	if i, j := strings.Index(h, "This week the internet argued about who should run it."), strings.Index(h, "<h1"); i < 0 || i > j {
		t.Errorf("preheader missing or not before the masthead (at %d, h1 at %d)", i, j)
	}
	p = prepare(t, &digest.Issue{Number: 1, Slot: day(22, 7)}) // an empty issue
	if !strings.Contains(p.HTML(fullPersonal), "Unsubscribe") || !strings.Contains(p.Text(fullPersonal), "Unsubscribe") {
		t.Errorf("empty issue lost its footer")
	}
}

// TestContrast checks that every text/background pair of the palette
// meets WCAG AA (4.5:1), and that the template still uses these colours.
func TestContrast(t *testing.T) {
	tmpl, err := os.ReadFile("../../templates/email/issue.html.tmpl")
	if err != nil {
		t.Fatal(err)
	}
	pairs := []struct{ fg, bg string }{
		// light
		{"#1f2328", "#ffffff"}, {"#57606a", "#ffffff"}, {"#0a58ca", "#ffffff"},
		{"#1f2328", "#eef3fb"}, {"#57606a", "#eef3fb"}, {"#0a58ca", "#eef3fb"},
		{"#57606a", "#f2f4f7"}, {"#0a58ca", "#f2f4f7"},
		// dark
		{"#e6edf3", "#161b22"}, {"#9ea7b3", "#161b22"}, {"#79b8ff", "#161b22"},
		{"#e6edf3", "#1c2430"}, {"#9ea7b3", "#1c2430"}, {"#79b8ff", "#1c2430"},
		{"#9ea7b3", "#0d1117"}, {"#79b8ff", "#0d1117"},
	}
	for _, pr := range pairs {
		for _, c := range []string{pr.fg, pr.bg} {
			if !strings.Contains(string(tmpl), c) {
				t.Errorf("template no longer uses %s; update this test", c)
			}
		}
		if cr := contrast(pr.fg, pr.bg); cr < 4.5 {
			t.Errorf("%s on %s: contrast %.2f < 4.5", pr.fg, pr.bg, cr)
		}
	}
}

// contrast reads two #rrggbb colours and measures them as send does.
func contrast(a, b string) float64 {
	ca, _, oka := mailcheck.ParseColor(a)
	cb, _, okb := mailcheck.ParseColor(b)
	if !oka || !okb {
		panic(fmt.Sprintf("bad colour %s or %s", a, b))
	}
	return mailcheck.Contrast(ca, cb)
}

// One setting turns the lead images off; a story without one has none.
func TestNoImages(t *testing.T) {
	nl := testNewsletter("https://wrap.example.com")
	nl.NoImages = true
	if n := strings.Count(prepareWith(t, nl, bigIssue(30)).HTML(fullPersonal), "<img"); n != 0 {
		t.Errorf("%d images with NoImages", n)
	}
	if n := strings.Count(prepare(t, fixedIssue()).HTML(fullPersonal), "<img"); n != 1 {
		t.Errorf("%d images, want 1: only the first top story names one", n)
	}
}

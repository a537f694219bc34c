package curate

import (
	"slices"
	"strings"
	"testing"

	"github.com/weeklywrap/digest/digest"
)

func TestDedupeGroups(t *testing.T) {
	a, b := feed("Alpha News", 1), feed("Beta Wire", 1)
	seed := loadSeed(t)
	excerpt := art(b, "https://beta.example/un-code", seed.Title, day, seed.Paragraphs[0])
	tests := []struct {
		name string
		arts []digest.Article
		want [][]int
	}{
		{"same URL modulo tracking", []digest.Article{
			art(a, "https://www.example.com/outage/?utm_source=alpha", "Cloud storage outage hits three regions", day, textOutage...),
			art(b, "http://example.com/outage#top", "Storage outage across regions", 2*day, "Short blurb only."),
		}, [][]int{{0, 1}}},
		{"same text, different URLs", []digest.Article{
			art(a, "https://alpha.example/1", "Cloud storage outage hits three regions", day, textOutage...),
			art(b, "https://beta.example/2", "Big cloud outage", day, append([]string{"Beta Wire reports:"}, textOutage...)...),
		}, [][]int{{0, 1}}},
		{"excerpt with the same title", []digest.Article{seed, excerpt}, [][]int{{0, 1}}},
		{"title only with the same title", []digest.Article{
			seed, art(b, "https://beta.example/x", seed.Title+" | Beta Wire", day),
		}, [][]int{{0, 1}}},
		{"different stories on one subject stay apart", []digest.Article{
			art(a, "https://alpha.example/rust", "Rust 1.95 released", day, textRust...),
			art(b, "https://beta.example/gc", "A garbage collector for Rust", day, textRustGC...),
			art(a, "https://alpha.example/outage", "Cloud outage", day, textOutage...),
		}, [][]int{{0}, {1}, {2}}},
		{"items linking to a shared home page", []digest.Article{
			withID(art(a, "https://alpha.example/", "Cloud outage", day, textOutage...), "tag:alpha,1"),
			withID(art(a, "https://alpha.example/?utm_source=rss", "Garlic", day, textGarden...), "tag:alpha,2"),
			withID(art(a, "https://alpha.example/news", "Rust", day, textRust...), "alpha-guid-3"),
			withID(art(b, "https://alpha.example/news", "Rust again", day, textBirds...), "beta-guid-3"),
		}, [][]int{{0}, {1}, {2}, {3}}},
		{"link aggregator items share only their template", []digest.Article{
			art(a, "https://blog.example/posts/compilers", "Writing a compiler in a weekend", day,
				"Article URL: https://blog.example/posts/compilers", "Comments URL: https://news.example/item?id=4101", "Points: 120", "# Comments: 45"),
			art(a, "https://other.example/garden", "Plant garlic now", day,
				"Article URL: https://other.example/garden", "Comments URL: https://news.example/item?id=4102", "Points: 12", "# Comments: 3"),
		}, [][]int{{0}, {1}}},
		{"same text under a new headline", []digest.Article{
			art(a, "https://alpha.example/1", "Cloud storage outage hits three regions", day, textOutage...),
			art(b, "https://beta.example/2", "Engineers roll back faulty script", day, textOutage...),
		}, [][]int{{0, 1}}},
		{"a series: one source, same title, different text", []digest.Article{
			art(a, "https://alpha.example/w1", "Links of the week for you", day, textGarden...),
			art(a, "https://alpha.example/w2", "Links of the week for you", 2*day, textBirds...),
		}, [][]int{{0}, {1}}},
		{"same title, two sources, long different texts", []digest.Article{
			art(a, "https://alpha.example/w1", "Links of the week for you", day, slices.Concat(textGarden, textBirds, textPrivacy)...),
			art(b, "https://beta.example/w1", "Links of the week for you", day, slices.Concat(textRust, textOutage, textRustGC)...),
		}, [][]int{{0}, {1}}},
		{"same title, two sources, short excerpt", []digest.Article{
			art(a, "https://alpha.example/w1", "Links of the week for you", day, slices.Concat(textGarden, textBirds, textPrivacy)...),
			art(b, "https://beta.example/w1", "Links of the week for you", day, textBirds[1]),
		}, [][]int{{0, 1}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Dedupe(tt.arts)
			if !slices.EqualFunc(got, tt.want, slices.Equal) {
				t.Errorf("Dedupe = %v, want %v", got, tt.want)
			}
		})
	}
}

// TestDedupeScales checks the bucketed search still finds near copies among
// many unrelated items, and only those.
func TestDedupeScales(t *testing.T) {
	arts := synthetic(3000)
	groups := Dedupe(arts)
	folded := 0
	for _, g := range groups {
		folded += len(g) - 1
		for _, i := range g[1:] {
			// synthetic copies keep the text after one new opening sentence.
			if !strings.Contains(arts[i].Text(), arts[g[0]].Paragraphs[len(arts[g[0]].Paragraphs)-1]) &&
				!strings.Contains(arts[g[0]].Text(), arts[i].Paragraphs[len(arts[i].Paragraphs)-1]) {
				t.Errorf("folded unrelated %d into %d", i, g[0])
			}
		}
	}
	copies := 0
	for _, a := range arts {
		if strings.HasPrefix(a.URL, "https://copy.example/") {
			copies++
		}
	}
	if folded < copies*95/100 || folded > copies {
		t.Errorf("folded %d articles, want about the %d copies", folded, copies)
	}
}

func withID(a digest.Article, id string) digest.Article {
	a.ID = id
	return a
}

package curate

import (
	"strings"
	"testing"

	"github.com/weeklywrap/digest/digest"
)

// rankFixture has one story that wins on each part of the score.
func rankFixture() []digest.Article {
	long := strings.Repeat("A long and careful analysis of the subject with many details. ", 150)
	fresh := art(feed("Fresh", 1), "https://fresh.example/1", "Fresh", 0, textOutage[0])
	heavy := art(feed("Heavy", 3), "https://heavy.example/1", "Heavy", 6*day, textRust[0])
	lengthy := art(feed("Lengthy", 1), "https://lengthy.example/1", "Lengthy", 6*day, long)
	talked := art(feed("Talked", 1), "https://talked.example/1", "Talked", 6*day, textPrivacy[0])
	talked.CommentCount = 500
	covered := art(feed("Covered", 1), "https://covered.example/1", "Covered", 6*day, textBirds...)
	var copies []digest.Article
	for _, name := range []string{"Copy One", "Copy Two", "Copy Three"} {
		c := covered
		c.Source = feed(name, 1)
		c.URL = "https://" + strings.ReplaceAll(name, " ", "") + ".example/c"
		c.Paragraphs = covered.Paragraphs[:1]
		copies = append(copies, c)
	}
	return append([]digest.Article{fresh, heavy, lengthy, talked, covered}, copies...)
}

func TestRankingFollowsWeights(t *testing.T) {
	tests := []struct {
		w    Weights
		want string
	}{
		{Weights{Recency: 10, Source: 1, Length: 1, Discussion: 1, Coverage: 1}, "Fresh"},
		{Weights{Recency: 1, Source: 10, Length: 1, Discussion: 1, Coverage: 1}, "Heavy"},
		{Weights{Recency: 1, Source: 1, Length: 10, Discussion: 1, Coverage: 1}, "Lengthy"},
		{Weights{Recency: 1, Source: 1, Length: 1, Discussion: 10, Coverage: 1}, "Talked"},
		{Weights{Recency: 1, Source: 1, Length: 1, Discussion: 1, Coverage: 10}, "Covered"},
	}
	for _, tt := range tests {
		is := Build(rankFixture(), Options{Now: slot, Weights: tt.w, TopN: 1})
		if got := is.Top[0].Article.Title; got != tt.want {
			t.Errorf("weights %+v: top = %q, want %q (why %s)", tt.w, got, tt.want, is.Top[0].Why)
		}
	}
}

func TestRankingOrderSwapsWithWeight(t *testing.T) {
	arts := rankFixture()[:2] // fresh and light, old and heavy
	order := func(w Weights) string {
		is := Build(arts, Options{Now: slot, Weights: w, TopN: 2})
		return is.Top[0].Article.Title + "," + is.Top[1].Article.Title
	}
	if got := order(Weights{Recency: 1, Source: 1}); got != "Heavy,Fresh" {
		t.Errorf("source-led order = %s", got)
	}
	if got := order(Weights{Recency: 5, Source: 1}); got != "Fresh,Heavy" {
		t.Errorf("recency-led order = %s", got)
	}
}

func TestScoreParts(t *testing.T) {
	opt := Options{Now: slot}.withDefaults(nil)
	tests := []struct {
		name                 string
		a                    digest.Article
		sources              int
		recency, src, length float64
	}{
		{"new, weight 0 means 1", art(feed("A", 0), "", "x", 0, "one two three four"), 1, 1, 1, 0.01},
		{"half a window old", art(feed("A", 2), "", "x", 3*day+12*60*60*1e9, strings.Repeat("w ", 400)), 1, 0.5, 2, 0.5},
		{"older than the window", art(feed("A", 1), "", "x", 30*day), 1, 0, 1, 0},
		{"undated: no freshness", digest.Article{Source: feed("A", 1)}, 1, 0, 1, 0},
		{"old seed: none either", digest.Article{Source: digest.Source{Kind: digest.KindSeed}, Published: slot.AddDate(-10, 0, 0)}, 1, 0, 1, 0},
	}
	for _, tt := range tests {
		p := partsOf(&tt.a, tt.a.Words(), tt.sources, opt)
		if !near(p.recency, tt.recency) || !near(p.source, tt.src) || !near(p.length, tt.length) {
			t.Errorf("%s: recency %.3f source %.3f length %.3f; want %.3f %.3f %.3f", tt.name, p.recency, p.source, p.length, tt.recency, tt.src, tt.length)
		}
	}
	a := art(feed("A", 1), "", "x", 0)
	for _, n := range []int{1, 10, 100, 1000} {
		a.CommentCount = n
		prev := partsOf(&digest.Article{CommentCount: n - 1}, 0, 1, opt).discussion
		if d := partsOf(&a, 0, 1, opt).discussion; d <= 0 || d > 1 || (n < 100 && d <= prev) {
			t.Errorf("discussion(%d comments) = %v, want in (0,1] and growing", n, d)
		}
	}
	if c2, c3 := partsOf(&a, 0, 2, opt).coverage, partsOf(&a, 0, 3, opt).coverage; c2 != 0.5 || c3 <= c2 || c3 >= 1 {
		t.Errorf("coverage 2 sources %v, 3 sources %v", c2, c3)
	}
}

func near(a, b float64) bool { return a-b < 0.01 && b-a < 0.01 }

func TestWordCountMatchesArticleWords(t *testing.T) {
	for _, paras := range [][]string{
		nil, {""}, {"one"}, {"  two  words "}, {"tab\tand\nnewline\r\nend"},
		{"non\u00a0breaking and\u2003em space", "ünïcode wörds here"}, textOutage,
	} {
		a := digest.Article{Paragraphs: paras}
		if got, want := wordCount(&a), a.Words(); got != want {
			t.Errorf("wordCount(%q) = %d, want %d", paras, got, want)
		}
	}
}

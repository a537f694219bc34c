package curate

import (
	"encoding/json"
	"flag"
	"math/rand/v2"
	"os"
	"strings"
	"testing"

	"github.com/weeklywrap/digest/digest"
)

var update = flag.Bool("update", false, "update golden files")

// week is a small issue's worth of articles: a story two feeds carried, a
// seed that a feed repeated, topic and cluster material, and a stray.
func week(t testing.TB) []digest.Article {
	alpha, beta, gamma := feed("Alpha News", 1), feed("Beta Wire", 1), feed("Gamma Daily", 2)
	seed := loadSeed(t)
	repeat := art(gamma, "https://circleid.example/posts/un-code?utm_campaign=x", seed.Title, 2*day, seed.Paragraphs...)
	privacy := art(alpha, "https://alpha.example/fine", "Regulators fine social network over data transfers", 3*day, textPrivacy...)
	privacy.Categories = []string{"Privacy"}
	return []digest.Article{
		art(alpha, "https://www.cloud.example/outage?utm_source=alpha", "Cloud storage outage hits three regions", day, textOutage...),
		art(beta, "https://cloud.example/outage/", "Storage outage across regions", 2*day, textOutage[0]),
		seed, repeat, privacy,
		art(alpha, "https://alpha.example/rust-195", "Rust 1.95 speeds up builds", 4*day, textRust...),
		art(beta, "https://beta.example/rust-gc", "An optional garbage collector for Rust", 5*day, textRustGC...),
		art(beta, "https://beta.example/garlic", "Plant garlic before the frost", 6*day, textGarden...),
	}
}

var weekTopics = []Topic{
	{Name: "Security", Keywords: []string{"information security", "outage"}, Categories: []string{"security"}},
	{Name: "Policy", Keywords: []string{"regulator", "resolution"}, Categories: []string{"PRIVACY"}},
	{Name: "Birds", Keywords: []string{"cranes"}},
}

func TestBuildWeek(t *testing.T) {
	is := Build(week(t), Options{Now: slot, Topics: weekTopics, TopN: 2})
	if got := is.ArticleCount(); got != 6 {
		t.Fatalf("ArticleCount = %d, want 6 (8 articles, 2 folded)", got)
	}
	byTitle := map[string]digest.Entry{}
	for _, e := range is.Entries() {
		byTitle[e.Article.Title] = e
	}
	outage, ok := byTitle["Cloud storage outage hits three regions"]
	if !ok || len(outage.AlsoCoveredBy) != 1 || outage.AlsoCoveredBy[0].Name != "Beta Wire" {
		t.Errorf("outage entry = %+v, want the longer Alpha version also covered by Beta Wire", outage.AlsoCoveredBy)
	}
	seed := loadSeed(t)
	un, ok := byTitle[seed.Title]
	if !ok || un.Article.Source.Kind != digest.KindSeed || len(un.AlsoCoveredBy) != 1 || un.AlsoCoveredBy[0].Name != "Gamma Daily" {
		t.Errorf("seed entry kind=%v also=%+v, want the seed (it has the comments) also covered by Gamma Daily", un.Article.Source.Kind, un.AlsoCoveredBy)
	}
	if len(is.Skipped) != 2 || !strings.HasPrefix(is.Skipped[0].Why, "folded into") {
		t.Errorf("Skipped = %d entries, first why %q; want the 2 folded copies", len(is.Skipped), whyOf(is.Skipped))
	}
	for _, e := range is.Entries() {
		if len(e.Article.Summary) == 0 || e.Why == "" || e.Score <= 0 {
			t.Errorf("%q: summary %d sentences, why %q, score %v", e.Article.Title, len(e.Article.Summary), e.Why, e.Score)
		}
	}
	wantSection := map[string]string{
		"Regulators fine social network over data transfers": "Policy",
		"Rust 1.95 speeds up builds":                         "Rust",
		"An optional garbage collector for Rust":             "Rust",
		"Plant garlic before the frost":                      MoreSection,
	}
	got := map[string]string{}
	for _, s := range is.Sections {
		for _, e := range s.Entries {
			got[e.Article.Title] = s.Name
		}
	}
	for title, want := range wantSection {
		if got[title] != want {
			t.Errorf("section of %q = %q, want %q (sections %v)", title, got[title], want, sectionNames(is))
		}
	}
	if n := len(is.Sections); n == 0 || is.Sections[n-1].Name != MoreSection {
		t.Errorf("sections %v: want %q last", sectionNames(is), MoreSection)
	}
	if un.Highlight == nil || len(is.MostDiscussed) != 0 {
		t.Fatalf("seed highlight %+v, most discussed %q: want the top story's comment quoted where it stands, and no other discussed story", un.Highlight, titles(is.MostDiscussed))
	}
	assertOnce(t, is)
}

func whyOf(es []digest.Entry) string {
	if len(es) == 0 {
		return ""
	}
	return es[0].Why
}

func sectionNames(is digest.Issue) []string {
	var out []string
	for _, s := range is.Sections {
		out = append(out, s.Name)
	}
	return out
}

// goldenEntry is what curation decides about an entry; the article's own
// text and its summary (the summary package's business) stay out.
type goldenEntry struct {
	Title, Source string
	Also          []string `json:",omitempty"`
	Score         float64
	Why           string
	Highlight     *digest.Comment `json:",omitempty"`
}

func goldenView(is digest.Issue) any {
	conv := func(es []digest.Entry) []goldenEntry {
		var out []goldenEntry
		for _, e := range es {
			g := goldenEntry{Title: e.Article.Title, Source: e.Article.Source.Name, Score: e.Score, Why: e.Why, Highlight: e.Highlight}
			for _, s := range e.AlsoCoveredBy {
				g.Also = append(g.Also, s.Name)
			}
			out = append(out, g)
		}
		return out
	}
	sections := map[string][]goldenEntry{}
	for _, s := range is.Sections {
		sections[s.Name] = conv(s.Entries)
	}
	return map[string]any{
		"intro": is.Intro, "top": conv(is.Top), "sections": sections, "section_order": sectionNames(is),
		"most_discussed": conv(is.MostDiscussed), "skipped": conv(is.Skipped),
	}
}

// TestBuildGolden pins what curation decides for a small week, so that any
// change in ranking, grouping or wording shows up in review. Run with
// -update after an intended change.
func TestBuildGolden(t *testing.T) {
	is := Build(week(t), Options{Now: slot, Topics: weekTopics, TopN: 2})
	got, err := json.MarshalIndent(goldenView(is), "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	const path = "testdata/week.golden.json"
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("read %s (run with -update to create): %v", path, err)
	}
	if string(got) != string(want) {
		t.Errorf("issue differs from %s; run go test -update and review the diff", path)
	}
}

func TestBuildDeterministic(t *testing.T) {
	arts := append(week(t), synthetic(200)...)
	opt := Options{Now: slot, Topics: weekTopics, Max: 40}
	want, _ := json.Marshal(Build(arts, opt))
	r := rand.New(rand.NewPCG(7, 7))
	for i := range 5 {
		shuffled := append([]digest.Article(nil), arts...)
		r.Shuffle(len(shuffled), func(a, b int) { shuffled[a], shuffled[b] = shuffled[b], shuffled[a] })
		got, _ := json.Marshal(Build(shuffled, opt))
		if string(got) != string(want) {
			t.Fatalf("shuffle %d: issue differs from the first build", i)
		}
	}
}

func TestBuildMax(t *testing.T) {
	arts := synthetic(50)
	is := Build(arts, Options{Now: slot, Max: 10, TopN: 4})
	if len(is.Top) != 4 || is.ArticleCount() != 10 {
		t.Fatalf("top %d, count %d; want 4 and 10", len(is.Top), is.ArticleCount())
	}
	cut := 0
	for _, e := range is.Skipped {
		if len(e.Article.Paragraphs) != 0 || e.Article.Title == "" {
			t.Errorf("skipped %q keeps %d paragraphs; want identity only", e.Article.Title, len(e.Article.Paragraphs))
		}
		if strings.HasPrefix(e.Why, "rank ") {
			cut++
			if e.Score > is.Entries()[9].Score {
				t.Errorf("skipped %q scores %v, above the last kept", e.Article.Title, e.Score)
			}
		}
	}
	if cut == 0 || cut+len(is.Skipped)-cut+10 != 50 {
		t.Errorf("skipped %d below the cut, %d total; want the rest of 50", cut, len(is.Skipped))
	}
}

func TestBuildEmpty(t *testing.T) {
	is := Build(nil, Options{})
	if !is.Empty() || is.Intro != "" || len(is.Sections) != 0 {
		t.Errorf("empty build = %+v", is)
	}
}

func TestSummaryFixedKept(t *testing.T) {
	a := art(feed("A", 1), "https://a.example/1", "Outage", day, textOutage...)
	a.Summary, a.SummaryFixed = []string{"Hand-written."}, true
	is := Build([]digest.Article{a}, Options{Now: slot})
	if got := is.Top[0].Article.Summary; len(got) != 1 || got[0] != "Hand-written." {
		t.Errorf("summary = %q, want the fixed one", got)
	}
}

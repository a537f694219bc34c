package curate

import (
	"strings"
	"testing"
	"time"

	"github.com/weeklywrap/digest/digest"
)

// thisWeek is three ordinary feed stories of this week.
func thisWeek() []digest.Article {
	return []digest.Article{
		art(feed("Alpha News", 1), "https://alpha.example/outage", "Cloud storage outage hits three regions", day, textOutage...),
		art(feed("Beta Wire", 1), "https://beta.example/rust", "Rust 1.95 speeds up builds", 5*day, textRust...),
		art(feed("Gamma Daily", 1), "https://gamma.example/garlic", "Plant garlic before the frost", 6*day, textGarden...),
	}
}

func TestOldSeedBelowThisWeek(t *testing.T) {
	seed := loadSeed(t) // dated 2011, long, with comments
	seed.Source.Weight = 3
	is := Build(append(thisWeek(), seed), Options{Now: slot, TopN: 2})
	es := is.Entries()
	if last := es[len(es)-1]; last.Article.Title != seed.Title {
		t.Fatalf("order %q: want the 2011 seed below this week's stories", titles(es))
	}
	for _, e := range is.Top {
		if e.Article.Title == seed.Title {
			t.Errorf("the 2011 seed leads the issue")
		}
	}
	e := es[len(es)-1]
	if !strings.Contains(e.Why, "from 21 Sep 2011, before this issue's window") {
		t.Errorf("why = %q, want it to say the story is from 2011", e.Why)
	}
	if !strings.Contains(is.Intro, "from 2011") {
		t.Errorf("intro %q does not say an older piece is in", is.Intro)
	}
	// Its score alone would lead: the standing, not the weights, keeps it down.
	if e.Score <= is.Top[0].Score {
		t.Logf("seed score %v, top %v", e.Score, is.Top[0].Score)
	}
}

func TestPinnedLeads(t *testing.T) {
	seed := loadSeed(t)
	seed.Pinned = true
	is := Build(append(thisWeek(), seed), Options{Now: slot, TopN: 2})
	if is.Top[0].Article.Title != seed.Title {
		t.Fatalf("top = %q, want the pinned 2011 seed first", titles(is.Top))
	}
	if !strings.HasPrefix(is.Top[0].Why, "pinned by the editor") {
		t.Errorf("why = %q, want it to say the story is pinned", is.Top[0].Why)
	}
	if strings.Contains(is.Intro, "2011") {
		t.Errorf("intro %q calls the pinned story an extra; the editor put it on top", is.Intro)
	}
}

// TestPinnedByConfig: the config's pinned list names a seed file or a URL;
// Pin marks those articles and Build honours the mark.
func TestPinnedByConfig(t *testing.T) {
	arts := append(thisWeek(), loadSeed(t))
	miss := Pin(arts, []string{"000_bfb80475702a41a0.txt", "https://www.gamma.example/garlic?utm_source=x", "https://nowhere.example/"})
	if len(miss) != 1 || miss[0] != "https://nowhere.example/" {
		t.Errorf("unmatched = %q, want only the address that names nothing", miss)
	}
	is := Build(arts, Options{Now: slot, TopN: 2})
	got := titles(is.Top)
	if len(got) != 2 || got[0] != "Plant garlic before the frost" && got[1] != "Plant garlic before the frost" || !strings.Contains(strings.Join(got, "|"), "Information Security") {
		t.Errorf("top = %q, want the two pinned stories", got)
	}
	if arts := thisWeek(); len(Pin(arts, []string{"000_bfb80475702a41a0"})) != 1 {
		t.Error("a seed's name without extension pinned a feed article")
	}
}

// TestUndatedSeed: an undated seed earns no freshness, so this week's dated
// stories of equal merit rank above it, but it stays among this week's
// stories, above an old one, and can still lead on its merits.
func TestUndatedSeed(t *testing.T) {
	undated := art(digest.Source{Name: "Editor's pick", Kind: digest.KindSeed, URL: "seeds/cranes.txt"}, "", "Cranes return to the marshes", 0, textBirds...)
	undated.Published, undated.PublishedFrom = time.Time{}, ""
	old := loadSeed(t)
	arts := append(thisWeek(), undated, old)
	is := Build(arts, Options{Now: slot, TopN: 1})
	order := titles(is.Entries())
	at := func(title string) int {
		for i, t := range order {
			if t == title {
				return i
			}
		}
		return -1
	}
	if !(at("Cloud storage outage hits three regions") < at(undated.Title) && at(undated.Title) < at(old.Title)) {
		t.Errorf("order %q: want yesterday's story, then the undated seed, then the 2011 one", order)
	}
	// A seed whose text states no date says so.
	undated.PublishedFrom = digest.DateNone
	is2 := Build(append(thisWeek(), undated, old), Options{Now: slot, TopN: 1})
	if got := titles(is2.Entries()); strings.Join(got, "|") != strings.Join(order, "|") {
		t.Errorf("order %q, want %q", got, order)
	}
	// With comments, length and a heavier source on its side it may lead.
	undated.CommentCount, undated.Source.Weight = 400, 1.5
	undated.Paragraphs = append(undated.Paragraphs, strings.Repeat(textBirds[0]+" ", 20))
	if is := Build(append(thisWeek(), undated), Options{Now: slot, TopN: 1}); is.Top[0].Article.Title != undated.Title {
		t.Errorf("top = %q, want the much-discussed undated seed", is.Top[0].Article.Title)
	}
}

// TestFoldKeepsTheEditorsWork: an editor's note folded into the feed item
// of the same story keeps its summary; the entry shows the fuller text, the
// real link, and lists the other sources.
func TestFoldKeepsTheEditorsWork(t *testing.T) {
	note := digest.Article{
		ID: "seed:note.md#1", Title: "Regulators fine social network", URL: "",
		Source:     digest.Source{Name: "Editor's pick", Kind: digest.KindSeed, URL: "seeds/note.md"},
		Paragraphs: textPrivacy[:1], Summary: []string{"Our take: the fine is a warning to every platform."}, SummaryFixed: true,
	}
	full := art(feed("Alpha News", 1), "https://alpha.example/fine", "Regulators fine social network over data transfers", 2*day,
		append(append([]string{}, textPrivacy...), textPrivacy[1]+" Analysts expect further cases next year.")...)
	other := art(feed("Beta Wire", 1), "https://beta.example/fine", "Regulators fine social network over data transfers", 2*day, textPrivacy[0])
	is := Build([]digest.Article{note, full, other}, Options{Now: slot})
	if n := is.ArticleCount(); n != 1 {
		t.Fatalf("%d stories, want the three versions folded into one", n)
	}
	e := is.Top[0]
	a := e.Article
	if a.Source.Name != "Alpha News" || len(a.Paragraphs) != 3 {
		t.Errorf("shown version from %q with %d paragraphs, want Alpha News's full text", a.Source.Name, len(a.Paragraphs))
	}
	if !a.SummaryFixed || len(a.Summary) != 1 || a.Summary[0] != note.Summary[0] {
		t.Errorf("summary = %q, want the editor's", a.Summary)
	}
	if a.URL != "https://alpha.example/fine" {
		t.Errorf("URL = %q, want the real link", a.URL)
	}
	if len(e.AlsoCoveredBy) != 1 || e.AlsoCoveredBy[0].Name != "Beta Wire" {
		t.Errorf("also covered by %+v, want Beta Wire (the editor's own copy is no other source)", e.AlsoCoveredBy)
	}
	// A note that names the page's site is still no other source.
	named := note
	named.URL, named.SiteName, named.Source.Name = "https://alpha.example/fine", "alpha.example", "alpha.example"
	if e := Build([]digest.Article{named, full, other}, Options{Now: slot}).Top[0]; len(e.AlsoCoveredBy) != 1 || e.AlsoCoveredBy[0].Name != "Beta Wire" {
		t.Errorf("also covered by %+v, want Beta Wire alone", e.AlsoCoveredBy)
	}
	// The note is the fullest version: it keeps everything, and a link.
	note.Paragraphs = append(append([]string{}, textPrivacy...), textGarden...)
	note.URL = ""
	is = Build([]digest.Article{note, other}, Options{Now: slot})
	if a := is.Top[0].Article; a.Source.Kind != digest.KindSeed || a.URL != other.URL || a.Summary[0] != note.Summary[0] || !a.Published.Equal(other.Published) {
		t.Errorf("note shown with URL %q, summary %q, date %v; want the feed's link and date and the editor's summary", a.URL, a.Summary, a.Published)
	}
}

// TestNoStoryTwice: whatever the mix, every story appears once.
func TestNoStoryTwice(t *testing.T) {
	arts := append(append(week(t), synthetic(120)...), thisWeek()...)
	for _, top := range []int{1, 3, 10} {
		is := Build(arts, Options{Now: slot, Topics: weekTopics, TopN: top})
		assertOnce(t, is)
	}
}

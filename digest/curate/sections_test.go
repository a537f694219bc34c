package curate

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/weeklywrap/digest/digest"
)

// subjects are the beats of a made-up news week: each has its own words,
// and stories on it use several of them.
var subjects = []struct {
	name  string
	words []string
}{
	{"transport", strings.Fields("tram trams railway station timetable commuters fares tramline depot signalling")},
	{"football", strings.Fields("football league striker goalkeeper stadium penalty midfielder referee fixture transfer")},
	{"election", strings.Fields("election ballot candidates polling constituency turnout campaign manifesto voters parliament")},
	{"cloud", strings.Fields("cloud outage datacenter servers storage latency engineers failover regions uptime")},
	{"garden", strings.Fields("garden garlic compost seedlings frost mulch orchard pruning allotment bulbs")},
	{"space", strings.Fields("telescope galaxy astronomers orbit comet nebula observatory spacecraft asteroid planets")},
}

// thirtyStories is a week of 30 stories, five on each subject, with
// filler words every story shares.
func thirtyStories() []digest.Article {
	r := rand.New(rand.NewPCG(30, 30))
	filler := strings.Fields("officials said on tuesday that the plan would take effect after a review and several weeks of talks with local groups")
	var out []digest.Article
	for i := range 30 {
		sub := subjects[i%len(subjects)]
		pick := func(n int) string {
			var w []string
			for range n {
				w = append(w, sub.words[r.IntN(len(sub.words))])
			}
			return strings.Join(w, " ")
		}
		var paras []string
		for range 4 {
			s := pick(4) + " " + strings.Join(filler[r.IntN(5):r.IntN(5)+10], " ") + " " + pick(3)
			paras = append(paras, strings.ToUpper(s[:1])+s[1:]+".")
		}
		title := fmt.Sprintf("Story %d on %s", i, pick(2))
		out = append(out, art(feed(fmt.Sprintf("Wire %d", i%4), 1), fmt.Sprintf("https://wire.example/%d", i), title, day, paras...))
	}
	return out
}

func TestSectionsOfAThirtyStoryIssue(t *testing.T) {
	is := Build(thirtyStories(), Options{Now: slot, TopN: 3})
	if is.ArticleCount() != 30 {
		t.Fatalf("%d stories, want 30", is.ArticleCount())
	}
	assertOnce(t, is)
	for k, s := range is.Sections {
		if s.Name != MoreSection && len(s.Entries) < 3 {
			t.Errorf("section %q has %d stories; a 30-story issue wants no small sections (%v)", s.Name, len(s.Entries), sectionNames(is))
		}
		if k > 0 && len(s.Entries) == 2 && len(is.Sections[k-1].Entries) == 2 {
			t.Errorf("a run of two-story sections: %v", sectionNames(is))
		}
		if s.Name == MoreSection {
			continue
		}
		// Every word of the name describes most of the section's stories.
		for _, w := range strings.FieldsFunc(s.Name, func(r rune) bool { return r == ' ' || r == '&' }) {
			n := 0
			for _, e := range s.Entries {
				text := strings.ToLower(e.Article.Title + " " + strings.Join(e.Article.Paragraphs, " "))
				if strings.Contains(text, stem(strings.ToLower(w))) {
					n++
				}
			}
			if n*2 < len(s.Entries) {
				t.Errorf("section %q: %q is in %d of its %d stories", s.Name, w, n, len(s.Entries))
			}
		}
	}
	if len(is.Sections) < 4 {
		t.Errorf("sections %v: want the six subjects mostly apart", sectionNames(is))
	}
	t.Logf("sections: %v; intro: %s", sectionNames(is), is.Intro)
}

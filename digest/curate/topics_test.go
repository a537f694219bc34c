package curate

import (
	"strings"
	"testing"

	"github.com/weeklywrap/digest/digest"
)

func TestMatchTopic(t *testing.T) {
	topics := compileTopics([]Topic{
		{Name: "AI", Keywords: []string{"AI", "machine learning", "model"}},
		{Name: "Security", Keywords: []string{"breach", "ransomware"}, Categories: []string{"InfoSec"}},
		{Name: "Go", Categories: []string{"golang"}},
		{Name: "  "},
	})
	tests := []struct {
		name  string
		title string
		text  string
		cats  []string
		want  string
	}{
		{"keyword in title", "New AI chips", "Faster chips.", nil, "AI"},
		{"keyword case-insensitive in text", "Chips", "Vendors bet on ai everywhere.", nil, "AI"},
		{"word, not substring", "He said it failed", "The maid aided them.", nil, ""},
		{"multi-word keyword", "Notes", "Progress in Machine  Learning continues.", nil, "AI"},
		{"plural keyword", "Notes", "Three new models shipped.", nil, "AI"},
		{"category exact, case-insensitive", "Notes", "Nothing here.", []string{"infosec"}, "Security"},
		{"category not partial", "Notes", "Nothing here.", []string{"infosec news"}, ""},
		{"category beats one text keyword", "Notes", "A model was stolen.", []string{"INFOSEC"}, "Security"},
		{"more matches win", "Ransomware breach", "A model was involved.", nil, "Security"},
		{"tie goes to config order", "Breach", "An AI model.", nil, "AI"},
		{"no match", "Gardening", "Plant garlic.", []string{"home"}, ""},
		{"one passing mention deep in the text", "Notes", strings.Repeat("filler words here ", 40) + "a breach.", nil, ""},
		{"two mentions deep in the text", "Notes", strings.Repeat("filler words here ", 40) + "a breach and ransomware.", nil, "Security"},
		{"category only topic", "x", "y", []string{"Golang"}, "Go"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := digest.Article{Title: tt.title, Paragraphs: []string{tt.text}, Categories: tt.cats}
			got := ""
			if i := matchTopic(&a, topics); i >= 0 {
				got = topics[i].name
			}
			if got != tt.want {
				t.Errorf("topic = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestClusterUnmatched(t *testing.T) {
	a, b := feed("A", 1), feed("B", 1)
	arts := []digest.Article{
		art(a, "https://a.example/1", "Rust 1.95 speeds up builds", day, textRust...),
		art(b, "https://b.example/2", "Volunteers count record crane migration", day, textBirds...),
		art(a, "https://a.example/3", "An optional garbage collector for Rust", day, textRustGC...),
		art(b, "https://b.example/4", "Plant garlic before the frost", day, textGarden...),
		art(a, "https://a.example/5", "Cloud outage", day, textOutage...),
	}
	is := Build(arts, Options{Now: slot, TopN: 1, Topics: []Topic{{Name: "Birds", Keywords: []string{"crane"}}}})
	got := map[string]string{}
	for _, s := range is.Sections {
		for _, e := range s.Entries {
			got[e.Article.Title] = s.Name
		}
	}
	rustSection := got["An optional garbage collector for Rust"]
	if rustSection == "" {
		rustSection = got["Rust 1.95 speeds up builds"]
	}
	want := map[string]string{
		"Volunteers count record crane migration": "Birds",
		"Plant garlic before the frost":           MoreSection,
		"Cloud outage":                            MoreSection,
	}
	for title, w := range want {
		if _, top := got[title]; !top && is.Top[0].Article.Title == title {
			continue
		}
		if got[title] != w {
			t.Errorf("%q in %q, want %q", title, got[title], w)
		}
	}
	if rustSection != "Rust" {
		t.Errorf("Rust stories in %q, want a cluster named \"Rust\" (sections %v)", rustSection, sectionNames(is))
	}
}

func TestSectionsOrder(t *testing.T) {
	es := make([]digest.Entry, 5)
	for i := range es {
		es[i].Article.Title = string(rune('a' + i))
	}
	got := sections(es, []string{MoreSection, "B", "A", "b", "A"})
	var names []string
	for _, s := range got {
		names = append(names, s.Name+":"+string(rune('0'+len(s.Entries))))
	}
	if want := "B:2 A:2 More this week:1"; joinSp(names) != want {
		t.Errorf("sections = %s, want %s", joinSp(names), want)
	}
}

func joinSp(s []string) string {
	out := ""
	for i, x := range s {
		if i > 0 {
			out += " "
		}
		out += x
	}
	return out
}

func TestStem(t *testing.T) {
	for in, want := range map[string]string{"awards": "award", "stories": "story", "class": "class", "virus": "virus", "analysis": "analysis", "gas": "gas", "rust": "rust"} {
		if got := stem(in); got != want {
			t.Errorf("stem(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestClusterLabelPhrase(t *testing.T) {
	arts := []*digest.Article{
		{Title: "Mobile phones outsell cameras", Paragraphs: []string{"Sales of mobile phones with cameras rose again, and mobile phones now outsell compact cameras in Europe."}},
		{Title: "Mobile phones in schools", Paragraphs: []string{"Teachers debate whether mobile phones belong in classrooms; some schools ban mobile phones outright."}},
		{Title: "Garlic planting", Paragraphs: []string{"Plant garlic before the frost sets in."}},
		{Title: "NASA launches probe", Paragraphs: []string{"The agency launched a probe to Europa."}},
	}
	got := clusterLabels(arts, []int{0, 1, 2, 3}, 2)
	if got[0] != "Mobile phones" || got[1] != got[0] || got[2] != "" || got[3] != "" {
		t.Errorf("labels = %q, want the two phone stories as \"Mobile phones\" and the others alone", got)
	}
}

package curate

import (
	"strings"
	"testing"
	"time"
)

func TestIntro(t *testing.T) {
	y2011 := time.Date(2011, 9, 21, 0, 0, 0, 0, time.UTC)
	y2019 := time.Date(2019, 3, 1, 0, 0, 0, 0, time.UTC)
	march := time.Date(slot.Year(), 3, 1, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		name   string
		themes []string
		older  []time.Time
		want   string
	}{
		{"themes", []string{"Security", "Policy"}, nil, "This week: Security and Policy."},
		{"many themes", []string{"Security", "Policy", "Rust", "Go"}, nil, "This week: Security, Policy, Rust and more."},
		{"an older piece", []string{"Security"}, []time.Time{y2011}, "This week: Security. Also in this issue: an older piece, from 2011."},
		{"older pieces", nil, []time.Time{y2011, y2019, y2011, march}, "In this issue: older pieces, from 2011, 2019 and March."},
		{"nothing to say", nil, nil, ""},
	}
	for _, tt := range tests {
		if got := intro(tt.themes, tt.older, slot, Words{}); got != tt.want {
			t.Errorf("%s:\n got %q\nwant %q", tt.name, got, tt.want)
		}
	}
}

// The intro speaks the newsletter's language when given its words.
func TestIntroInAnotherLanguage(t *testing.T) {
	de := Words{ThisWeek: "Diese Woche: %s.", AndMore: "%s und mehr", AlsoInIssue: "Außerdem in dieser Ausgabe: %s",
		InIssue: "In dieser Ausgabe: %s", OlderOne: "ein älterer Beitrag aus %s.", OlderMany: "ältere Beiträge aus %s.", And: "und",
		Month: func(t time.Time) string { return map[time.Month]string{time.March: "März"}[t.Month()] }}
	march := time.Date(slot.Year(), 3, 1, 0, 0, 0, 0, time.UTC)
	got := intro([]string{"Sicherheit", "Politik"}, []time.Time{time.Date(2011, 9, 21, 0, 0, 0, 0, time.UTC), march}, slot, de)
	if want := "Diese Woche: Sicherheit und Politik. Außerdem in dieser Ausgabe: ältere Beiträge aus 2011 und März."; got != want {
		t.Errorf("got  %q\nwant %q", got, want)
	}
}

func TestThemesNeedTwoStories(t *testing.T) {
	got := themes([]string{"Security", MoreSection, "Whales", "security", "Policy", MoreSection, "Policy"})
	if strings.Join(got, "|") != "Security|Policy" {
		t.Errorf("themes = %q, want Security and Policy (Whales has one story, %q is no theme)", got, MoreSection)
	}
}

// TestBuildIntro: the intro of a built issue names no theme that fewer
// than two stories carry, repeats no headline and counts nothing.
func TestBuildIntro(t *testing.T) {
	arts := append(week(t), art(feed("Delta", 1), "https://delta.example/cranes", "Cranes return to the marshes", day, textBirds...))
	is := Build(arts, Options{Now: slot, Topics: weekTopics, TopN: 2})
	if is.Intro == "" {
		t.Fatal("no intro; the week has a theme (two Rust stories)")
	}
	count := map[string]int{}
	for _, s := range is.Sections {
		count[s.Name] += len(s.Entries)
	}
	for _, e := range is.Top {
		for _, topic := range weekTopics {
			if matchTopic(&e.Article, compileTopics([]Topic{topic})) >= 0 {
				count[topic.Name]++
			}
		}
	}
	for _, topic := range append(weekTopics, Topic{Name: "Rust"}) {
		if strings.Contains(is.Intro, topic.Name) && count[topic.Name] < 2 {
			t.Errorf("intro %q names %q, which %d stories carry", is.Intro, topic.Name, count[topic.Name])
		}
	}
	if !strings.Contains(is.Intro, "Rust") {
		t.Errorf("intro %q does not name the theme two stories carry", is.Intro)
	}
	for _, e := range is.Entries() {
		if strings.Contains(is.Intro, e.Article.Title) {
			t.Errorf("intro %q repeats the headline %q", is.Intro, e.Article.Title)
		}
	}
	if strings.ContainsAny(is.Intro, "0123456789") {
		t.Errorf("intro %q counts things", is.Intro)
	}
}

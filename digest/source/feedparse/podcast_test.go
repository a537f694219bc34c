package feedparse

import (
	"strings"
	"testing"
)

// TestPodcastsCommentsAndNestedAuthors covers items that carry their text
// in podcast or Media RSS elements, declared comment counts and RSS authors
// written as nested name/email elements.
func TestPodcastsCommentsAndNestedAuthors(t *testing.T) {
	arts := parseFixture(t, "podcast.xml", Options{Name: "Harbour Talk"})
	if len(arts) != 7 {
		t.Fatalf("got %d items, want all 7", len(arts))
	}
	want := []struct {
		title, url, text, author string
		comments                 int
	}{
		{"Episode 12: The ferry vote", "https://cdn.example.org/harbour/12.mp3", "We talk to the three councils about sharing their ferries.", "Jo Host", 0},
		{"Episode 11: Old apples", "https://cdn.example.org/harbour/11.mp3", "Old apple varieties come back to the island.", "", 0},
		{"Episode 10: Boats at night", "https://podcast.example.org/audio/10.mp3", "Night crossings, explained.", "", 0},
		{"Episode 9: Only audio", "https://cdn.example.org/harbour/9.mp3", "", "", 0},
		{"A post with comments", "https://podcast.example.org/post", "Some text here.", "Ed Itor", 17},
		{"Threaded", "https://podcast.example.org/threaded", "More text.", "Dee Creator", 5},
		{"Nested author", "https://podcast.example.org/nested", "Text.", "Nina Nested", 0},
	}
	for i, w := range want {
		a := arts[i]
		if a.Title != w.title || a.URL != w.url || a.Text() != w.text || a.Author != w.author || a.CommentCount != w.comments {
			t.Errorf("item %d = %q url %q text %q author %q comments %d;\n want %+v", i, a.Title, a.URL, a.Text(), a.Author, a.CommentCount, w)
		}
		if a.Confidence != 1 {
			t.Errorf("item %d: confidence %v, want 1 for a feed's own text", i, a.Confidence)
		}
		if strings.Contains(a.Author, "@") || strings.Contains(a.Author, "<") {
			t.Errorf("item %d: author %q shows markup or an address", i, a.Author)
		}
	}
	if !strings.Contains(arts[2].HTML, "<b>explained</b>") || strings.Contains(arts[2].HTML, "<script") {
		t.Errorf("media:description HTML should be kept, sanitized: %q", arts[2].HTML)
	}
	seen := map[string]bool{}
	for _, a := range arts {
		if seen[a.ID] {
			t.Errorf("two items share the ID %s", a.ID)
		}
		seen[a.ID] = true
	}
}

func TestNestedName(t *testing.T) {
	for in, want := range map[string]string{
		"<name>Nina Nested</name><email>nina@example.org</email>": "Nina Nested",
		"<email>x@example.org</email>":                            "",
		"nina@example.org":                                        "",
		"<name>Unclosed":                                          "Unclosed", // read leniently, as feeds are
		"<name>A &amp; B</name>":                                  "A & B",
	} {
		if got := nestedName(in); got != want {
			t.Errorf("nestedName(%q) = %q, want %q", in, got, want)
		}
	}
}

package config

import (
	"fmt"
	"os"
	"strings"
	"testing"
)

func TestAddFeedsKeepsEveryOtherByte(t *testing.T) {
	data, err := os.ReadFile("../../config.yaml")
	if err != nil {
		t.Fatal(err)
	}
	before, err := Parse("config.yaml", data, func(string) (string, bool) { return "", false })
	if err != nil {
		t.Fatal(err)
	}
	in := []Feed{
		{Name: "New: one", URL: "https://a.example/feed.xml", Categories: []string{"Tech", "a, b"}},
		{Name: "Go again", URL: "HTTPS://GO.DEV/blog/feed.atom"}, // configured already
		{Name: "Quote \"me\" # not a comment", URL: "https://b.example/rss?x=1&y=2"},
		{Name: "dup", URL: "https://a.example/feed.xml"},
	}
	out, added, err := AddFeeds(data, in, "imported from test.opml")
	if err != nil {
		t.Fatal(err)
	}
	if len(added) != 2 || added[0].Name != "New: one" || added[1].URL != "https://b.example/rss?x=1&y=2" {
		t.Fatalf("added %+v", added)
	}
	// Removing the inserted lines gives the file back byte for byte.
	var kept []string
	for _, l := range strings.Split(string(out), "\n") {
		if !strings.Contains(l, "a.example") && !strings.Contains(l, "b.example") && !strings.Contains(l, "New: one") &&
			!strings.Contains(l, `not a comment`) && !strings.Contains(l, "imported from test.opml") && !strings.Contains(l, "categories: [Tech,") {
			kept = append(kept, l)
		}
	}
	if got := strings.Join(kept, "\n"); got != string(data) {
		t.Errorf("other lines changed:\n%s", got)
	}
	after, err := Parse("config.yaml", out, func(string) (string, bool) { return "", false })
	if err != nil {
		t.Fatalf("result does not load: %v\n%s", err, out)
	}
	n := len(before.Sources.Feeds)
	if len(after.Sources.Feeds) != n+2 {
		t.Fatalf("feeds %d, want %d", len(after.Sources.Feeds), n+2)
	}
	if f := after.Sources.Feeds[n]; f.Name != "New: one" || len(f.Categories) != 2 || f.Categories[1] != "a, b" {
		t.Errorf("first added feed read back as %+v", f)
	}
	if f := after.Sources.Feeds[n+1]; f.Name != `Quote "me" # not a comment` {
		t.Errorf("second added feed read back as %+v", f)
	}
	// The commented lines of the last configured feed stay with it, before the new ones.
	if i, j := strings.Index(string(out), "# full_text: true"), strings.Index(string(out), "New: one"); i < 0 || i > j {
		t.Errorf("new feeds not after the last feed's comments")
	}
	out2, added2, err := AddFeeds(out, in, "again")
	if err != nil || len(added2) != 0 || string(out2) != string(out) {
		t.Errorf("second add: %v, added %d, changed %v", err, len(added2), string(out2) != string(out))
	}
}

func TestAddFeedsShapes(t *testing.T) {
	feed := []Feed{{Name: "A", URL: "https://a.example/f"}}
	for _, tc := range []struct{ name, in, wantErr string }{
		{"empty file", "", ""},
		{"no sources", "timezone: UTC  # zone\n", ""},
		{"sources without feeds", "sources:\n  seeds: seeds   # folder\n  timeout: 30s\nsummary:\n  sentences: 3\n", ""},
		{"empty flow list", "sources:\n  feeds: []   # none yet\n  seeds: s\n", ""},
		{"null list", "sources:\n  feeds:\nlog:\n  level: info\n", ""},
		{"indentless list", "sources:\n  feeds:\n  - name: X\n    url: https://x.example/f\n  seeds: s\n", ""},
		{"flow list", "sources:\n  feeds: [{name: X, url: 'https://x.example/f'}]\n", "flow"},
		{"not a list", "sources:\n  feeds: 3\n", "sources.feeds"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out, added, err := AddFeeds([]byte(tc.in), feed, "")
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("err = %v, want %q", err, tc.wantErr)
				}
				return
			}
			if err != nil || len(added) != 1 {
				t.Fatalf("err %v, added %d\n%s", err, len(added), out)
			}
			c, err := Parse("c.yaml", out, func(string) (string, bool) { return "", false })
			if err != nil {
				t.Fatalf("%v\n%s", err, out)
			}
			if last := c.Sources.Feeds[len(c.Sources.Feeds)-1]; last.URL != "https://a.example/f" {
				t.Errorf("feeds %+v\n%s", c.Sources.Feeds, out)
			}
			for _, l := range strings.Split(tc.in, "\n") {
				if strings.Contains(l, "#") && !strings.Contains(string(out), l[strings.Index(l, "#"):]) {
					t.Errorf("comment %q lost:\n%s", l, out)
				}
			}
		})
	}
}

func BenchmarkAddFeeds1000(b *testing.B) {
	data, _ := os.ReadFile("../../config.yaml")
	feeds := make([]Feed, 1000)
	for i := range feeds {
		feeds[i] = Feed{Name: fmt.Sprintf("Feed %d", i), URL: fmt.Sprintf("https://h%d.example/feed.xml", i)}
	}
	for b.Loop() {
		if _, added, err := AddFeeds(data, feeds, ""); err != nil || len(added) != 1000 {
			b.Fatal(err)
		}
	}
}

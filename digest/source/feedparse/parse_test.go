package feedparse

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/weeklywrap/digest/digest"
)

var update = flag.Bool("update", false, "update golden files")

func parseFixture(t *testing.T, name string, o Options) []digest.Article {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	arts, err := Parse(f, o, "https://feeds.example/"+name)
	if err != nil {
		t.Fatalf("Parse(%s): %v", name, err)
	}
	return arts
}

func TestParseGolden(t *testing.T) {
	for _, name := range []string{"rss2.xml", "rss1.rdf", "atom.xml", "feed.json"} {
		t.Run(name, func(t *testing.T) {
			arts := parseFixture(t, name, Options{Name: "Fixture", URL: "https://feeds.example/" + name, Weight: 2, Categories: []string{"extra"}})
			var buf bytes.Buffer
			enc := json.NewEncoder(&buf)
			enc.SetEscapeHTML(false)
			enc.SetIndent("", "  ")
			if err := enc.Encode(arts); err != nil {
				t.Fatal(err)
			}
			got := buf.Bytes()
			golden := filepath.Join("testdata", name+".golden")
			if *update {
				if err := os.WriteFile(golden, append(got, '\n'), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run with -update)", err)
			}
			if !bytes.Equal(bytes.TrimSpace(got), bytes.TrimSpace(want)) {
				t.Errorf("%s differs from %s:\n%s", name, golden, got)
			}
		})
	}
}

func TestParseMapping(t *testing.T) {
	rss := parseFixture(t, "rss2.xml", Options{Name: "Harbour", URL: "https://harbour.example/feed", Weight: 1.5, Categories: []string{"Coast"}})
	if len(rss) != 3 {
		t.Fatalf("rss2: got %d articles, want 3 (duplicate GUID kept once)", len(rss))
	}
	atomArts := parseFixture(t, "atom.xml", Options{})
	jsonArts := parseFixture(t, "feed.json", Options{})
	rdf := parseFixture(t, "rss1.rdf", Options{})
	tides, ferry, undated := rss[0], rss[1], rss[2]
	tests := []struct {
		name, got, want string
	}{
		{"ID is canonical link", tides.ID, "https://harbour.example/blog/tides?id=7"},
		{"URL drops tracking, keeps fragment", tides.URL, "https://harbour.example/blog/tides?id=7#top"},
		{"title entities decoded", tides.Title, "Tides & times: the spring schedule"},
		{"author from dc:creator", tides.Author, "Mara Quist"},
		{"published UTC", tides.Published.Format(time.RFC3339), "2026-11-03T07:30:00Z"},
		{"published from", tides.PublishedFrom, digest.DateFromFeed},
		{"categories deduped plus configured", strings.Join(tides.Categories, "|"), "Local|Boats|Coast"},
		{"source", tides.Source.Name + " " + string(tides.Source.Kind) + " " + tides.Source.URL, "Harbour feed https://harbour.example/feed"},
		{"content preferred over teaser", tides.Paragraphs[0], "The spring tides arrive early this year, says the harbourmaster."},
		{"paragraphs split at br and li", strings.Join(tides.Paragraphs[1:], "|"), "Boats should leave before noon.|Moorings close at six.|High water 06:12|Low water 12:40"},
		{"plain text split at blank lines", strings.Join(ferry.Paragraphs, "|"), "The evening ferry is cancelled because of fog.|A bus runs instead."},
		{"plain text has no HTML", ferry.HTML, ""},
		{"fbclid stripped", ferry.ID, "https://harbour.example/blog/ferry"},
		{"undated stays zero", undated.Published.String() + "|" + undated.PublishedFrom, time.Time{}.String() + "|"},
		{"no link: content hash", undated.ID[:7], "sha256:"},
		{"escaped HTML description", strings.Join(undated.Paragraphs, "|"), "No date on this one."},
		{"atom title html stripped", atomArts[0].Title, "Frost arrives"},
		{"atom relative link against xml:base", atomArts[0].URL, "https://garden.example/2026/frost"},
		{"atom published over updated", atomArts[0].Published.Format(time.RFC3339), "2026-11-05T06:00:00Z"},
		{"atom updated when no published", atomArts[1].Published.Format(time.RFC3339), "2026-11-03T18:30:00Z"},
		{"atom feed author fallback", atomArts[0].Author, "Ivo Lind"},
		{"atom entry author", atomArts[1].Author, "Ruth Lind"},
		{"atom link in content resolved against xml:base", atomArts[0].HTML, `<h2>Morning</h2><p>The dahlias are black.</p><p>Lift the tubers <a href="https://garden.example/tubers" rel="nofollow">like this</a>.</p>`},
		{"json tags", strings.Join(jsonArts[0].Categories, "|"), "meteors|events"},
		{"json date to UTC", jsonArts[0].Published.Format(time.RFC3339), "2026-11-06T01:00:00Z"},
		{"json content_text paragraphs", strings.Join(jsonArts[1].Paragraphs, "|"), "A short note without a title or link.|Second paragraph of the note."},
		{"json no url: GUID qualified by the feed is ID", jsonArts[1].ID, "https://feeds.example/feed.json#sky-102"},
		{"rdf dc:date", rdf[1].Published.Format(time.RFC3339), "2026-11-05T07:00:00Z"},
		{"rdf subject as category", strings.Join(rdf[0].Categories, "|"), "Equipment"},
	}
	for _, tc := range tests {
		if tc.got != tc.want {
			t.Errorf("%s: got %q, want %q", tc.name, tc.got, tc.want)
		}
	}
	for _, bad := range []string{"<script", "onclick", "alert("} {
		if strings.Contains(tides.HTML, bad) {
			t.Errorf("HTML not sanitized, contains %q: %s", bad, tides.HTML)
		}
	}
	if !strings.Contains(tides.HTML, `src="https://harbour.example/blog/img/tide.png"`) {
		t.Errorf("image not made absolute: %s", tides.HTML)
	}
}

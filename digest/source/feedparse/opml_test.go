package feedparse

import (
	"bytes"
	"errors"
	"os"
	"reflect"
	"strings"
	"testing"
)

func TestParseOPML(t *testing.T) {
	f, err := os.Open("testdata/subs.opml")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	got, err := ParseOPML(f)
	if err != nil {
		t.Fatal(err)
	}
	want := []Options{
		{Name: "Lab Log", URL: "https://lab.example/rss", Categories: []string{"Science"}},
		{Name: "Night Sky", URL: "https://sky.example/feed.json", Categories: []string{"Science", "Space", "astronomy"}},
		{Name: "Harbour & Coast", URL: "https://harbour.example/feed", Categories: []string{}},
		{Name: "https://untitled.example/atom.xml", URL: "https://untitled.example/atom.xml", Categories: []string{}},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("ParseOPML:\n got %+v\nwant %+v", got, want)
	}
}

func TestOPMLRoundTrip(t *testing.T) {
	feeds := []Options{
		{Name: `Quotes "&" <brackets>`, URL: "https://a.example/feed?x=1&y=2", Categories: []string{"News", "World"}},
		{Name: "Plain", URL: "https://b.example/rss", Categories: []string{}},
		{Name: "Second news", URL: "https://c.example/atom", Categories: []string{"News"}},
	}
	var buf bytes.Buffer
	if err := WriteOPML(&buf, "Digest feeds", feeds); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(buf.String(), "<title>Digest feeds</title>") {
		t.Errorf("title missing:\n%s", buf.String())
	}
	back, err := ParseOPML(&buf)
	if err != nil {
		t.Fatalf("re-parse: %v\n%s", err, buf.String())
	}
	// Folders group by first category, so order follows the folders.
	want := []Options{feeds[0], feeds[2], feeds[1]}
	if !reflect.DeepEqual(back, want) {
		t.Errorf("round trip:\n got %+v\nwant %+v", back, want)
	}
}

func TestParseOPMLRejects(t *testing.T) {
	for name, doc := range map[string]string{
		"rss":   `<?xml version="1.0"?><rss version="2.0"><channel/></rss>`,
		"html":  `<!DOCTYPE html><html><body>hi</body></html>`,
		"empty": ``,
	} {
		_, err := ParseOPML(strings.NewReader(doc))
		if err == nil {
			t.Errorf("%s: no error", name)
			continue
		}
		if name != "empty" && !errors.Is(err, ErrNotOPML) {
			t.Errorf("%s: err %v, want ErrNotOPML", name, err)
		}
	}
}

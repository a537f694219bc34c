package textdump

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/weeklywrap/digest/digest"
)

var update = flag.Bool("update", false, "update golden files")

const seedPath = "../../../seeds/000_bfb80475702a41a0.txt"

// TestSeedGolden pins the whole extraction of the canonical seed file.
func TestSeedGolden(t *testing.T) {
	data, err := os.ReadFile(seedPath)
	if err != nil {
		t.Fatalf("read seed: %v", err)
	}
	a, err := Extract("seed", data, Options{})
	if err != nil {
		t.Fatalf("Extract: %v", err)
	}
	got, err := json.MarshalIndent(a, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	got = append(got, '\n')
	golden := filepath.Join("testdata", "seed.golden.json")
	if *update {
		if err := os.WriteFile(golden, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("read golden (run with -update to create): %v", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("seed extraction differs from %s (run with -update if intended):\n%s", golden, got)
	}
}

// TestSeedContract checks the seed against the design's contract directly,
// so that a careless -update cannot bless a wrong golden file.
func TestSeedContract(t *testing.T) {
	data, err := os.ReadFile(seedPath)
	if err != nil {
		t.Fatalf("read seed: %v", err)
	}
	a, err := Extract("seed", data, Options{ModTime: time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)})
	if err != nil {
		t.Fatalf("Extract: %v", err)
	}
	if want := "Russia and China Propose UN General Assembly Resolution on “Information Security”"; a.Title != want {
		t.Errorf("title = %q, want %q", a.Title, want)
	}
	if a.Author != "Milton Mueller" || a.AuthorRole != "Professor, Georgia Institute of Technology School of Public Policy" {
		t.Errorf("author = %q, role = %q", a.Author, a.AuthorRole)
	}
	if len(a.Paragraphs) != 5 {
		t.Fatalf("got %d paragraphs, want 5: %q", len(a.Paragraphs), a.Paragraphs)
	}
	if !bytes.HasSuffix([]byte(a.Paragraphs[3]), []byte("on the internet.")) ||
		!bytes.HasPrefix([]byte(a.Paragraphs[4]), []byte("Fortunately, the world’s")) {
		t.Errorf("glued paragraphs not split: %q | %q", a.Paragraphs[3], a.Paragraphs[4])
	}
	for _, bad := range []string{"Home / Blogs", "Filed Under", "Comment Title", "Newsletter", "Sponsored", "TCP/IP", "Milton Mueller"} {
		if bytes.Contains([]byte(a.Text()), []byte(bad)) {
			t.Errorf("body contains %q", bad)
		}
	}
	want := []digest.Comment{
		{Author: "Jean-Jacques Subrenat", Title: `Internet and the notion of "sovereignty".`, Published: time.Date(2011, 9, 21, 2, 10, 0, 0, time.UTC)},
		{Author: "Virendra Gandhi", Title: "What if these intrusions by other governments were for the good of the United States?", Published: time.Date(2011, 9, 21, 3, 21, 0, 0, time.UTC)},
	}
	if len(a.Comments) != len(want) || a.CommentCount != 2 {
		t.Fatalf("got %d comments (count %d), want 2", len(a.Comments), a.CommentCount)
	}
	for i, w := range want {
		c := a.Comments[i]
		if c.Author != w.Author || c.Title != w.Title || !c.Published.Equal(w.Published) {
			t.Errorf("comment %d = %q %q %v, want %q %q %v", i, c.Author, c.Title, c.Published, w.Author, w.Title, w.Published)
		}
	}
	first := a.Comments[0].Text
	for _, part := range []string{"- that, under the guise", "- that, considering", "Jean-Jacques S."} {
		if !bytes.Contains([]byte(first), []byte(part)) {
			t.Errorf("first comment lacks %q", part)
		}
	}
	if bytes.Contains([]byte(a.Comments[1].Text), []byte("Notify me")) {
		t.Errorf("second comment runs into the comment form: %q", a.Comments[1].Text)
	}
	if !a.Published.Equal(time.Date(2011, 9, 21, 2, 10, 0, 0, time.UTC)) || a.PublishedFrom != digest.DateFromComment {
		t.Errorf("published = %v from %q", a.Published, a.PublishedFrom)
	}
}

package mdnote

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/weeklywrap/digest/digest"
)

func readNote(t testing.TB, name string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func TestParse(t *testing.T) {
	tests := []struct {
		file string
		want digest.Article
	}{
		{"note.md", digest.Article{
			Title:         "Hello: world",
			Author:        "Jane Doe",
			URL:           "https://example.org/hello",
			Published:     time.Date(2024, 3, 5, 0, 0, 0, 0, time.UTC),
			PublishedFrom: digest.DateFromFrontMatter,
			Categories:    []string{"go", "web dev"},
			Paragraphs:    []string{"Heading", "Some text with a link and information.", "item one", "item two", "“Quoted” & kept."},
			Summary:       []string{"First sentence.", "Second one."},
			SummaryFixed:  true,
			SiteName:      "Example Weekly",
			Confidence:    1,
		}},
		{"summary-string.md", digest.Article{
			Title:         "String summary",
			Published:     time.Date(2024, 6, 1, 8, 30, 0, 0, time.UTC),
			PublishedFrom: digest.DateFromFrontMatter,
			Categories:    []string{"alpha", "beta"},
			Paragraphs:    []string{"Body paragraph."},
			Summary:       []string{"A single summary sentence."},
			SummaryFixed:  true,
			Confidence:    1,
		}},
		{"plain.md", digest.Article{
			Title:      "Only Markdown",
			Paragraphs: []string{"No front matter here, just a paragraph that wraps over two lines.", "one", "two"},
			Confidence: 1,
		}},
		{"title-heading.md", digest.Article{
			Title:         "Weekly Notes",
			Author:        "Ann Lee, Bo Kim",
			Published:     time.Date(2025, 1, 31, 18, 0, 0, 0, time.UTC),
			PublishedFrom: digest.DateFromFrontMatter,
			Paragraphs:    []string{"A paragraph with bold text."},
			Confidence:    1,
		}},
		{"untitled.md", digest.Article{
			Title:      "untitled",
			Paragraphs: []string{"Text without a heading, and a table:", "a b", "1 2"},
			Confidence: 1,
		}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			got, err := Parse(tt.file, readNote(t, tt.file))
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			html := got.HTML
			got.HTML = ""
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Parse(%s) =\n%+v\nwant\n%+v", tt.file, got, tt.want)
			}
			if html == "" || strings.Contains(html, "<script") || strings.Contains(html, "onclick") {
				t.Errorf("HTML missing or unsafe: %q", html)
			}
			if strings.Contains(html, ">"+tt.want.Title+"</h1>") {
				t.Errorf("HTML repeats the title as a heading: %q", html)
			}
		})
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		file, want string
	}{
		{"bad-yaml.md", "bad-yaml.md: line 3: "},
		{"bad-date.md", `bad-date.md: line 3: date "next tuesday" is not a date`},
		{"unclosed.md", "unclosed.md: line 1: front matter opened with --- is never closed"},
		{"bad-tags.md", "bad-tags.md: line 4: tags item must be a single value"},
		{"not-mapping.md", "not-mapping.md: line 2: front matter must be a mapping"},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			_, err := Parse(tt.file, readNote(t, tt.file))
			if err == nil || !strings.HasPrefix(err.Error(), tt.want) {
				t.Errorf("Parse(%s) error = %v, want prefix %q", tt.file, err, tt.want)
			}
		})
	}
}

func TestParseBadInput(t *testing.T) {
	tests := []struct {
		name    string
		data    []byte
		wantErr string
	}{
		{"binary", []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), "x.md: not text"},
		{"too big", make([]byte, MaxSize+1), "over the 20 MB limit"},
		{"empty", nil, ""},
		{"only front matter", []byte("---\ntitle: T\n---\n"), ""},
		{"empty front matter", []byte("---\n---\nbody"), ""},
		{"CRLF front matter", []byte("---\r\ntitle: T\r\n---\r\nbody\r\n"), ""},
		{"invalid utf-8", []byte("---\ntitle: caf\xe9\n---\nna\xefve"), ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse("x.md", tt.data)
			switch {
			case tt.wantErr == "" && err != nil:
				t.Errorf("unexpected error %v", err)
			case tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)):
				t.Errorf("error %v, want %q", err, tt.wantErr)
			}
		})
	}
}

func FuzzFrontMatter(f *testing.F) {
	f.Add([]byte("---\ntitle: t\ndate: 2024-01-02\ntags: [a, b]\n---\nbody"))
	f.Add([]byte("---\nsummary: [x, y\n---\n"))
	f.Add([]byte("---\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		art, err := Parse("f.md", data)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "f.md: ") {
				t.Fatalf("error does not name the file: %v", err)
			}
			return
		}
		if art.SummaryFixed != (len(art.Summary) > 0) {
			t.Fatalf("SummaryFixed %v with %d summary sentences", art.SummaryFixed, len(art.Summary))
		}
		if (art.PublishedFrom == "") != art.Published.IsZero() {
			t.Fatalf("PublishedFrom %q with Published %v", art.PublishedFrom, art.Published)
		}
		for _, p := range art.Paragraphs {
			if p == "" {
				t.Fatal("empty paragraph")
			}
		}
	})
}

func BenchmarkParse(b *testing.B) {
	data := readNote(b, "note.md")
	for b.Loop() {
		if _, err := Parse("note.md", data); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "notes/s")
}

func TestParsePin(t *testing.T) {
	tests := []struct {
		front   string
		pinned  bool
		wantErr string
	}{
		{"pin: true", true, ""},
		{"pinned: yes", true, ""},
		{"pin: false", false, ""},
		{"title: T", false, ""},
		{"pin: maybe", false, "x.md: line 2: pin must be true or false"},
		{"pin: [true]", false, "x.md: line 2: pin must be true or false"},
	}
	for _, tt := range tests {
		art, err := Parse("x.md", []byte("---\n"+tt.front+"\n---\nBody text."))
		switch {
		case tt.wantErr != "":
			if err == nil || !strings.HasPrefix(err.Error(), tt.wantErr) {
				t.Errorf("%q: error %v, want %q", tt.front, err, tt.wantErr)
			}
		case err != nil:
			t.Errorf("%q: %v", tt.front, err)
		case art.Pinned != tt.pinned:
			t.Errorf("%q: Pinned = %v, want %v", tt.front, art.Pinned, tt.pinned)
		}
	}
}

// A note's front matter may name its lead image (image, cover, og_image),
// absolute or relative to its url, with image_alt; other schemes are
// dropped.
func TestNoteImage(t *testing.T) {
	tests := []struct {
		front string
		want  *digest.Image
	}{
		{"image: https://cdn.example.org/pier.jpg\nimage_alt: The pier at low tide", &digest.Image{URL: "https://cdn.example.org/pier.jpg", Alt: "The pier at low tide"}},
		{"url: https://news.example.org/2026/pier\ncover: /img/pier.png", &digest.Image{URL: "https://news.example.org/img/pier.png"}},
		{"image: javascript:alert(1)", nil},
		{"image: pier.png", nil},
		{"title: No image", nil},
	}
	for _, tt := range tests {
		note := "---\n" + tt.front + "\n---\n# Pier\n\nThe pier was rebuilt over the winter and opens again on Saturday.\n"
		got, err := Parse("pier.md", []byte(note))
		if err != nil {
			t.Fatalf("%q: %v", tt.front, err)
		}
		switch {
		case tt.want == nil && got.Image != nil:
			t.Errorf("%q: image %+v, want none", tt.front, *got.Image)
		case tt.want != nil && (got.Image == nil || *got.Image != *tt.want):
			t.Errorf("%q: image %+v, want %+v", tt.front, got.Image, *tt.want)
		}
	}
}

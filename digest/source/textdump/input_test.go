package textdump

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
	"unicode/utf8"
)

func TestBadInput(t *testing.T) {
	huge := bytes.Repeat([]byte("Menu\n\nA sentence of running text that goes on for a while, as they do in articles.\n\n"), 600000)
	tests := []struct {
		name    string
		data    []byte
		wantErr string // substring; empty means a best-effort article
		low     bool
	}{
		{"empty", nil, "empty", false},
		{"blank", []byte(" \n\t\r\n  \n"), "empty", false},
		{"binary", []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00"), "binary", false},
		{"latin1", []byte("Caf\xe9 news\n\nThe caf\xe9 on the corner re-opened this week after a long renovation, and the owners say the menu is the same as it was.\n"), "", true},
		{"huge", huge, "", true},
		{"one word", []byte("hello"), "", true},
		{"too many lines", bytes.Repeat([]byte("A short line of text, as they come.\n"), maxLines+10), "", true},
		{"only punctuation", []byte("...\n\n---\n\n***"), "", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, err := Extract("in/"+tt.name, tt.data, Options{})
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) || !strings.Contains(err.Error(), "in/"+tt.name) {
					t.Fatalf("err = %v, want one naming the input and saying %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("Extract: %v", err)
			}
			if a.LowConfidence != tt.low {
				t.Errorf("LowConfidence = %v, want %v", a.LowConfidence, tt.low)
			}
			if !utf8.ValidString(a.Title) || !utf8.ValidString(a.Text()) {
				t.Errorf("invalid UTF-8 in output")
			}
		})
	}
}

func TestLatin1Decoded(t *testing.T) {
	a, err := Extract("latin1", []byte("Caf\xe9 news\n\nThe caf\xe9 on the corner re-opened this week after a long renovation, and the owners say the menu is the same as it was.\n"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if a.Title != "Café news" || !strings.Contains(a.Text(), "café") {
		t.Errorf("got title %q, body %q", a.Title, a.Text())
	}
}

func TestHygiene(t *testing.T) {
	in := "Caf\u0065\u0301 &amp; bar\r\n\r\nThe  owners\u00a0said the re-\r\nopening was delayed by a long dispute with the landlord over\nthe rent, which has now been settled.\r\n"
	a, err := Extract("hygiene", []byte(in), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if a.Title != "Café & bar" {
		t.Errorf("title = %q, want NFC and decoded entity", a.Title)
	}
	want := "The owners said the reopening was delayed by a long dispute with the landlord over the rent, which has now been settled."
	if a.Text() != want {
		t.Errorf("body = %q, want %q", a.Text(), want)
	}
}

func TestFindDate(t *testing.T) {
	tests := []struct {
		in   string
		want time.Time
	}{
		{"Sep 21, 2011 2:10 AM", time.Date(2011, 9, 21, 2, 10, 0, 0, time.UTC)},
		{"April 5, 2018 | 6:00 PM", time.Date(2018, 4, 5, 18, 0, 0, 0, time.UTC)},
		{"9/11/13 10:00AM", time.Date(2013, 9, 11, 10, 0, 0, 0, time.UTC)},
		{"Updated 1:39 am EST, Wednesday, November 20, 2019", time.Date(2019, 11, 20, 6, 39, 0, 0, time.UTC)},
		{"14 February 2023", time.Date(2023, 2, 14, 0, 0, 0, 0, time.UTC)},
		{"2020-03-04T10:00:00+02:00", time.Date(2020, 3, 4, 8, 0, 0, 0, time.UTC)},
		{"Published 31.12.2019", time.Date(2019, 12, 31, 0, 0, 0, 0, time.UTC)},
	}
	for _, tt := range tests {
		m, ok := findDate(tt.in)
		if !ok || !m.t.Equal(tt.want) {
			t.Errorf("findDate(%q) = %v, %v; want %v", tt.in, m.t, ok, tt.want)
		}
	}
	for _, in := range []string{"version 3.14", "call 555-1234", "February 30, 2020", "no date here"} {
		if m, ok := findDate(in); ok {
			t.Errorf("findDate(%q) = %v, want none", in, m.t)
		}
	}
}

func TestCorpusDropsRepeatedPromotion(t *testing.T) {
	promo := "Our weekly newsletter brings you the best stories of the week, and you can cancel it at any time you like."
	page := func(title, body string) []byte {
		return []byte(title + "\n\n" + body + "\n\n" + promo + "\n")
	}
	a := page("Rivers rise after the storm", "Rivers across the county rose by more than a meter overnight after the heaviest rain in a decade, and several roads were closed.")
	b := page("Library opens on Sundays", "The central library will open on Sundays from next month, the council said, after a petition gathered thousands of signatures.")
	c := NewCorpus([][]byte{a, b})
	art, err := Extract("a", a, Options{Corpus: c})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(art.Text(), "newsletter") || len(art.Paragraphs) != 1 {
		t.Errorf("with corpus: %q", art.Paragraphs)
	}
}

func FuzzExtract(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("testdata", "pages", "*.txt"))
	for _, p := range files {
		if data, err := os.ReadFile(p); err == nil {
			f.Add(data)
		}
	}
	f.Add([]byte("By \n\nSep 99, 2011 25:61 PM\n\nTitle. Name – Jan 1, 2000"))
	f.Fuzz(func(t *testing.T, data []byte) {
		a, err := Extract("fuzz", data, Options{})
		if err != nil {
			return
		}
		if !utf8.ValidString(a.Title) || !utf8.ValidString(a.Text()) || !utf8.ValidString(a.Author) {
			t.Errorf("invalid UTF-8 in output")
		}
		if a.CommentCount < len(a.Comments) {
			t.Errorf("CommentCount %d < %d comments", a.CommentCount, len(a.Comments))
		}
		if a.Confidence < 0 || a.Confidence > 1 || a.LowConfidence != (a.Confidence < minConfidence) {
			t.Errorf("Confidence %v with LowConfidence %v", a.Confidence, a.LowConfidence)
		}
	})
}

var benchPages = flag.String("bench.pages", "", "a folder of page dumps (DIR/*.txt or DIR/*/page.txt) for BenchmarkExtract instead of the fixtures")

// BenchmarkExtract reads the fixtures and the bundled seed, or the dumps of
// -bench.pages (real pages are larger and messier than the fixtures).
func BenchmarkExtract(b *testing.B) {
	files, _ := filepath.Glob(filepath.Join("testdata", "pages", "*.txt"))
	files = append(files, seedPath)
	if *benchPages != "" {
		files, _ = filepath.Glob(filepath.Join(*benchPages, "*.txt"))
		more, _ := filepath.Glob(filepath.Join(*benchPages, "*", "page.txt"))
		if files = append(files, more...); len(files) == 0 {
			b.Fatalf("-bench.pages %s: no DIR/*.txt or DIR/*/page.txt files", *benchPages)
		}
	}
	var docs [][]byte
	for _, p := range files {
		data, err := os.ReadFile(p)
		if err != nil {
			b.Fatal(err)
		}
		docs = append(docs, data)
	}
	b.ResetTimer()
	n := 0
	// CPU time too: on a shared, loaded machine wall time says more about
	// the neighbours than about the extractor.
	var r0, r1 syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &r0); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		for _, d := range docs {
			if _, err := Extract("bench", d, Options{}); err != nil {
				b.Fatal(err)
			}
			n++
		}
	}
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &r1); err != nil {
		b.Fatal(err)
	}
	b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "pages/s")
	if cpu := time.Duration(r1.Utime.Nano() + r1.Stime.Nano() - r0.Utime.Nano() - r0.Stime.Nano()); cpu > 0 {
		b.ReportMetric(float64(n)/cpu.Seconds(), "pages/cpu-s")
	}
}

package clean

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestToUTF8Fixtures(t *testing.T) {
	tests := []struct {
		file, contentType string
		want              []string // substrings of the UTF-8 output
	}{
		{"cp1252-meta.html", "", []string{"Café notes – “the naïve approach”", "€5 — a “bargain”", "maître d’hôtel"}},
		{"latin1-meta.html", "", []string{"Søren's café", "Århus, København og æbler ½ pris"}},
		{"shift_jis-meta.html", "", []string{"東京の天気", "今日は晴れです。"}},
		{"koi8-r-meta.html", "", []string{"Новости недели", "еженедельную рассылку"}},
		{"koi8-r-undeclared.html", "", []string{"Новости недели", "еженедельную рассылку"}},
		{"koi8-r-undeclared.html", "text/html; charset=KOI8-R", []string{"Новости недели"}},
		{"utf16le-bom.html", "", []string{"Grüße aus Köln — “quoted”"}},
		{"utf8-stale-meta.html", "", []string{"Straße und Café — ok"}},
		{"utf8-bom.html", "", []string{"<p>naïve</p>"}},
		// A header naming an unknown charset is ignored, as browsers do.
		{"cp1252-meta.html", "text/html; charset=x-no-such-thing", []string{"maître d’hôtel"}},
	}
	for _, tt := range tests {
		t.Run(tt.file+" "+tt.contentType, func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join("testdata", tt.file))
			if err != nil {
				t.Fatal(err)
			}
			got, err := ToUTF8(data, tt.contentType)
			if err != nil {
				t.Fatalf("ToUTF8: %v", err)
			}
			if !utf8.Valid(got) {
				t.Fatalf("output is not valid UTF-8: %q", got)
			}
			if strings.HasPrefix(string(got), "\uFEFF") {
				t.Errorf("BOM kept in output")
			}
			for _, w := range tt.want {
				if !strings.Contains(string(got), w) {
					t.Errorf("output lacks %q:\n%s", w, got)
				}
			}
		})
	}
}

func TestToUTF8Inline(t *testing.T) {
	tests := []struct {
		name, in, contentType, want string
	}{
		{"empty", "", "", ""},
		{"ascii untouched", "<p>plain</p>", "", "<p>plain</p>"},
		{"header beats meta", "<meta charset=koi8-r><p>caf\xe9</p>", "text/html; charset=iso-8859-1", "<meta charset=koi8-r><p>café</p>"},
		{"xml declaration", "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><a>\xe9t\xe9</a>", "", "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><a>été</a>"},
		{"undeclared legacy falls back", "<p>na\xefve caf\xe9 d\xe9j\xe0 vu</p>", "", "<p>naïve café déjà vu</p>"},
		{"declared utf-8 with one bad byte", "<meta charset=utf-8><p>café \xff ok</p>", "", "<meta charset=utf-8><p>café \uFFFD ok</p>"},
		{"declared utf-8 but really latin-1", "<meta charset=utf-8><p>caf\xe9</p>", "", "<meta charset=utf-8><p>café</p>"},
		{"double-encoded utf-8 repaired", "<p>CafÃ© â€œnaÃ¯veâ€\u009d dÃ©jÃ\u00a0 vu</p>", "", "<p>Café “naïve” déjà vu</p>"},
		{"one odd pair left alone", "<p>Ã© is what you see</p>", "", "<p>Ã© is what you see</p>"},
		{"mixed with non-cp1252 text left alone", "<p>CafÃ© Ã© Ã© 東京</p>", "", "<p>CafÃ© Ã© Ã© 東京</p>"},
		{"iso-2022-jp", "<meta charset=iso-2022-jp><p>\x1b$B5~ET\x1b(B</p>", "", "<meta charset=iso-2022-jp><p>京都</p>"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ToUTF8([]byte(tt.in), tt.contentType)
			if err != nil {
				t.Fatalf("ToUTF8: %v", err)
			}
			if string(got) != tt.want {
				t.Errorf("ToUTF8(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestToUTF8Errors(t *testing.T) {
	tests := []struct {
		name, in, contentType, wantErr string
	}{
		{"png", "\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "", "image/png"},
		{"pdf", "%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "", "application/pdf"},
		{"gzip", "\x1f\x8b\x08\x00\x00\x00\x00\x00", "", "gzip"},
		{"NUL bytes", "<html>\x00\x01\x02</html>", "", "NUL byte at offset 6"},
		{"wrong declared charset", "<meta charset=shift_jis>" + strings.Repeat("\x82\xa0\xa0\xfd", 40), "", `charset "shift_jis" declared in the document`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ToUTF8([]byte(tt.in), tt.contentType)
			if err == nil {
				t.Fatalf("ToUTF8(%q) succeeded, want error", tt.in)
			}
			if !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("error %q does not mention %q", err, tt.wantErr)
			}
			if tt.name != "wrong declared charset" && !errors.Is(err, ErrBinary) {
				t.Errorf("error %v is not ErrBinary", err)
			}
		})
	}
}

func BenchmarkToUTF8(b *testing.B) {
	data, err := os.ReadFile(filepath.Join("testdata", "cp1252-meta.html"))
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := ToUTF8(data, ""); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "pages/s")
}

func TestDumpToUTF8(t *testing.T) {
	for _, tt := range []struct {
		name, in, want string
		guessed        bool
		binary         bool
	}{
		{"utf-8 with byte-order mark", "\xef\xbb\xbfCaf\xc3\xa9", "Café", false, false},
		{"windows-1252", "Caf\xe9 \x93quoted\x94", "Café “quoted”", true, false},
		{"nul byte", "text\x00more", "", false, true},
		{"control characters", "a\x01\x02b", "", false, true},
		{"form feed is text", "page one\fpage two", "page one\fpage two", false, false},
	} {
		got, guessed, err := DumpToUTF8([]byte(tt.in))
		if tt.binary {
			if !errors.Is(err, ErrBinary) {
				t.Errorf("%s: error %v, want ErrBinary", tt.name, err)
			}
			continue
		}
		if err != nil || got != tt.want || guessed != tt.guessed {
			t.Errorf("%s: DumpToUTF8 = %q, %v, %v; want %q, %v", tt.name, got, guessed, err, tt.want, tt.guessed)
		}
	}
}

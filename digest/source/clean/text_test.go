package clean

import (
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestText(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"empty", "", ""},
		{"spaces only", " \t\n\u00a0 ", ""},
		{"collapse and trim", "  a \t b\n\nc  ", "a b c"},
		{"entities", "Tom &amp; Jerry&nbsp;&mdash; &#8220;hi&#8221; &lt;b&gt;", "Tom & Jerry — “hi” <b>"},
		{"typographic quotes kept", "“It’s” ‘fine’ – really", "“It’s” ‘fine’ – really"},
		{"NFC", "Cafe\u0301 nai\u0308ve", "Café naïve"},
		{"soft hyphen and zero width dropped", "in\u00adfor\u200bmation\ufeff", "information"},
		{"controls dropped", "a\x00b\x07c", "abc"},
		{"unicode spaces", "a\u2003b\u3000c\u2028d", "a b c d"},
		{"invalid utf-8 replaced", "a\xffb", "a\uFFFDb"},
		{"mark composes once a control between is dropped", "A\x0e\u0309 e\u00ad\u0301", "\u1ea2 \u00e9"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Text(tt.in); got != tt.want {
				t.Errorf("Text(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestParagraphs(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want []string
	}{
		{"empty", "", nil},
		{"blank lines only", "\n \n\t\n", nil},
		{"two paragraphs", "First line\nsame para.\n\nSecond.", []string{"First line same para.", "Second."}},
		{"many blank lines and CRLF", "a\r\n\r\n\r\n\r\nb\rc", []string{"a", "b c"}},
		{"whitespace-only separator", "one\n   \t\ntwo", []string{"one", "two"}},
		{"hyphenated across line end", "the infor-\nmation age", []string{"the information age"}},
		{"hyphen before capital kept", "Anglo-\nSaxon", []string{"Anglo- Saxon"}},
		{"double hyphen kept", "wait--\nthen", []string{"wait-- then"}},
		{"hyphen after digit kept", "pages 10-\nfifteen", []string{"pages 10- fifteen"}},
		{"non-ASCII hyphenation", "Straßen-\nbahn fährt\n\nÉcole", []string{"Straßenbahn fährt", "École"}},
		{"entities per paragraph", "a&amp;b\n\n&nbsp;\n\nc", []string{"a&b", "c"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Paragraphs(tt.in); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Paragraphs(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func FuzzParagraphs(f *testing.F) {
	for _, s := range []string{"", "a\n\nb", "infor-\nmation", "x-\n", "-\n-\n-", "&amp;\r\n\r\n\u00ad", "\xff\xfe-\nb"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, p := range Paragraphs(s) {
			if p == "" {
				t.Fatalf("empty paragraph from %q", s)
			}
			if !utf8.ValidString(p) {
				t.Fatalf("invalid UTF-8 %q from %q", p, s)
			}
			if strings.ContainsAny(p, "\n\r\t") || strings.TrimSpace(p) != p {
				t.Fatalf("paragraph %q not collapsed or trimmed (input %q)", p, s)
			}
			if Text(p) != p && !strings.Contains(p, "&") {
				t.Fatalf("paragraph %q is not clean: Text gives %q", p, Text(p))
			}
		}
	})
}

func BenchmarkParagraphs(b *testing.B) {
	para := strings.Repeat("The quick brown fox jumps over the lazy dog &amp; friends, infor-\nmation “quoted”. ", 20)
	in := strings.Repeat(para+"\n\n", 50)
	b.SetBytes(int64(len(in)))
	b.ResetTimer()
	for b.Loop() {
		Paragraphs(in)
	}
	b.ReportMetric(float64(b.N)*50/b.Elapsed().Seconds(), "paragraphs/s")
}

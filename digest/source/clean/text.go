// Package clean holds the text hygiene every source shares: Unicode
// normalization, entity decoding, whitespace, paragraph splitting, and
// conversion of legacy character sets to UTF-8.
package clean

import (
	"html"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Text cleans one paragraph: it decodes HTML entities, normalizes to NFC,
// drops invisible format characters, collapses every run of whitespace
// (including no-break and other Unicode spaces) to one space, and trims.
// Typographic quotes and dashes are kept as they are.
func Text(s string) string {
	if strings.IndexByte(s, '&') >= 0 {
		s = html.UnescapeString(s)
	}
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, "\uFFFD")
	}
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for _, r := range s {
		switch {
		case unicode.IsSpace(r) || r == '\u2028' || r == '\u2029':
			space = true
			continue
		case dropped(r):
			continue
		}
		if space && b.Len() > 0 {
			b.WriteByte(' ')
		}
		space = false
		if r < utf8.RuneSelf {
			b.WriteByte(byte(r))
		} else {
			b.WriteRune(r)
		}
	}
	// Normalize last: dropping a control or format character can bring a
	// base letter and a combining mark together ("A\x0e\u0309"), and they
	// must compose now, or a second pass would change the text again.
	return norm.NFC.String(b.String())
}

// dropped reports runes that carry no text: soft hyphens, zero-width
// characters, byte-order marks and control characters. Pages use them for
// layout or hyphenation hints, and they break word matching downstream.
func dropped(r rune) bool {
	switch r {
	case '\u00AD', '\u200B', '\u200C', '\u200D', '\u2060', '\uFEFF':
		return true
	}
	return unicode.IsControl(r)
}

// Paragraphs splits s on blank lines and cleans each paragraph with Text.
// Inside a paragraph, a word hyphenated across a line end ("infor-\nmation")
// is joined again when the next line goes on in lower case; empty paragraphs
// are dropped.
func Paragraphs(s string) []string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.ReplaceAll(s, "\r", "\n")
	var out []string
	var cur []string
	flush := func() {
		if len(cur) == 0 {
			return
		}
		if p := Text(joinLines(cur)); p != "" {
			out = append(out, p)
		}
		cur = cur[:0]
	}
	for _, line := range strings.Split(s, "\n") {
		if blank(line) {
			flush()
			continue
		}
		cur = append(cur, line)
	}
	flush()
	return out
}

// blank reports a line with nothing visible on it, entities included.
func blank(line string) bool {
	for _, r := range line {
		switch {
		case unicode.IsSpace(r) || dropped(r):
		case r == '&':
			return Text(line) == ""
		default:
			return false
		}
	}
	return true
}

// joinLines joins the lines of one paragraph with spaces, except where a
// line ends in a hyphen after a letter and the next starts with a
// lower-case letter: that is a word broken for line length.
func joinLines(lines []string) string {
	var b []byte
	for i, line := range lines {
		line = strings.TrimRightFunc(line, unicode.IsSpace)
		if i > 0 {
			next := strings.TrimLeftFunc(line, unicode.IsSpace)
			if hyphenBreak(b, next) {
				b = append(b[:len(b)-1], next...)
				continue
			}
			b = append(b, ' ')
		}
		b = append(b, line...)
	}
	return string(b)
}

func hyphenBreak(prev []byte, next string) bool {
	n := len(prev)
	if n < 2 || prev[n-1] != '-' || prev[n-2] == '-' {
		return false
	}
	before, _ := utf8.DecodeLastRune(prev[:n-1])
	after, _ := utf8.DecodeRuneInString(next)
	return unicode.IsLetter(before) && unicode.IsLower(after)
}

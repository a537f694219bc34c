package textdump

import (
	"bytes"
	"fmt"
	"html"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"github.com/weeklywrap/digest/digest/source/clean"
)

// maxInput caps the bytes considered: a page dump is rarely over a few
// hundred kilobytes, and the cap keeps work bounded on hostile input.
const maxInput = 4 << 20

// line is one non-empty line of the dump after hygiene.
type line struct {
	text string
	gap  int // blank lines before it; what the dump kept of block structure
}

// decode turns raw bytes into valid UTF-8 text (clean.DumpToUTF8), cut to
// maxInput. lossy reports truncation or a guessed encoding, which lowers
// confidence in the result.
func decode(name string, data []byte) (text string, lossy bool, err error) {
	if len(bytes.TrimSpace(data)) == 0 {
		return "", false, fmt.Errorf("textdump: %s: empty input", name)
	}
	if len(data) > maxInput {
		cut := bytes.LastIndexByte(data[:maxInput], '\n')
		if cut < maxInput/2 {
			cut = maxInput
		}
		data = data[:cut]
		lossy = true
	}
	text, guessed, err := clean.DumpToUTF8(data)
	if err != nil {
		return "", false, fmt.Errorf("textdump: %s: binary data, not a text dump", name)
	}
	return text, lossy || guessed, nil
}

// maxLines caps the lines analysed. Real pages have a few thousand at
// most; the cap bounds the work on hostile input.
const maxLines = 20000

// splitLines applies text hygiene and returns the non-empty lines with the
// number of blank lines before each, at most maxLines of them; truncated
// reports that more followed.
func splitLines(text string) (lines []line, truncated bool) {
	text = norm.NFC.String(text)
	text = strings.ReplaceAll(text, "\r\n", "\n")
	text = strings.ReplaceAll(text, "\r", "\n")
	var out []line
	gap := 0
	for raw := range strings.SplitSeq(text, "\n") {
		s := cleanLine(raw)
		if s == "" {
			gap++
			continue
		}
		if n := len(out); n > 0 && (gap == 0 || gap == 1 && len(out[n-1].text) >= 50 && !metaStartRE.MatchString(s)) &&
			joinable(out[n-1].text, s) {
			out[n-1].text = joinWrapped(out[n-1].text, s)
			continue
		}
		if len(out) == maxLines {
			return out, true
		}
		out = append(out, line{text: s, gap: gap})
		gap = 0
	}
	return out, false
}

// cleanLine decodes stray entities, drops invisible characters and
// collapses whitespace.
func cleanLine(s string) string {
	if strings.IndexByte(s, '&') >= 0 && strings.IndexByte(s, ';') >= 0 {
		s = html.UnescapeString(s)
	}
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for _, r := range s {
		switch {
		case r == '\u200b' || r == '\ufeff' || r == '\u00ad' || r == '\u2060' || r == '\ufffe':
			continue
		case unicode.IsSpace(r) || r == '\u00a0':
			space = true
			continue
		case unicode.IsControl(r):
			continue
		}
		if space && b.Len() > 0 {
			b.WriteByte(' ')
		}
		space = false
		b.WriteRune(r)
	}
	return b.String()
}

// joinable reports whether next continues prev across a hard line wrap or
// a <br> (which page dumps turn into a blank line): a word hyphenated at the
// line end, or a long line that stops mid-sentence and a next line that
// starts in lower case.
func joinable(prev, next string) bool {
	first, _ := utf8.DecodeRuneInString(next)
	if !unicode.IsLower(first) || isBullet(next) || isBullet(prev) {
		return false
	}
	last, _ := utf8.DecodeLastRuneInString(prev)
	if last == '-' {
		p, _ := utf8.DecodeLastRuneInString(prev[:len(prev)-1])
		return unicode.IsLetter(p)
	}
	return !strings.ContainsRune(".!?:;\"”’)", last) && len(prev) >= 40
}

func joinWrapped(prev, next string) string {
	if strings.HasSuffix(prev, "-") {
		return prev[:len(prev)-1] + next
	}
	return prev + " " + next
}

// metaStartRE matches lower-case lines that start a byline or dateline
// rather than continue the line before.
var metaStartRE = regexp.MustCompile(`^(by|par|por|von|door|posted|updated|published|from|via|photo|source)\b`)

// numberedRE matches a numbered list item: "1) ", "12. ".
var numberedRE = regexp.MustCompile(`^\d{1,3}[.)] `)

// isBullet reports whether a line starts like a list item.
func isBullet(s string) bool {
	if s != "" && s[0] >= '0' && s[0] <= '9' && numberedRE.MatchString(s) {
		return true
	}
	r, size := utf8.DecodeRuneInString(s)
	switch r {
	case '-', '*', '+', '•', '·', '–', '—', '▪', '◦', '►':
		return len(s) > size && s[size] == ' '
	}
	return false
}

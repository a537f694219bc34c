package summary

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Tokens returns the lower-cased word tokens of s: runs of letters and
// digits, keeping an apostrophe between letters ("don't", "company's").
func Tokens(s string) []string {
	var out []string
	start := -1
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case isWordRune(r):
			if start < 0 {
				start = i
			}
		case (r == '\'' || r == '’') && start >= 0 && i+size < len(s) && isLetterAt(s, i+size) && isLetterBefore(s, i):
			// inside a word
		default:
			if start >= 0 {
				out = append(out, strings.ToLower(s[start:i]))
				start = -1
			}
		}
		i += size
	}
	if start >= 0 {
		out = append(out, strings.ToLower(s[start:]))
	}
	return out
}

// CountWords counts words the way ROUGE tools do (Python's \w+): runs of
// letters, digits and underscores. Budgets are measured with it.
func CountWords(s string) int {
	n := 0
	in := false
	for _, r := range s {
		w := isWordRune(r) || r == '_'
		if w && !in {
			n++
		}
		in = w
	}
	return n
}

func isWordRune(r rune) bool { return unicode.IsLetter(r) || unicode.IsNumber(r) }

func isLetterAt(s string, i int) bool {
	r, _ := utf8.DecodeRuneInString(s[i:])
	return unicode.IsLetter(r)
}

func isLetterBefore(s string, i int) bool {
	r, _ := utf8.DecodeLastRuneInString(s[:i])
	return unicode.IsLetter(r)
}

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
	eachToken(s, func(tok string) { out = append(out, strings.ToLower(tok)) })
	return out
}

// eachToken calls f with each token of s as it stands (not lower-cased),
// so that callers can fold case into scratch space without allocating.
func eachToken(s string, f func(string)) {
	start := -1
	for i := 0; i < len(s); {
		r, size := rune(s[i]), 1
		if r >= utf8.RuneSelf {
			r, size = utf8.DecodeRuneInString(s[i:])
		}
		switch {
		case isWordRune(r):
			if start < 0 {
				start = i
			}
		case (r == '\'' || r == '’') && start >= 0 && i+size < len(s) && isLetterAt(s, i+size) && isLetterBefore(s, i):
			// inside a word
		default:
			if start >= 0 {
				f(s[start:i])
				start = -1
			}
		}
		i += size
	}
	if start >= 0 {
		f(s[start:])
	}
}

// appendLower appends the lower-cased tok to buf, with an ASCII fast path.
func appendLower(buf []byte, tok string) []byte {
	for i := 0; i < len(tok); i++ {
		c := tok[i]
		if c >= utf8.RuneSelf {
			return append(buf, strings.ToLower(tok)...)
		}
	}
	for i := 0; i < len(tok); i++ {
		c := tok[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		buf = append(buf, c)
	}
	return buf
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

func isWordRune(r rune) bool {
	if r < utf8.RuneSelf {
		return 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9'
	}
	return unicode.IsLetter(r) || unicode.IsNumber(r)
}

func isLetterAt(s string, i int) bool {
	r, _ := utf8.DecodeRuneInString(s[i:])
	return unicode.IsLetter(r)
}

func isLetterBefore(s string, i int) bool {
	r, _ := utf8.DecodeLastRuneInString(s[:i])
	return unicode.IsLetter(r)
}

package summary

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// fit says how well a sentence can stand in a summary on its own.
type fit uint8

const (
	// fitGood: a whole sentence of the article's prose.
	fitGood fit = iota
	// fitWeak: complete, but short, begun in lower case or with a quotation
	// left open; chosen only when an article has nothing better.
	fitWeak
	// fitNever: not a sentence a reader should get as the story: a heading,
	// caption, list label or link label (no end punctuation), a teaser cut
	// with an ellipsis, code, a bullet, or the title repeated.
	fitNever
)

// minWords is the shortest sentence that stands on its own: shorter ones
// are mostly labels ("Monitoring.", "3.") or asides ("Not so.").
const minWords = 5

// minCJKRunes is minWords for Chinese and Japanese, written without spaces.
const minCJKRunes = 10

// judge classifies a sentence of words words (CountWords) of an article in
// language l; title is the article's title.
func judge(s string, words int, title *titleKey, l *lang) fit {
	if words == 0 || !complete(s) || looksLikeCode(s) || startsAsListItem(s) || title.is(s, words) ||
		isCaption(s) || isCallToAction(s) || isLinkRow(s) || l == english && isTitleCase(s) {
		return fitNever
	}
	switch {
	case short(s, words) && startsLower(s):
		// The tail of a sentence broken across lines ("consequat.").
		return fitNever
	case short(s, words) || quoteMarks(s)%2 == 1 || !quotesWellFormed(s) || singleQuotes(s) > 0 || startsLower(s):
		return fitWeak
	}
	return fitGood
}

// complete reports whether s ends as a sentence does: with a full stop, a
// question or exclamation mark (then maybe closing quotes or brackets),
// but not with an ellipsis, which marks a teaser or a quotation cut short.
func complete(s string) bool {
	s = strings.TrimRightFunc(s, isCloser)
	if strings.HasSuffix(s, "…") || strings.HasSuffix(s, "...") {
		return false
	}
	r, _ := utf8.DecodeLastRuneInString(s)
	return r == '.' || r == '!' || r == '?' || isCJKTerminator(r)
}

func short(s string, words int) bool {
	if words >= minWords {
		return false
	}
	cjk := 0
	for _, r := range s {
		if unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana, unicode.Hangul) {
			cjk++
		}
	}
	return cjk < minCJKRunes
}

// startsLower spots a piece of a sentence broken off its start ("tempor
// incididunt ut labore."), while names like "iPhone" or "eBay" pass.
func startsLower(s string) bool {
	w := nextWord(s)
	r, _ := utf8.DecodeRuneInString(w)
	return unicode.IsLower(r) && strings.IndexFunc(w, unicode.IsUpper) < 0
}

// startsAsListItem spots bullets, dashes, prompts and table rules opening
// a line: list items and terminal sessions, not prose.
func startsAsListItem(s string) bool {
	r, size := utf8.DecodeRuneInString(s)
	switch r {
	case '•', '·', '▪', '►', '*', '-', '–', '—', '>', '|', '#', '=', '+', '~':
		return true
	case '$', '%':
		// A shell prompt ("$ hg push"), not a price ("$3bn").
		next, _ := utf8.DecodeRuneInString(s[size:])
		return next == ' '
	}
	return false
}

// looksLikeCode spots markup and program text: tags, braces, operators,
// or too few letters among the visible characters.
func looksLikeCode(s string) bool {
	for _, tell := range []string{"</", "/>", "{", "}", "();", ");", "=>", "==", "&&", "||", "://"} {
		if strings.Contains(s, tell) {
			if tell == "://" && !strings.ContainsAny(s, "<>=;") {
				continue // a URL in prose
			}
			return true
		}
	}
	if i := strings.IndexByte(s, '<'); i >= 0 && i+1 < len(s) && isASCIILetter(s[i+1]) && strings.IndexByte(s[i:], '>') > 0 {
		return true
	}
	alnum, visible := 0, 0
	for _, r := range s {
		switch {
		case unicode.IsSpace(r):
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			alnum++
			visible++
		default:
			visible++
		}
	}
	return visible >= 20 && alnum*10 < visible*7
}

func isASCIILetter(c byte) bool { return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' }

// key folds a sentence or title to its lower-cased words, to compare them.
func key(s string) string { return strings.Join(Tokens(s), " ") }

// titleKey recognizes the title repeated as a sentence.
type titleKey struct {
	key   string
	words int
}

func newTitleKey(title string) *titleKey { return &titleKey{key(title), CountWords(title)} }

func (t *titleKey) is(s string, words int) bool {
	if t == nil {
		return false
	}
	// Folding every sentence would cost more than the rest of judge: only
	// those of about the title's length are compared.
	return t.key != "" && words >= t.words-2 && words <= t.words+2 && key(s) == t.key
}

package textdump

import (
	"math/bits"
	"strings"
)

// The word lists of this package (stop words of the common languages,
// phrases of navigation, promotion and consent notices) also tell an HTML
// page's article paragraphs from its furniture; htmlpage reads them
// through these functions rather than keeping lists of its own.

// IsBoilerplate reports a line or paragraph that reads as page furniture
// in one of the common languages: a widget label, a "Read also:" link, a
// consent or newsletter notice, a copyright line, a cut-off teaser.
// Paragraphs over 400 bytes are never boilerplate.
func IsBoilerplate(s string) bool { return isBoilerplate(s) }

// IsCredit reports a short line of so many words that credits a picture
// ("Foto: dpa", "… / Getty Images") rather than saying something.
func IsCredit(s string, words int) bool { return isCredit(s, words) }

// Language is a set of stop lists: the page's language, or every list
// when the language is not known.
type Language uint64

// GuessLanguage is the language of the running text in texts: the stop
// list that covers most words of the texts of 80 bytes or more, or every
// list when none covers a tenth of them.
func GuessLanguage(texts []string) Language {
	ls := make([]line, 0, len(texts))
	for _, t := range texts {
		ls = append(ls, line{text: t})
	}
	return Language(pageLanguage(ls))
}

// StopShare is the share of the words of s that are stop words of the
// language: high in running text, low in menus, labels and names. It
// returns 0 for text without words.
func (l Language) StopShare(s string) float64 {
	ix := stopLists()
	n, stops := 0, 0
	for w := range strings.FieldsFuncSeq(s, notWordRune) {
		n++
		m, ok := ix.words[w]
		if !ok {
			m = ix.words[strings.ToLower(w)]
		}
		if m&uint64(l) != 0 {
			stops++
		}
	}
	if n == 0 {
		return 0
	}
	return float64(stops) / float64(n)
}

// Known reports whether the language is one list rather than every list.
func (l Language) Known() bool { return bits.OnesCount64(uint64(l)) == 1 }

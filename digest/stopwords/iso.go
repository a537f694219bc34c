package stopwords

import (
	_ "embed"
	"math/bits"
	"strings"
	"sync"
	"unicode"
)

//go:embed iso/words.txt
var isoData string

// isoIndex maps a lower-cased word to the set of languages (bits) whose
// stop lists hold it.
type isoIndex struct {
	langs []string
	words map[string]uint64
}

// isoLists is built on first use and read-only afterwards.
var isoLists = sync.OnceValue(func() *isoIndex {
	ix := &isoIndex{words: make(map[string]uint64, 20000)}
	for line := range strings.Lines(isoData) {
		lang, list, ok := strings.Cut(strings.TrimSpace(line), "\t")
		if !ok || len(ix.langs) == 64 {
			continue
		}
		bit := uint64(1) << len(ix.langs)
		ix.langs = append(ix.langs, lang)
		for _, w := range strings.Fields(list) {
			ix.words[w] |= bit
		}
	}
	return ix
})

// Language is a set of the stop lists of stopwords-iso (iso/words.txt, one
// list per language): a page's language, or every list when the language
// is not known.
type Language uint64

// AnyLanguage holds every list.
const AnyLanguage = ^Language(0)

// maxLangSample bounds the words read to guess a page's language.
const maxLangSample = 3000

// Guess is the language of the running text in texts: the stop list that
// covers most words of the texts of 80 bytes or more (up to a few thousand
// words), or AnyLanguage when none covers a tenth of them (a language none
// of the lists knows), so that any list's words then count.
func Guess(texts []string) Language {
	ix := isoLists()
	var hits [64]int
	n := 0
	for _, t := range texts {
		if len(t) < 80 {
			continue
		}
		for w := range strings.FieldsFuncSeq(t, notWordRune) {
			n++
			for m := ix.words[strings.ToLower(w)]; m != 0; m &= m - 1 {
				hits[bits.TrailingZeros64(m)]++
			}
		}
		if n >= maxLangSample {
			break
		}
	}
	best := 0
	for k := range ix.langs {
		if hits[k] > hits[best] {
			best = k
		}
	}
	if n == 0 || hits[best]*10 < n {
		return AnyLanguage
	}
	return 1 << best
}

// notWordRune splits words: letters, digits, '_' and the apostrophe stay
// inside one.
func notWordRune(r rune) bool {
	return !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '_' && r != '\''
}

// Has reports whether w (any case) is a stop word of the language.
func (l Language) Has(w string) bool {
	ix := isoLists()
	m, ok := ix.words[w]
	if !ok {
		m = ix.words[strings.ToLower(w)]
	}
	return m&uint64(l) != 0
}

// StopShare is the share of the words of s that are stop words of the
// language: high in running text, low in menus, labels and names. It
// returns 0 for text without words.
func (l Language) StopShare(s string) float64 {
	n, stops := 0, 0
	for w := range strings.FieldsFuncSeq(s, notWordRune) {
		n++
		if l.Has(w) {
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

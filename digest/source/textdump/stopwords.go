package textdump

import (
	_ "embed"
	"math/bits"
	"strings"
	"sync"
)

//go:embed stopwords/words.txt
var stopData string

// stopIndex maps a lower-cased word to the set of languages (bits) whose
// stop lists hold it.
type stopIndex struct {
	langs []string
	words map[string]uint64
}

// stopLists is built on first use and read-only afterwards.
var stopLists = sync.OnceValue(func() *stopIndex {
	ix := &stopIndex{words: make(map[string]uint64, 20000)}
	for line := range strings.Lines(stopData) {
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

// maxLangSample bounds the words read to guess a page's language.
const maxLangSample = 3000

// pageLanguage guesses the language of the page's running text: the stop
// list that covers most words of its long lines. It returns the bit of that
// list, or every bit when no list covers a tenth of the words (a language
// none of the lists knows), so that any list's words then count.
func pageLanguage(lines []line) uint64 {
	ix := stopLists()
	var hits [64]int
	n := 0
	for _, l := range lines {
		if len(l.text) < 80 {
			continue
		}
		for w := range strings.FieldsFuncSeq(l.text, notWordRune) {
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
		return ^uint64(0)
	}
	return 1 << best
}

func notWordRune(r rune) bool { return !isWordRune(r) && r != '\'' }

// isStop reports whether w (any case) is a stop word of the languages in mask.
func isStop(w string, mask uint64) bool {
	m, ok := stopLists().words[w]
	if !ok {
		m = stopLists().words[strings.ToLower(w)]
	}
	return m&mask != 0
}

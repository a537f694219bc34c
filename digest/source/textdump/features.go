package textdump

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/weeklywrap/digest/digest/stopwords"
)

// class is what a line looks like on its own, before context.
type class int

const (
	clsShort    class = iota // too short to judge: menus, labels, headings
	clsBad                   // boilerplate by its wording
	clsNearGood              // a sentence or two
	clsGood                  // running text
)

// feat holds the measurements a line is judged by.
type feat struct {
	words     int  // word tokens
	cjk       int  // CJK and other scriptio-continua characters
	stop      int  // stop words among the tokens
	caps      int  // tokens starting with an upper-case letter
	sentence  bool // ends like a sentence or holds sentence punctuation
	terminal  bool // ends with . ! ? or a closing quote after one
	cls       class
	boiler    bool // matches boilerplate wording
	corpusRep bool // repeated across the corpus
}

// size is the line's weight in words; CJK text counts characters / 2.
func (f feat) size() int { return f.words + f.cjk/2 }

// measure reads one line; lang is the page's language (pageLanguage),
// whose stop words the line's density counts.
func measure(s string, lang uint64) feat {
	var f feat
	inWord := false
	start := 0
	for i, r := range s {
		isW := unicode.IsLetter(r) || unicode.IsDigit(r) || r == '_' || r == '\''
		if isCJK(r) {
			f.cjk++
			isW = false
		}
		if isW && !inWord {
			start = i
		}
		if !isW && inWord {
			f.word(s[start:i], lang)
		}
		inWord = isW
	}
	if inWord {
		f.word(s[start:], lang)
	}
	t := strings.TrimRight(s, "\"”’)]»'* ")
	last, _ := utf8.DecodeLastRuneInString(t)
	f.terminal = strings.ContainsRune(".!?。！？…", last)
	f.sentence = f.terminal || strings.ContainsAny(s, ".,;:?!。，")
	f.boiler = isBoilerplate(s) || isCitation(s) || isCredit(s, f.size())
	return f
}

func (f *feat) word(w string, lang uint64) {
	f.words++
	r, _ := utf8.DecodeRuneInString(w)
	if unicode.IsUpper(r) {
		f.caps++
	}
	if stopwords.Language(lang).Has(w) {
		f.stop++
	}
}

func isCJK(r rune) bool {
	if r < 0x0E00 {
		return false
	}
	return unicode.Is(unicode.Han, r) || unicode.Is(unicode.Hiragana, r) ||
		unicode.Is(unicode.Katakana, r) || unicode.Is(unicode.Hangul, r) || unicode.Is(unicode.Thai, r)
}

// citationRE matches footnotes and references: "^ …", "[12] …", and the
// "Retrieved …"/"Archived from the original" tails of citations.
var citationRE = regexp.MustCompile(`^(\^|↑|\[\d+\])\s|\b(Retrieved|Accessed|Archived from the original)( on)? \d|\bdoi:10\.`)

func isCitation(s string) bool {
	if s == "" {
		return false
	}
	if c := s[0]; c != '^' && c != '[' && !strings.HasPrefix(s, "↑") && !strings.Contains(s, "Retrieved") &&
		!strings.Contains(s, "Accessed") && !strings.Contains(s, "Archived") && !strings.Contains(s, "doi:") {
		return false
	}
	return citationRE.MatchString(s)
}

// classify judges a line alone; minDensity is the share of stop words
// running text must reach in this document's language.
func classify(f feat, minDensity float64) class {
	if f.boiler && f.size() < 40 {
		return clsBad
	}
	if f.words >= 4 && f.size() <= 25 && f.caps*10 >= f.words*6 {
		return clsShort // Title Case: a headline, teaser or menu, not prose
	}
	dense := f.words == 0 || float64(f.stop) >= minDensity*float64(f.words)
	// Headlines and captions carry commas too; running text ends its
	// sentences, so short lines must end like one to count as text.
	switch n := f.size(); {
	case dense && (n >= 14 && f.terminal || n >= 25 && f.sentence):
		return clsGood
	case dense && (n >= 6 && f.terminal || n >= 14 && f.sentence):
		return clsNearGood
	case n >= 30:
		return clsNearGood
	}
	return clsShort
}

// pageLanguage guesses the language of the page's running text from its
// lines (stopwords.Guess); stopwords.AnyLanguage when it is not known.
func pageLanguage(lines []line) uint64 {
	texts := make([]string, len(lines))
	for i, l := range lines {
		texts[i] = l.text
	}
	return uint64(stopwords.Guess(texts))
}

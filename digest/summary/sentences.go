package summary

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/weeklywrap/digest/digest/stopwords"
)

// Abbreviations after which a period never ends a sentence: titles and
// month names nearly always run on into a name or a date.
var neverEnds = map[string]bool{
	"mr": true, "mrs": true, "ms": true, "dr": true, "prof": true, "st": true,
	"sen": true, "rep": true, "gov": true, "gen": true, "col": true, "lt": true,
	"sgt": true, "capt": true, "cmdr": true, "adm": true, "rev": true, "hon": true,
	"mt": true, "ft": true, "pres": true, "supt": true, "insp": true, "det": true,
	"jan": true, "feb": true, "mar": true, "apr": true, "jun": true, "jul": true,
	"aug": true, "sep": true, "sept": true, "oct": true, "nov": true, "dec": true,
	"vs": true, "v": true, "approx": true, "cf": true, "ca": true,
}

// Abbreviations that precede a number ("No. 10", "vol. 2") but are also
// words that can end a sentence ("The answer was no.").
var beforeNumber = map[string]bool{
	"no": true, "nos": true, "vol": true, "fig": true, "pp": true, "p": true,
	"art": true, "sec": true, "ch": true, "para": true,
}

// Abbreviations that may also close a sentence ("... bought by Acme Inc.
// The deal ..."): they end one only when a typical sentence opener follows.
var mayEnd = map[string]bool{
	"inc": true, "ltd": true, "co": true, "corp": true, "plc": true, "llc": true,
	"etc": true, "jr": true, "sr": true, "bros": true, "al": true, "esq": true,
	"dept": true, "univ": true, "assn": true, "ave": true, "blvd": true, "rd": true,
}

// Sentences splits text into trimmed sentences. Lines ("\n") are
// paragraphs and never share a sentence. It keeps abbreviations (U.S., Dr.,
// e.g., Inc.), initials (J. R. R. Tolkien), decimals ($1.13bn, 3.5%) and
// ellipses inside their sentence, ends a sentence after closing quotes,
// splits sentences glued without a space ("profit.For the year") and ends
// Chinese and Japanese sentences at 。！？. A quotation of several
// sentences that closes within its paragraph stays one unit, so that a
// summary never cuts it: `"We won. It was hard," he said.`
func Sentences(text string) []string {
	var out []string
	for _, para := range strings.Split(text, "\n") {
		start := len(out)
		out = splitParagraph(strings.TrimSpace(para), out)
		out = joinQuotations(out, start)
	}
	return out
}

// Limits of joinQuotations: a quotation longer than this is left in
// pieces (each then unbalanced, which the summarizer does not pick).
const (
	maxQuoteSentences = 6
	maxQuoteWords     = 150
)

// joinQuotations merges, in out[start:], each run of sentences that opens
// a quotation with the sentences up to the one that closes it. A quotation
// left open at the paragraph's end (news style carries long quotes over
// several paragraphs) or one too long is left as it is.
func joinQuotations(out []string, start int) []string {
	k := start
	for i := start; i < len(out); {
		j := i
		if quoteMarks(out[i])%2 == 1 {
			words := CountWords(out[i])
			for m := i + 1; m < len(out) && m-i < maxQuoteSentences; m++ {
				if words += CountWords(out[m]); words > maxQuoteWords {
					break
				}
				if quoteMarks(out[m])%2 == 1 {
					j = m
					break
				}
			}
		} else if open := singleQuotes(out[i]); open > 0 {
			// The same for a quotation in single curly quotes (‘Meth. We’re
			// on it.’), as British style sets them.
			words := CountWords(out[i])
			for m := i + 1; m < len(out) && m-i < maxQuoteSentences; m++ {
				if words += CountWords(out[m]); words > maxQuoteWords {
					break
				}
				if open += singleQuotes(out[m]); open <= 0 {
					j = m
					break
				}
			}
		}
		out[k] = strings.Join(out[i:j+1], " ")
		k++
		i = j + 1
	}
	return out[:k]
}

// quoteMarks counts the double quotation marks of s, whatever their
// direction: English “ ”, German „ “ and » «, French « », straight ".
// Single quotes are left out: they double as apostrophes.
func quoteMarks(s string) int {
	n := 0
	for _, r := range s {
		switch r {
		case '"', '“', '”', '„', '«', '»':
			n++
		}
	}
	return n
}

// singleQuotes returns the single curly quotation marks s opens less those
// it closes: ‘ opens (but closes a German ‚…‘); ’ closes unless a letter or
// digit follows, as in the apostrophe of "We’re".
func singleQuotes(s string) int {
	n, low := 0, false
	for i, r := range s {
		switch r {
		case '‚':
			n++
			low = true
		case '‘':
			if low {
				n--
			} else {
				n++
			}
		case '’':
			next, _ := utf8.DecodeRuneInString(s[i+len("’"):])
			if i+len("’") == len(s) || !unicode.IsLetter(next) && !unicode.IsDigit(next) {
				n--
			}
		}
	}
	return n
}

func splitParagraph(p string, out []string) []string {
	start := 0
	for i := 0; i < len(p); {
		r, size := utf8.DecodeRuneInString(p[i:])
		if !isTerminator(r) {
			i += size
			continue
		}
		j := i + size
		cjk := isCJKTerminator(r)
		for j < len(p) {
			r2, s2 := utf8.DecodeRuneInString(p[j:])
			if !isTerminator(r2) && !isCloser(r2) {
				// French sets its closing guillemet off with a space.
				if sp := spaceBeforeGuillemet(p[j:]); sp > 0 {
					j += sp
					continue
				}
				break
			}
			j += s2
		}
		if j < len(p) && (cjk || endsSentence(p, start, i, j)) {
			if s := strings.TrimSpace(p[start:j]); s != "" {
				out = append(out, s)
			}
			start = j
		}
		i = j
	}
	if s := strings.TrimSpace(p[start:]); s != "" {
		out = append(out, s)
	}
	return out
}

// endsSentence decides whether the terminator run p[i:j] (with any closing
// quotes) ends the sentence that began at start.
func endsSentence(p string, start, i, j int) bool {
	run := strings.TrimRightFunc(p[i:j], isCloser)
	glued := true
	k := j
	for k < len(p) {
		r, s := utf8.DecodeRuneInString(p[k:])
		if !unicode.IsSpace(r) {
			break
		}
		glued = false
		k += s
	}
	next := nextWord(p[k:])
	first, _ := utf8.DecodeRuneInString(next)
	word := prevWord(p[start:i])
	key := strings.ToLower(word)
	switch {
	case next == "":
		return false
	case unicode.IsLower(first):
		return false
	case glued:
		return gluedEnd(word, next, first)
	case run != ".":
		return true // "?", "!", "..." and "…" followed by a capital or digit
	case isInitial(word) || neverEnds[key] || beforeNumber[key] && unicode.IsDigit(first):
		return false
	case mayEnd[key] || dotted(word):
		// "U.S.", "a.m.", "Inc.": a new sentence only before a common opener.
		return opener(next)
	}
	return true
}

// gluedEnd splits "profit.For" but keeps "U.S.A", "3.5", "Amazon.com" and
// "www.BBC.co.uk" whole.
func gluedEnd(word, next string, first rune) bool {
	if !unicode.IsUpper(first) {
		return false
	}
	if utf8.RuneCountInString(word) < 2 || strings.ContainsAny(word, "./@:") {
		return false
	}
	last, _ := utf8.DecodeLastRuneInString(word)
	if !unicode.IsLetter(last) && !unicode.IsDigit(last) && !isCloser(last) && last != '%' {
		return false
	}
	key := strings.ToLower(word)
	return !neverEnds[key] && !mayEnd[key] && key != "www" && !strings.ContainsAny(next, "/@")
}

// opener reports whether w is a capitalized word that commonly starts a
// sentence ("The", "It", "But").
func opener(w string) bool {
	r, _ := utf8.DecodeRuneInString(w)
	return unicode.IsUpper(r) && stopwords.IsEnglish(strings.ToLower(strings.TrimRightFunc(w, isPunct)))
}

// dotted reports whether w is a dotted abbreviation such as "U.S", "e.g"
// or "Ph.D" (the final period already cut off).
func dotted(w string) bool {
	if !strings.Contains(w, ".") {
		return false
	}
	for _, part := range strings.Split(w, ".") {
		if part == "" || len(part) > 3 || strings.IndexFunc(part, func(r rune) bool { return !unicode.IsLetter(r) }) >= 0 {
			return false
		}
	}
	return true
}

func isInitial(w string) bool {
	r, n := utf8.DecodeRuneInString(w)
	return n == len(w) && unicode.IsUpper(r)
}

// prevWord returns the word just before the end of s, without leading
// quotes or brackets.
func prevWord(s string) string {
	s = tail(s, maxWord)
	k := strings.LastIndexFunc(s, unicode.IsSpace)
	return strings.TrimLeftFunc(s[k+1:], isOpener)
}

// nextWord returns the word at the start of s, without leading quotes or
// brackets.
func nextWord(s string) string {
	s = strings.TrimLeftFunc(head(s, maxWord), isOpener)
	if k := strings.IndexFunc(s, unicode.IsSpace); k >= 0 {
		return s[:k]
	}
	return s
}

// maxWord bounds how far the splitter looks around a period, so text
// without spaces costs linear time. Longer "words" are not abbreviations.
const maxWord = 64

// head and tail cut s to at most n bytes, on rune boundaries.
func head(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

func tail(s string, n int) string {
	if len(s) <= n {
		return s
	}
	k := len(s) - n
	for k < len(s) && !utf8.RuneStart(s[k]) {
		k++
	}
	return s[k:]
}

// spaceBeforeGuillemet returns the length of a space (plain, no-break or
// narrow no-break) and the "»" after it at the start of s, or 0.
func spaceBeforeGuillemet(s string) int {
	r, n := utf8.DecodeRuneInString(s)
	if r != ' ' && r != '\u00a0' && r != '\u202f' {
		return 0
	}
	rest, ok := strings.CutPrefix(s[n:], "»")
	if !ok {
		return 0
	}
	// German opens with "»" set close to its first word: »Komm«.
	if next, _ := utf8.DecodeRuneInString(rest); rest != "" && !unicode.IsSpace(next) {
		return 0
	}
	return n + len("»")
}

func isTerminator(r rune) bool {
	return r == '.' || r == '!' || r == '?' || r == '…' || isCJKTerminator(r)
}

// isCJKTerminator reports the full stops of Chinese and Japanese, which
// end a sentence whatever follows (no space, no capital letter there).
func isCJKTerminator(r rune) bool { return r == '。' || r == '！' || r == '？' }

func isCloser(r rune) bool {
	switch r {
	case '"', '\'', '”', '’', ')', ']', '»', '“', '«', '」', '』', '）':
		return true
	}
	return false
}

func isOpener(r rune) bool {
	switch r {
	case '"', '\'', '“', '‘', '(', '[', '«', '„', '‚', '»', '¿', '¡', '「', '『', '（':
		return true
	}
	return false
}

func isPunct(r rune) bool { return unicode.IsPunct(r) }

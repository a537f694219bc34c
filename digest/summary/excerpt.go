package summary

// Excerpt returns the first run of whole sentences of text that a reader
// can follow on its own, within maxWords words (CountWords): it opens with
// a sentence that does not refer back to one left out, takes only complete
// sentences with their quotations whole, and stops before a list, a cut
// teaser or a sentence that no longer fits. It is "" when text has no such
// sentence: an excerpt is never cut. Reader comments are quoted this way.
func Excerpt(text string, maxWords int) string {
	sents := Sentences(text)
	l := detectLang([]string{text})
	// inQuote[i]: sentence i lies inside a quotation opened before it.
	inQuote := make([]bool, len(sents))
	marks := 0
	for i, s := range sents {
		inQuote[i] = marks%2 == 1
		marks += quoteMarks(s)
	}
	quotable := func(i int) bool {
		s := sents[i]
		return !inQuote[i] && judge(s, CountWords(s), nil, l) <= fitWeak && quoteMarks(s)%2 == 0 && !startsLower(s)
	}
	for start := range sents {
		if !quotable(start) || start > 0 && l.refersBack(sents[start]) {
			continue
		}
		end, words := start, 0
		for end < len(sents) && quotable(end) && words+CountWords(sents[end]) <= maxWords {
			words += CountWords(sents[end])
			end++
		}
		if end > start {
			out := sents[start]
			for _, s := range sents[start+1 : end] {
				out += " " + s
			}
			return out
		}
	}
	return ""
}

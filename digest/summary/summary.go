// Package summary holds the text side of curation: sentence splitting,
// tokens and stop words, and the extractive summarizer.
package summary

import (
	"regexp"
	"strings"
	"unicode"
)

// Budget limits a summary. When Words > 0 it wins over Sentences: the
// summary never cuts a sentence and never exceeds Words words unless the
// first chosen sentence alone does.
type Budget struct {
	Sentences int
	Words     int
}

var sentenceEnd = regexp.MustCompile(`([.!?]["'”’)]*)\s+`)

// Sentences splits text into sentences.
func Sentences(text string) []string {
	var out []string
	for _, para := range strings.Split(text, "\n") {
		para = strings.TrimSpace(para)
		if para == "" {
			continue
		}
		last := 0
		for _, m := range sentenceEnd.FindAllStringSubmatchIndex(para, -1) {
			out = append(out, strings.TrimSpace(para[last:m[3]]))
			last = m[1]
		}
		if rest := strings.TrimSpace(para[last:]); rest != "" {
			out = append(out, rest)
		}
	}
	return out
}

// Tokens returns the lower-cased words of s.
func Tokens(s string) []string {
	return strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsNumber(r)
	})
}

// Summarize picks sentences from paragraphs within the budget, in article order.
func Summarize(title string, paragraphs []string, b Budget) []string {
	if b.Sentences <= 0 && b.Words <= 0 {
		b.Sentences = 3
	}
	var out []string
	words := 0
	for _, s := range Sentences(strings.Join(paragraphs, "\n")) {
		n := len(strings.Fields(s))
		if b.Words > 0 && len(out) > 0 && words+n > b.Words {
			break
		}
		out = append(out, s)
		words += n
		if b.Words <= 0 && len(out) >= b.Sentences {
			break
		}
	}
	return out
}

// Package summary holds the text side of curation: sentence splitting,
// tokens and stop words, and the extractive summarizer.
//
// The summarizer is graph-based (TextRank family): sentences are nodes,
// edges weigh the Sørensen–Dice overlap of their content words, and a
// personalized PageRank whose jump vector favours early sentences and those
// sharing words with the title scores them. Sentences are then chosen
// greedily with maximal marginal relevance (MMR) to limit redundancy, within
// a budget of sentences or words, and returned in article order.
package summary

import (
	"sort"
	"strings"
)

// Budget limits a summary. When Words > 0 it wins over Sentences: the
// summary never cuts a sentence and never exceeds Words words unless the
// first chosen sentence alone does. Words are counted with CountWords.
type Budget struct {
	Sentences int
	Words     int
}

// DefaultSentences is the sentence budget used when a Budget is empty.
const DefaultSentences = 3

// Options tune the ranking. The zero value is not useful; start from
// DefaultOptions.
type Options struct {
	Damping        float64 // PageRank damping: weight of the graph against the prior
	PositionWeight float64 // share of the prior given to early sentences
	PositionDecay  float64 // prior of sentence i is 1/(i+1)^PositionDecay
	TitleWeight    float64 // share of the prior given to title overlap
	Lambda         float64 // MMR trade-off: 1 ignores redundancy
}

// DefaultOptions returns the tuned defaults.
func DefaultOptions() Options {
	return Options{Damping: 0.85, PositionWeight: 0.3, PositionDecay: 1, TitleWeight: 0.2, Lambda: 0.8}
}

// Summarize picks sentences of the article within the budget and returns
// them in article order.
func Summarize(title string, paragraphs []string, b Budget) []string {
	return SummarizeWith(title, paragraphs, b, DefaultOptions())
}

// SummarizeWith is Summarize with explicit ranking options.
func SummarizeWith(title string, paragraphs []string, b Budget, o Options) []string {
	texts := Sentences(strings.Join(paragraphs, "\n"))
	if len(texts) == 0 {
		return nil
	}
	if b.Words <= 0 && b.Sentences <= 0 {
		b.Sentences = DefaultSentences
	}
	sents, titleTerms, _ := analyze(title, texts)
	scores := rank(sents, titleTerms, o)
	picked := selectMMR(sents, scores, b, o.Lambda)
	sort.Ints(picked)
	out := make([]string, len(picked))
	for k, i := range picked {
		out[k] = sents[i].text
	}
	return out
}

// rank scores each sentence; higher is more central.
func rank(sents []sentence, titleTerms []int, o Options) []float64 {
	n := len(sents)
	pos := make([]float64, n)
	tit := make([]float64, n)
	for i := range sents {
		pos[i] = 1 / pow(float64(i+1), o.PositionDecay)
		tit[i] = dice(titleTerms, sents[i].terms)
	}
	normalize(pos)
	normalize(tit)
	uni := 1 - o.PositionWeight - o.TitleWeight
	prior := make([]float64, n)
	for i := range prior {
		prior[i] = uni/float64(n) + o.PositionWeight*pos[i] + o.TitleWeight*tit[i]
	}
	normalize(prior)
	return pagerank(similarity(sents), n, prior, o.Damping)
}

// selectMMR greedily adds the sentence with the best marginal relevance
// that still fits the budget, until nothing more fits.
func selectMMR(sents []sentence, scores []float64, b Budget, lambda float64) []int {
	n := len(sents)
	maxScore := 0.0
	for _, s := range scores {
		maxScore = max(maxScore, s)
	}
	if maxScore == 0 {
		maxScore = 1
	}
	redund := make([]float64, n) // max similarity to anything chosen so far
	used := make([]bool, n)
	var picked []int
	words := 0
	for {
		if b.Words <= 0 && len(picked) >= b.Sentences {
			break
		}
		best, bestVal := -1, 0.0
		for i := range sents {
			if used[i] || (b.Words > 0 && words+sents[i].words > b.Words) {
				continue
			}
			v := lambda*scores[i]/maxScore - (1-lambda)*redund[i]
			if best < 0 || v > bestVal {
				best, bestVal = i, v
			}
		}
		if best < 0 {
			break
		}
		used[best] = true
		picked = append(picked, best)
		words += sents[best].words
		for i := range sents {
			if !used[i] {
				redund[i] = max(redund[i], dice(sents[i].terms, sents[best].terms))
			}
		}
	}
	if len(picked) == 0 && n > 0 {
		// Nothing fits the word budget: the best sentence alone, whole.
		best := 0
		for i := range scores {
			if scores[i] > scores[best] {
				best = i
			}
		}
		picked = append(picked, best)
	}
	return picked
}

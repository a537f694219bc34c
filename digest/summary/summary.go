// Package summary holds the text side of curation: sentence splitting,
// tokens and stop words, and the extractive summarizer.
//
// The summarizer is graph-based (TextRank family): sentences are nodes and
// edges weigh the cosine of their content-word frequencies. A personalized
// PageRank, whose jump vector leans slightly toward early sentences and
// those sharing words with the title, scores them. Sentences are then
// chosen greedily by maximal marginal relevance (MMR) within a budget of
// sentences or words, and returned in article order.
package summary

import (
	"math"
	"sort"
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

// Options tune the ranking; start from DefaultOptions.
type Options struct {
	Damping        float64 // PageRank damping: weight of the graph against the prior
	PositionWeight float64 // share of the prior given to early sentences
	PositionDecay  float64 // position prior of sentence i is 1/(i+1)^PositionDecay
	TitleWeight    float64 // share of the prior given to similarity with the title
	LengthExp      float64 // scores are multiplied by words^LengthExp
	Lambda         float64 // MMR trade-off between score and novelty: 1 ignores redundancy
}

// DefaultOptions returns the defaults measured on news articles with long
// extractive references (see the package tests' notes). Centrality carries
// nearly all the signal there; the priors and MMR are kept light so that
// short summaries still open on the lead and do not repeat themselves.
func DefaultOptions() Options {
	return Options{Damping: 0.85, PositionWeight: 0.02, PositionDecay: 2, TitleWeight: 0.05, LengthExp: 0.1, Lambda: 0.95}
}

// Summarize picks sentences of the article within the budget and returns
// them in article order.
func Summarize(title string, paragraphs []string, b Budget) []string {
	return SummarizeWith(title, paragraphs, b, DefaultOptions())
}

// SummarizeWith is Summarize with explicit ranking options.
func SummarizeWith(title string, paragraphs []string, b Budget, o Options) []string {
	ix := newTermIndex()
	var sents []sentence
	for _, p := range paragraphs {
		for _, t := range Sentences(p) {
			sents = append(sents, ix.sentence(t))
		}
	}
	if len(sents) == 0 {
		return nil
	}
	if b.Words <= 0 && b.Sentences <= 0 {
		b.Sentences = DefaultSentences
	}
	head := ix.sentence(title)
	sim := similarity(sents, len(ix.count))
	picked := choose(sents, sim, rank(sents, sim, &head, o), b, o.Lambda)
	sort.Ints(picked)
	out := make([]string, len(picked))
	for k, i := range picked {
		out[k] = sents[i].text
	}
	return out
}

// rank scores each sentence; higher is more central.
func rank(sents []sentence, sim []float64, title *sentence, o Options) []float64 {
	n := len(sents)
	pos := make([]float64, n)
	tit := make([]float64, n)
	for i := range sents {
		pos[i] = 1 / math.Pow(float64(i+1), o.PositionDecay)
		tit[i] = cosine(title, &sents[i])
	}
	normalize(pos)
	normalize(tit)
	uniform := max(0, 1-o.PositionWeight-o.TitleWeight) / float64(n)
	prior := make([]float64, n)
	for i := range prior {
		prior[i] = uniform + o.PositionWeight*pos[i] + o.TitleWeight*tit[i]
	}
	normalize(prior)
	r := pagerank(sim, n, prior, o.Damping)
	if o.LengthExp != 0 {
		for i := range r {
			r[i] *= math.Pow(float64(max(sents[i].words, 1)), o.LengthExp)
		}
	}
	return r
}

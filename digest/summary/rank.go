package summary

import (
	"math"
	"sort"
)

// sentence is one candidate with what ranking needs.
type sentence struct {
	text  string
	words int       // CountWords(text), the budget unit
	terms []int     // sorted, unique content-term ids
	tf    []float64 // occurrences of each of terms
	norm  float64   // Euclidean norm of tf
}

// termIndex maps content words to small ids shared by an article's
// sentences and its title.
type termIndex map[string]int

// sentence turns text into a term-frequency vector over content words:
// stop words and single letters are dropped, word forms are kept as they
// are (folding endings measured worse).
func (ix termIndex) sentence(text string) sentence {
	count := map[int]float64{}
	var terms []int
	for _, tok := range Tokens(text) {
		if IsStopWord(tok) || len(tok) < 2 && !isDigitWord(tok) {
			continue
		}
		id, ok := ix[tok]
		if !ok {
			id = len(ix)
			ix[tok] = id
		}
		if count[id] == 0 {
			terms = append(terms, id)
		}
		count[id]++
	}
	sort.Ints(terms)
	s := sentence{text: text, words: CountWords(text), terms: terms, tf: make([]float64, len(terms))}
	for k, id := range terms {
		s.tf[k] = count[id]
		s.norm += count[id] * count[id]
	}
	s.norm = math.Sqrt(s.norm)
	return s
}

func isDigitWord(s string) bool { return s != "" && s[0] >= '0' && s[0] <= '9' }

// cosine is the cosine of two sentences' term-frequency vectors. It beat
// Dice, Jaccard, TF-IDF cosine and BM25-style weights as the edge weight.
func cosine(a, b *sentence) float64 {
	if a.norm == 0 || b.norm == 0 {
		return 0
	}
	dot, i, j := 0.0, 0, 0
	for i < len(a.terms) && j < len(b.terms) {
		switch {
		case a.terms[i] == b.terms[j]:
			dot += a.tf[i] * b.tf[j]
			i++
			j++
		case a.terms[i] < b.terms[j]:
			i++
		default:
			j++
		}
	}
	return dot / (a.norm * b.norm)
}

// similarity returns the symmetric sentence-similarity matrix, row-major.
func similarity(s []sentence) []float64 {
	n := len(s)
	m := make([]float64, n*n)
	for i := 0; i < n; i++ {
		for j := i + 1; j < n; j++ {
			v := cosine(&s[i], &s[j])
			m[i*n+j], m[j*n+i] = v, v
		}
	}
	return m
}

// pagerank runs personalized PageRank over the weighted graph m: a random
// reader follows similarity links with probability d and otherwise jumps
// to a sentence drawn from prior, which carries position and title cues.
// Sentences without links send their weight along the prior too.
func pagerank(m []float64, n int, prior []float64, d float64) []float64 {
	rowSum := make([]float64, n)
	for i := 0; i < n; i++ {
		for _, w := range m[i*n : i*n+n] {
			rowSum[i] += w
		}
	}
	r := make([]float64, n)
	next := make([]float64, n)
	copy(r, prior)
	for iter := 0; iter < 100; iter++ {
		dangling := 0.0
		for i := 0; i < n; i++ {
			if rowSum[i] == 0 {
				dangling += r[i]
			}
		}
		for j := range next {
			next[j] = (1 - d + d*dangling) * prior[j]
		}
		for i := 0; i < n; i++ {
			if rowSum[i] == 0 || r[i] == 0 {
				continue
			}
			f := d * r[i] / rowSum[i]
			for j, w := range m[i*n : i*n+n] {
				next[j] += f * w
			}
		}
		delta := 0.0
		for i := range r {
			delta += math.Abs(next[i] - r[i])
		}
		r, next = next, r
		if delta < 1e-9 {
			break
		}
	}
	return r
}

// normalize scales v to sum 1, or makes it uniform if it sums to 0.
func normalize(v []float64) {
	sum := 0.0
	for _, x := range v {
		sum += x
	}
	for i := range v {
		if sum > 0 {
			v[i] /= sum
		} else {
			v[i] = 1 / float64(len(v))
		}
	}
}

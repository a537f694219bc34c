package summary

import (
	"math"
	"sort"
)

// sentence is one candidate with what ranking needs.
type sentence struct {
	text  string
	words int   // CountWords(text), the budget unit
	terms []int // sorted, unique content-term ids
	tf    map[int]float64
}

// analyze turns sentences into sorted content-term id sets, shared ids
// across the article and the title.
func analyze(title string, texts []string) ([]sentence, []int, map[int]float64) {
	ids := map[string]int{}
	termsOf := func(s string) []int {
		seen := map[int]bool{}
		var out []int
		for _, tok := range Tokens(s) {
			if IsStopWord(tok) || len(tok) < 2 && !isDigitWord(tok) {
				continue
			}
			st := stem(tok)
			id, ok := ids[st]
			if !ok {
				id = len(ids)
				ids[st] = id
			}
			if !seen[id] {
				seen[id] = true
				out = append(out, id)
			}
		}
		sort.Ints(out)
		return out
	}
	sents := make([]sentence, len(texts))
	df := map[int]float64{}
	for i, t := range texts {
		sents[i] = sentence{text: t, words: CountWords(t), terms: termsOf(t)}
		for _, id := range sents[i].terms {
			df[id]++
		}
	}
	return sents, termsOf(title), df
}

func isDigitWord(s string) bool { return s != "" && s[0] >= '0' && s[0] <= '9' }

// overlap counts the ids two sorted sets share.
func overlap(a, b []int) int {
	n, i, j := 0, 0, 0
	for i < len(a) && j < len(b) {
		switch {
		case a[i] == b[j]:
			n++
			i++
			j++
		case a[i] < b[j]:
			i++
		default:
			j++
		}
	}
	return n
}

// dice is the Sørensen–Dice coefficient of two term sets.
func dice(a, b []int) float64 {
	if len(a)+len(b) == 0 {
		return 0
	}
	return 2 * float64(overlap(a, b)) / float64(len(a)+len(b))
}

// similarity returns the symmetric sentence-similarity matrix, row-major.
func similarity(s []sentence) []float64 {
	n := len(s)
	m := make([]float64, n*n)
	for i := 0; i < n; i++ {
		for j := i + 1; j < n; j++ {
			v := dice(s[i].terms, s[j].terms)
			m[i*n+j], m[j*n+i] = v, v
		}
	}
	return m
}

// pagerank runs personalized PageRank over the weighted graph m: a random
// reader follows similarity links with probability d and otherwise jumps
// to a sentence drawn from prior, which carries position and title cues.
func pagerank(m []float64, n int, prior []float64, d float64) []float64 {
	out := make([]float64, n)
	rowSum := make([]float64, n)
	for i := 0; i < n; i++ {
		for j := 0; j < n; j++ {
			rowSum[i] += m[i*n+j]
		}
	}
	r := make([]float64, n)
	copy(r, prior)
	for iter := 0; iter < 100; iter++ {
		dangling := 0.0
		for i := 0; i < n; i++ {
			if rowSum[i] == 0 {
				dangling += r[i]
			}
		}
		for j := 0; j < n; j++ {
			out[j] = (1-d)*prior[j] + d*dangling*prior[j]
		}
		for i := 0; i < n; i++ {
			if rowSum[i] == 0 || r[i] == 0 {
				continue
			}
			f := d * r[i] / rowSum[i]
			row := m[i*n : i*n+n]
			for j, w := range row {
				out[j] += f * w
			}
		}
		delta := 0.0
		for i := range r {
			delta += math.Abs(out[i] - r[i])
		}
		r, out = out, r
		if delta < 1e-7 {
			break
		}
	}
	return r
}

// normalize scales v to sum 1 (uniform if it sums to 0).
func normalize(v []float64) []float64 {
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
	return v
}

func pow(x, y float64) float64 { return math.Pow(x, y) }

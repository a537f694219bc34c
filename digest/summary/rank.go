package summary

import (
	"math"
	"slices"

	"github.com/weeklywrap/digest/digest/stopwords"
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
// sentences and its title; count is scratch space indexed by id.
type termIndex struct {
	ids   map[string]int
	count []float64
	buf   []byte // the current token, lower-cased
}

func newTermIndex() *termIndex { return &termIndex{ids: make(map[string]int, 256)} }

// sentence turns text into a term-frequency vector over content words:
// stop words and single letters are dropped, word forms are kept as they
// are (folding endings measured worse).
func (ix *termIndex) sentence(text string) sentence {
	s := sentence{text: text, words: CountWords(text)}
	eachToken(text, func(tok string) {
		ix.buf = appendLower(ix.buf[:0], tok)
		if len(ix.buf) < 2 && !isDigitWord(tok) || stopwords.IsEnglishBytes(ix.buf) {
			return
		}
		id, ok := ix.ids[string(ix.buf)]
		if !ok {
			id = len(ix.ids)
			ix.ids[string(ix.buf)] = id
			ix.count = append(ix.count, 0)
		}
		if ix.count[id] == 0 {
			s.terms = append(s.terms, id)
		}
		ix.count[id]++
	})
	slices.Sort(s.terms)
	s.tf = make([]float64, len(s.terms))
	for k, id := range s.terms {
		c := ix.count[id]
		s.tf[k] = c
		s.norm += c * c
		ix.count[id] = 0
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

// similarity returns the symmetric matrix of sentence cosines, row-major,
// for vocabulary size v. Scattering one sentence into a dense vector and
// walking the others' terms avoids n² sorted merges.
func similarity(s []sentence, v int) []float64 {
	n := len(s)
	m := make([]float64, n*n)
	dense := make([]float64, v)
	for i := 0; i < n; i++ {
		if s[i].norm == 0 {
			continue
		}
		for k, id := range s[i].terms {
			dense[id] = s[i].tf[k]
		}
		for j := i + 1; j < n; j++ {
			if s[j].norm == 0 {
				continue
			}
			dot := 0.0
			for k, id := range s[j].terms {
				dot += dense[id] * s[j].tf[k]
			}
			c := dot / (s[i].norm * s[j].norm)
			m[i*n+j], m[j*n+i] = c, c
		}
		for _, id := range s[i].terms {
			dense[id] = 0
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

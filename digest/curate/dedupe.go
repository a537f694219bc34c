package curate

import (
	"cmp"
	"fmt"
	"slices"

	"github.com/weeklywrap/digest/digest"
)

const (
	bandRows      = 3                  // signature rows per LSH band
	numBands      = numBins / bandRows // 21 bands: P(candidate) is 0.94 at J=0.5, 0.0002 at J=0.02
	maxProbe      = 4                  // bucket members each new member is checked against
	dupJ          = 0.5                // estimated Jaccard above which two texts are one story
	dupC          = 0.8                // containment of the smaller text above which too
	weakC         = 0.3                // containment enough when title or opening already agree
	sameTitle     = 0.5                // Dice similarity of title words that names one story
	solidShingles = 100                // texts this long have a trustworthy containment estimate
)

// Dedupe groups near-duplicate articles: the same canonical URL, or texts
// whose word shingles mostly agree, or the same title or the same opening
// words with overlapping text. It returns groups of indices into articles,
// each ascending, ordered by their first index; singletons included.
//
// Candidates come from buckets (URL, title, opening, MinHash LSH bands), and
// each member of a bucket is compared with at most its first few members,
// so the cost grows with the number of articles, not its square.
func Dedupe(articles []digest.Article) [][]int {
	groups, _ := dedupe(articles)
	return groups
}

func dedupe(articles []digest.Article) ([][]int, []fingerprint) {
	n := len(articles)
	fps := make([]fingerprint, n)
	for i := range articles {
		fps[i] = fingerprintOf(&articles[i])
	}
	uf := newUnionFind(n)
	var keys []bucketKey
	for i := range fps {
		f := &fps[i]
		if f.canon != "" {
			keys = append(keys, bucketKey{hashString(f.canon), int32(i), kindURL})
		}
		if f.title != "" {
			keys = append(keys, bucketKey{hashString(f.title), int32(i), kindTitle})
		}
		for _, h := range f.opens {
			keys = append(keys, bucketKey{h, int32(i), kindOpening})
		}
		if f.thin() {
			continue
		}
		for b := range numBands {
			h := uint64(b+1) * 0x9E3779B97F4A7C15
			for _, v := range f.sig[b*bandRows : (b+1)*bandRows] {
				h = mix64(h ^ uint64(v))
			}
			keys = append(keys, bucketKey{h, int32(i), kindText})
		}
	}
	slices.SortFunc(keys, func(a, b bucketKey) int {
		switch {
		case a.kind != b.kind:
			return cmp.Compare(a.kind, b.kind)
		case a.h != b.h:
			return cmp.Compare(a.h, b.h)
		}
		return cmp.Compare(a.i, b.i)
	})
	for start := 0; start < len(keys); {
		end := start + 1
		for end < len(keys) && keys[end].h == keys[start].h && keys[end].kind == keys[start].kind {
			end++
		}
		run := keys[start:end]
		for m := 1; m < len(run); m++ {
			for _, p := range run[:min(m, maxProbe)] {
				i, j := int(p.i), int(run[m].i)
				if uf.find(i) != uf.find(j) && sameStory(&fps[i], &fps[j], run[m].kind) {
					uf.union(i, j)
				}
			}
		}
		start = end
	}
	return uf.groups(), fps
}

type keyKind uint8

const (
	kindURL     keyKind = iota // same canonical URL: the same page
	kindTitle                  // same title: another source, or some text overlap
	kindOpening                // a paragraph opens with the same words: related titles
	kindText                   // same LSH band: needs high text similarity
)

type bucketKey struct {
	h    uint64
	i    int32
	kind keyKind
}

func sameStory(a, b *fingerprint, kind keyKind) bool {
	switch kind {
	case kindURL:
		return a.canon == b.canon
	case kindTitle:
		// A recurring title from one source ("Morning briefing: what you
		// need to know") is a series, not a story told twice.
		// Between sources the title decides, unless both texts are long
		// enough for the MinHash estimate to show they differ (a short
		// excerpt's overlap with a long page is below its resolution).
		if a.src != b.src && min(a.size, b.size) < solidShingles {
			return true
		}
		return !a.thin() && !b.thin() && containment(a, b, jaccard(a, b)) >= weakC
	case kindOpening:
		// Ten identical words opening a paragraph: an excerpt, or a shared
		// quote or boilerplate paragraph, which the titles tell apart.
		return titleSim(a, b) >= sameTitle || containment(a, b, jaccard(a, b)) >= weakC
	default:
		if a.thin() || b.thin() {
			return false
		}
		j := jaccard(a, b)
		// A short text inside a longer one is a story's excerpt only when
		// the titles agree at least in part.
		if a.title != "" && b.title != "" && titleSim(a, b) == 0 {
			return j >= dupJ
		}
		return j >= dupJ || containment(a, b, j) >= dupC
	}
}

// foldReason says why b was folded into a, for Issue.Skipped.
func foldReason(a, b *fingerprint) string {
	j := jaccard(a, b)
	text := fmt.Sprintf("similar text: Jaccard %.2f, containment %.2f", j, containment(a, b, j))
	switch {
	case a.canon != "" && a.canon == b.canon:
		return "same URL"
	case !a.thin() && !b.thin() && j >= dupJ:
		return text
	case a.title != "" && a.title == b.title:
		return "same title"
	case !a.thin() && !b.thin():
		return text
	default:
		return "same opening"
	}
}

// unionFind joins indices into groups; the smaller index is the root so the
// result does not depend on the order of unions.
type unionFind struct{ parent []int32 }

func newUnionFind(n int) *unionFind {
	p := make([]int32, n)
	for i := range p {
		p[i] = int32(i)
	}
	return &unionFind{p}
}

func (u *unionFind) find(i int) int {
	for int(u.parent[i]) != i {
		u.parent[i] = u.parent[u.parent[i]]
		i = int(u.parent[i])
	}
	return i
}

func (u *unionFind) union(i, j int) {
	ri, rj := u.find(i), u.find(j)
	if ri == rj {
		return
	}
	if rj < ri {
		ri, rj = rj, ri
	}
	u.parent[rj] = int32(ri)
}

func (u *unionFind) groups() [][]int {
	idx := map[int]int{}
	var out [][]int
	for i := range u.parent {
		r := u.find(i)
		g, ok := idx[r]
		if !ok {
			g = len(out)
			idx[r] = g
			out = append(out, nil)
		}
		out[g] = append(out[g], i)
	}
	return out
}

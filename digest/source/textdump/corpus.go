package textdump

import (
	"hash/fnv"
	"strings"
)

// Corpus remembers which lines recur across the dumps of one folder: lines
// that several pages of the same site share are navigation, footers and
// promotions, never the article. It is read-only after NewCorpus and safe
// for concurrent use.
type Corpus struct {
	docs  int
	lines map[uint64]int // line hash -> number of documents holding it
}

// NewCorpus indexes the lines of docs. Each document counts a line once.
func NewCorpus(docs [][]byte) *Corpus {
	c := &Corpus{docs: len(docs), lines: make(map[uint64]int)}
	for _, data := range docs {
		if len(data) > maxInput {
			data = data[:maxInput]
		}
		seen := make(map[uint64]bool)
		lines, _ := splitLines(strings.ToValidUTF8(string(data), "\uFFFD"))
		for _, l := range lines {
			h := lineHash(l.text)
			if !seen[h] {
				seen[h] = true
				c.lines[h]++
			}
		}
	}
	return c
}

// repeated reports whether s occurs in at least two documents of the
// corpus (the document being extracted is normally one of them).
func (c *Corpus) repeated(s string) bool {
	if c == nil || c.docs < 2 {
		return false
	}
	return c.lines[lineHash(s)] >= 2
}

func lineHash(s string) uint64 {
	h := fnv.New64a()
	h.Write([]byte(strings.ToLower(s)))
	return h.Sum64()
}

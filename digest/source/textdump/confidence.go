package textdump

import "strings"

// minConfidence is the confidence below which an extraction is reported as
// finding no clear article (digest.Article.LowConfidence).
const minConfidence = 0.4

// lossyConfidence caps the confidence of input that was cut off or whose
// encoding had to be guessed.
const lossyConfidence = 0.3

// confidence says how sure the extraction is that the body is one
// article's text, from 0 to 1. An article is a sizeable run of prose that
// holds most of the page's prose: a short body, or one among several runs
// of the same weight (a product list, a portal, a page of forms), is
// doubtful.
func (d *doc) confidence(start, end, limit, words int, clean bool) float64 {
	if clean {
		return min(1, 0.5+float64(words)/200)
	}
	in, all, good := 0, 0, 0
	for i := range limit {
		f := d.feats[i]
		if f.cls < clsNearGood || d.used[i] == useComment {
			continue
		}
		all += f.size()
		if i >= start && i < end {
			in += f.size()
			if f.cls == clsGood {
				good += f.size()
			}
		}
	}
	if all == 0 || in == 0 {
		return 0
	}
	// Length: a body of 120 words or more is an article's length; below
	// 30 it is a teaser or a notice. (Sizes count CJK characters too.)
	length := min(1, float64(max(in-20, 0))/100)
	// Dominance: the share of the page's prose inside the body.
	share := float64(in) / float64(all)
	// Prose: the share of the body in full paragraphs rather than single
	// sentences, as captions, product cards and notices are.
	prose := float64(good) / float64(in)
	c := length * (0.4 + 0.6*share) * (0.5 + 0.5*prose) * d.cardPenalty(start, end, in)
	return float64(int(c*100+0.5)) / 100
}

// cardPenalty lowers the confidence of a body that is a list of cards: the
// same short label ("Add to cart", "Reply", "Read more") after every few
// lines of text, as product lists, teaser grids and comment threads have.
// It returns 1 for no such pattern, less the less text each card holds.
func (d *doc) cardPenalty(start, end, size int) float64 {
	const minCards, cardWords = 3, 60
	seen := make(map[string]int)
	cards := 0
	for i := start; i < end; i++ {
		if f := d.feats[i]; f.words == 0 || f.size() > 4 {
			continue
		}
		t := strings.ToLower(d.lines[i].text)
		seen[t]++
		cards = max(cards, seen[t])
	}
	if cards < minCards {
		return 1
	}
	return min(1, float64(size)/float64(cards)/cardWords)
}

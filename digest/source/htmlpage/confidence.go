package htmlpage

import "math"

// lowConfidence is the confidence under which an article is flagged: at
// best some 40 words of text, or text that is not prose, or a page where
// neither extractor found an article.
const lowConfidence = 0.5

// fallbackThreshold is the bar for blocks other than links when those
// over threshold make fewer than minWords words but the page has text: a
// short article that the model is unsure of is better than nothing, and is
// flagged.
const fallbackThreshold = 0.2

// choose picks the article's blocks: those the model keeps, or, when they
// are too few to be an article, those it gives a fair chance.
func (pg *page) choose() []int {
	keep := pg.keep(threshold)
	if pg.words(keep) >= minWords {
		return keep
	}
	var more []int
	for i, b := range pg.blocks {
		// links are navigation, not the lost part of a short article
		if b.p >= threshold || b.p >= fallbackThreshold && b.LinkRunes*2 < b.Runes {
			more = append(more, i)
		}
	}
	if pg.words(more) > pg.words(keep) {
		return more
	}
	return keep
}

func (pg *page) words(keep []int) int {
	n := 0
	for _, i := range keep {
		n += pg.blocks[i].words
	}
	return n
}

// confidence is how sure the extraction is that the kept blocks are one
// article's text, from 0 to 1: the model's certainty about them (their
// mean probability by words), times a length factor that grows from 0 at
// 20 words to 1 at 80 (index pages, errors and log-in forms are short),
// times a factor from 0.6 to 1 for the share of prose among them (a
// product list or a link list is made of labels), halved when neither
// extractor found an article.
func (pg *page) confidence(keep []int) float64 {
	total, sure, prosy := 0.0, 0.0, 0.0
	found := false
	for _, i := range keep {
		b := &pg.blocks[i]
		w := float64(b.words)
		total += w
		sure += w * b.p
		if b.words >= 25 || prose(b) {
			prosy += w
		}
		found = found || b.traf || b.read
	}
	if total == 0 {
		return 0
	}
	length := math.Min(math.Max(math.Log(total/20)/math.Log(4), 0), 1)
	c := sure / total * length * (0.6 + 0.4*prosy/total)
	if !found {
		c /= 2
	}
	return c
}

package textdump

import (
	"regexp"
)

// Line weights for finding the body: running text counts for its words,
// everything else costs, so the best-scoring run of lines is the longest
// stretch of text that is not broken up by long stretches of page furniture.
const (
	costShort = 3
	costBad   = 8
	// A copyright notice closes the page: what follows is footer and
	// teasers, so crossing it costs as much as a long paragraph is worth.
	costFooter = 60
	// A label opening the page's closing sections costs as much as a
	// paragraph: text behind it is rarely the article's.
	costSection = 30
)

// sectionRE matches the labels that open what follows an article:
// related stories, comments, newsletter sign-up, the author's bio, in the
// languages pages are most often written in.
var sectionRE = regexp.MustCompile(`(?i)^(related|recommended|more (from|in|on|stories|articles|news)|most (popular|read|viewed)|trending|leave a (reply|comment)|post a comment|add a comment|\d* ?comments?|newsletter|subscribe|sign up|about the author|you (may|might) also like|read next|share this|keep up to date|stay (up to date|informed)|further reading|(press |media )?contacts?|more information|further information|` +
	`mehr zum thema|mehr (aus|von|zu)\b|weitere (artikel|beiträge|meldungen|themen|nachrichten)|das könnte (sie|dich) auch interessieren|auch interessant|lesen sie auch|meistgelesen|kommentare|\d* ?kommentare?|schreibe einen kommentar|kommentar schreiben|über (den|die) autor|(presse)?kontakt|ansprechpartner(in)?|weitere informationen|` +
	`(à lire|lire) aussi|sur le même sujet|articles? (similaires|liés)|commentaires?|laisser un commentaire|` +
	`(te|le) puede interesar|noticias relacionadas|art[íi]culos relacionados|comentarios?|deja un comentario|` +
	`(leia|veja) também|notícias relacionadas|comentários?|deixe um comentário|` +
	`leggi anche|articoli correlati|commenti|lascia un commento|` +
	`lees ook|gerelateerde artikelen|reacties|` +
	`czytaj (też|także|również)|zobacz (też|także|również)|komentarze|podobne artykuły)\b`)

var footerRE = regexp.MustCompile(`(?i)(all rights reserved|©\s*\d{4}|copyright\s*(©|\(c\))?\s*\d{4})`)

func (d *doc) weight(i int) int {
	f := d.feats[i]
	if f.cls < clsGood && f.size() <= 8 && sectionRE.MatchString(d.lines[i].text) {
		return -costSection
	}
	switch f.cls {
	case clsGood:
		return f.size()
	case clsNearGood:
		return max(f.size()/2, 2)
	case clsBad:
		switch t := d.lines[i].text; {
		case footerRE.MatchString(t):
			return -costFooter
		}
		return -costBad
	}
	return -costShort
}

// region finds the body: the maximum-sum run of line weights among the
// first limit lines, trimmed to text at both ends. clean reports a dump
// that is nothing but a title line and paragraphs.
func (d *doc) region(limit int) (start, end int, clean bool) {
	if d.isClean(limit) {
		return 1, limit, true
	}
	best, sum, from := 0, 0, 0
	start, end = -1, -1
	for i := range limit {
		if sum <= 0 {
			sum, from = 0, i
		}
		sum += d.weight(i)
		if sum > best {
			best, start, end = sum, from, i+1
		}
	}
	if start < 0 {
		return -1, -1, false
	}
	d.anchor = start
	for d.anchor < end && d.feats[d.anchor].cls < clsNearGood {
		d.anchor++
	}
	start, end = d.trimEdges(start, end, best)
	return start, end, false
}

// trimEdges narrows [start, end) to text at both ends, and drops a small
// piece of text cut off from the rest by a long run of furniture: a
// disclaimer or teaser that the run-finding bridged to.
func (d *doc) trimEdges(start, end, total int) (int, int) {
	const gapLines = 6
	for {
		for start < end && d.feats[start].cls < clsNearGood {
			start++
		}
		for end > start && d.feats[end-1].cls < clsNearGood {
			end--
		}
		changed := false
		// Leading piece: text lines up to the first long gap.
		if i, w, g := d.firstGap(start, end, 1, gapLines); i >= 0 && w*4 < total && g < maxCutPiece {
			start, changed = i, true
		}
		if i, w, _ := d.firstGap(end-1, start-1, -1, gapLines); i >= 0 && w*4 < total {
			end, changed = i+1, true
		}
		if !changed || start >= end {
			return start, end
		}
	}
}

// maxCutPiece is the size, in words of full paragraphs, from which a
// leading piece cut off by furniture is kept all the same: a sentence or
// two may be a teaser or a notice, whole paragraphs are the article's
// opening (an intro above a box of highlights). Chosen on the tune split
// (60 to 120 score alike). Trailing pieces are still cut whatever their
// size: after the article come comments, teasers and disclaimers.
const maxCutPiece = 80

// firstGap walks from i towards stop (step ±1) and returns the index where
// the first run of at least n non-text lines ends, with the text weight
// seen before it and the part of it in full paragraphs; -1 when there is
// no such gap.
func (d *doc) firstGap(i, stop, step, n int) (int, int, int) {
	w, g, run := 0, 0, 0
	for ; i != stop; i += step {
		if d.feats[i].cls >= clsNearGood {
			if run >= n {
				return i, w, g
			}
			run = 0
			w += d.weight(i)
			if d.feats[i].cls == clsGood {
				g += d.feats[i].size()
			}
			continue
		}
		run++
	}
	return -1, 0, 0
}

// isClean recognizes an article already free of page furniture, such as
// a note saved by hand: a title line, running text from the next line or
// the one after, no footer, and mostly text. Lists and subheadings inside
// it are then kept whole instead of being judged line by line.
func (d *doc) isClean(limit int) bool {
	if limit < 2 || limit != len(d.lines) {
		return false
	}
	if f := d.feats[0]; f.size() > 30 || f.terminal && f.size() > 12 || footerRE.MatchString(d.lines[0].text) {
		return false
	}
	text, all := 0, 0
	first := -1
	for i := 1; i < limit; i++ {
		f := d.feats[i]
		all += f.size() + 1
		if f.cls >= clsNearGood || f.size() >= 15 && f.sentence {
			text += f.size() + 1
			if first < 0 {
				first = i
			}
		}
		if f.cls == clsBad && (f.corpusRep || footerRE.MatchString(d.lines[i].text) || f.size() <= 3) {
			return false
		}
	}
	if first < 1 || first > 6 || text*10 < all*6 {
		return false
	}
	// Text that starts a few lines down (a data box, a dateline) is still
	// clean, unless menus follow: runs of short lines mark a page.
	run := 0
	for i := first; i < limit && first > 2; i++ {
		if d.feats[i].size() <= 4 && !isBullet(d.lines[i].text) {
			if run++; run >= 6 {
				return false
			}
		} else {
			run = 0
		}
	}
	return true
}

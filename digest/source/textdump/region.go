package textdump

import (
	"regexp"
	"strings"
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
// related stories, comments, newsletter sign-up, the author's bio.
var sectionRE = regexp.MustCompile(`(?i)^(related|recommended|more (from|in|on|stories)|most (popular|read|viewed)|trending|leave a (reply|comment)|post a comment|add a comment|\d* ?comments?|newsletter|subscribe|sign up|about the author|you (may|might) also like|read next|share this|keep up to date|stay (up to date|informed))\b`)

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

// rescueLists keeps the list a text line announces with a colon ("The
// tour dates:") whose items, once markup is gone, are short lines that
// would otherwise read as a menu. It returns the body's new end.
func (d *doc) rescueLists(start, end, limit int) int {
	for i := start; i < min(end+3, limit); i++ {
		t := d.lines[i].text
		if !strings.HasSuffix(t, ":") || d.feats[i].size() > 20 || d.feats[i].cls == clsBad || d.feats[i].boiler {
			continue
		}
		if _, ok := categoryLabel(t); ok {
			continue
		}
		j := i + 1
		for j < limit && j-i <= 80 {
			f := d.feats[j]
			if f.size() < 2 || f.size() > 40 || f.cls == clsBad || sectionRE.MatchString(d.lines[j].text) {
				break
			}
			j++
		}
		if j-i-1 < 3 {
			continue
		}
		for k := i; k < j; k++ {
			d.feats[k].cls = max(d.feats[k].cls, clsNearGood)
		}
		end = max(end, j)
		i = j - 1
	}
	return end
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
		if i, w := d.firstGap(start, end, 1, gapLines); i >= 0 && w*4 < total {
			start, changed = i, true
		}
		if i, w := d.firstGap(end-1, start-1, -1, gapLines); i >= 0 && w*4 < total {
			end, changed = i+1, true
		}
		if !changed || start >= end {
			return start, end
		}
	}
}

// firstGap walks from i towards stop (step ±1) and returns the index where
// the first run of at least n non-text lines ends, with the text weight
// seen before it; -1 when there is no such gap.
func (d *doc) firstGap(i, stop, step, n int) (int, int) {
	w, run := 0, 0
	for ; i != stop; i += step {
		if d.feats[i].cls >= clsNearGood {
			if run >= n {
				return i, w
			}
			run = 0
			w += d.weight(i)
			continue
		}
		run++
	}
	return -1, 0
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

// title picks the headline among the lines around the start of the body:
// a line of headline length that shares its words with the body, close to
// it, best followed by a byline or dateline, sometimes repeated on the page.
func (d *doc) title(start, end int) int {
	bodyWords := d.wordSet(start, end, 600)
	best, bestScore := -1, -1e9
	// The headline comes before the running text: lines after the first
	// full paragraph are subheadings.
	stop := min(start+3, len(d.lines))
	for i := max(start, 0); i < stop; i++ {
		if d.feats[i].cls == clsGood {
			stop = i
		}
	}
	for i := max(0, start-40); i < min(start+3, len(d.lines)); i++ {
		s := d.lines[i].text
		f := d.feats[i]
		n := f.size()
		if i >= stop && (n < 3 || !d.repeated(i)) {
			continue // past the first paragraph only a repeated line can be the headline
		}
		if n == 0 || n > 30 || f.cls == clsBad || f.cls == clsGood && f.terminal ||
			strings.HasSuffix(s, ":") || isBullet(s) {
			continue
		}
		if _, ok := d.dateline(i); ok {
			continue
		}
		if _, ok := d.byline(i); ok {
			continue
		}
		if _, ok := categoryLabel(s); ok {
			continue
		}
		score := -0.05 * float64(abs(start-i))
		switch {
		case n >= 4 && n <= 25:
			score += 2
		case n <= 2:
			score -= 2
		}
		if strings.HasSuffix(s, ".") && !abbrevEnd(s) {
			score -= 3
		}
		if crumbRE.MatchString(s) {
			score -= 3
		}
		if _, ok := findDate(s); ok {
			score -= 2
		}
		if n > 20 {
			score -= 1
		}
		if d.metaFollows(i) {
			score += 2
		}
		if _, ok := nameLine(s); ok {
			score -= 2
		}
		score += 4 * overlap(s, bodyWords)
		if n >= 4 && d.repeated(i) {
			score += 1.5
		}
		if score > bestScore {
			best, bestScore = i, score
		}
	}
	return best
}

// wordSet collects the lower-cased content words of the text lines in
// [start, end), up to limit words.
func (d *doc) wordSet(start, end, limit int) map[string]bool {
	set := make(map[string]bool)
	n := 0
	for i := max(start, 0); i < end && n < limit; i++ {
		if d.feats[i].cls < clsNearGood {
			continue
		}
		for _, w := range words(d.lines[i].text) {
			set[w] = true
			n++
		}
	}
	return set
}

// overlap is the share of s's content words found in set.
func overlap(s string, set map[string]bool) float64 {
	ws := words(s)
	if len(ws) == 0 {
		return 0
	}
	hit := 0
	for _, w := range ws {
		if set[w] {
			hit++
		}
	}
	return float64(hit) / float64(len(ws))
}

// words splits s into lower-cased words that are not stop words.
func words(s string) []string {
	fs := strings.FieldsFunc(strings.ToLower(s), func(r rune) bool { return !isWordRune(r) })
	out := fs[:0]
	for _, w := range fs {
		if !stopWords[w] {
			out = append(out, w)
		}
	}
	return out
}

// repeated reports whether another line of the page holds line i's text,
// as a headline often appears twice (breadcrumb, sharing text, heading).
func (d *doc) repeated(i int) bool {
	s := d.lines[i].text
	for j := max(0, i-60); j < min(len(d.lines), i+60); j++ {
		if j != i && strings.Contains(d.lines[j].text, s) {
			return true
		}
	}
	return false
}

// abbrevEnd reports whether s ends with an abbreviation ("N.Y.C.", "Inc.")
// rather than a sentence.
func abbrevEnd(s string) bool {
	last := s[strings.LastIndexByte(s, ' ')+1:]
	return strings.Count(last, ".") > 1 || abbrevs[strings.ToLower(last)]
}

var abbrevs = map[string]bool{"inc.": true, "jr.": true, "sr.": true, "co.": true, "ltd.": true,
	"corp.": true, "st.": true, "dr.": true, "mr.": true, "mrs.": true, "ms.": true, "vs.": true, "etc.": true}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

// metaFollows reports whether a byline or dateline comes within three
// lines after line i.
func (d *doc) metaFollows(i int) bool {
	for j := i + 1; j < len(d.lines) && j <= i+3; j++ {
		if _, ok := d.byline(j); ok {
			return true
		}
		if _, ok := d.dateline(j); ok {
			return true
		}
	}
	return false
}

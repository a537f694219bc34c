package textdump

import "strings"

// Line weights for finding the body: running text counts for its words,
// everything else costs, so the best-scoring run of lines is the longest
// stretch of text that is not broken up by long stretches of page furniture.
const (
	costShort = 3
	costBad   = 8
)

func (d *doc) weight(i int) int {
	f := d.feats[i]
	switch f.cls {
	case clsGood:
		return f.size()
	case clsNearGood:
		return max(f.size()/2, 2)
	case clsBad:
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
	for start < end && d.feats[start].cls < clsNearGood {
		start++
	}
	for end > start && d.feats[end-1].cls < clsNearGood {
		end--
	}
	return start, end, false
}

// isClean recognizes an article already free of page furniture: a title
// line, then lines that nearly all read as text.
func (d *doc) isClean(limit int) bool {
	if limit < 2 || limit != len(d.lines) {
		return false
	}
	if f := d.feats[0]; f.cls == clsBad || f.size() > 30 || f.terminal && f.size() > 12 {
		return false
	}
	text, all := 0, 0
	for i := 1; i < limit; i++ {
		f := d.feats[i]
		all += f.size() + 1
		if f.cls >= clsNearGood {
			text += f.size() + 1
		}
		if f.cls == clsBad {
			return false
		}
	}
	return text > 0 && text*10 >= all*9
}

// title picks the headline among the lines before the body: a line of
// headline length, near the body, best followed by a byline or dateline.
func (d *doc) title(start int) int {
	best, bestScore := -1, -1e9
	from := max(0, start-40)
	for i := from; i < start && i < len(d.lines); i++ {
		s := d.lines[i].text
		f := d.feats[i]
		n := f.size()
		if n == 0 || n > 30 || f.cls == clsBad || strings.HasSuffix(s, ":") || isBullet(s) {
			continue
		}
		if _, ok := d.dateline(i); ok {
			continue
		}
		if _, ok := parseByline(s); ok {
			continue
		}
		if _, ok := categoryLabel(s); ok {
			continue
		}
		score := -0.12 * float64(start-i)
		switch {
		case n >= 4 && n <= 20:
			score += 2
		case n <= 2:
			score -= 2
		}
		if f.terminal && strings.HasSuffix(s, ".") {
			score -= 2
		}
		if crumbRE.MatchString(s) {
			score -= 3
		}
		if d.metaFollows(i) {
			score += 3
		}
		if score > bestScore {
			best, bestScore = i, score
		}
	}
	return best
}

// metaFollows reports whether a byline or dateline comes within three
// lines after line i.
func (d *doc) metaFollows(i int) bool {
	for j := i + 1; j < len(d.lines) && j <= i+3; j++ {
		s := d.lines[j].text
		if _, ok := parseByline(s); ok {
			return true
		}
		if _, ok := d.dateline(j); ok {
			return true
		}
	}
	return false
}

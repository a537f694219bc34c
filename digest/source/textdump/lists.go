package textdump

import (
	"regexp"
	"strings"
)

// promoteLists counts the items of a list of three or more as text: each
// item is short, but together they are content, not navigation (menus do
// not carry bullet marks in a dump).
func (d *doc) promoteLists() {
	for i := 0; i < len(d.lines); {
		if !isBullet(d.lines[i].text) {
			i++
			continue
		}
		// A run of items, allowing one plain line (a link, a note)
		// between two of them.
		j, items := i, 0
		for j < len(d.lines) {
			if isBullet(d.lines[j].text) && d.feats[j].cls != clsBad {
				items++
				j++
			} else if j+1 < len(d.lines) && isBullet(d.lines[j+1].text) && d.feats[j].cls != clsBad {
				j++
			} else {
				break
			}
		}
		if items >= 3 {
			for k := i; k < j; k++ {
				if d.feats[k].cls < clsNearGood && d.feats[k].words >= 2 {
					d.feats[k].cls = clsNearGood
				}
			}
		}
		i = max(j, i+1)
	}
}

// demoteTeasers marks runs of story teasers as furniture: four or more
// pairs of a headline and a one-sentence summary in a row. An article's
// subheadings are followed by longer paragraphs and rarely repeat so
// regularly.
func (d *doc) demoteTeasers() {
	isPair := func(i int) bool {
		if i+1 >= len(d.lines) {
			return false
		}
		h, t := d.feats[i], d.feats[i+1]
		return h.cls < clsNearGood && h.size() >= 3 && h.size() <= 15 && !h.terminal &&
			t.cls >= clsNearGood && t.size() <= 35
	}
	for i := 0; i < len(d.lines); {
		j := i
		for isPair(j) {
			j += 2
		}
		if (j-i)/2 >= 4 {
			for k := i; k < j; k++ {
				d.feats[k].cls = clsBad
			}
		}
		i = max(j, i+1)
	}
}

// rescueLists keeps the list a text line announces with a colon ("The
// tour dates:") whose items, once markup is gone, are short lines that
// would otherwise read as a menu. It returns the body's new end.
func (d *doc) rescueLists(start, end, limit int) int {
	for i := start; i < min(end+3, limit); i++ {
		t := d.lines[i].text
		// A section label ("Contact:") opens the page's closing
		// furniture, not a list of the article's.
		if !leadIn(t) || d.feats[i].size() > 20 || d.feats[i].cls == clsBad || d.feats[i].boiler || sectionRE.MatchString(t) {
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

// cutTeasers marks as furniture the lines a page cuts off with an
// ellipsis when it does so four times or more: story teasers. A few such
// lines may be a writer's trailing sentences.
func (d *doc) cutTeasers() {
	var cut []int
	for i, l := range d.lines {
		if _, ok := cutEnd(l.text); ok {
			cut = append(cut, i)
		}
	}
	if len(cut) < 4 {
		return
	}
	for _, i := range cut {
		d.feats[i].cls = clsBad
	}
}

// demoteCards marks lists of cards as furniture: the same widget label
// ("Read the rest", "Reply", "Weiterlesen") after every card of a teaser
// grid or a comment thread, each card holding only a line or two of text.
// Advertisement markers are no such label: pages set them between the
// paragraphs of the article itself.
func (d *doc) demoteCards() {
	const minRepeats, maxCardLines, maxCardSize = 3, 2, 80
	at := make(map[string][]int)
	for i, l := range d.lines {
		if f := d.feats[i]; f.words == 0 || f.size() > 4 || !f.boiler || adLabelRE.MatchString(l.text) {
			continue
		}
		k := strings.ToLower(l.text)
		at[k] = append(at[k], i)
	}
	card := func(from, to int) bool { // lines (from, to) hold one card
		lines, size := 0, 0
		for j := from + 1; j < to; j++ {
			if d.feats[j].cls >= clsNearGood {
				lines++
				size += d.feats[j].size()
			}
		}
		return lines >= 1 && lines <= maxCardLines && size <= maxCardSize
	}
	for _, pos := range at {
		if len(pos) < minRepeats {
			continue
		}
		var cards [][2]int
		for k := 0; k+1 < len(pos); k++ {
			if card(pos[k], pos[k+1]) {
				cards = append(cards, [2]int{pos[k], pos[k+1]})
			}
		}
		if len(cards) < minRepeats-1 {
			continue
		}
		// The first card precedes the first label: as many lines as the
		// card after it.
		if n := pos[1] - pos[0]; pos[0]-n >= 0 && card(pos[0]-n, pos[0]) {
			cards = append(cards, [2]int{pos[0] - n, pos[0]})
		}
		for _, c := range cards {
			for j := c[0] + 1; j < c[1]; j++ {
				if d.feats[j].cls >= clsNearGood {
					d.feats[j].cls = clsBad
				}
			}
		}
	}
}

// adLabelRE marks an advertisement slot.
var adLabelRE = regexp.MustCompile(`(?i)^\W*(?:advertisement|advertising|ad|ads|sponsored|anzeige|werbung|publicidad|publicité|publicidade|pubblicità|reklama|advertentie)\W*$`)

// quantityRE opens an ingredient or parts line: an amount, then a unit or
// a word ("250 g Weizenmehl", "1 Pck. Backpulver", "½ cup sugar").
var quantityRE = regexp.MustCompile(`^(?:\d{1,4}(?:[.,/]\d{1,3})?(?:\s*[-–]\s*\d{1,4})?|[½¼¾⅓⅔⅛]|\d[½¼¾])\s*\p{L}`)

// promoteQuantities keeps ingredient and parts lists: four or more short
// lines that open with an amount, with their "Filling:" labels between.
// Each line is short, but together they are what a recipe is made of.
func (d *doc) promoteQuantities() {
	qty := func(i int) bool {
		f := d.feats[i]
		if s := d.lines[i].text; f.cls == clsBad || f.size() == 0 || f.size() > 10 || !quantityRE.MatchString(s) || outlineRE.MatchString(s) {
			return false
		}
		_, date := d.dateline(i)
		return !date
	}
	label := func(i int) bool {
		return strings.HasSuffix(d.lines[i].text, ":") && d.feats[i].size() <= 4 && d.feats[i].cls != clsBad
	}
	for i := 0; i < len(d.lines); {
		if !qty(i) {
			i++
			continue
		}
		j, n, steps, prev := i, 0, 0, -1
		for j < len(d.lines) && (qty(j) || label(j) && j+1 < len(d.lines) && qty(j+1)) {
			if qty(j) {
				n++
				// A table of contents or a numbered list counts up
				// (1, 1.1, 2, 3 …); amounts do not.
				v := leadingInt(d.lines[j].text)
				if v == prev+1 {
					steps++
				}
				prev = v
			}
			j++
		}
		if n >= 4 && steps*2 < n {
			for k := i; k < j; k++ {
				d.feats[k].cls = max(d.feats[k].cls, clsNearGood)
			}
		}
		i = max(j, i+1)
	}
}

// outlineRE is a section number of a table of contents ("3.1 Firefox").
var outlineRE = regexp.MustCompile(`^\d{1,2}(?:\.\d{1,2})+\.?\s+\p{Lu}`)

// leadingInt is the integer a line opens with, or -1.
func leadingInt(s string) int {
	n, digits := 0, 0
	for _, r := range s {
		if r < '0' || r > '9' || digits == 6 {
			break
		}
		n = n*10 + int(r-'0')
		digits++
	}
	if digits == 0 {
		return -1
	}
	return n
}

// pairRE is a "Label: value" line: a short label of words, a colon, and
// something after it ("Pullover: H&M", "Calories: 291 kcal").
var pairRE = regexp.MustCompile(`^[\p{L}][\p{L}\p{N} ./&'’()-]{0,30}:\s+\S`)

// promotePairs keeps runs of "Label: value" lines between text: the data
// box of a recipe, a product's specifications, the credits of an outfit.
// Each line is short, but a run of them is content; menus have no colons.
func (d *doc) promotePairs() {
	pair := func(i int) bool {
		f := d.feats[i]
		if f.cls != clsShort || f.size() > 10 || !pairRE.MatchString(d.lines[i].text) {
			return false
		}
		if _, ok := categoryLabel(d.lines[i].text); ok {
			return false
		}
		// "Published: 3 Jan 2019" is a dateline. (findDate, not
		// d.dateline: the page's date reading is not set up yet.)
		_, date := findDate(d.lines[i].text)
		return !date
	}
	for i := 0; i < len(d.lines); {
		j := i
		for j < len(d.lines) && pair(j) {
			j++
		}
		if j-i >= minPairs {
			for k := i; k < j; k++ {
				d.feats[k].cls = clsNearGood
			}
		}
		i = max(j, i+1)
	}
}

// minPairs is the shortest run kept: two pairs may be a byline and a
// date line ("Text: Name", "Photos: Name"); three or more are a list
// (chosen on the tune split, where 3 scored best and 2 and 4 close).
const minPairs = 3

// leadIn reports a line that announces what follows: a colon, or an
// ellipsis set apart by a space, left open for the items to complete
// ("People who ..."). A teaser cut short ends its last word with the
// ellipsis instead ("Read what they found…").
func leadIn(s string) bool {
	return strings.HasSuffix(s, ":") || strings.HasSuffix(s, " ...") || strings.HasSuffix(s, " …")
}

// colonEdges widens the body by a sentence that ends in a colon right at
// either edge: one above the first paragraph introduces it (a speaker
// before a quotation), one below the last points on ("The report is
// here:"). Such a line is short of the length running text needs, but
// menus and labels are shorter still.
func (d *doc) colonEdges(start, end, limit int) (int, int) {
	colon := func(i int) bool {
		f, s := d.feats[i], d.lines[i].text
		if f.cls == clsBad || f.boiler || f.corpusRep || f.size() < minColonWords || f.size() > 40 ||
			!strings.HasSuffix(s, ":") || sectionRE.MatchString(s) {
			return false
		}
		_, cat := categoryLabel(s)
		return !cat
	}
	if start > 0 && colon(start-1) {
		start--
		d.feats[start].cls = clsNearGood
	}
	if end < limit && colon(end) {
		d.feats[end].cls = clsNearGood
		end++
	}
	return start, end
}

// minColonWords is the shortest colon line taken in at an edge.
const minColonWords = 5

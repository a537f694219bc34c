package htmlpage

import (
	"sort"
	"strings"
	"unicode"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"github.com/weeklywrap/digest/digest/source/clean"
)

// block is one paragraph of the page as a browser shows it, with what the
// extractors made of it and how likely it is part of the article.
type block struct {
	clean.Block
	words int
	// traf and read tell whether trafilatura's and readability's bodies
	// hold this paragraph.
	traf, read bool
	// inMain: the block sits inside the element that holds most of the
	// extractors' text; pos is -1 before that text, 0 among it, 1 after.
	inMain bool
	pos    int
	x      features
	p      float64 // probability that the block is article text
}

// page is a parsed page cut into blocks.
type page struct {
	blocks []block
	main   *html.Node
	title  map[string]bool
}

// cutBlocks splits the document into blocks and marks the ones each
// extractor kept.
func cutBlocks(doc *html.Node, trafParas, readParas []string, title string) *page {
	body := findBody(doc)
	pg := &page{title: wordSet(title)}
	for _, b := range clean.HTMLBlocks(body) {
		pg.blocks = append(pg.blocks, block{Block: b, words: textSize([]string{b.Text})})
	}
	mark(pg.blocks, trafParas, func(b *block) { b.traf = true })
	mark(pg.blocks, readParas, func(b *block) { b.read = true })
	pg.locate(body)
	pg.dropCopies(trafParas)
	return pg
}

func findBody(doc *html.Node) *html.Node {
	var body *html.Node
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if body != nil {
			return
		}
		if n.Type == html.ElementNode && n.DataAtom == atom.Body {
			body = n
			return
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	if body == nil {
		return doc
	}
	return body
}

// mark calls set on the blocks whose text the extractor's paragraphs hold.
//
// The extractor's text is read as one stream without spaces, since
// extractors split, join and space paragraphs differently from the page
// ("layoffs.The" against "layoffs. The"); it follows the page's order, so
// each block is looked for just after the last one found. A long block is
// also looked for anywhere, because trafilatura appends the text it
// recovers late, and matched by its words when the extractor dropped a
// bit inside it (the "Opens a new window" of a link).
func mark(blocks []block, paras []string, set func(*block)) {
	// slack is how far past the last match a block may start at the
	// start of a paragraph, skip how far inside one: the extractor adds
	// little of its own.
	const slack, skip = 40, 8
	var stream strings.Builder
	sq := make([]string, len(paras))
	starts := make([]int, len(paras)) // where each paragraph starts in the stream
	for k, p := range paras {
		sq[k] = squeeze(p)
		starts[k] = stream.Len()
		stream.WriteString(sq[k])
	}
	s := stream.String()
	// at tells whether a match at i begins a paragraph.
	at := func(i int) bool {
		k := sort.SearchInts(starts, i)
		return k < len(starts) && starts[k] == i
	}
	cur := 0
	for i := range blocks {
		t := squeeze(blocks[i].Text)
		if t == "" {
			continue
		}
		// the paragraph the cursor is in
		pk := sort.SearchInts(starts, cur+1) - 1
		// A block must follow on directly or start a paragraph; a long
		// one may skip a few bytes the extractor added (a bullet). Found
		// inside a sentence, a short block is a word of it and a long one
		// a quote.
		if k := strings.Index(s[cur:], t); k >= 0 && k <= slack && (k <= skip && len(t) >= 20 || k == 0 || at(cur+k)) {
			set(&blocks[i])
			cur += k + len(t)
			continue
		}
		if n, l := prefixNear(s[cur:], t, slack); l >= 12 && l*10 >= len(t)*6 && (n <= skip || at(cur+n)) {
			// the extractor kept the start of the block and dropped its
			// end ("Founded 1998" of "Founded 1998; 18 years ago")
			set(&blocks[i])
			cur += n + l
			continue
		}
		if q, n := within(sq, max(pk, 0), t); n > 0 {
			// the extractor kept most of the block as one or more
			// paragraphs, dropping bits around them
			set(&blocks[i])
			cur = starts[q] + n
			continue
		}
		if len(t) >= 20 {
			// Further on, at the start of a paragraph: the extractor left
			// out something the cursor waited for. A long block may be
			// anywhere, because trafilatura appends text it recovers late.
			limit := len(s)
			if len(t) < 50 && pk+5 < len(starts) {
				limit = starts[pk+5]
			}
			if k := paragraphAt(s[:limit], t, at); k >= 0 {
				set(&blocks[i])
				cur = k + len(t)
				continue
			}
			// the paragraphs around the cursor, compared by words
			for q := max(pk-1, 0); q < len(paras) && q <= pk+2; q++ {
				if sameWords(blocks[i].Text, paras[q]) {
					set(&blocks[i])
					if q+1 < len(starts) && starts[q+1] > cur {
						cur = starts[q+1]
					}
					break
				}
			}
		}
	}
}

// within looks, among the three paragraphs from the from-th on, for one
// inside the block text t that starts a run of paragraphs all inside t and
// making up most of it. It returns that paragraph and the length of the
// run in the stream; the length is 0 when there is none.
func within(sq []string, from int, t string) (first, n int) {
	for q := from; q < len(sq) && q < from+3; q++ {
		if len(sq[q]) < 12 || !strings.Contains(t, sq[q]) {
			continue
		}
		for k := q; k < len(sq) && sq[k] != "" && strings.Contains(t, sq[k]); k++ {
			n += len(sq[k])
		}
		if n*10 >= len(t)*6 {
			return q, n
		}
		return 0, 0
	}
	return 0, 0
}

// prefixNear finds, within the first slack bytes of s, the place that
// shares the longest start with t; it returns where and how long.
func prefixNear(s, t string, slack int) (at, n int) {
	for k := 0; k <= slack && k < len(s); k++ {
		if s[k] != t[0] {
			continue
		}
		l := 0
		for l < len(t) && k+l < len(s) && s[k+l] == t[l] {
			l++
		}
		if l > n {
			at, n = k, l
		}
	}
	return at, n
}

// paragraphAt finds t where it starts a paragraph of the stream s, or
// returns -1. A long text found inside another paragraph is a quote of it
// (a headline repeated in a teaser), not the paragraph the extractor kept.
func paragraphAt(s, t string, at func(int) bool) int {
	for off := 0; ; {
		k := strings.Index(s[off:], t)
		if k < 0 {
			return -1
		}
		if at(off + k) {
			return off + k
		}
		off += k + 1
	}
}

// dropCopies resolves text that the page shows more often than
// trafilatura kept it (a headline or lead repeated in a teaser): the
// copies kept are those inside the article's container, then those next
// to other kept blocks.
func (pg *page) dropCopies(paras []string) {
	groups := map[string][]int{}
	var order []string // the texts in page order, for a result that does not depend on map order
	for i, b := range pg.blocks {
		if b.traf {
			t := squeeze(b.Text)
			if groups[t] == nil {
				order = append(order, t)
			}
			groups[t] = append(groups[t], i)
		}
	}
	for _, t := range order {
		idx := groups[t]
		if len(idx) < 2 {
			continue
		}
		kept := 0
		for _, p := range paras {
			if squeeze(p) == t {
				kept++
			}
		}
		excess := len(idx) - max(kept, 1)
		lonely := func(i int) bool {
			return (i == 0 || !pg.blocks[i-1].traf) && (i+1 == len(pg.blocks) || !pg.blocks[i+1].traf)
		}
		for _, drop := range []func(int) bool{
			func(i int) bool { return !pg.blocks[i].inMain },
			lonely,
		} {
			for _, i := range idx {
				if excess > 0 && pg.blocks[i].traf && drop(i) {
					pg.blocks[i].traf = false
					excess--
				}
			}
		}
	}
}

// sameWords reports whether a block a and an extractor's paragraph b are
// the same text: they share four in five of the words of each, or the
// paragraph is nearly all in the block and is more than half of it (the
// extractor dropped a clause).
func sameWords(a, b string) bool {
	wa, wb := words(a), words(b)
	if len(wa) < 5 || len(wb) < 5 {
		return false
	}
	count := map[string]int{}
	for _, w := range wb {
		count[w]++
	}
	common := 0
	for _, w := range wa {
		if count[w] > 0 {
			count[w]--
			common++
		}
	}
	return common*5 >= len(wa)*4 && common*5 >= len(wb)*4 ||
		common*10 >= len(wb)*9 && common*2 >= len(wa)
}

// squeeze drops the spaces of s.
func squeeze(s string) string {
	if !strings.Contains(s, " ") {
		return s
	}
	return strings.ReplaceAll(s, " ", "")
}

// locate finds the element that holds most of the extractors' text (the
// article's container) and places every block before, in, or after the
// run of article text inside it.
func (pg *page) locate(body *html.Node) {
	anchor := func(b *block) bool { return b.traf }
	if !pg.any(anchor) {
		anchor = func(b *block) bool { return b.read }
	}
	if !pg.any(anchor) {
		// Neither extractor found an article (a short page, or one they
		// misread): the paragraphs of prose stand in for their text.
		anchor = prose
	}
	// Text the page repeats (a lead shown again as a teaser) says nothing
	// about where the article is until the copies are told apart.
	copies := map[string]int{}
	for i := range pg.blocks {
		if b := &pg.blocks[i]; anchor(b) {
			copies[b.Text]++
		}
	}
	weight := map[*html.Node]int{}
	total := 0
	for i := range pg.blocks {
		b := &pg.blocks[i]
		if !anchor(b) || copies[b.Text] > 1 && len(copies) > 1 {
			continue
		}
		total += b.Runes
		for n := b.Node; n != nil; n = n.Parent {
			weight[n] += b.Runes
		}
	}
	if total == 0 {
		for i := range pg.blocks {
			pg.blocks[i].pos = 1
		}
		return
	}
	// Descend from the body while one child still holds most of the
	// text: the deepest such element is the article's container.
	main := body
	for {
		var next *html.Node
		for c := main.FirstChild; c != nil; c = c.NextSibling {
			if weight[c]*10 >= total*8 {
				next = c
				break
			}
		}
		if next == nil {
			break
		}
		main = next
	}
	pg.main = main
	first, last := -1, -1
	for i := range pg.blocks {
		b := &pg.blocks[i]
		b.inMain = contains(main, b.Node)
		if b.inMain && anchor(b) {
			if first < 0 {
				first = i
			}
			last = i
		}
	}
	for i := range pg.blocks {
		switch {
		case i < first:
			pg.blocks[i].pos = -1
		case i > last:
			pg.blocks[i].pos = 1
		}
	}
}

// prose reports a block that reads as running text: a sentence of some
// length, mostly not a link.
func prose(b *block) bool {
	return b.words >= 10 && b.LinkRunes*3 < b.Runes && endsSentence(b.Text)
}

func (pg *page) any(f func(*block) bool) bool {
	for i := range pg.blocks {
		if f(&pg.blocks[i]) {
			return true
		}
	}
	return false
}

// contains reports whether n is a or lies inside a.
func contains(a, n *html.Node) bool {
	for ; n != nil; n = n.Parent {
		if n == a {
			return true
		}
	}
	return false
}

// wordSet is the set of lower-cased words of s.
func wordSet(s string) map[string]bool {
	m := map[string]bool{}
	for _, w := range words(s) {
		m[w] = true
	}
	return m
}

// words splits s into lower-cased words of letters and digits.
func words(s string) []string {
	return strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsNumber(r)
	})
}

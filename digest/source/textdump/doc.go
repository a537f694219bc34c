package textdump

import (
	"fmt"
	"regexp"
	"sort"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/weeklywrap/digest/digest"
)

func errEmpty(name string) error { return fmt.Errorf("textdump: %s: no text", name) }

// use records what a line was taken for, so no line serves twice.
type use int

const (
	useNone use = iota
	useTitle
	useByline
	useDate
	useCategory
	useComment
)

// doc is one dump under analysis.
type doc struct {
	lines []line
	feats []feat
	used  []use
	dates []dateCache
	bys   []bylineCache
	lower map[string]bool // words seen in lower case, built on first use
	// anchor is where the body's run of text began before small pieces
	// were trimmed off its edges; the headline is looked for around it.
	anchor int
}

// dateCache memoizes isDateline per line; the header search asks often.
type dateCache struct {
	done, ok bool
	t        time.Time
}

// bylineCache memoizes parseByline per line.
type bylineCache struct {
	done, ok bool
	b        byline
}

// byline is parseByline for line i.
func (d *doc) byline(i int) (byline, bool) {
	c := &d.bys[i]
	if !c.done {
		c.b, c.ok = parseByline(d.lines[i].text)
		c.done = true
	}
	return c.b, c.ok
}

// dateline is isDateline for line i.
func (d *doc) dateline(i int) (time.Time, bool) {
	c := &d.dates[i]
	if !c.done {
		c.t, c.ok = isDateline(d.lines[i].text)
		c.done = true
	}
	return c.t, c.ok
}

func newDoc(lines []line, c *Corpus) *doc {
	d := &doc{lines: lines, feats: make([]feat, len(lines)), used: make([]use, len(lines)), dates: make([]dateCache, len(lines)),
		bys: make([]bylineCache, len(lines))}
	stop, words := 0, 0
	for i, l := range lines {
		d.feats[i] = measure(l.text)
		if f := d.feats[i]; f.words >= 10 && f.terminal {
			stop += f.stop
			words += f.words
		}
	}
	// The density that marks running text depends on the language: half
	// the page's own density, capped at what English prose clears easily.
	// Languages our stop list does not know at all get no density test.
	density := 0.0
	if words > 0 {
		density = float64(stop) / float64(words)
	}
	minDensity := min(0.18, density/2)
	if density < 0.08 {
		minDensity = 0
	}
	good, rep := 0, 0
	for i := range d.feats {
		f := &d.feats[i]
		f.cls = classify(*f, minDensity)
		f.corpusRep = c.repeated(lines[i].text)
		if f.cls >= clsNearGood {
			good += f.size()
			if f.corpusRep {
				rep += f.size()
			}
		}
	}
	// When most text repeats across the corpus, the folder holds copies of
	// one page: repetition then says nothing about boilerplate.
	if rep*10 > good*7 {
		for i := range d.feats {
			d.feats[i].corpusRep = false
		}
	}
	for i := range d.feats {
		if d.feats[i].corpusRep {
			d.feats[i].cls = clsBad
		}
	}
	d.promoteLists()
	d.demoteTeasers()
	return d
}

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

// article runs the whole analysis.
func (d *doc) article() digest.Article {
	a := digest.Article{Categories: []string{}, Paragraphs: []string{}, Comments: []digest.Comment{}}
	heads := d.commentHeads()
	// A header without text under it is a card or a caption, not a comment.
	cs := extractComments(d.lines, d.feats, heads)
	kept := heads[:0]
	var comments []digest.Comment
	for k, c := range cs {
		if strings.TrimSpace(c.Text) != "" {
			kept = append(kept, heads[k])
			comments = append(comments, c)
		}
	}
	heads = kept
	limit := len(d.lines)
	if len(heads) > 0 {
		limit = heads[0].idx
	}
	start, end, clean := d.region(limit)
	if start < 0 {
		a.LowConfidence = true
		start, end = 0, limit
	} else if !clean {
		end = d.rescueLists(start, end, limit)
	}
	ti := -1
	if clean {
		ti, start = 0, 1
	} else {
		ti = d.title(min(d.anchor, start), end)
	}
	if ti >= 0 {
		a.Title = d.lines[ti].text
		d.used[ti] = useTitle
	}
	d.meta(&a, ti, start, end, limit)
	for k := range heads {
		for i := heads[k].idx; i < len(d.lines) && (k+1 == len(heads) || i < heads[k+1].idx); i++ {
			d.used[i] = useComment
		}
	}
	if len(comments) > 0 {
		a.Comments = comments
	}
	a.CommentCount = max(len(a.Comments), d.statedComments())
	a.Paragraphs = d.body(start, end, clean)
	if a.Published.IsZero() {
		for _, c := range a.Comments {
			if !c.Published.IsZero() && (a.Published.IsZero() || c.Published.Before(a.Published)) {
				a.Published = c.Published
				a.PublishedFrom = digest.DateFromComment
			}
		}
	}
	if a.Words() < 30 {
		a.LowConfidence = true
	}
	return a
}

// countRE matches a stated number of comments: "34 responses to …",
// "12 Comments", "Comments (7)".
var countRE = regexp.MustCompile(`(?i)^(?:(\d{1,6})\s+(?:comments?|responses?|replies|reactions)\b|comments?\s*\((\d{1,6})\))`)

// statedComments is the comment count the page states, or 0. Pages often
// show fewer comments than they count.
func (d *doc) statedComments() int {
	n := 0
	for i, l := range d.lines {
		if d.feats[i].words > 12 {
			continue
		}
		if m := countRE.FindStringSubmatch(l.text); m != nil {
			n = max(n, atoi(m[1]+m[2]))
		}
	}
	return n
}

// commentHeads finds comment headers after some article text: one-line
// "Title. Author – date" headers, and name-then-date pairs when the page
// has at least two of them (one pair alone is as likely an article's
// byline and dateline).
func (d *doc) commentHeads() []commentHead {
	var one, two []commentHead
	good := 0
	for i, l := range d.lines {
		f := d.feats[i]
		if good >= 50 && f.words <= 80 {
			if h, ok := parseCommentHead(l.text); ok {
				h.idx, h.body = i, i+1
				one = append(one, h)
				continue
			}
			if i+1 < len(d.lines) && f.words <= 6 && !f.terminal {
				if t, ok := d.dateline(i + 1); ok {
					m := dateMatch{t: t}
					if h, ok := parseTwoLineHead(l.text, m); ok {
						h.idx, h.body = i, i+2
						two = append(two, h)
						continue
					}
				}
			}
		}
		if f.cls == clsGood {
			good += f.size()
		}
	}
	two = clustered(d.withText(two), 12)
	if len(two) < 2 {
		return one
	}
	heads := append(one, two...)
	sort.Slice(heads, func(i, j int) bool { return heads[i].idx < heads[j].idx })
	return heads
}

// withText keeps the two-line headers followed by some text before the
// next one: lists of related articles also pair names with dates, but
// with headlines between them, not sentences.
func (d *doc) withText(heads []commentHead) []commentHead {
	var out []commentHead
	for k, h := range heads {
		end := min(len(d.lines), h.body+30)
		if k+1 < len(heads) {
			end = heads[k+1].idx
		}
		for i := h.body; i < end; i++ {
			if f := d.feats[i]; f.cls >= clsNearGood || f.terminal && f.words >= 2 {
				out = append(out, h)
				break
			}
		}
	}
	return out
}

// clustered drops headers with no other header within gap lines: comments
// come in runs, while a lone name-and-date pair is a byline or a teaser.
func clustered(heads []commentHead, gap int) []commentHead {
	var out []commentHead
	for k, h := range heads {
		if k > 0 && h.idx-heads[k-1].idx <= gap || k+1 < len(heads) && heads[k+1].idx-h.idx <= gap {
			out = append(out, h)
		}
	}
	return out
}

// body collects the paragraphs of lines [start, end).
func (d *doc) body(start, end int, clean bool) []string {
	out := []string{}
	for i := start; i < end; i++ {
		// A clean article keeps every line but its title: a line that
		// reads like a byline may be a sentence of the text.
		if d.used[i] != useNone && (!clean || d.used[i] == useTitle) {
			continue
		}
		f := d.feats[i]
		keep := clean || f.cls >= clsNearGood || d.heading(i, end)
		if !keep {
			continue
		}
		text := d.lines[i].text
		if n := len(out); n > 0 && d.lines[i].gap == 0 && !clean && isBullet(text) {
			out[n-1] += "\n" + text
			continue
		}
		out = append(out, splitGlued(text)...)
	}
	return out
}

// heading keeps a short line inside the body when it introduces text: not
// boilerplate, not a label, and followed by a paragraph.
func (d *doc) heading(i, end int) bool {
	f := d.feats[i]
	if f.cls == clsBad || f.size() == 0 || f.size() > 14 || f.terminal {
		return false
	}
	if _, ok := d.dateline(i); ok {
		return false
	}
	for j := i + 1; j < end && j <= i+1; j++ {
		if d.feats[j].cls == clsGood {
			return true
		}
	}
	return false
}

// splitGlued repairs paragraph breaks lost in the dump: a sentence end
// directly followed by a capitalized word ("internet.Fortunately"). The
// sentence must end a lower-case word of two letters or more, so that
// initials, abbreviations and domain names stay whole.
func splitGlued(s string) []string {
	var out []string
	from := 0
	for i := 2; i+1 < len(s); i++ {
		c := s[i]
		if c != '.' && c != '!' && c != '?' {
			continue
		}
		p1, n1 := utf8.DecodeLastRuneInString(s[:i])
		p2, _ := utf8.DecodeLastRuneInString(s[:i-n1])
		if !unicode.IsLower(p1) || !unicode.IsLower(p2) {
			continue
		}
		cut := i + 1
		for _, q := range []string{"\"", "”", "’", ")"} {
			if strings.HasPrefix(s[cut:], q) {
				cut += len(q)
				break
			}
		}
		u, nu := utf8.DecodeRuneInString(s[cut:])
		l, _ := utf8.DecodeRuneInString(s[cut+nu:])
		if unicode.IsUpper(u) && unicode.IsLower(l) {
			out = append(out, s[from:cut])
			from = cut
		}
	}
	return append(out, s[from:])
}

package textdump

import (
	"fmt"
	"strings"
	"time"

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
	pd    *pageDates      // how the page writes dates (dates.go)
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
		c.t, c.ok = d.pageDates().dateline(d.lines[i].text)
		c.done = true
	}
	return c.t, c.ok
}

func newDoc(lines []line, c *Corpus) *doc {
	d := &doc{lines: lines, feats: make([]feat, len(lines)), used: make([]use, len(lines)), dates: make([]dateCache, len(lines)),
		bys: make([]bylineCache, len(lines))}
	stop, words := 0, 0
	lang := pageLanguage(lines)
	for i, l := range lines {
		d.feats[i] = measure(l.text, lang)
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
	d.promoteQuantities()
	d.promotePairs()
	d.demoteTeasers()
	d.cutTeasers()
	d.demoteCards()
	return d
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
	if n := d.listingHeads(heads); n > 0 {
		heads, comments = heads[n:], comments[n:]
	}
	limit := len(d.lines)
	if len(heads) > 0 {
		limit = heads[0].idx
	}
	start, end, clean := d.region(limit)
	found := start >= 0
	if !found {
		start, end = 0, limit
	} else if !clean {
		end = d.rescueLists(start, end, limit)
		start, end = d.colonEdges(start, end, limit)
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
	a.Paragraphs = append(d.standfirst(ti, start), d.body(start, end, clean)...)
	if a.Published.IsZero() {
		d.laterDate(&a, start, end, limit)
	}
	if a.Published.IsZero() {
		for _, c := range a.Comments {
			if !c.Published.IsZero() && (a.Published.IsZero() || c.Published.Before(a.Published)) {
				a.Published = c.Published
				a.PublishedFrom = digest.DateFromComment
			}
		}
	}
	a.Confidence = 0
	if found {
		a.Confidence = d.confidence(start, end, limit, a.Words(), clean)
	}
	a.LowConfidence = a.Confidence < minConfidence
	return a
}

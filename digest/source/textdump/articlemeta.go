package textdump

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/weeklywrap/digest/digest"
)

// meta fills author, date and categories from the lines around the body:
// the header zone between title and body (and the first body lines), then
// the lines right after the body, where some sites put the byline.
func (d *doc) meta(a *digest.Article, ti, start, end, limit int) {
	hFrom, hTo := max(0, start-headerAboveBody), min(start+headerIntoBody, end, limit)
	if ti >= 0 {
		hFrom, hTo = max(0, ti-headerAboveTitle), min(max(start, ti+1)+headerIntoBody, limit)
	}
	zones := [][2]int{{hFrom, hTo}, {max(start, end-footerInBody), min(end+footerAfterBody, limit)}}
	// Explicit bylines first, then a bare name beside a date, then a bare
	// name in the header alone.
	finders := []func(i int) (byline, bool){
		func(i int) (byline, bool) {
			if byAloneRE.MatchString(d.lines[i].text) && i+1 < len(d.lines) {
				b, ok := splitNameRole(d.lines[i+1].text)
				if ok && len(strings.Fields(b.name)) <= bylineNameMaxWords {
					d.used[i+1] = useByline
					if b.role == "" && i+2 < len(d.lines) && roleRE.MatchString(d.lines[i+2].text) && d.feats[i+2].words <= bylineRoleMaxWords {
						b.role = d.lines[i+2].text
						d.used[i+2] = useByline
					}
				}
				return b, ok
			}
			if b, ok := d.byline(i); ok {
				return b, true
			}
			return nameThenDate(d.lines[i].text)
		},
		func(i int) (byline, bool) {
			if i >= start+bodyOpening && i < end || !d.dateNear(i) {
				return byline{}, false // a short line inside the text is not a byline
			}
			return d.bareName(i)
		},
	}
	// A bare name is looked for under the headline before above it, where
	// site and section names stand.
	bareZones := zones
	if ti >= 0 {
		bareZones = [][2]int{{ti + 1, hTo}, {hFrom, ti}, zones[1]}
	}
	for k, find := range finders {
		zs := zones
		if k > 0 {
			zs = bareZones
		}
		for _, z := range zs {
			if a.Author == "" {
				d.findAuthor(a, z[0], z[1], find)
			}
		}
	}
	if a.Author == "" {
		// An explicit byline further up, above a video or a teaser box
		// that separates the headline block from the text; the nearest.
		for i := start - 1; i >= max(0, start-bylineFarAbove) && a.Author == ""; i-- {
			d.findAuthor(a, i, i+1, func(i int) (byline, bool) { return d.byline(i) })
		}
	}
	if a.Author == "" && ti >= 0 {
		// A bare name is only trusted close to the headline.
		bare := func(i int) (byline, bool) {
			if i >= start+bodyOpening && i < end {
				return byline{}, false
			}
			return d.bareName(i)
		}
		// Names under the headline first; above it sit site names.
		d.findAuthor(a, ti+1, min(ti+nameBelowTitle, max(hTo, ti+1)), bare)
		if a.Author == "" {
			d.findAuthor(a, max(0, ti-nameAboveTitle), ti, bare)
		}
	}
	if a.Author == "" {
		if b, ok := d.copyrightAuthor(); ok {
			a.Author, a.AuthorRole = b.name, b.role
		}
	}
	// Datelines: around the headline first, then after the body, then
	// anywhere from just above the headline into the first paragraphs.
	zones = append(zones, [2]int{max(0, hFrom-datelineAboveHeader), min(limit, start+datelineIntoBody)})
	for _, z := range zones {
		if !a.Published.IsZero() {
			break
		}
		for i := z[0]; i < z[1]; i++ {
			if d.used[i] != useNone {
				continue
			}
			if t, ok := d.dateline(i); ok {
				a.Published, a.PublishedFrom = t, digest.DateFromText
				d.used[i] = useDate
				break
			}
		}
	}
	d.categories(a, hFrom, limit)
}

// The zones meta searches, in lines. They were set by hand on the tune
// split and are kept as they were when they got names.
const (
	headerAboveBody  = 12 // without a headline, the header zone starts this far above the body
	headerAboveTitle = 6  // with one, this far above the headline
	headerIntoBody   = 8  // and reaches this far into the body (from its start, or from under the headline)
	footerInBody     = 3  // the zone after the body starts this far inside its end
	footerAfterBody  = 10 // and reaches this far past it

	bylineNameMaxWords  = 6   // words of a name under a lone "By" line at most
	bylineRoleMaxWords  = 8   // words of a role line under that name at most
	bodyOpening         = 3   // lines at the body's start where a bare name may still be the byline
	bylineFarAbove      = 120 // how far above the body an explicit byline is still looked for
	nameBelowTitle      = 8   // a bare name is trusted this far under the headline
	nameAboveTitle      = 3   // or this far above it
	datelineAboveHeader = 4   // the last dateline zone starts this far above the header zone
	datelineIntoBody    = 20  // and reaches this far into the body
)

// findAuthor sets the author from the first line in [from, to) that find
// accepts, and a date on that line when there is one.
func (d *doc) findAuthor(a *digest.Article, from, to int, find func(int) (byline, bool)) {
	for i := from; i < to; i++ {
		if d.used[i] != useNone {
			continue
		}
		var b byline
		var ok bool
		if d.feats[i].cls == clsGood {
			// A text-like line is a byline only when it says so
			// ("Site | date | By Name (with …)").
			b, ok = d.byline(i)
		} else {
			b, ok = find(i)
		}
		if !ok {
			continue
		}
		a.Author, a.AuthorRole = b.name, b.role
		d.used[i] = useByline
		if m, ok := findDateOrder(d.lines[i].text, d.pageDates().order); ok && a.Published.IsZero() {
			a.Published, a.PublishedFrom = m.t, digest.DateFromText
		}
		return
	}
}

// bareName accepts a line holding only a person's name. Section labels
// ("Marketing Strategy") look the same, but their words also occur in lower
// case on the page, which names rarely do.
func (d *doc) bareName(i int) (byline, bool) { return d.bareNameIn(d.lines[i].text) }

// bareNameIn is bareName for any text of the page.
func (d *doc) bareNameIn(s string) (byline, bool) {
	b, ok := nameLine(s)
	if !ok {
		return b, false
	}
	if d.lower == nil {
		d.lower = make(map[string]bool)
		for _, l := range d.lines {
			if strings.ContainsAny(l.text, "@/") {
				continue // addresses and links spell names in lower case
			}
			for _, w := range strings.FieldsFunc(l.text, func(r rune) bool { return !isWordRune(r) }) {
				if r, _ := utf8.DecodeRuneInString(w); unicode.IsLower(r) {
					d.lower[w] = true
				}
			}
		}
	}
	// "Name, Business Insider": the parts after the first that use words
	// the page also writes in lower case are the writer's outlet or role.
	parts := strings.Split(b.name, ",")
	for k, p := range parts {
		if d.lowerUse(p) {
			if k == 0 {
				return b, false
			}
			b.name = strings.Join(parts[:k], ",")
			b.role = strings.TrimSpace(strings.Join(parts[k:], ","))
			break
		}
	}
	// A name in the headline is whom the story is about.
	for k, l := range d.lines {
		if d.used[k] == useTitle && strings.Contains(l.text, b.name) {
			return b, false
		}
	}
	return b, true
}

// lowerUse reports whether a word of name (longer than two letters, other
// than the "and" joining two names) occurs in lower case on the page.
func (d *doc) lowerUse(name string) bool {
	for _, t := range strings.Fields(name) {
		if t = strings.ToLower(strings.Trim(t, ".,")); len(t) > 2 && d.lower[t] && !nameJoinRE.MatchString(" "+t+" ") {
			return true
		}
	}
	return false
}

// dateNear reports whether a dateline is within two lines of line i.
func (d *doc) dateNear(i int) bool {
	for j := max(0, i-2); j < len(d.lines) && j <= i+2; j++ {
		if j == i {
			continue
		}
		if _, ok := d.dateline(j); ok {
			return true
		}
	}
	return false
}

// categories reads "Filed Under"/"Tags" lists: the rest of the label line,
// or the short lines after it until text, a blank gap or another label.
func (d *doc) categories(a *digest.Article, from, limit int) {
	for i := from; i < limit; i++ {
		if d.used[i] != useNone {
			continue
		}
		rest, ok := categoryLabel(d.lines[i].text)
		if !ok {
			continue
		}
		d.used[i] = useCategory
		if rest != "" {
			a.Categories = append(a.Categories, splitCategories(rest)...)
			continue
		}
		for j := i + 1; j < limit && j <= i+15; j++ {
			l, f := d.lines[j], d.feats[j]
			if l.gap > 1 || f.words > 5 || f.terminal || d.used[j] != useNone {
				break
			}
			if _, ok := categoryLabel(l.text); ok {
				break
			}
			d.used[j] = useCategory
			a.Categories = append(a.Categories, splitCategories(l.text)...)
		}
	}
	a.Categories = dedupe(a.Categories)
}

func dedupe(ss []string) []string {
	seen := make(map[string]bool, len(ss))
	out := ss[:0]
	for _, s := range ss {
		k := strings.ToLower(s)
		if !seen[k] {
			seen[k] = true
			out = append(out, s)
		}
	}
	return out
}

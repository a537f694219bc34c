package textdump

import (
	"strings"

	"github.com/weeklywrap/digest/digest"
)

// meta fills author, date and categories from the lines around the body:
// the header zone between title and body (and the first body lines), then
// the lines right after the body, where some sites put the byline.
func (d *doc) meta(a *digest.Article, ti, start, end, limit int) {
	hFrom := max(0, start-12)
	if ti >= 0 && ti < start {
		hFrom = ti + 1
	}
	zones := [][2]int{{hFrom, min(start+3, end, limit)}, {max(start, end-3), min(end+10, limit)}}
	for _, z := range zones {
		if a.Author != "" {
			break
		}
		for i := z[0]; i < z[1]; i++ {
			if d.used[i] != useNone {
				continue
			}
			if b, ok := parseByline(d.lines[i].text); ok {
				a.Author, a.AuthorRole = b.name, b.role
				d.used[i] = useByline
				if m, ok := findDate(d.lines[i].text); ok && a.Published.IsZero() {
					a.Published, a.PublishedFrom = m.t, digest.DateFromText
				}
				break
			}
		}
	}
	for _, z := range zones {
		if a.Author != "" {
			break
		}
		for i := z[0]; i < z[1]; i++ {
			if d.used[i] != useNone || !d.dateNear(i) {
				continue
			}
			if b, ok := nameLine(d.lines[i].text); ok {
				a.Author, a.AuthorRole = b.name, b.role
				d.used[i] = useByline
				break
			}
		}
	}
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

package textdump

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

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

// standfirst collects the lines between the headline and the body's
// first paragraph that read as a subtitle or summary: several words, not
// a byline, dateline, label or boilerplate.
func (d *doc) standfirst(ti, start int) []string {
	if ti < 0 || start-ti > maxStandGap {
		return nil
	}
	var out []string
	for i := ti + 1; i < start; i++ {
		f, s := d.feats[i], d.lines[i].text
		if d.used[i] != useNone || f.cls == clsBad || f.size() < standMin || f.size() > 60 || !wordy(s) ||
			strings.HasSuffix(s, ":") || crumbRE.MatchString(s) || sectionRE.MatchString(s) {
			continue
		}
		if _, ok := d.dateline(i); ok {
			continue
		}
		if _, ok := d.byline(i); ok {
			continue
		}
		if _, ok := nameLine(s); ok {
			continue
		}
		// A second copy of the headline, a caption with its credit, a
		// byline the parser does not read ("Posted by kw on …").
		if t := d.lines[ti].text; strings.Contains(s, t) || strings.Contains(t, s) || inlineCreditRE.MatchString(s) ||
			bylineStartRE.MatchString(s) {
			continue
		}
		if _, ok := findDate(s); ok {
			continue
		}
		out = append(out, s)
	}
	return out
}

// inlineCreditRE is a picture credit inside a caption ("… Foto: Name").
var inlineCreditRE = regexp.MustCompile(`(?i)\b(?:foto|fotos|photo|photos|bild|image|credit|crédito|zdjęcie|imagen|imagem)\s*:`)

// standMin and maxStandGap bound a standfirst: five words or more, at
// most five lines below the headline (chosen on the tune split: three
// lines catch fewer standfirsts, eight or more reach into page furniture).
const standMin, maxStandGap = 5, 5

// heading keeps a short line inside the body when it introduces text: not
// boilerplate, not a label, and followed by a paragraph.
func (d *doc) heading(i, end int) bool {
	f := d.feats[i]
	// A question may head a section ("What changed?"); other sentence
	// ends mark a caption or a teaser line.
	if f.cls == clsBad || f.size() == 0 || f.size() > 14 || f.terminal && !strings.HasSuffix(d.lines[i].text, "?") {
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

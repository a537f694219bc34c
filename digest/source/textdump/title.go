package textdump

import (
	"maps"
	"regexp"
	"slices"
	"strings"
	"unicode"

	"github.com/weeklywrap/digest/digest/stopwords"
)

// title picks the headline among the lines around the start of the body:
// a line of headline length that shares its words with the body, close to
// it, best followed by a byline or dateline, sometimes repeated on the page.
func (d *doc) title(start, end int) int {
	bodyWords := d.wordSet(start, end, titleBodyWords, -1)
	// A candidate inside the body must not be matched against its own
	// words: a caption or lead line there would share all of them.
	ov := func(i int) float64 {
		if i >= start && i < end && d.feats[i].cls >= clsNearGood {
			return overlap(d.lines[i].text, d.wordSet(start, end, titleBodyWords, i))
		}
		return overlap(d.lines[i].text, bodyWords)
	}
	best, bestScore := -1, -1e9
	scores := make(map[int]float64)
	// The headline comes before the running text: lines after the first
	// full paragraph are subheadings.
	stop := min(start+titleBelowStart, len(d.lines))
	for i := max(start, 0); i < stop; i++ {
		if d.feats[i].cls == clsGood {
			stop = i
		}
	}
	for i := max(0, start-titleAboveStart); i < min(start+titleBelowStart, len(d.lines)); i++ {
		s := d.lines[i].text
		f := d.feats[i]
		n := f.size()
		if i >= stop && (n < 3 || !d.repeated(i)) {
			continue // past the first paragraph only a repeated line can be the headline
		}
		if n == 0 || n > titleMaxWords || f.cls == clsBad || f.cls == clsGood && f.terminal ||
			strings.HasSuffix(s, ":") || isBullet(s) || !wordy(s) {
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
		score := -titleDistanceCost * float64(abs(start-i))
		switch {
		case n >= titleMinWords && n <= titleFitWords:
			score += titleFitBonus
		case n <= titleTinyWords:
			score -= titleTinyPenalty
		}
		if strings.HasSuffix(s, ".") && !abbrevEnd(s) || strings.HasSuffix(s, "。") {
			score -= titleSentencePenalty
		}
		if continuation(s) {
			score -= titleSentencePenalty // the rest of a sentence
		}
		if crumbRE.MatchString(s) || d.tocEntry(i) {
			score -= titleCrumbPenalty
		}
		if _, ok := findDate(s); ok {
			score -= titleDatePenalty
		}
		if n > titleLongWords {
			score -= titleLongPenalty
		}
		if d.metaFollows(i) {
			score += titleMetaBelowBonus
		} else if i > 0 && (i < 2 || d.feats[i-2].cls == clsBad || d.feats[i-2].size() < titleMinWords) {
			if _, ok := d.dateline(i - 1); ok {
				score += titleDateAboveBonus // a dateline over the headline, not under another one
			}
		}
		if _, ok := nameLine(s); ok {
			score -= titleNamePenalty
		}
		if d.bylineAbove(i) {
			score -= bylineAbovePenalty // the headline's byline is above: this is a subheading
		}
		score += titleOverlapWeight * ov(i)
		if n >= titleMinWords {
			// A headline recurs as heading, crumb and share text; more
			// copies say more, up to a point.
			if r := d.repeats(i, titleRepeatsCounted); r > 0 {
				score += titleRepeatBonus + titleRepeatEach*float64(r)
			}
		}
		scores[i] = score
		if score > bestScore {
			best, bestScore = i, score
		}
	}
	// A standfirst under the headline shares more words with the body than
	// the headline does. When the winner is long and the line right above
	// it is a close, shorter candidate about the same story, that line is
	// the headline.
	if p, ok := scores[best-1]; ok && best > 0 && p >= bestScore-standfirstScoreGap && d.feats[best].size() > standfirstMinWords &&
		d.feats[best-1].size() >= titleMinWords && d.feats[best-1].size() < d.feats[best].size() &&
		!d.feats[best-1].terminal && ov(best-1) >= standfirstAboveOverlap {
		best--
	} else if ok && best > 0 && p >= bestScore-pairScoreGap && d.feats[best].size() >= pairMinWords && d.feats[best-1].size() >= pairAboveMinWords &&
		!d.feats[best-1].terminal && ov(best-1) >= pairAboveOverlap {
		// Two close candidates in a row about the story: headline, then
		// standfirst.
		best--
	}
	if bestScore < titleConvincing {
		// No convincing headline near the text: the page's name, shown
		// at its top and again below, is a better guess.
		if j := d.pageName(start); j >= 0 {
			return j
		}
	}
	// "Site | Headline" and "Home News Headline" lines hold the headline
	// that stands alone elsewhere: the line alone is the headline.
	if best >= 0 {
		bs := d.lines[best].text
		inner, innerScore := -1, bestScore-innerScoreGap
		for _, j := range slices.Sorted(maps.Keys(scores)) {
			sc, t := scores[j], d.lines[j].text
			if sc > innerScore && len(t) < len(bs) && 2*len(t) >= len(bs) && d.feats[j].size() >= titleMinWords &&
				(strings.HasPrefix(bs, t) || strings.HasSuffix(bs, t)) && !d.topicPrefix(bs, t) {
				inner, innerScore = j, sc
			}
		}
		if inner >= 0 {
			best = inner
		}
	}
	return best
}

// The weights of title's score. A line's score adds them up; the line
// with the highest score is the headline. They were set by hand on the
// tune split and are kept as they were when they got names.
const (
	titleAboveStart = 40  // lines above the body's start searched for the headline
	titleBodyWords  = 600 // words of the body a candidate's words are looked up in
	titleBelowStart = 3   // lines below it still searched (before the first paragraph)
	titleMaxWords   = 30  // a longer line is never the headline

	titleDistanceCost    = 0.05 // per line between the candidate and the body's start
	titleMinWords        = 4    // fewest words of a headline-length line
	titleFitWords        = 25   // most words of a headline-length line
	titleFitBonus        = 2    // for a line of headline length
	titleTinyWords       = 2    // a line this short or shorter is a label, not a headline
	titleTinyPenalty     = 2    // for such a label-length line
	titleSentencePenalty = 3    // for a line ending in a full stop (a sentence of text)
	titleCrumbPenalty    = 3    // for a breadcrumb or a table-of-contents entry
	titleDatePenalty     = 2    // for a line holding a date
	titleLongWords       = 20   // above this many words a line reads like a standfirst
	titleLongPenalty     = 1    // for such a long line
	titleMetaBelowBonus  = 2    // for a byline or dateline right under the line
	titleDateAboveBonus  = 1    // for a dateline right over the line (and not under another one)
	titleNamePenalty     = 2    // for a line that is only a person's name
	titleOverlapWeight   = 4    // times the share of the line's words found in the body
	titleRepeatsCounted  = 3    // copies of the line counted at most
	titleRepeatBonus     = 1    // for a line repeated on the page
	titleRepeatEach      = 0.5  // and for each counted copy

	titleConvincing = 3.25 // below this best score, the page's name is a better guess
	innerScoreGap   = 4    // how far below the best a headline inside "Site | Headline" may score

	// The headline over a standfirst: the winner is long and the line
	// above it scores close and shares the body's words.
	standfirstScoreGap     = 2.5
	standfirstMinWords     = 10 // the winner has more words than this
	standfirstAboveOverlap = 0.3
	// Two close candidates in a row about the story: headline, then
	// standfirst.
	pairScoreGap      = 1
	pairMinWords      = 8 // words of the winner at least
	pairAboveMinWords = 6 // words of the line above at least
	pairAboveOverlap  = 0.5
)

// topicPrefix reports whether headline is "Topic: " + sub, where the topic
// is part of the headline rather than the site's name: a site name also
// stands alone elsewhere on the page.
func (d *doc) topicPrefix(headline, sub string) bool {
	rest, ok := strings.CutSuffix(headline, sub)
	if !ok {
		return false
	}
	rest = strings.TrimRight(rest, " \u00a0")
	topic, ok := strings.CutSuffix(rest, ":")
	if !ok {
		topic, ok = strings.CutSuffix(rest, "：")
	}
	if topic = strings.TrimSpace(topic); !ok || topic == "" {
		return false
	}
	for _, l := range d.lines {
		if l.text == topic {
			return false
		}
	}
	return true
}

// wordSet collects the lower-cased content words of the text lines in
// [start, end) but line skip, up to limit words.
func (d *doc) wordSet(start, end, limit, skip int) map[string]bool {
	set := make(map[string]bool)
	n := 0
	for i := max(start, 0); i < end && n < limit; i++ {
		if d.feats[i].cls < clsNearGood || i == skip {
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

// words splits s into lower-cased words that are not stop words. Runs of
// Chinese and Japanese text, written without spaces, give their pairs of
// characters, so a headline shares words with the body that tells its
// story. Korean spaces its words and stays as it is.
func words(s string) []string {
	fs := strings.FieldsFunc(strings.ToLower(s), func(r rune) bool { return !isWordRune(r) })
	out := make([]string, 0, len(fs))
	for _, w := range fs {
		if stopwords.IsCommon(w) {
			continue
		}
		out = appendPieces(out, w)
	}
	return out
}

// appendPieces appends w to out, or, where w holds Han or kana, its other
// letters as one word and each pair of adjacent Han or kana characters (a
// lone one as itself).
func appendPieces(out []string, w string) []string {
	if !strings.ContainsFunc(w, unspaced) {
		return append(out, w)
	}
	var run []rune
	flush := func() {
		if len(run) == 1 {
			out = append(out, string(run))
		}
		for k := 0; k+1 < len(run); k++ {
			out = append(out, string(run[k:k+2]))
		}
		run = run[:0]
	}
	other := -1 // where the current non-CJK piece began
	for k, r := range w {
		if unspaced(r) {
			if other >= 0 {
				out = append(out, w[other:k])
				other = -1
			}
			run = append(run, r)
			continue
		}
		flush()
		if other < 0 {
			other = k
		}
	}
	flush()
	if other >= 0 {
		out = append(out, w[other:])
	}
	return out
}

// unspaced reports whether r belongs to a script written without spaces
// between words: Han, hiragana, katakana.
func unspaced(r rune) bool {
	return r >= 0x3040 && (unicode.Is(unicode.Han, r) || unicode.Is(unicode.Hiragana, r) || unicode.Is(unicode.Katakana, r))
}

// continuation reports whether s opens with an ellipsis ("...or, why I
// bother"): the rest of a sentence, as a subtitle may be, never a headline.
func continuation(s string) bool {
	return strings.HasPrefix(s, "...") || strings.HasPrefix(s, "…")
}

// repeated reports whether another line of the page holds line i's text,
// as a headline often appears twice (breadcrumb, sharing text, heading).
func (d *doc) repeated(i int) bool { return d.repeats(i, 1) > 0 }

// repeats counts, up to limit, the other lines within 60 of line i that
// hold its text.
func (d *doc) repeats(i, limit int) int {
	s, n := d.lines[i].text, 0
	for j := max(0, i-60); j < min(len(d.lines), i+60) && n < limit; j++ {
		if j != i && strings.Contains(d.lines[j].text, s) {
			n++
		}
	}
	return n
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
// lines after line i: one the byline parser reads, a short line holding a
// date, or one opening like a byline ("Posted by kovarex, … on 2019-02-15").
func (d *doc) metaFollows(i int) bool {
	for j := i + 1; j < len(d.lines) && j <= i+3; j++ {
		if _, ok := d.byline(j); ok {
			return true
		}
		if _, ok := d.dateline(j); ok {
			return true
		}
		if s := d.lines[j].text; d.feats[j].size() <= 20 && d.feats[j].cls < clsGood && bylineStartRE.MatchString(s) {
			if _, ok := findDate(s); ok {
				return true
			}
		}
	}
	return false
}

// bylineAbove reports whether one of the two lines above line i is a
// byline: a headline stands over its byline, a subheading under it.
func (d *doc) bylineAbove(i int) bool {
	for j := max(0, i-2); j < i; j++ {
		if _, ok := d.byline(j); ok {
			return true
		}
		if s := d.lines[j].text; d.feats[j].size() <= 20 && d.feats[j].cls < clsGood && bylineStartRE.MatchString(s) {
			if _, ok := findDate(s); ok {
				return true
			}
		}
	}
	return false
}

// bylineAbovePenalty is small: it only settles a near tie between the
// headline and the first subheading (chosen on the tune split: larger
// values start to cost headlines that sit under a byline-like line).
const bylineAbovePenalty = 0.5

// bylineStartRE opens a byline or a publication line in the common
// languages.
var bylineStartRE = regexp.MustCompile(`(?i)^(?:(?:posted|written|published|updated|reported)\b|by\s|von\s|par\s|por\s|door\s|di\s|av\s|af\s|autor|author|veröffentlicht|publié|publicado|pubblicato|gepubliceerd|opublikowano)`)

// sectionNumRE is a section number heading a line ("5.3.1 Events").
var sectionNumRE = regexp.MustCompile(`^\d{1,2}(?:\.\d{1,2})*\.?\s+\S`)

// tocEntry reports whether line i is a numbered entry of a table of
// contents: a numbered line next to another numbered line.
func (d *doc) tocEntry(i int) bool {
	if !sectionNumRE.MatchString(d.lines[i].text) {
		return false
	}
	for _, j := range []int{i - 1, i + 1} {
		if j >= 0 && j < len(d.lines) && sectionNumRE.MatchString(d.lines[j].text) {
			return true
		}
	}
	return false
}

// wordy reports whether s is mostly letters, as a headline is, rather
// than figures, markup or a row of bracketed links.
func wordy(s string) bool {
	letters, other := 0, 0
	for _, r := range s {
		switch {
		case unicode.IsLetter(r):
			letters++
		case !unicode.IsSpace(r):
			other++
		}
	}
	return letters > 0 && letters >= 2*other && strings.Count(s, "[") < 3
}

// pageName finds a line among the first few of the page that stands again,
// alone, further down: a title repeated as the page's heading.
func (d *doc) pageName(start int) int {
	for j := 0; j < min(8, start, len(d.lines)); j++ {
		s, f := d.lines[j].text, d.feats[j]
		if n := f.size(); n == 0 || n > 20 || f.cls == clsBad || !wordy(s) || isBoilerplate(s) {
			continue
		}
		if _, ok := d.dateline(j); ok {
			continue
		}
		for k := j + 1; k < len(d.lines); k++ {
			if d.lines[k].text == s {
				return j
			}
		}
	}
	return -1
}

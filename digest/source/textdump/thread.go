package textdump

import (
	"regexp"
	"sort"
	"time"
)

// countRE matches a stated number of comments: "34 responses to …",
// "12 Comments", "[ 42 comments ]", "Comments (7)".
var countRE = regexp.MustCompile(`(?i)^(?:[\[(]\s*)?(?:(\d{1,6})\s+(?:comments?|responses?|replies|reactions)\b|comments?\s*\((\d{1,6})\))`)

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
				t, ok := d.dateline(i + 1)
				if !ok {
					t, ok = d.relativeStamp(i + 1)
				}
				if ok {
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

// relativeStamp recognizes a comment's relative time stamp ("2 days ago at
// 07:52 am", "vor 3 Stunden"): a short line with a number and a relative
// marker. Its time is read against the page's time when there is one and
// the page's budget of such readings allows; else it is zero (unknown).
func (d *doc) relativeStamp(i int) (time.Time, bool) {
	s := d.lines[i].text
	if d.feats[i].words > 8 || !hasDigit(s) || !relMarkRE.MatchString(s) {
		return time.Time{}, false
	}
	t, _ := d.pageDates().relativeDate(s)
	return t, true
}

// listingHeads counts the leading comment headers that are no comments: a
// list of dated teasers or a question's "Asked 3 years ago" line above the
// page's main run of text. Comments follow the article, so when the densest
// run of the whole page starts after the first header, holds no header
// itself, and little running text lies between the two, the headers before
// the run are dropped.
func (d *doc) listingHeads(heads []commentHead) int {
	if len(heads) == 0 {
		return 0
	}
	start, end, _ := d.region(len(d.lines))
	if start <= heads[0].idx {
		return 0
	}
	for _, h := range heads {
		if h.idx >= start && h.idx < end {
			return 0 // the run is itself a thread of comments
		}
	}
	run, before := 0, 0
	for i := heads[0].idx; i < end; i++ {
		if f := d.feats[i]; f.cls == clsGood {
			if i < start {
				before += f.size()
			} else {
				run += f.size()
			}
		}
	}
	if before*listingShare > run {
		return 0
	}
	n := 0
	for n < len(heads) && heads[n].idx < end {
		n++
	}
	return n
}

// listingShare: the headers above the main run are a listing when the
// text under them is less than 1/listingShare of the run's.
const listingShare = 4

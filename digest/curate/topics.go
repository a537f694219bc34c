package curate

import (
	"slices"
	"strings"

	"github.com/weeklywrap/digest/digest"
	"github.com/weeklywrap/digest/digest/summary"
)

// Points a topic earns per match; the topic with most points wins, ties go
// to the one listed first in the config.
const (
	categoryPoints = 3 // a feed category is the publisher's own label
	titlePoints    = 2
	ledePoints     = 2 // the opening words say what a story is about
	textPoints     = 1 // one passing mention deep in a long text is not enough
	minPoints      = 2
	ledeTokens     = 100
	maxClustered   = 500 // unmatched stories grouped by content, best first
)

type compiledTopic struct {
	name       string
	keywords   [][]string // each a token sequence
	categories map[string]bool
}

func compileTopics(ts []Topic) []compiledTopic {
	out := make([]compiledTopic, 0, len(ts))
	for _, t := range ts {
		name := strings.TrimSpace(t.Name)
		if name == "" {
			continue
		}
		ct := compiledTopic{name: name, categories: map[string]bool{}}
		for _, k := range t.Keywords {
			if toks := summary.Tokens(k); len(toks) > 0 {
				ct.keywords = append(ct.keywords, toks)
			}
		}
		for _, c := range t.Categories {
			if c = normCategory(c); c != "" {
				ct.categories[c] = true
			}
		}
		out = append(out, ct)
	}
	return out
}

// maxKeywordTokens bounds the overlap of lede and body; longer keywords
// are still matched, just not across that boundary.
const maxKeywordTokens = 8

func normCategory(c string) string { return strings.ToLower(strings.Join(strings.Fields(c), " ")) }

// matchTopic returns the index of the best topic for a, or -1.
func matchTopic(a *digest.Article, topics []compiledTopic) int {
	if len(topics) == 0 {
		return -1
	}
	cats := make(map[string]bool, len(a.Categories))
	for _, c := range a.Categories {
		cats[normCategory(c)] = true
	}
	title := summary.Tokens(a.Title)
	text := summary.Tokens(strings.Join(a.Paragraphs, "\n"))
	// The lede and the body overlap by a keyword's length so that a phrase
	// across the boundary is still found.
	lede := text[:min(len(text), ledeTokens)]
	body := text[max(0, len(lede)-maxKeywordTokens):]
	best, bestPts := -1, 0
	for ti, t := range topics {
		pts := 0
		for c := range cats {
			if t.categories[c] {
				pts += categoryPoints
			}
		}
		// Each keyword counts once per place, so one word repeated all
		// through a long text does not outweigh several distinct ones.
		for _, k := range t.keywords {
			if containsSeq(title, k) {
				pts += titlePoints
			}
			switch {
			case containsSeq(lede, k):
				pts += ledePoints
			case containsSeq(body, k):
				pts += textPoints
			}
		}
		if pts >= minPoints && pts > bestPts {
			best, bestPts = ti, pts
		}
	}
	return best
}

// containsSeq reports whether the keyword tokens occur consecutively in toks;
// the last keyword word may take a plural ending.
func containsSeq(toks, kw []string) bool {
	n := len(kw)
	for i := 0; i+n <= len(toks); i++ {
		if !slices.Equal(toks[i:i+n-1], kw[:n-1]) {
			continue
		}
		if w, k := toks[i+n-1], kw[n-1]; w == k || w == k+"s" || w == k+"es" {
			return true
		}
	}
	return false
}

// labels names the section of every entry: its topic, else its content
// cluster, else MoreSection. Entries are in rank order; the first top are
// the top stories, which keep their topic (for the intro's themes) but
// join no cluster, since they are shown above the sections. clustered
// holds the names that are content clusters.
func labels(entries []digest.Entry, topics []Topic, top int) (names []string, clustered map[string]bool) {
	ct := compileTopics(topics)
	out := make([]string, len(entries))
	var rest []int
	for i := range entries {
		if t := matchTopic(&entries[i].Article, ct); t >= 0 {
			out[i] = ct[t].name
		} else {
			out[i] = MoreSection
			if i >= top {
				rest = append(rest, i)
			}
		}
	}
	arts := make([]*digest.Article, len(entries))
	for i := range entries {
		arts[i] = &entries[i].Article
	}
	// Leader clustering compares each article with every cluster so far;
	// past a few hundred stories (Max set very high) the rest just go
	// under MoreSection rather than take quadratic time.
	rest = rest[:min(len(rest), maxClustered)]
	clustered = map[string]bool{}
	for k, name := range clusterLabels(arts, rest, minSection(len(entries)-top)) {
		if name != "" && !slices.ContainsFunc(ct, func(t compiledTopic) bool { return strings.EqualFold(t.name, name) }) {
			out[rest[k]] = name
			clustered[strings.ToLower(name)] = true
		}
	}
	return out, clustered
}

// minSection is the fewest stories a content cluster needs to become a
// section of an issue with n stories below the top: a pair makes a section
// in a short issue, but an issue of 30 would fall into many pairs.
func minSection(n int) int {
	if n >= 15 {
		return 3
	}
	return 2
}

// settle moves the stories of a content cluster that, once the top and the
// most discussed stories are taken out, has fewer than minSection stories
// left (keep marks those that stay in the sections) to MoreSection.
func settle(names []string, clustered map[string]bool, keep []bool) {
	count := map[string]int{}
	n := 0
	for i, name := range names {
		if keep[i] {
			count[strings.ToLower(name)]++
			n++
		}
	}
	for i, name := range names {
		if clustered[strings.ToLower(name)] && count[strings.ToLower(name)] < minSection(n) {
			names[i] = MoreSection
		}
	}
}

// sections groups entries (in rank order) under their labels. Sections are
// ordered by their best entry; the catch-all MoreSection comes last.
func sections(entries []digest.Entry, names []string) []digest.Section {
	var out []digest.Section
	at := map[string]int{}
	for i, e := range entries {
		key := strings.ToLower(names[i])
		k, ok := at[key]
		if !ok {
			k = len(out)
			at[key] = k
			out = append(out, digest.Section{Name: names[i]})
		}
		out[k].Entries = append(out[k].Entries, e)
	}
	if k, ok := at[strings.ToLower(MoreSection)]; ok {
		more := out[k]
		out = append(slices.Delete(out, k, k+1), more)
	}
	return out
}

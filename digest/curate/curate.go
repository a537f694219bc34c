// Package curate turns the week's articles into an issue: it folds near
// duplicates (same canonical URL, or similar text found through MinHash
// buckets), ranks stories with configurable weights, picks the top stories,
// groups the rest by topic or by content, picks the most discussed stories
// with a quoted reader comment, and writes the intro.
//
// Build is deterministic: the articles are put in a canonical order first,
// and every sort breaks ties, so the same articles in any order give the
// same issue.
package curate

import (
	"cmp"
	"slices"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/weeklywrap/digest/digest"
	"github.com/weeklywrap/digest/digest/summary"
)

// Topic maps a section name to the keywords and feed categories that put an
// article under it (config's topics: table). Matching is case-insensitive;
// keywords match whole words (or word sequences) in the title and text,
// categories match exactly.
type Topic struct {
	Name       string
	Keywords   []string
	Categories []string
}

// Weights scale the parts of an entry's score. When all are zero the
// defaults apply: Recency 1, Source 1, Length 0.5, Discussion 0.5, Coverage 1.
type Weights struct {
	Recency, Source, Length, Discussion, Coverage float64
}

// DefaultWeights returns the weights used when Options.Weights is all zero.
func DefaultWeights() Weights {
	return Weights{Recency: 1, Source: 1, Length: 0.5, Discussion: 0.5, Coverage: 1}
}

// Options tune Build. Zero values take the documented defaults.
type Options struct {
	TopN    int            // top stories leading the issue, default 3
	Max     int            // max stories in the issue, default 30; the rest go to Issue.Skipped with Why
	Weights Weights        // zero means DefaultWeights
	Topics  []Topic        // sections by keyword and category, in config order
	Budget  summary.Budget // per-article summary budget, default 3 sentences
	Now     time.Time      // for recency; the caller passes the slot time (zero: the newest article's date)
	Window  time.Duration  // the issue window, for recency scaling (default 7 days)
	Words   Words          // the intro's phrases; zero means English
}

// Defaults used by Build for zero options.
const (
	DefaultTopN      = 3
	DefaultMax       = 30
	DefaultWindow    = 7 * 24 * time.Hour
	DefaultSentences = 3
	// MoreSection heads the articles that match no topic and no cluster.
	MoreSection = "More this week"
	// MaxDiscussed is how many stories the most-discussed list holds.
	MaxDiscussed = 3
)

func (o Options) withDefaults(articles []digest.Article) Options {
	if o.TopN <= 0 {
		o.TopN = DefaultTopN
	}
	if o.Max <= 0 {
		o.Max = DefaultMax
	}
	if o.TopN > o.Max {
		o.TopN = o.Max
	}
	if o.Weights == (Weights{}) {
		o.Weights = DefaultWeights()
	}
	if o.Budget.Sentences <= 0 && o.Budget.Words <= 0 {
		o.Budget.Sentences = DefaultSentences
	}
	if o.Window <= 0 {
		o.Window = DefaultWindow
	}
	if o.Now.IsZero() {
		// Not time.Now: the same articles must give the same issue.
		for i := range articles {
			if articles[i].Published.After(o.Now) {
				o.Now = articles[i].Published
			}
		}
	}
	return o
}

// Build fills Top, Sections, MostDiscussed, Intro and Skipped of a new Issue
// (the caller sets Number, Slot, Window, Subject, Errors). It sets each
// included article's Summary unless SummaryFixed. The input slice is not
// modified. Skipped holds the folded near-duplicates and the stories beyond
// Max, each with Why, without their text (see light).
//
// Pinned stories lead, in score order; then this week's stories and the
// undated ones; then those dated before the window (see standing). Every
// story appears once: the most discussed stories below the top are taken
// out of their sections, and a top story's reader comment is quoted where
// it stands.
func Build(articles []digest.Article, opt Options) digest.Issue {
	opt = opt.withDefaults(articles)
	arts, words := canonicalOrder(articles)

	groups, fps := dedupe(arts)
	entries := make([]digest.Entry, 0, len(groups))
	stands := make([]standing, 0, len(groups))
	var skipped []digest.Entry
	for _, g := range groups {
		e, st, folded := rankGroup(arts, words, fps, g, opt)
		entries = append(entries, e)
		stands = append(stands, st)
		skipped = append(skipped, folded...)
	}
	sortEntries(entries, stands)

	var is digest.Issue
	if len(entries) > opt.Max {
		for i, e := range entries[opt.Max:] {
			e.Why = cutWhy(opt.Max+i+1, opt.Max, e.Why)
			skipped = append(skipped, e)
		}
		entries = entries[:opt.Max]
	}
	for i := range entries {
		a := &entries[i].Article
		if !a.SummaryFixed {
			a.Summary = summarize(a, opt.Budget)
		}
	}
	top := min(opt.TopN, len(entries))
	for i := range entries[:top] {
		entries[i].Highlight = highlight(entries[i].Article.Comments)
	}
	names, clustered := labels(entries, opt.Topics, top)
	discussed := mostDiscussed(entries, top)
	keep := make([]bool, len(entries)) // stays in a section
	for i := top; i < len(entries); i++ {
		keep[i] = !slices.Contains(discussed, i)
	}
	settle(names, clustered, keep)
	var older []time.Time
	for i := range entries {
		if stands[i] == standOld {
			older = append(older, storyDate(&entries[i].Article))
		}
	}
	is.Intro = intro(themes(names), older, opt.Now, opt.Words)
	is.Top = entries[:top:top]
	for _, i := range discussed {
		e := entries[i]
		e.Highlight = highlight(e.Article.Comments)
		is.MostDiscussed = append(is.MostDiscussed, e)
	}
	var rest []digest.Entry
	var restNames []string
	for i := range entries {
		if keep[i] {
			rest = append(rest, entries[i])
			restNames = append(restNames, names[i])
		}
	}
	is.Sections = sections(rest, restNames)
	for i := range skipped {
		skipped[i].Article = light(skipped[i].Article)
	}
	is.Skipped = skipped
	return is
}

// MaxSummaryWords bounds a computed summary in the issue: a summary of
// whole sentences longer than this is chosen again under this word budget,
// so one long-winded story does not fill the email (or push it past Gmail's
// clipping size) and nothing is ever cut mid-sentence. An editor's own
// summary is shown as written.
const MaxSummaryWords = 90

func summarize(a *digest.Article, b summary.Budget) []string {
	sum := summary.Summarize(a.Title, a.Paragraphs, b)
	if b.Words > 0 {
		return sum
	}
	n := 0
	for _, s := range sum {
		n += summary.CountWords(s)
	}
	if n > MaxSummaryWords {
		sum = summary.Summarize(a.Title, a.Paragraphs, summary.Budget{Words: MaxSummaryWords})
	}
	return sum
}

// canonicalOrder copies the articles into an order that does not depend on
// the caller's, so that Build is deterministic for any permutation, with
// their word counts. It sorts indices, not the large Article values.
func canonicalOrder(in []digest.Article) ([]digest.Article, []int) {
	idx := make([]int, len(in))
	words := make([]int, len(in))
	for i := range in {
		idx[i] = i
		words[i] = wordCount(&in[i])
	}
	slices.SortStableFunc(idx, func(i, j int) int {
		a, b := &in[i], &in[j]
		if c := cmp.Or(
			cmp.Compare(a.ID, b.ID),
			cmp.Compare(a.URL, b.URL),
			cmp.Compare(a.Source.Name, b.Source.Name),
			cmp.Compare(a.Source.URL, b.Source.URL),
			cmp.Compare(a.Title, b.Title),
			a.Published.Compare(b.Published),
			cmp.Compare(words[i], words[j]),
		); c != 0 {
			return c
		}
		return cmp.Compare(a.Text(), b.Text()) // only on full ties: it allocates
	})
	out := make([]digest.Article, len(in))
	outWords := make([]int, len(in))
	for k, i := range idx {
		out[k], outWords[k] = in[i], words[i]
	}
	return out, outWords
}

// light drops the body of a skipped article: explaining the cut needs only
// its identity, and an issue built from 50,000 feed items must stay small
// enough to store.
func light(a digest.Article) digest.Article {
	a.Paragraphs, a.HTML, a.Comments, a.Summary = nil, "", nil, nil
	return a
}

// wordCount is Article.Words without allocating the fields: it runs over
// every article of the window.
func wordCount(a *digest.Article) int {
	n := 0
	for _, p := range a.Paragraphs {
		in := false
		for _, r := range p {
			var sp bool
			if r < utf8.RuneSelf {
				sp = r == ' ' || '\t' <= r && r <= '\r'
			} else {
				sp = unicode.IsSpace(r)
			}
			if !sp && !in {
				n++
			}
			in = !sp
		}
	}
	return n
}

// sortEntries sorts by standing, then by compareEntries, through indices:
// entries are large values and moving them is most of a sort's cost.
func sortEntries(es []digest.Entry, stands []standing) {
	idx := make([]int, len(es))
	for i := range idx {
		idx[i] = i
	}
	slices.SortStableFunc(idx, func(i, j int) int {
		return cmp.Or(cmp.Compare(stands[i], stands[j]), compareEntries(&es[i], &es[j]))
	})
	sorted := make([]digest.Entry, len(es))
	st := make([]standing, len(es))
	for k, i := range idx {
		sorted[k], st[k] = es[i], stands[i]
	}
	copy(es, sorted)
	copy(stands, st)
}

// compareEntries orders by score, then newest, then by ID, so ties never
// depend on the input order.
func compareEntries(a, b *digest.Entry) int {
	return cmp.Or(
		cmp.Compare(b.Score, a.Score),
		b.Article.Published.Compare(a.Article.Published),
		cmp.Compare(a.Article.ID, b.Article.ID),
		cmp.Compare(a.Article.URL, b.Article.URL),
		cmp.Compare(a.Article.Title, b.Article.Title),
	)
}

package curate

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/weeklywrap/digest/digest"
	"github.com/weeklywrap/digest/digest/weburl"
)

const (
	lengthHalf     = 400 // words at which the length part reaches half of its maximum
	discussionFull = 100 // comments at which the discussion part reaches its maximum
)

// standing is a story's place before its score counts: what the editor
// pinned leads, then this week's news and undated stories, then stories
// dated before the window (an old page saved as a seed). The score
// orders stories within each.
type standing int

const (
	standPinned standing = iota
	standCurrent
	standOld
)

// Dates, from the freshest: dated inside the window, undated, dated before
// the window.
const (
	ageInWindow = iota
	ageUnknown
	ageBefore
)

// parts are the components of a score, each before weighting.
type parts struct {
	recency, source, length, discussion, coverage float64
	age                                           time.Duration
	ageClass                                      int
	published                                     time.Time
	pinned                                        bool
	words, comments, sources                      int
}

// storyDate is when the story was published, zero when unknown (sources
// never guess a date, from a file's time or otherwise).
func storyDate(a *digest.Article) time.Time { return a.Published }

// partsOf scores one version of a story. Recency comes from the story's
// own date only: an undated story earns no freshness (nothing says it is
// this week's news) but keeps its place among this week's stories, where
// length, source and discussion rank it; a story dated before the window
// earns none and stands below them (see standing).
func partsOf(a *digest.Article, words, sources int, opt Options) parts {
	p := parts{words: words, comments: commentCount(a), sources: sources, pinned: a.Pinned, ageClass: ageUnknown}
	if d := storyDate(a); !d.IsZero() {
		p.published = d
		p.age = max(0, opt.Now.Sub(d))
		p.recency = max(0, 1-float64(p.age)/float64(opt.Window))
		p.ageClass = ageInWindow
		if p.age > opt.Window {
			p.ageClass = ageBefore
		}
	}
	p.source = a.Source.Weight
	if p.source == 0 {
		p.source = 1
	}
	p.length = float64(p.words) / float64(p.words+lengthHalf)
	p.discussion = min(1, math.Log1p(float64(p.comments))/math.Log1p(discussionFull))
	p.coverage = 1 - 1/float64(max(1, sources))
	return p
}

func (p parts) standing() standing {
	switch {
	case p.pinned:
		return standPinned
	case p.ageClass == ageBefore:
		return standOld
	}
	return standCurrent
}

func (p parts) score(w Weights) float64 {
	s := w.Recency*p.recency + w.Source*p.source + w.Length*p.length +
		w.Discussion*p.discussion + w.Coverage*p.coverage
	// Rounded so that float noise never decides an order that the
	// explanation shows as a tie.
	return math.Round(s*1e6) / 1e6
}

// why explains a score in one short line, for preview --explain.
func (p parts) why(w Weights) string {
	age := "undated"
	switch p.ageClass {
	case ageInWindow:
		age = fmt.Sprintf("%.1fd old", p.age.Hours()/24)
	case ageBefore:
		age = "from " + p.published.Format("2 Jan 2006") + ", before this issue's window"
	}
	pin := ""
	if p.pinned {
		pin = "pinned by the editor; "
	}
	return fmt.Sprintf("%s%.2f = recency %.2f (%s) + source %.2f + length %.2f (%s) + discussion %.2f (%s) + coverage %.2f (%s)",
		pin, p.score(w), w.Recency*p.recency, age, w.Source*p.source, w.Length*p.length, plural(p.words, "word", "words"),
		w.Discussion*p.discussion, plural(p.comments, "comment", "comments"), w.Coverage*p.coverage, plural(p.sources, "source", "sources"))
}

func commentCount(a *digest.Article) int { return max(a.CommentCount, len(a.Comments)) }

// rankGroup scores one group of near-duplicates. It shows the fullest
// version (the longest text, then the one with most comments: a seed often
// holds the whole page and its discussion where a feed has an excerpt),
// completed from the others: the editor's own summary, a web link where
// the fullest has none, a date, comments, and the editor's pin. The story
// scores each part at its best over all versions: the freshest date, the
// heaviest source, the most comments. The other versions become
// AlsoCoveredBy and are returned as skipped entries saying where they went.
func rankGroup(arts []digest.Article, words []int, fps []fingerprint, g []int, opt Options) (digest.Entry, standing, []digest.Entry) {
	sources := len(distinctSources(arts, g))
	ps := make([]parts, len(g))
	order := make([]int, len(g)) // positions in g, fullest version first
	for k, i := range g {
		ps[k] = partsOf(&arts[i], words[i], sources, opt)
		order[k] = k
	}
	slices.SortStableFunc(order, func(a, b int) int {
		return cmp.Or(cmp.Compare(ps[b].words, ps[a].words), cmp.Compare(ps[b].comments, ps[a].comments),
			cmp.Compare(ps[b].score(opt.Weights), ps[a].score(opt.Weights)), cmp.Compare(g[a], g[b]))
	})
	rep := g[order[0]]
	story := ps[order[0]]
	for _, p := range ps {
		story = story.best(p)
	}
	e := digest.Entry{Article: arts[rep], Score: story.score(opt.Weights), Why: story.why(opt.Weights)}
	seen := map[string]bool{sourceKey(e.Article.Source): true}
	var folded []digest.Entry
	for _, k := range order[1:] {
		a := &arts[g[k]]
		fill(&e.Article, a)
		if key := sourceKey(a.Source); !seen[key] && named(a) && !(a.Source.Kind == digest.KindSeed && samePublication(&e.Article, a)) {
			seen[key] = true
			e.AlsoCoveredBy = append(e.AlsoCoveredBy, a.Source)
		}
		folded = append(folded, digest.Entry{
			Article: *a,
			Score:   ps[k].score(opt.Weights),
			Why:     fmt.Sprintf("folded into %q from %s (%s)", e.Article.Title, e.Article.Source.Name, foldReason(&fps[rep], &fps[g[k]])),
		})
	}
	return e, story.standing(), folded
}

// fill completes the shown version of a story from another version of it:
// the editor's own summary, a web link (a seed's is a file), a date, the
// comments, the author, the pin.
func fill(shown, other *digest.Article) {
	if !shown.SummaryFixed && other.SummaryFixed {
		shown.Summary, shown.SummaryFixed = other.Summary, true
	}
	if weburl.MatchKey(shown.URL) == "" && weburl.MatchKey(other.URL) != "" {
		shown.URL = other.URL
	}
	if storyDate(shown).IsZero() && !storyDate(other).IsZero() {
		shown.Published, shown.PublishedFrom = other.Published, other.PublishedFrom
	}
	if len(shown.Comments) == 0 && len(other.Comments) > 0 {
		shown.Comments, shown.CommentCount = other.Comments, max(shown.CommentCount, other.CommentCount)
	}
	if shown.Author == "" {
		shown.Author, shown.AuthorRole = other.Author, other.AuthorRole
	}
	shown.Pinned = shown.Pinned || other.Pinned
}

// named reports whether a version's source has a name worth listing: a
// seed that names no site is the editor's own copy, not another source.
func named(a *digest.Article) bool {
	return a.Source.Kind != digest.KindSeed || a.SiteName != ""
}

// samePublication reports whether two versions of a story come from one
// site: an editor's copy of a page the feed also carries is no other
// source.
func samePublication(a, b *digest.Article) bool {
	ha, hb := host(a.URL), host(b.URL)
	return ha != "" && ha == hb
}

func host(u string) string {
	c := weburl.MatchKey(u)
	h, _, _ := strings.Cut(c, "/")
	return h
}

// best combines two versions of one story part by part.
func (p parts) best(q parts) parts {
	if q.ageClass < p.ageClass || q.ageClass == p.ageClass && q.recency > p.recency {
		p.recency, p.age, p.ageClass, p.published = q.recency, q.age, q.ageClass, q.published
	}
	p.source = max(p.source, q.source)
	if q.words > p.words {
		p.length, p.words = q.length, q.words
	}
	if q.comments > p.comments {
		p.discussion, p.comments = q.discussion, q.comments
	}
	p.pinned = p.pinned || q.pinned
	return p
}

func distinctSources(arts []digest.Article, g []int) map[string]bool {
	out := make(map[string]bool, len(g))
	for _, i := range g {
		out[sourceKey(arts[i].Source)] = true
	}
	return out
}

// sourceKey identifies a source by name, falling back to its URL.
func sourceKey(s digest.Source) string {
	if n := strings.TrimSpace(strings.ToLower(s.Name)); n != "" {
		return n
	}
	return s.URL
}

// cutWhy explains why a ranked story was left out.
func cutWhy(rank, limit int, why string) string {
	return fmt.Sprintf("rank %d, below the cut of %d stories: %s", rank, limit, why)
}

package digest

import (
	"strings"
	"time"
)

// SourceKind tells where an article came from.
type SourceKind string

const (
	KindFeed SourceKind = "feed"
	KindSeed SourceKind = "seed"
)

// Source names the feed or seed file an article came from.
type Source struct {
	Name   string     `json:"name"`
	Kind   SourceKind `json:"kind"`
	URL    string     `json:"url"`    // feed URL, or the seed file's path
	Weight float64    `json:"weight"` // ranking weight from config; 0 means 1
}

// Where a publication date was found. Unknown dates stay zero; they are
// never silently replaced by "now", nor by a file's modification time.
const (
	DateFromMeta        = "meta"         // HTML metadata or the extraction library
	DateFromFeed        = "feed"         // the feed item's published/updated field
	DateFromFrontMatter = "front-matter" // a Markdown note's front matter
	DateFromText        = "text"         // a dateline or byline in the page text
	DateFromComment     = "earliest-comment"
	DateFromRelative    = "text-relative" // "2 days ago" in the text, counted back from the file's time
	// DateNone marks a seed whose text states no date: it is undated.
	DateNone      = "none"
	DateFromFetch = "fetched" // feeds without any date: the first time we saw the item
)

// Comment is one reader comment kept with an article.
type Comment struct {
	Author    string    `json:"author"`
	Title     string    `json:"title"`
	Published time.Time `json:"published"` // zero when unknown
	Text      string    `json:"text"`
}

// Image is a story's lead image as its source names it (media:content,
// media:thumbnail, an image enclosure, og:image). Nothing is downloaded:
// Width and Height are what the source says, 0 when it says nothing. URL
// is untrusted: renderers accept only http(s) and escape it.
type Image struct {
	URL    string `json:"url"`
	Width  int    `json:"width,omitempty"`
	Height int    `json:"height,omitempty"`
	Alt    string `json:"alt,omitempty"`
}

// Article is one story, from a feed item or a seed file.
type Article struct {
	// ID is stable across runs: the canonical URL (no tracking parameters or
	// fragment), else the feed GUID, else a content hash. Seeds use path and
	// content hash so that a changed file counts as new.
	ID            string    `json:"id"`
	URL           string    `json:"url"`
	Title         string    `json:"title"`
	Author        string    `json:"author"`
	AuthorRole    string    `json:"author_role,omitempty"` // affiliation or role, kept apart from the name
	Published     time.Time `json:"published"`             // UTC; zero when unknown
	PublishedFrom string    `json:"published_from"`        // one of the DateFrom* values; DateNone or empty when unknown
	Source        Source    `json:"source"`
	SiteName      string    `json:"site_name,omitempty"`
	Categories    []string  `json:"categories"`
	Paragraphs    []string  `json:"paragraphs"`     // clean body text, in order
	HTML          string    `json:"html,omitempty"` // sanitized body HTML where the source had HTML
	Comments      []Comment `json:"comments"`
	CommentCount  int       `json:"comment_count"` // may exceed len(Comments) when the page says so
	Summary       []string  `json:"summary"`       // sentences taken from the text, in article order
	SummaryFixed  bool      `json:"summary_fixed,omitempty"`
	LowConfidence bool      `json:"low_confidence,omitempty"` // extraction found no clear article
	// Confidence is how sure extraction is that Paragraphs are one
	// article's text, from 0 to 1; LowConfidence is set below the
	// extractor's threshold. Feed items and notes written as articles are 1.
	Confidence float64 `json:"confidence"`
	// Image is the lead image the source names, nil when it names none.
	Image *Image `json:"image,omitempty"`
	// Pinned puts the story on top of the issue whatever its score (an
	// editor's choice: a note's front matter, the config or the desk).
	Pinned bool `json:"pinned,omitempty"`
}

// Text is the body as paragraphs separated by one blank line.
func (a *Article) Text() string { return strings.Join(a.Paragraphs, "\n\n") }

// Words counts the words of the body.
func (a *Article) Words() int {
	n := 0
	for _, p := range a.Paragraphs {
		n += len(strings.Fields(p))
	}
	return n
}

// ReadingMinutes estimates reading time at 230 words a minute, at least 1.
func (a *Article) ReadingMinutes() int {
	m := (a.Words() + 229) / 230
	if m < 1 {
		m = 1
	}
	return m
}

package digest

import "time"

// Entry is one story as it appears in an issue.
type Entry struct {
	Article       Article  `json:"article"`
	AlsoCoveredBy []Source `json:"also_covered_by,omitempty"` // near-duplicates folded into this entry
	Score         float64  `json:"score"`
	Why           string   `json:"why,omitempty"`       // why it ranked where it did (preview --explain)
	Highlight     *Comment `json:"highlight,omitempty"` // a quoted reader comment, for most-discussed
	Note          string   `json:"note,omitempty"`      // an editor's note on a story they picked
}

// Section groups entries under a topic heading.
type Section struct {
	Name    string  `json:"name"`
	Entries []Entry `json:"entries"`
}

// SourceError is a per-source failure, shown to the operator, never to readers.
type SourceError struct {
	Source string `json:"source"`
	Err    string `json:"error"`
}

// Issue is one weekly wrap. The slot is its idempotency key: building the
// issue for a slot twice gives the same issue.
type Issue struct {
	Number        int           `json:"number"`
	Slot          time.Time     `json:"slot"`         // the scheduled time it is for (UTC)
	WindowStart   time.Time     `json:"window_start"` // exclusive
	WindowEnd     time.Time     `json:"window_end"`   // inclusive; equals Slot
	Subject       string        `json:"subject"`
	Intro         string        `json:"intro"`
	Top           []Entry       `json:"top"`
	Sections      []Section     `json:"sections"`
	MostDiscussed []Entry       `json:"most_discussed"` // stories below the top with most comments, not in Sections
	Errors        []SourceError `json:"errors,omitempty"`
	Skipped       []Entry       `json:"skipped,omitempty"` // left out, with Why (preview --explain)
	Sources       int           `json:"sources"`           // sources read, including failed ones
	BuiltAt       time.Time     `json:"built_at"`
}

// Entries lists every entry once: top stories first, then each section,
// then the most discussed (which are not in the sections).
func (is *Issue) Entries() []Entry {
	var out []Entry
	out = append(out, is.Top...)
	for _, s := range is.Sections {
		out = append(out, s.Entries...)
	}
	return append(out, is.MostDiscussed...)
}

// ArticleCount counts the stories in the issue.
func (is *Issue) ArticleCount() int { return len(is.Entries()) }

// Empty reports whether the issue has no stories.
func (is *Issue) Empty() bool { return is.ArticleCount() == 0 }

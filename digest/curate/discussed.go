package curate

import (
	"cmp"
	"slices"
	"strings"

	"github.com/weeklywrap/digest/digest"
	"github.com/weeklywrap/digest/digest/summary"
)

const (
	highlightWords   = 30 // longest quote, in words
	substantiveWords = 8  // shorter comments ("+1", "Great post!") say little
	pleasantryWords  = 10 // a short opening thank-you is skipped when more follows
)

// mostDiscussed picks up to MaxDiscussed entries with the most comments,
// each with a quoted reader comment when one has substance. Entries are
// copies; they stay in Top or Sections as well.
func mostDiscussed(entries []digest.Entry) []digest.Entry {
	var out []digest.Entry
	for _, e := range entries {
		if commentCount(&e.Article) > 0 {
			out = append(out, e)
		}
	}
	// entries are in rank order, so a stable sort keeps the better story
	// first among equally discussed ones.
	slices.SortStableFunc(out, func(a, b digest.Entry) int {
		return cmp.Compare(commentCount(&b.Article), commentCount(&a.Article))
	})
	out = out[:min(MaxDiscussed, len(out)):min(MaxDiscussed, len(out))]
	for i := range out {
		out[i].Highlight = highlight(out[i].Article.Comments)
	}
	return out
}

// highlight quotes the opening of the first substantive comment: whole
// sentences up to highlightWords, or the first sentence cut with an ellipsis
// when it alone is longer. Nil when no comment has substance.
func highlight(cs []digest.Comment) *digest.Comment {
	for _, c := range cs {
		if len(strings.Fields(c.Text)) < substantiveWords {
			continue
		}
		q := quote(summary.Sentences(c.Text))
		if q == "" {
			continue
		}
		h := c
		h.Text = q
		return &h
	}
	return nil
}

func quote(sents []string) string {
	if len(sents) > 1 && isPleasantry(sents[0]) {
		sents = sents[1:]
	}
	var out []string
	words := 0
	for i, s := range sents {
		f := strings.Fields(s)
		if words+len(f) > highlightWords {
			if i == 0 {
				return strings.Join(f[:highlightWords], " ") + "…"
			}
			break
		}
		out = append(out, s)
		words += len(f)
		if !endsSentence(s) {
			break // a list or a quote follows; stop before it
		}
	}
	q := strings.Join(out, " ")
	if q != "" && !endsSentence(q) {
		q = strings.TrimRight(q, ":;,- ") + "…"
	}
	return q
}

func endsSentence(s string) bool {
	s = strings.TrimRight(s, `"'”’)]`)
	return strings.HasSuffix(s, ".") || strings.HasSuffix(s, "!") || strings.HasSuffix(s, "?") || strings.HasSuffix(s, "…")
}

// isPleasantry spots a short opening thank-you or compliment, which says
// nothing about the story.
func isPleasantry(s string) bool {
	toks := summary.Tokens(s)
	if len(toks) == 0 || len(toks) >= pleasantryWords {
		return false
	}
	switch toks[0] {
	case "thank", "thanks", "great", "nice", "excellent", "interesting", "good", "agreed", "wow":
		return true
	}
	return false
}

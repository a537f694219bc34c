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

// mostDiscussed picks up to MaxDiscussed of the entries below the top
// (entries[top:], in rank order) with the most comments, most first. Build
// takes them out of the sections, so that no story is shown twice.
func mostDiscussed(entries []digest.Entry, top int) []int {
	var picks []int
	for i := top; i < len(entries); i++ {
		if commentCount(&entries[i].Article) > 0 {
			picks = append(picks, i)
		}
	}
	// entries are in rank order, so a stable sort keeps the better story
	// first among equally discussed ones.
	slices.SortStableFunc(picks, func(a, b int) int {
		return cmp.Compare(commentCount(&entries[b].Article), commentCount(&entries[a].Article))
	})
	return picks[:min(MaxDiscussed, len(picks))]
}

// highlight quotes the first substantive comment that has a quotable
// stretch: whole sentences, at most highlightWords words, never cut (see
// summary.Excerpt). Nil when no comment has one.
func highlight(cs []digest.Comment) *digest.Comment {
	for _, c := range cs {
		if len(strings.Fields(c.Text)) < substantiveWords {
			continue
		}
		q := quote(c.Text)
		if q == "" {
			continue
		}
		h := c
		h.Text = q
		return &h
	}
	return nil
}

// quote is the comment's excerpt, after an opening thank-you when more
// follows.
func quote(text string) string {
	sents := summary.Sentences(text)
	if len(sents) > 1 && isPleasantry(sents[0]) {
		text = strings.Join(sents[1:], "\n")
	}
	return summary.Excerpt(text, highlightWords)
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

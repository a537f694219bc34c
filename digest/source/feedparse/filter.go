package feedparse

import (
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/weeklywrap/digest/digest"
)

// Filter applies o.Include and o.Exclude to title and text. Keywords match
// whole words or phrases, ignoring case: "go" matches "Go 1.26" but not
// "going". With Include set, an article needs at least one of its keywords;
// any Exclude keyword drops it.
func Filter(arts []digest.Article, o Options) []digest.Article {
	if len(o.Include) == 0 && len(o.Exclude) == 0 {
		return arts
	}
	out := arts[:0]
	for _, a := range arts {
		hay := strings.ToLower(a.Title + "\n" + a.Text())
		if len(o.Include) > 0 && !anyWord(hay, o.Include) {
			continue
		}
		if anyWord(hay, o.Exclude) {
			continue
		}
		out = append(out, a)
	}
	return out
}

func anyWord(hay string, keywords []string) bool {
	for _, k := range keywords {
		k = strings.ToLower(strings.TrimSpace(k))
		if k != "" && hasWord(hay, k) {
			return true
		}
	}
	return false
}

// hasWord reports whether word occurs in hay with no letter or digit
// directly before or after it.
func hasWord(hay, word string) bool {
	for from := 0; from <= len(hay)-len(word); {
		i := strings.Index(hay[from:], word)
		if i < 0 {
			return false
		}
		i += from
		before, _ := utf8.DecodeLastRuneInString(hay[:i])
		after, _ := utf8.DecodeRuneInString(hay[i+len(word):])
		if !isWordRune(before) && !isWordRune(after) {
			return true
		}
		from = i + 1
	}
	return false
}

func isWordRune(r rune) bool {
	return r != utf8.RuneError && (unicode.IsLetter(r) || unicode.IsDigit(r))
}

// Limit keeps the n newest articles (undated ones count as oldest), in
// their feed order. n <= 0 keeps all.
func Limit(arts []digest.Article, n int) []digest.Article {
	if n <= 0 || len(arts) <= n {
		return arts
	}
	idx := make([]int, len(arts))
	for i := range idx {
		idx[i] = i
	}
	slices.SortStableFunc(idx, func(i, j int) int {
		return arts[j].Published.Compare(arts[i].Published)
	})
	keep := idx[:n]
	slices.Sort(keep)
	out := make([]digest.Article, 0, n)
	for _, i := range keep {
		out = append(out, arts[i])
	}
	return out
}

// Span is the time window of a fetch: (since, until], zero bounds open.
// Items dated after tooLate (when set) are feed bugs: dropped and counted.
type Span struct {
	Since, Until, TooLate time.Time
	// Summary: only the feed's Summary is wanted (Result.Items, Newest,
	// Future, Title), not its articles; an unchanged feed then takes it
	// from the last parse kept in the cache, for whatever window, rather
	// than parsing its body again.
	Summary bool
}

// Admit reports whether an item dated t is kept, and whether it was dropped
// for being dated in the future. Undated items are kept: only the caller's
// seen-set can tell whether they are new.
func (s Span) Admit(t time.Time) (keep, future bool) {
	switch {
	case t.IsZero():
		return true, false
	case !s.TooLate.IsZero() && t.After(s.TooLate):
		return false, true
	case !s.Since.IsZero() && !t.After(s.Since):
		return false, false
	case !s.Until.IsZero() && t.After(s.Until):
		return false, false
	}
	return true, false
}

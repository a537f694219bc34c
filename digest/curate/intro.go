package curate

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

const introThemes = 3 // themes named before "and more"

// Words are the phrases of the intro in the newsletter's language; the
// zero value is English. Each holds one %s.
type Words struct {
	ThisWeek    string                 // "This week: %s."
	AndMore     string                 // "%s and more"
	AlsoInIssue string                 // "Also in this issue: %s"
	InIssue     string                 // "In this issue: %s"
	OlderOne    string                 // "an older piece, from %s."
	OlderMany   string                 // "older pieces, from %s."
	And         string                 // "and", between the last two of a list
	Month       func(time.Time) string // a month's name, "March"
}

// English are the intro's words in English.
var English = Words{
	ThisWeek: "This week: %s.", AndMore: "%s and more", AlsoInIssue: "Also in this issue: %s", InIssue: "In this issue: %s",
	OlderOne: "an older piece, from %s.", OlderMany: "older pieces, from %s.", And: "and",
	Month: func(t time.Time) string { return t.Format("January") },
}

func (w Words) withDefaults() Words {
	if w.ThisWeek == "" {
		return English
	}
	if w.Month == nil {
		w.Month = English.Month
	}
	return w
}

// intro writes the issue's first paragraph in plain text: the week's
// themes, each carried by at least two stories (one story is no theme, and
// its headline is right below), and a word on older pieces, so a reader
// knows they are not this week's news. No headline is repeated and nothing
// is counted: the issue shows both. Empty when there is nothing to say.
// Examples: "This week: Security and Rust & Builds." and "This week:
// Security. Also in this issue: an older piece, from 2011."
func intro(themes []string, older []time.Time, now time.Time, w Words) string {
	w = w.withDefaults()
	var b strings.Builder
	if len(themes) > 0 {
		if len(themes) > introThemes {
			b.WriteString(fmt.Sprintf(w.ThisWeek, fmt.Sprintf(w.AndMore, strings.Join(themes[:introThemes], ", "))))
		} else {
			b.WriteString(fmt.Sprintf(w.ThisWeek, joinAnd(themes, ", ", w.And)))
		}
	}
	if len(older) > 0 {
		var when []string
		for _, t := range older {
			s := t.Format("2006")
			if t.Year() == now.Year() {
				s = w.Month(t)
			}
			if !slices.Contains(when, s) {
				when = append(when, s)
			}
		}
		what := fmt.Sprintf(w.OlderMany, joinAnd(when, ", ", w.And))
		if len(older) == 1 {
			what = fmt.Sprintf(w.OlderOne, when[0])
		}
		if b.Len() > 0 {
			b.WriteString(" " + fmt.Sprintf(w.AlsoInIssue, what))
		} else {
			b.WriteString(fmt.Sprintf(w.InIssue, what))
		}
	}
	return b.String()
}

// themes lists the section names that at least two stories carry, in order
// of their best story, without the catch-all.
func themes(names []string) []string {
	count := map[string]int{}
	for _, n := range names {
		count[strings.ToLower(n)]++
	}
	var out []string
	for _, n := range names {
		k := strings.ToLower(n)
		if n != MoreSection && count[k] >= 2 {
			out = append(out, n)
			count[k] = 0 // named once, in the spelling of its best story
		}
	}
	return out
}

// joinAnd joins items as prose: "A", "A and B", "A, B and C".
func joinAnd(items []string, sep, and string) string {
	switch len(items) {
	case 0:
		return ""
	case 1:
		return items[0]
	}
	return strings.Join(items[:len(items)-1], sep) + " " + and + " " + items[len(items)-1]
}

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

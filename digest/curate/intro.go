package curate

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

const introThemes = 3 // themes named before "and more"

// intro writes the first paragraph in plain text: the week's
// themes, each carried by at least two stories (one story is no theme, and
// its headline is right below), and a word on older pieces, so a reader
// knows they are not this week's news. No headline is repeated and nothing
// is counted: the issue shows both. Empty when there is nothing to say.
// Examples: "This week: Security and Rust & Builds." and "This week:
// Security. Also in this issue: an older piece, from 2011."
func intro(themes []string, older []time.Time, now time.Time) string {
	var b strings.Builder
	if len(themes) > 0 {
		b.WriteString("This week: ")
		if len(themes) > introThemes {
			b.WriteString(strings.Join(themes[:introThemes], ", ") + " and more.")
		} else {
			b.WriteString(joinAnd(themes, ", ") + ".")
		}
	}
	if len(older) > 0 {
		if b.Len() > 0 {
			b.WriteString(" Also in this issue: ")
		} else {
			b.WriteString("In this issue: ")
		}
		var when []string
		for _, t := range older {
			w := t.Format("2006")
			if t.Year() == now.Year() {
				w = t.Format("January")
			}
			if !slices.Contains(when, w) {
				when = append(when, w)
			}
		}
		if len(older) == 1 {
			b.WriteString("an older piece, from " + when[0] + ".")
		} else {
			b.WriteString("older pieces, from " + joinAnd(when, ", ") + ".")
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
func joinAnd(items []string, sep string) string {
	switch len(items) {
	case 0:
		return ""
	case 1:
		return items[0]
	}
	return strings.Join(items[:len(items)-1], sep) + " and " + items[len(items)-1]
}

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

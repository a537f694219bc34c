package curate

import (
	"fmt"
	"strings"

	"github.com/weeklywrap/digest/digest"
)

const introThemes = 3 // themes named before "and more"

// intro writes the first paragraph in plain text: how many stories
// from how many sources, the leading themes and the top stories, e.g.
// "This week: 12 stories from 5 sources on Security, Policy and more.
// Leading: A; B; and C." Empty when there are no stories.
func intro(entries []digest.Entry, themes []string, top []digest.Entry) string {
	if len(entries) == 0 {
		return ""
	}
	srcs := map[string]bool{}
	for _, e := range entries {
		srcs[sourceKey(e.Article.Source)] = true
		for _, s := range e.AlsoCoveredBy {
			srcs[sourceKey(s)] = true
		}
	}
	var b strings.Builder
	fmt.Fprintf(&b, "This week: %s from %s", plural(len(entries), "story", "stories"), plural(len(srcs), "source", "sources"))
	if len(themes) > 0 {
		b.WriteString(" on ")
		if len(themes) > introThemes {
			b.WriteString(strings.Join(themes[:introThemes], ", ") + " and more")
		} else {
			b.WriteString(joinAnd(themes, ", "))
		}
	}
	b.WriteString(".")
	var titles []string
	for _, e := range top {
		// A title's own full stop would clash with the list's semicolons.
		if t := strings.TrimRight(oneLine(e.Article.Title), "."); t != "" {
			titles = append(titles, t)
		}
	}
	if len(titles) > 0 {
		b.WriteString(" Leading: " + joinAnd(titles, "; "))
		if !endsSentence(titles[len(titles)-1]) {
			b.WriteString(".")
		}
	}
	return b.String()
}

// joinAnd joins items as prose: "A", "A and B", "A, B and C" (or with ";"
// and a serial "and" when sep is "; ", since titles may hold commas).
func joinAnd(items []string, sep string) string {
	switch len(items) {
	case 0:
		return ""
	case 1:
		return items[0]
	case 2:
		return items[0] + " and " + items[1]
	}
	last := " and "
	if sep == "; " {
		last = "; and "
	}
	return strings.Join(items[:len(items)-1], sep) + last + items[len(items)-1]
}

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

// oneLine keeps a title on one line: titles come from outside and may hold
// breaks or runs of spaces.
func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

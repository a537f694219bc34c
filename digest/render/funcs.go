package render

import (
	"fmt"
	"html/template"
	"strconv"
	"strings"
	"unicode/utf8"
)

// textWidth is where the plain-text part wraps; RFC 3676 suggests at most
// 78 columns, and a little less leaves room for quoting.
const textWidth = 76

var htmlFuncs = map[string]any{
	"plural": plural,
	"dict":   dict,
	"nowrap": nowrap,
	"marker": marker,
}

// BodyStart and BodyEnd enclose the content in the HTML part
// (greeting, intro and stories, without the masthead, the "view in
// browser" line and the footer), for the site's issue pages.
const (
	BodyStart = "<!--issue-body-->"
	BodyEnd   = "<!--/issue-body-->"
)

// marker writes an HTML comment, which html/template would otherwise
// drop: "issue-body" and "/issue-body" give BodyStart and BodyEnd.
func marker(name string) template.HTML {
	switch name {
	case "issue-body":
		return BodyStart
	case "/issue-body":
		return BodyEnd
	}
	return ""
}

// nowrap escapes s and joins its words with no-break spaces, so that
// "20 Nov 2026" or "14 comments" never breaks across lines.
func nowrap(s string) template.HTML {
	return template.HTML(strings.ReplaceAll(template.HTMLEscapeString(s), " ", "&nbsp;"))
}

var textFuncs = map[string]any{
	"plural": plural,
	"wrap":   wrap,
	"upper":  strings.ToUpper,
	"rule":   func(ch string, n int) string { return strings.Repeat(ch, n) },
	"width":  func() int { return textWidth },
	"dict":   dict,
	"ref":    ref,
	"runes":  utf8.RuneCountInString,
}

// ref is the " [n]" that points at link n in the text part's list.
func ref(n int) string {
	if n <= 0 {
		return ""
	}
	return " [" + strconv.Itoa(n) + "]"
}

// dict builds a map from key/value pairs, to pass several values to a
// sub-template.
func dict(kv ...any) (map[string]any, error) {
	if len(kv)%2 != 0 {
		return nil, fmt.Errorf("dict: odd number of arguments")
	}
	m := make(map[string]any, len(kv)/2)
	for i := 0; i < len(kv); i += 2 {
		k, ok := kv[i].(string)
		if !ok {
			return nil, fmt.Errorf("dict: key %v is not a string", kv[i])
		}
		m[k] = kv[i+1]
	}
	return m, nil
}

// plural formats a count with its noun: "1 comment", "12 comments".
func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}

// wrap fills s into lines of at most width runes, the first prefixed with
// first and the others with rest (for hanging indents like "1. " / "   ").
// A word longer than a line (a URL) gets a line of its own, unbroken.
func wrap(width int, first, rest, s string) string {
	var b strings.Builder
	prefix := first
	line := 0 // runes on the current line, prefix included
	for _, w := range strings.Fields(s) {
		wl := utf8.RuneCountInString(w)
		switch {
		case line == 0:
			b.WriteString(prefix)
			b.WriteString(w)
			line = utf8.RuneCountInString(prefix) + wl
		case line+1+wl <= width:
			b.WriteByte(' ')
			b.WriteString(w)
			line += 1 + wl
		default:
			b.WriteByte('\n')
			b.WriteString(rest)
			b.WriteString(w)
			line = utf8.RuneCountInString(rest) + wl
		}
		prefix = rest
	}
	return b.String()
}

package mailcheck

import (
	"strings"

	"github.com/aymerick/douceur/css"
	"github.com/aymerick/douceur/parser"
)

// parseSheet splits a <style> sheet into its rules, and @media blocks into
// theirs, leaving each rule's declarations to douceur. douceur's own
// Parse never returns on a ';' where a rule should start (".a{color:red};",
// "p{} x; y{}", "@media x{;}"): one stray semicolon in a template held
// every send, preview and scheduled run, mail.checks: warn or not. Here a
// statement ended by ';' (an @import, a stray one) is skipped, as are
// unbalanced '}'; an unclosed block runs to the end of the sheet.
func parseSheet(s string) []*css.Rule {
	return splitRules(cleanSheet(s), 0)
}

// cleanSheet drops comments and the HTML comment markers old templates
// wrap their sheets in, outside strings.
func cleanSheet(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); {
		switch {
		case s[i] == '"' || s[i] == '\'':
			j := skipString(s, i)
			b.WriteString(s[i:j])
			i = j
		case strings.HasPrefix(s[i:], "/*"):
			end := strings.Index(s[i+2:], "*/")
			if end < 0 {
				return b.String()
			}
			b.WriteByte(' ')
			i += 2 + end + 2
		case strings.HasPrefix(s[i:], "<!--"):
			b.WriteByte(' ')
			i += 4
		case strings.HasPrefix(s[i:], "-->"):
			b.WriteByte(' ')
			i += 3
		case s[i] == '\\' && i+1 < len(s):
			b.WriteString(s[i : i+2])
			i += 2
		default:
			b.WriteByte(s[i])
			i++
		}
	}
	return b.String()
}

// skipString returns the index just past the string that opens at s[i].
func skipString(s string, i int) int {
	q := s[i]
	for j := i + 1; j < len(s); j++ {
		switch s[j] {
		case '\\':
			j++
		case q, '\n':
			return j + 1
		}
	}
	return len(s)
}

// scan returns the index of the first of stops outside strings,
// parentheses and brackets from i, or len(s).
func scan(s string, i int, stops string) int {
	depth := 0
	for i < len(s) {
		c := s[i]
		switch {
		case c == '"' || c == '\'':
			i = skipString(s, i)
			continue
		case c == '\\':
			i += 2
			continue
		case c == '(' || c == '[':
			depth++
		case (c == ')' || c == ']') && depth > 0:
			depth--
		case depth == 0 && strings.IndexByte(stops, c) >= 0:
			return i
		}
		i++
	}
	return len(s)
}

// closing returns the index of the '}' that closes the block opened at
// s[open], or len(s).
func closing(s string, open int) int {
	depth := 0
	for i := open; i < len(s); {
		switch s[i] {
		case '"', '\'':
			i = skipString(s, i)
			continue
		case '\\':
			i += 2
			continue
		case '{':
			depth++
		case '}':
			if depth--; depth == 0 {
				return i
			}
		}
		i++
	}
	return len(s)
}

// maxMediaDepth bounds nested @media blocks, so no sheet recurses deeply.
const maxMediaDepth = 8

func splitRules(s string, depth int) []*css.Rule {
	var out []*css.Rule
	for i := 0; i < len(s); {
		end := scan(s, i, "{;}")
		prelude := strings.TrimSpace(s[i:end])
		if end >= len(s) {
			break
		}
		if s[end] != '{' {
			i = end + 1 // an @import or @charset statement, or a stray ';' or '}'
			continue
		}
		close := closing(s, end)
		body := s[end+1 : close]
		i = close + 1
		if name, rest, ok := strings.Cut(prelude, "@"); ok && name == "" {
			n := strings.IndexAny(rest, " \t\r\n\f(")
			if n < 0 {
				n = len(rest)
			}
			r := &css.Rule{Kind: css.AtRule, Name: "@" + strings.ToLower(rest[:n]), Prelude: strings.TrimSpace(rest[n:])}
			if r.Name == "@media" && depth < maxMediaDepth {
				r.Rules = splitRules(body, depth+1)
			}
			out = append(out, r)
			continue
		}
		if prelude == "" {
			continue
		}
		decls := declarations(body)
		r := &css.Rule{Kind: css.QualifiedRule, Prelude: prelude, Declarations: decls}
		for _, sel := range strings.Split(prelude, ",") {
			r.Selectors = append(r.Selectors, strings.TrimSpace(sel))
		}
		out = append(out, r)
	}
	return out
}

// declarations parses a block's or a style attribute's declarations.
// Empty ones (";;") are dropped first, since douceur refuses the whole
// block for one; it is parsed as a block, so the last may end without ';'.
func declarations(body string) []*css.Declaration {
	var ds []string
	for k := 0; k < len(body); {
		e := scan(body, k, ";")
		if d := strings.TrimSpace(body[k:e]); d != "" {
			ds = append(ds, d)
		}
		k = e + 1
	}
	decls, _ := parser.ParseDeclarations("{" + strings.Join(ds, ";") + "}")
	return decls
}

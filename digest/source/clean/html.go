package clean

import (
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// blockTags end the paragraph before them and start a new one after them.
// Headings and list items are blocks too, so each becomes a paragraph.
var blockTags = map[atom.Atom]bool{
	atom.P: true, atom.Div: true, atom.Section: true, atom.Article: true,
	atom.Main: true, atom.Header: true, atom.Footer: true, atom.Aside: true,
	atom.Nav: true, atom.H1: true, atom.H2: true, atom.H3: true, atom.H4: true,
	atom.H5: true, atom.H6: true, atom.Ul: true, atom.Ol: true, atom.Li: true,
	atom.Dl: true, atom.Dt: true, atom.Dd: true, atom.Blockquote: true,
	atom.Pre: true, atom.Table: true, atom.Tr: true, atom.Figure: true,
	atom.Figcaption: true, atom.Hr: true, atom.Br: true, atom.Address: true,
	atom.Details: true, atom.Summary: true, atom.Caption: true, atom.Form: true,
	atom.Fieldset: true, atom.Center: true,
}

// skipTags hold no readable text.
var skipTags = map[atom.Atom]bool{
	atom.Script: true, atom.Style: true, atom.Noscript: true, atom.Template: true,
	atom.Head: true, atom.Svg: true, atom.Math: true, atom.Button: true,
	atom.Select: true, atom.Textarea: true, atom.Input: true, atom.Iframe: true,
	atom.Object: true, atom.Embed: true, atom.Canvas: true,
}

// HTMLParagraphs turns an HTML tree into clean paragraphs: block
// elements break paragraphs, inline elements join, table cells are spaced.
func HTMLParagraphs(root *html.Node) []string {
	if root == nil {
		return nil
	}
	var out []string
	var buf strings.Builder
	flush := func() {
		// Source line breaks inside a word hyphenated for width are
		// rejoined, as in plain text.
		if p := Text(joinLines(strings.Split(buf.String(), "\n"))); p != "" {
			out = append(out, p)
		}
		buf.Reset()
	}
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		switch n.Type {
		case html.TextNode:
			buf.WriteString(n.Data)
			return
		case html.ElementNode:
			if skipTags[tag(n)] {
				return
			}
		case html.DocumentNode:
		default:
			return
		}
		block := n.Type == html.ElementNode && blockTags[tag(n)]
		if block {
			flush()
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
		switch {
		case block:
			flush()
		case tag(n) == atom.Td || tag(n) == atom.Th:
			buf.WriteByte(' ')
		}
	}
	walk(root)
	flush()
	return out
}

// tag is the element's atom. Trees built by code rather than by the parser
// (extraction libraries create elements by name) leave DataAtom unset.
func tag(n *html.Node) atom.Atom {
	if n.DataAtom != 0 {
		return n.DataAtom
	}
	return atom.Lookup([]byte(n.Data))
}

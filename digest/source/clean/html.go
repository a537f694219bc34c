package clean

import (
	"strings"
	"unicode"

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
	var out []string
	for _, b := range HTMLBlocks(root) {
		out = append(out, b.Text)
	}
	return out
}

// Block is one paragraph of an HTML tree, with where it came from.
type Block struct {
	Text string
	// Node is the innermost block element around the text (the root
	// when there is none); several blocks share it when <br> or nested
	// blocks split its text.
	Node *html.Node
	// Runes and LinkRunes count the non-space characters of the text and
	// of the part inside links, before cleaning.
	Runes, LinkRunes int
}

// HTMLBlocks splits an HTML tree into paragraphs as HTMLParagraphs does,
// keeping each paragraph's element and link share, which tell an article's
// text from the navigation and teasers around it.
func HTMLBlocks(root *html.Node) []Block {
	if root == nil {
		return nil
	}
	var out []Block
	var buf strings.Builder
	runes, links := 0, 0
	owner := root
	flush := func() {
		// Source line breaks inside a word hyphenated for width are
		// rejoined, as in plain text.
		if p := Text(joinLines(strings.Split(buf.String(), "\n"))); p != "" {
			out = append(out, Block{Text: p, Node: owner, Runes: runes, LinkRunes: links})
		}
		buf.Reset()
		runes, links = 0, 0
	}
	var walk func(n *html.Node, inLink bool)
	walk = func(n *html.Node, inLink bool) {
		switch n.Type {
		case html.TextNode:
			buf.WriteString(n.Data)
			c := visible(n.Data)
			runes += c
			if inLink {
				links += c
			}
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
		parent := owner
		if block {
			flush()
			if tag(n) != atom.Br && tag(n) != atom.Hr {
				owner = n
			}
		}
		inLink = inLink || tag(n) == atom.A
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c, inLink)
		}
		switch {
		case block:
			flush()
			owner = parent
		case tag(n) == atom.Td || tag(n) == atom.Th:
			buf.WriteByte(' ')
		}
	}
	walk(root, false)
	flush()
	return out
}

// visible counts the runes of s that are not spaces.
func visible(s string) int {
	n := 0
	for _, r := range s {
		if !unicode.IsSpace(r) {
			n++
		}
	}
	return n
}

// tag is the element's atom. Trees built by code rather than by the parser
// (extraction libraries create elements by name) leave DataAtom unset.
func tag(n *html.Node) atom.Atom {
	if n.DataAtom != 0 {
		return n.DataAtom
	}
	return atom.Lookup([]byte(n.Data))
}

// fragmentBlocks and fragmentHidden are the rules of feedparse's one-pass
// walk over a sanitized item body, which makes its links absolute and
// collects its paragraphs at once. They differ from blockTags and skipTags
// (HTMLBlocks, for whole pages): a feed body's table cells are paragraphs of
// their own, and page-only elements (main, nav, form) do not survive the
// sanitizer. Kept as they were: the other set would change feed items' text.

// fragmentBlocks end a paragraph of text; everything else is inline.
var fragmentBlocks = map[atom.Atom]bool{
	atom.P: true, atom.Div: true, atom.Br: true, atom.Li: true, atom.Ul: true, atom.Ol: true,
	atom.H1: true, atom.H2: true, atom.H3: true, atom.H4: true, atom.H5: true, atom.H6: true,
	atom.Blockquote: true, atom.Pre: true, atom.Table: true, atom.Tr: true, atom.Td: true, atom.Th: true,
	atom.Section: true, atom.Article: true, atom.Figure: true, atom.Figcaption: true, atom.Hr: true,
	atom.Dl: true, atom.Dt: true, atom.Dd: true, atom.Header: true, atom.Footer: true, atom.Aside: true,
	atom.Details: true, atom.Summary: true, atom.Address: true, atom.Caption: true,
}

// fragmentHidden hold no readable text (bluemonday drops most of them; this
// also covers text passed in without sanitizing).
var fragmentHidden = map[atom.Atom]bool{
	atom.Script: true, atom.Style: true, atom.Noscript: true, atom.Template: true,
	atom.Iframe: true, atom.Object: true, atom.Svg: true, atom.Math: true,
}

// IsFragmentBlock reports whether the element ends a paragraph in a
// sanitized feed item body.
func IsFragmentBlock(a atom.Atom) bool { return fragmentBlocks[a] }

// IsFragmentHidden reports whether the element's text is left out of a
// sanitized feed item body's paragraphs.
func IsFragmentHidden(a atom.Atom) bool { return fragmentHidden[a] }

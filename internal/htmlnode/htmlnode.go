// Package htmlnode reads what a node of a parsed HTML tree
// (golang.org/x/net/html) holds: an attribute's value, the text below it.
// The mail checks and the tests of the rendered pages and emails share it.
package htmlnode

import (
	"strings"

	"golang.org/x/net/html"
)

// Attr returns the value of n's attribute key, and whether n has it.
func Attr(n *html.Node, key string) (string, bool) {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val, true
		}
	}
	return "", false
}

// Text returns the text below n (n's own, for a text node), each text
// node's followed by a space, with runs of white space folded to one
// space and none at the ends.
func Text(n *html.Node) string {
	var b strings.Builder
	add := func(c *html.Node) {
		if c.Type == html.TextNode {
			b.WriteString(c.Data)
			b.WriteByte(' ')
		}
	}
	add(n)
	for c := range n.Descendants() {
		add(c)
	}
	return strings.Join(strings.Fields(b.String()), " ")
}

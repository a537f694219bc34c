package htmlpage

import (
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// whole tags are elements copied as they are into the body HTML when a
// kept block is all of their text, so that emphasis and links survive.
var whole = map[atom.Atom]bool{
	atom.P: true, atom.H1: true, atom.H2: true, atom.H3: true, atom.H4: true, atom.H5: true,
	atom.H6: true, atom.Li: true, atom.Blockquote: true, atom.Pre: true, atom.Dt: true,
	atom.Dd: true,
}

// dropInBody are elements left out of copied paragraphs: media and
// controls a newsletter cannot show.
var dropInBody = map[atom.Atom]bool{
	atom.Img: true, atom.Picture: true, atom.Svg: true, atom.Video: true, atom.Audio: true,
	atom.Source: true, atom.Iframe: true, atom.Object: true, atom.Embed: true, atom.Canvas: true,
	atom.Button: true, atom.Input: true, atom.Select: true, atom.Textarea: true, atom.Form: true,
	atom.Script: true, atom.Style: true, atom.Noscript: true, atom.Template: true, atom.Figure: true,
}

// bodyHTML builds the article's HTML from the kept blocks, in page order.
// A block that is a whole paragraph, heading or list item is copied with
// its inline markup; list items are gathered into lists again; any other
// block becomes a paragraph of its text.
func bodyHTML(blocks []block, keep []int) *html.Node {
	perNode := map[*html.Node]int{}
	for _, b := range blocks {
		perNode[b.Node]++
	}
	root := &html.Node{Type: html.ElementNode, Data: "div", DataAtom: atom.Div}
	var list, listSrc *html.Node
	for _, i := range keep {
		b := blocks[i]
		var el *html.Node
		if perNode[b.Node] == 1 && whole[b.Node.DataAtom] {
			el = copyNode(b.Node)
		} else {
			name := atom.P
			if heading(b.Node) {
				name = b.Node.DataAtom
			}
			el = &html.Node{Type: html.ElementNode, Data: name.String(), DataAtom: name}
			el.AppendChild(&html.Node{Type: html.TextNode, Data: b.Text})
		}
		if el.DataAtom == atom.Li {
			src := b.Node.Parent
			if list == nil || listSrc != src {
				name := atom.Ul
				if src != nil && src.DataAtom == atom.Ol {
					name = atom.Ol
				}
				list = &html.Node{Type: html.ElementNode, Data: name.String(), DataAtom: name}
				listSrc = src
				root.AppendChild(list)
			}
			list.AppendChild(el)
			continue
		}
		list, listSrc = nil, nil
		root.AppendChild(el)
	}
	return root
}

func heading(n *html.Node) bool {
	switch n.DataAtom {
	case atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6:
		return true
	}
	return false
}

// copyNode copies an element and its subtree, leaving out media and
// controls, and attributes other than links.
func copyNode(n *html.Node) *html.Node {
	c := &html.Node{Type: n.Type, Data: n.Data, DataAtom: n.DataAtom, Namespace: n.Namespace}
	for _, a := range n.Attr {
		if a.Namespace == "" && (a.Key == "href" || a.Key == "title" || a.Key == "lang" || a.Key == "dir") {
			c.Attr = append(c.Attr, a)
		}
	}
	for ch := n.FirstChild; ch != nil; ch = ch.NextSibling {
		switch ch.Type {
		case html.ElementNode:
			if dropInBody[ch.DataAtom] {
				continue
			}
			c.AppendChild(copyNode(ch))
		case html.TextNode:
			c.AppendChild(&html.Node{Type: html.TextNode, Data: ch.Data})
		}
	}
	return c
}

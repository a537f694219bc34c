package clean

import (
	"bytes"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// TokenParagraphs is HTML → paragraphs for pages the HTML parser refuses
// (it gives up on more than 512 open elements, which broken markup with
// unclosed tags can reach), the last resort of package htmlpage: the
// page's title and its text in document order, split at block tags, with
// scripts and styles left out. It reads tokens, not a tree; its block tags
// are fewer than HTMLBlocks' and it does not space table cells. They are
// kept as they were, since HTMLBlocks' rules would change such pages' text.
func TokenParagraphs(data []byte) (title string, paras []string) {
	z := html.NewTokenizer(bytes.NewReader(data))
	var buf strings.Builder
	skip, inTitle := 0, false
	flush := func() {
		if p := Text(buf.String()); p != "" {
			paras = append(paras, p)
		}
		buf.Reset()
	}
	for {
		tt := z.Next()
		switch tt {
		case html.ErrorToken:
			flush()
			return Text(title), paras
		case html.TextToken:
			switch {
			case inTitle:
				title += string(z.Text())
			case skip == 0:
				buf.Write(z.Text())
			}
		case html.StartTagToken, html.EndTagToken, html.SelfClosingTagToken:
			name, _ := z.TagName()
			a := atom.Lookup(name)
			switch a {
			case atom.Script, atom.Style, atom.Noscript, atom.Template, atom.Svg:
				if tt == html.StartTagToken {
					skip++
				} else if tt == html.EndTagToken && skip > 0 {
					skip--
				}
			case atom.Title:
				inTitle = tt == html.StartTagToken
			case atom.P, atom.Div, atom.Br, atom.Li, atom.Tr, atom.H1, atom.H2, atom.H3,
				atom.H4, atom.H5, atom.H6, atom.Blockquote, atom.Section, atom.Article, atom.Pre:
				flush()
			}
		}
	}
}

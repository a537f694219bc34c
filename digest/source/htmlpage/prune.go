package htmlpage

import (
	"regexp"

	"golang.org/x/net/html"
)

var hiddenStyle = regexp.MustCompile(`(?i)(?:^|;)\s*(?:display\s*:\s*none|visibility\s*:\s*hidden)\b`)

// removeHidden drops elements a browser would not show: the hidden
// attribute, inline display:none or visibility:hidden. Trafilatura keeps
// their text; readers never see it.
func removeHidden(n *html.Node) {
	for c := n.FirstChild; c != nil; {
		next := c.NextSibling
		if c.Type == html.ElementNode && isHidden(c) {
			n.RemoveChild(c)
		} else {
			removeHidden(c)
		}
		c = next
	}
}

func isHidden(n *html.Node) bool {
	switch n.Data {
	case "html", "body", "head", "meta", "link", "script", "title":
		// Metadata lives in these whatever their style says, and some
		// pages hide <body> until a script has run.
		return false
	}
	for _, a := range n.Attr {
		switch {
		case a.Key == "hidden":
			return true
		case a.Key == "style" && hiddenStyle.MatchString(a.Val):
			return true
		}
	}
	return false
}

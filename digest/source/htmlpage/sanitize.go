package htmlpage

import (
	nurl "net/url"
	"strings"

	"golang.org/x/net/html"

	"github.com/weeklywrap/digest/digest/source/clean"
)

// sanitize renders the body subtree and passes it through the UGC policy,
// which strips scripts, event handlers, styles and unsafe URLs.
func sanitize(body *html.Node) string {
	var b strings.Builder
	for c := body.FirstChild; c != nil; c = c.NextSibling {
		if err := html.Render(&b, c); err != nil {
			return ""
		}
	}
	return strings.TrimSpace(clean.SanitizeHTML(b.String()))
}

// resolveLinks makes href and src absolute so the HTML still works inside
// an email or an archive page.
func resolveLinks(n *html.Node, base *nurl.URL) {
	if base == nil {
		return
	}
	if n.Type == html.ElementNode {
		for i, a := range n.Attr {
			if a.Key != "href" && a.Key != "src" {
				continue
			}
			v := strings.TrimSpace(a.Val)
			if v == "" || strings.HasPrefix(v, "#") {
				continue
			}
			if u, err := nurl.Parse(v); err == nil {
				n.Attr[i].Val = base.ResolveReference(u).String()
			}
		}
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		resolveLinks(c, base)
	}
}

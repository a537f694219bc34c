package htmlpage

import (
	nurl "net/url"
	"strconv"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"github.com/weeklywrap/digest/digest"
	"github.com/weeklywrap/digest/digest/source/clean"
)

// leadImage reads the image a page names for sharing: og:image (or
// og:image:url, og:image:secure_url) with og:image:width, og:image:height
// and og:image:alt, else twitter:image with twitter:image:alt. Relative
// URLs resolve against the page; only http(s) is kept.
func leadImage(doc *html.Node, base *nurl.URL) *digest.Image {
	meta := map[string]string{}
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode && n.DataAtom == atom.Body {
			return // sharing metadata sits in <head>
		}
		if n.Type == html.ElementNode && n.DataAtom == atom.Meta {
			var key, content string
			for _, a := range n.Attr {
				switch strings.ToLower(a.Key) {
				case "property", "name":
					if key == "" {
						key = strings.ToLower(strings.TrimSpace(a.Val))
					}
				case "content":
					content = strings.TrimSpace(a.Val)
				}
			}
			if _, seen := meta[key]; key != "" && content != "" && !seen {
				meta[key] = content
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	raw, alt := "", ""
	for _, k := range []string{"og:image:secure_url", "og:image", "og:image:url"} {
		if raw = meta[k]; raw != "" {
			alt = meta["og:image:alt"]
			break
		}
	}
	if raw == "" {
		raw, alt = meta["twitter:image"], meta["twitter:image:alt"]
		if raw == "" {
			raw = meta["twitter:image:src"]
		}
	}
	if raw == "" {
		return nil
	}
	u, err := nurl.Parse(raw)
	if err != nil {
		return nil
	}
	if base != nil && !u.IsAbs() {
		u = base.ResolveReference(u)
	}
	if u.Scheme != "http" && u.Scheme != "https" || u.Host == "" {
		return nil
	}
	img := &digest.Image{URL: u.String(), Alt: clean.Text(alt)}
	if r := []rune(img.Alt); len(r) > 150 {
		img.Alt = string(r[:150])
	}
	img.Width, _ = strconv.Atoi(meta["og:image:width"])
	img.Height, _ = strconv.Atoi(meta["og:image:height"])
	if img.Width <= 0 || img.Height <= 0 {
		img.Width, img.Height = 0, 0
	}
	return img
}

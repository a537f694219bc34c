package feedparse

import (
	"bytes"
	"net/url"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// FeedLink is a feed a web page announces with <link rel="alternate">.
type FeedLink struct {
	URL, Title, Type string
}

// feedTypes are the link types that announce a feed.
var feedTypes = map[string]bool{
	"application/rss+xml": true, "application/atom+xml": true, "application/rdf+xml": true,
	"application/feed+json": true, "application/json": true, "text/xml": true, "application/xml": true,
}

// Discover lists the feeds an HTML page links to, in page order, with
// URLs resolved against baseURL (the page's address; may be empty). It is
// how an operator who pasted a site's address finds its feed.
func Discover(page []byte, baseURL string) []FeedLink {
	base, _ := url.Parse(baseURL)
	var out []FeedLink
	seen := map[string]bool{}
	z := html.NewTokenizer(bytes.NewReader(page))
	for {
		tt := z.Next()
		switch tt {
		case html.ErrorToken:
			return out
		case html.StartTagToken, html.SelfClosingTagToken:
			name, hasAttr := z.TagName()
			// Feed links belong in the head, but some sites (YouTube) put
			// them in the body: the whole page is read.
			if a := atom.Lookup(name); a != atom.Link && a != atom.A {
				continue
			}
			if !hasAttr {
				continue
			}
			attrs := map[string]string{}
			for more := true; more; {
				var k, v []byte
				k, v, more = z.TagAttr()
				attrs[string(k)] = string(v)
			}
			typ := strings.ToLower(strings.TrimSpace(attrs["type"]))
			if !hasToken(attrs["rel"], "alternate") || !feedTypes[typ] || strings.TrimSpace(attrs["href"]) == "" {
				continue
			}
			u := resolve(base, attrs["href"])
			if !seen[u] {
				seen[u] = true
				out = append(out, FeedLink{URL: u, Title: strings.TrimSpace(attrs["title"]), Type: typ})
			}
		}
	}
}

func hasToken(list, tok string) bool {
	for _, t := range strings.Fields(list) {
		if strings.EqualFold(t, tok) {
			return true
		}
	}
	return false
}

package mailcheck

import (
	"net/url"
	"strings"

	"golang.org/x/net/html"

	"github.com/weeklywrap/digest/internal/htmlnode"
)

// linkAttrs are the attributes that hold an address a mail client follows
// or loads.
var linkAttrs = map[string]string{"a": "href", "area": "href", "img": "src", "link": "href"}

// checkLinks: a mail client has no page to resolve a relative link
// against, so every link must be absolute (http, https, mailto or tel).
func checkLinks(r *Report, doc *html.Node, listUnsub string) {
	var relative, unsafe, fragment []string
	walk(doc, func(n *html.Node) bool {
		if n.Type != html.ElementNode {
			return true
		}
		key, ok := linkAttrs[n.Data]
		if !ok {
			return true
		}
		v, ok := htmlnode.Attr(n, key)
		if !ok {
			return true
		}
		v = strings.TrimSpace(v)
		switch kind := linkKind(v); kind {
		case "relative":
			relative = append(relative, v)
		case "unsafe":
			unsafe = append(unsafe, v)
		case "fragment":
			fragment = append(fragment, v)
		}
		return true
	})
	if u := strings.Trim(strings.TrimSpace(listUnsub), "<>"); u != "" && linkKind(u) != "" {
		relative = append(relative, "List-Unsubscribe: "+u)
	}
	if len(relative) > 0 {
		r.add("links", Fail, "%d relative links, which lead nowhere in a mail client: %s; write absolute URLs (newsletter.base_url and the template's .WebURL are absolute)",
			len(relative), list(relative))
	}
	if len(unsafe) > 0 {
		r.add("links", Fail, "%d links with a scheme mail clients block: %s", len(unsafe), list(unsafe))
	}
	if len(fragment) > 0 {
		r.add("links", Warn, "%d links to a place in the page, which many mail clients ignore: %s", len(fragment), list(fragment))
	}
}

// linkKind is "" for an absolute link, else what is wrong with it.
func linkKind(v string) string {
	if v == "" {
		return "relative"
	}
	if strings.HasPrefix(v, "#") {
		return "fragment"
	}
	u, err := url.Parse(v)
	if err != nil {
		return "relative"
	}
	switch strings.ToLower(u.Scheme) {
	case "http", "https":
		if u.Host == "" {
			return "relative"
		}
		return ""
	case "mailto", "tel", "cid":
		return ""
	case "":
		return "relative"
	}
	return "unsafe"
}

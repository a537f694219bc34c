package mailcheck

import (
	"strings"

	"golang.org/x/net/html"

	"github.com/weeklywrap/digest/internal/htmlnode"
)

// checkText: the plain-text part is what some readers, screen readers and
// spam filters read; it must be there and say what the HTML says. What
// the HTML says is measured by its headings and its links.
func checkText(r *Report, doc *html.Node, p Parts) {
	if strings.TrimSpace(p.Text) == "" {
		r.add("text", Fail, "the message has no plain-text part (or it is empty); add email/issue.txt.tmpl to templates_dir or keep the bundled one")
		return
	}
	if doc == nil {
		return
	}
	norm := func(s string) string { return strings.ToLower(strings.Join(strings.Fields(s), " ")) }
	text := norm(p.Text)
	var want, missing []string
	seen := map[string]bool{}
	walk(doc, func(n *html.Node) bool {
		if n.Type != html.ElementNode {
			return true
		}
		switch n.Data {
		case "head", "style", "script":
			return false
		case "h1", "h2", "h3":
			if t := htmlnode.Text(n); t != "" && !seen[t] {
				seen[t] = true
				want = append(want, t)
			}
		case "a":
			if v, ok := htmlnode.Attr(n, "href"); ok && linkKind(v) == "" && !strings.HasPrefix(v, "mailto:") && !strings.HasPrefix(v, "tel:") && !seen[v] {
				seen[v] = true
				want = append(want, v)
			}
		}
		return true
	})
	for _, w := range want {
		if !strings.Contains(text, norm(w)) {
			missing = append(missing, w)
		}
	}
	switch {
	case len(want) > 0 && 2*len(missing) > len(want):
		r.add("text", Fail, "the plain-text part lacks %d of the HTML's %d headings and links, e.g. %s; it should carry the same stories and links",
			len(missing), len(want), list(missing))
	case len(missing) > 0:
		r.add("text", Warn, "the plain-text part lacks %d of the HTML's %d headings and links: %s", len(missing), len(want), list(missing))
	}
}

// checkUnsubscribe: bulk senders must offer one-click unsubscribe
// (RFC 8058, required by Gmail and Yahoo) and a visible link.
func checkUnsubscribe(r *Report, doc *html.Node, p Parts) {
	u := strings.TrimSpace(p.ListUnsubscribe)
	if u == "" {
		r.add("unsubscribe", Fail, "no List-Unsubscribe header: Gmail and Yahoo require one-click unsubscribe from bulk senders")
		return
	}
	if !strings.EqualFold(strings.TrimSpace(p.ListUnsubscribePost), "List-Unsubscribe=One-Click") {
		r.add("unsubscribe", Fail, "List-Unsubscribe-Post is %q, want \"List-Unsubscribe=One-Click\" (RFC 8058)", p.ListUnsubscribePost)
	}
	target := ""
	for _, part := range strings.Split(u, ",") {
		part = strings.Trim(strings.TrimSpace(part), "<>")
		if strings.HasPrefix(part, "https://") || strings.HasPrefix(part, "http://") {
			target = part
		}
	}
	if target == "" {
		r.add("unsubscribe", Fail, "List-Unsubscribe %q holds no http(s) address for one-click unsubscribe", u)
		return
	}
	if doc != nil {
		found := false
		walk(doc, func(n *html.Node) bool {
			if n.Type == html.ElementNode && n.Data == "a" {
				if v, _ := htmlnode.Attr(n, "href"); v == target {
					found = true
				}
			}
			return !found
		})
		if !found {
			r.add("unsubscribe", Fail, "the HTML has no visible unsubscribe link (an <a> to .Personal.UnsubscribeURL); keep one in the footer")
		}
	}
	if !strings.Contains(p.Text, target) {
		r.add("unsubscribe", Warn, "the plain-text part does not show the unsubscribe link (.Personal.UnsubscribeURL)")
	}
}

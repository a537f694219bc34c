package htmlpage

import (
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/itlightning/dateparse"
	"golang.org/x/net/html"

	"github.com/weeklywrap/digest/digest"
	"github.com/weeklywrap/digest/digest/source/clean"
)

// maxComments bounds the work on pages with huge threads; a digest shows
// a handful at most.
const maxComments = 200

var (
	commentSection = regexp.MustCompile(`(?i)comment|disqus|respon|discussion`)
	commentID      = regexp.MustCompile(`^(?:comment|li-comment|div-comment)-\d+$`)
	commentCount   = regexp.MustCompile(`(?i)^(\d{1,6})\s+(?:comments?|responses?|replies|thoughts?)\b`)
	dateNoise      = regexp.MustCompile(`(?i)^\s*(?:on|posted|published)\s+|\s+at\s+`)
	saysSuffix     = regexp.MustCompile(`(?i)\s*(?:says|said|wrote)\s*:?\s*$`)
)

// findComments reads reader comments from the markup most comment systems
// share: an element per comment (class "comment", id "comment-123" or
// schema.org/Comment) holding an author, a date and the text. Replies are
// comments of their own. It also returns the count the page announces
// ("12 Comments"), which may exceed what the page holds.
func findComments(doc *html.Node) ([]digest.Comment, int) {
	var out []digest.Comment
	announced := 0
	// section tells whether an ancestor looks like a comment section; a
	// bare class "comment" outside one is often an opinion-piece label.
	var walk func(n *html.Node, section bool)
	walk = func(n *html.Node, section bool) {
		if len(out) >= maxComments {
			return
		}
		if n.Type == html.ElementNode {
			if isHeading(n) {
				if m := commentCount.FindStringSubmatch(clean.Text(textOf(n, nil))); m != nil {
					announced, _ = strconv.Atoi(m[1])
				}
			}
			if isComment(n, section) {
				if c, ok := readComment(n); ok {
					out = append(out, c)
				}
			}
			section = section || commentSection.MatchString(attr(n, "id")+" "+attr(n, "class"))
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c, section)
		}
	}
	walk(doc, false)
	return out, max(announced, len(out))
}

func isHeading(n *html.Node) bool {
	switch n.Data {
	case "h1", "h2", "h3", "h4", "h5", "h6":
		return true
	}
	return false
}

// isComment reports an element holding one comment. Inside a comment
// section the class "comment" is enough; elsewhere an id like
// "comment-123" or schema.org markup is needed.
func isComment(n *html.Node, section bool) bool {
	if it := attr(n, "itemtype"); strings.Contains(it, "schema.org/Comment") || strings.Contains(it, "schema.org/UserComments") {
		return true
	}
	if n.Data == "form" || n.Data == "a" || n.Data == "span" {
		return false
	}
	if commentID.MatchString(attr(n, "id")) && !strings.HasPrefix(attr(n, "id"), "div-") {
		return true
	}
	if !section {
		return false
	}
	for _, c := range strings.Fields(attr(n, "class")) {
		if c == "comment" || c == "c-comment" || c == "comment-item" {
			return true
		}
	}
	return false
}

// readComment takes one comment element apart. Nested comments (replies)
// are left out of its text; they are read on their own.
func readComment(n *html.Node) (digest.Comment, bool) {
	var c digest.Comment
	authorNode := find(n, func(e *html.Node) bool {
		return (hasClassPart(e, "fn", "author", "username", "user-name") || attr(e, "itemprop") == "author" ||
			attr(e, "itemprop") == "creator") && hasText(e)
	})
	var bylineDate string
	if authorNode != nil {
		if fn := find(authorNode, func(e *html.Node) bool {
			return (hasClassPart(e, "fn", "name") || attr(e, "itemprop") == "name") && hasText(e)
		}); fn != nil {
			authorNode = fn
		}
		c.Author, bylineDate = splitByline(saysSuffix.ReplaceAllString(clean.Text(textOf(authorNode, nil)), ""))
	}
	dateNode := find(n, func(e *html.Node) bool {
		return e.Data == "time" || hasClassPart(e, "date", "time", "published") || attr(e, "itemprop") == "dateCreated"
	})
	if dateNode != nil {
		c.Published = commentDate(dateNode)
	}
	if c.Published.IsZero() && bylineDate != "" {
		c.Published = parseDate(bylineDate)
	}
	body := find(n, func(e *html.Node) bool {
		return hasClassPart(e, "comment-content", "comment-body", "comment-text", "comment__body", "comment-message") ||
			attr(e, "itemprop") == "text"
	})
	if body == nil || body == n {
		body = n
	}
	skip := func(e *html.Node) bool {
		return e != n && (isComment(e, true) || e == authorNode || e == dateNode || e.Data == "form" ||
			hasClassPart(e, "reply", "meta", "avatar", "actions", "vote", "share", "edit-link"))
	}
	var paras []string
	for _, p := range strings.Split(textOf(body, skip), "\n") {
		if p = clean.Text(p); p != "" {
			paras = append(paras, p)
		}
	}
	c.Text = strings.Join(paras, "\n")
	return c, c.Text != ""
}

func commentDate(n *html.Node) time.Time {
	for _, s := range []string{attr(n, "datetime"), attr(n, "title"), clean.Text(textOf(n, nil))} {
		if t := parseDate(s); !t.IsZero() {
			return t
		}
	}
	return time.Time{}
}

// parseDate reads the date forms comment systems print; times without a
// zone are taken as UTC.
func parseDate(s string) time.Time {
	s = strings.TrimSpace(dateNoise.ReplaceAllString(s, " "))
	if s == "" {
		return time.Time{}
	}
	if t, err := dateparse.ParseIn(s, time.UTC); err == nil && validDate(t) {
		return t.UTC()
	}
	return time.Time{}
}

func hasText(n *html.Node) bool {
	return strings.TrimSpace(textOf(n, nil)) != ""
}

// textOf is the text under n with a newline at block boundaries, leaving
// out subtrees for which skip is true.
func textOf(n *html.Node, skip func(*html.Node) bool) string {
	var b strings.Builder
	var walk func(*html.Node)
	walk = func(e *html.Node) {
		switch {
		case e.Type == html.TextNode:
			b.WriteString(e.Data)
			return
		case e.Type != html.ElementNode && e.Type != html.DocumentNode:
			return
		case e.Data == "script" || e.Data == "style" || e.Data == "noscript":
			return
		case skip != nil && skip(e):
			return
		}
		block := e.Data == "p" || e.Data == "div" || e.Data == "br" || e.Data == "li" || e.Data == "blockquote"
		if block {
			b.WriteByte('\n')
		}
		for c := e.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
		if block {
			b.WriteByte('\n')
		}
	}
	walk(n)
	return b.String()
}

// find returns the first descendant of n (not n, and not inside a nested
// comment) for which match is true.
func find(n *html.Node, match func(*html.Node) bool) *html.Node {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type != html.ElementNode || isComment(c, true) {
			continue
		}
		if match(c) {
			return c
		}
		if f := find(c, match); f != nil {
			return f
		}
	}
	return nil
}

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

// hasClassPart reports whether one of n's classes equals one of parts or
// contains it as a dash-separated piece ("comment-author" has "author").
func hasClassPart(n *html.Node, parts ...string) bool {
	for _, c := range strings.Fields(strings.ToLower(attr(n, "class"))) {
		for _, p := range parts {
			if c == p || strings.HasSuffix(c, "-"+p) || strings.HasPrefix(c, p+"-") || strings.Contains(c, "-"+p+"-") {
				return true
			}
		}
	}
	return false
}

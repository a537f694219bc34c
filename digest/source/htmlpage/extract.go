// Package htmlpage extracts the article from a saved or fetched HTML page:
// body text as clean paragraphs, sanitized body HTML, and metadata.
//
// The body comes from go-trafilatura, which scores best on the Zyte article
// extraction benchmark; it is given go-readability's result as its fallback
// candidate, so readability runs only once. Title, byline, site name and
// date come from go-readability first, which reads them far more reliably,
// and from trafilatura's metadata where readability has none.
package htmlpage

import (
	"bytes"
	"errors"
	"fmt"
	nurl "net/url"
	"strings"
	"unicode"

	readability "codeberg.org/readeck/go-readability/v2"
	"github.com/markusmobius/go-trafilatura"
	"golang.org/x/net/html"

	"github.com/weeklywrap/digest/digest"
	"github.com/weeklywrap/digest/digest/source/clean"
)

// MaxSize is the largest page Extract accepts. Real article pages are far
// smaller; anything bigger is a mistake or an attack, and parsing it would
// take minutes and gigabytes.
const MaxSize = 20 << 20

// The extractors' work grows faster than linearly with elements and text;
// these bounds keep the worst page to seconds. Real article pages stay far
// below them (the largest evaluation page: 10,000 elements, 0.5 MB text).
const (
	maxElements = 50_000
	maxText     = 2 << 20
)

// minWords is the body length under which an extraction is flagged as
// low confidence: shorter "articles" are usually index or error pages.
const minWords = 40

// ErrNoArticle means the page held no text that could be an article.
var ErrNoArticle = errors.New("no article text found")

// Options tell Extract about the page.
type Options struct {
	// URL is where the page came from. It resolves relative links and is
	// the article URL when the page declares no canonical URL.
	URL string
	// ContentType is the HTTP Content-Type header of a fetched page, if
	// any; its charset parameter overrides the page's own declaration.
	ContentType string
}

// Extract reads an HTML page and returns its article. Errors say what was
// wrong with the data; callers add the file name or URL.
func Extract(data []byte, opt Options) (digest.Article, error) {
	switch {
	case len(bytes.TrimSpace(data)) == 0:
		return digest.Article{}, errors.New("htmlpage: page is empty")
	case len(data) > MaxSize:
		return digest.Article{}, fmt.Errorf("htmlpage: page is %d bytes, over the %d MB limit", len(data), MaxSize>>20)
	}
	text, err := clean.ToUTF8(data, opt.ContentType)
	if err != nil {
		return digest.Article{}, fmt.Errorf("htmlpage: %w", err)
	}
	doc, err := html.Parse(bytes.NewReader(text))
	if err != nil {
		return plainArticle(text, opt, err)
	}
	if elems, size := measure(doc); elems > maxElements {
		return digest.Article{}, fmt.Errorf("htmlpage: page has %d elements, over the limit of %d", elems, maxElements)
	} else if size > maxText {
		return digest.Article{}, fmt.Errorf("htmlpage: page has %d bytes of text, over the limit of %d MB", size, maxText>>20)
	}
	removeHidden(doc)
	pageURL := baseURL(doc, opt.URL)
	comments, commentCount := findComments(doc)

	rp := readability.NewParser()
	ra, rerr := rp.ParseDocument(doc, pageURL)

	// Links and images stay out of the body: with them trafilatura keeps
	// more link lists and captions, and body F1 on the evaluation pages
	// drops (benchmark F1 0.971 to 0.964 on pages-dev).
	topts := trafilatura.Options{
		OriginalURL:    pageURL,
		EnableFallback: true,
		HtmlDateMode:   trafilatura.Fast,
		Focus:          trafilatura.FavorPrecision,
		// Comments are read from the page by findComments, which keeps
		// author and date apart; trafilatura only gives their text.
		ExcludeComments: true,
	}
	if _, err := ra.PublishedTime(); rerr == nil && err == nil {
		// Readability found the date in the metadata; scanning the whole
		// page for dates again is the slowest part of trafilatura.
		topts.HtmlDateMode = trafilatura.Disabled
	}
	if rerr == nil && ra.Node != nil {
		topts.FallbackCandidates = &trafilatura.FallbackCandidates{Readability: ra.Node}
	}
	tr, terr := trafilatura.ExtractDocument(doc, topts)

	art := digest.Article{Comments: comments, CommentCount: commentCount}
	fillMeta(&art, ra, rerr, tr, opt.URL)

	var body *html.Node
	if terr == nil && tr != nil {
		body = tr.ContentNode
	}
	if body == nil && rerr == nil {
		body = ra.Node
	}
	if body != nil {
		dropTitleHeading(body, art.Title)
		resolveLinks(body, pageURL)
		art.Paragraphs = dropTitle(clean.HTMLParagraphs(body), art.Title)
		art.HTML = sanitize(body)
	}
	if len(art.Paragraphs) == 0 {
		if art.Title == "" {
			return digest.Article{}, fmt.Errorf("htmlpage: %w", ErrNoArticle)
		}
		art.LowConfidence = true
	}
	if textSize(art.Paragraphs) < minWords {
		art.LowConfidence = true
	}
	return art, nil
}

// plainArticle is Extract's best effort for a page the parser refused.
func plainArticle(text []byte, opt Options, perr error) (digest.Article, error) {
	title, paras := plainParagraphs(text)
	if len(paras) == 0 {
		return digest.Article{}, fmt.Errorf("htmlpage: parse: %w", perr)
	}
	return digest.Article{Title: title, URL: opt.URL, Paragraphs: paras, LowConfidence: true}, nil
}

// textSize counts words, with two CJK characters counting as one word
// since those scripts do not separate words with spaces.
func textSize(paras []string) int {
	n := 0
	for _, p := range paras {
		n += len(strings.Fields(p))
		cjk := 0
		for _, r := range p {
			if unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana, unicode.Hangul) {
				cjk++
			}
		}
		n += cjk / 2
	}
	return n
}

// dropTitleHeading removes the body's first heading when it repeats the
// title, so that the HTML does not show the title twice under our own.
func dropTitleHeading(body *html.Node, title string) {
	var first *html.Node
	var walk func(*html.Node) bool
	walk = func(n *html.Node) bool {
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			switch {
			case c.Type == html.TextNode && strings.TrimSpace(c.Data) != "":
				return true // text before any heading: keep everything
			case c.Type == html.ElementNode && (c.Data == "h1" || c.Data == "h2"):
				first = c
				return true
			case walk(c):
				return true
			}
		}
		return false
	}
	walk(body)
	if first == nil || first.Parent == nil {
		return
	}
	if p := clean.HTMLParagraphs(first); len(p) == 1 && strings.EqualFold(p[0], title) {
		first.Parent.RemoveChild(first)
	}
}

// dropTitle removes a leading paragraph that repeats the title: the
// article's own <h1> often survives extraction.
func dropTitle(paras []string, title string) []string {
	if len(paras) > 0 && title != "" && strings.EqualFold(paras[0], title) {
		return paras[1:]
	}
	return paras
}

// measure counts the elements and the bytes of text outside scripts and
// styles.
func measure(n *html.Node) (elems, text int) {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		switch c.Type {
		case html.TextNode:
			text += len(c.Data)
		case html.ElementNode:
			elems++
			if c.Data == "script" || c.Data == "style" {
				continue
			}
		}
		e, t := measure(c)
		elems += e
		text += t
	}
	return elems, text
}

// baseURL is the URL relative links resolve against: the page's <base
// href> resolved against the given URL, else the given URL itself.
func baseURL(doc *html.Node, raw string) *nurl.URL {
	u, _ := nurl.Parse(raw)
	if u != nil && !u.IsAbs() {
		u = nil
	}
	if href := findBase(doc); href != "" {
		if b, err := nurl.Parse(href); err == nil {
			if u != nil {
				return u.ResolveReference(b)
			}
			if b.IsAbs() {
				return b
			}
		}
	}
	return u
}

func findBase(n *html.Node) string {
	if n.Type == html.ElementNode && n.Data == "base" {
		for _, a := range n.Attr {
			if a.Key == "href" {
				return strings.TrimSpace(a.Val)
			}
		}
	}
	if n.Type == html.ElementNode && n.Data == "body" {
		return ""
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if h := findBase(c); h != "" {
			return h
		}
	}
	return ""
}

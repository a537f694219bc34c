// Package htmlpage extracts the article from a saved or fetched HTML page:
// body text as clean paragraphs, sanitized body HTML, metadata, and how
// sure it is that the page held one article.
//
// Two extractors read the page: go-trafilatura, which scores best on the
// Zyte article extraction benchmark (it is given go-readability's result as
// its fallback candidate, so readability runs only once), and
// go-readability. The body is then chosen block by block: the page is cut
// into the paragraphs a browser shows (blocks.go), each is described by
// general features (what the extractors kept, length, link share, the
// kind of element, the names of the elements around it, where it lies
// relative to the article's text; features.go), and a logistic model
// fitted on labelled pages (model.go, fit_test.go) decides. This keeps
// trafilatura's judgement where it is right and overrules it where it
// keeps teasers, author boxes, newsletter boxes and licence lines or drops
// the article's lead.
//
// Title, byline, site name and date come from go-readability first, which
// reads them far more reliably, and from trafilatura's metadata where
// readability has none.
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
// Under it, Extract also lowers its bar for blocks (see choose).
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
	art, _, err := extract(data, opt)
	return art, err
}

// extract is Extract that also returns the page cut into scored blocks
// (nil when the page was not parsed), for the model's fitting.
func extract(data []byte, opt Options) (digest.Article, *page, error) {
	switch {
	case len(bytes.TrimSpace(data)) == 0:
		return digest.Article{}, nil, errors.New("htmlpage: page is empty")
	case len(data) > MaxSize:
		return digest.Article{}, nil, fmt.Errorf("htmlpage: page is %d bytes, over the %d MB limit", len(data), MaxSize>>20)
	}
	text, err := clean.ToUTF8(data, opt.ContentType)
	if err != nil {
		return digest.Article{}, nil, fmt.Errorf("htmlpage: %w", err)
	}
	doc, err := html.Parse(bytes.NewReader(text))
	if err != nil {
		art, err := plainArticle(text, opt, err)
		return art, nil, err
	}
	if elems, size := measure(doc); elems > maxElements {
		return digest.Article{}, nil, fmt.Errorf("htmlpage: page has %d elements, over the limit of %d", elems, maxElements)
	} else if size > maxText {
		return digest.Article{}, nil, fmt.Errorf("htmlpage: page has %d bytes of text, over the limit of %d MB", size, maxText>>20)
	}
	removeHidden(doc)
	pageURL := baseURL(doc, opt.URL)
	comments, commentCount := findComments(doc)
	image := leadImage(doc, pageURL)

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

	art := digest.Article{Comments: comments, CommentCount: commentCount, Image: image}
	fillMeta(&art, ra, rerr, tr, opt.URL)

	var trafParas, readParas []string
	if terr == nil && tr != nil {
		trafParas = clean.HTMLParagraphs(tr.ContentNode)
	}
	if rerr == nil && ra.Node != nil {
		readParas = clean.HTMLParagraphs(ra.Node)
	}
	pg := cutBlocks(doc, trafParas, readParas, art.Title)
	pg.describe()
	pg.score()
	keep := pg.choose()
	art.Confidence = pg.confidence(keep)
	if len(keep) > 0 {
		body := bodyHTML(pg.blocks, keep)
		dropTitleHeading(body, art.Title)
		resolveLinks(body, pageURL)
		var paras []string
		for _, i := range keep {
			paras = append(paras, pg.blocks[i].Text)
		}
		art.Paragraphs = dropTitle(paras, art.Title)
		art.HTML = sanitize(body)
	}
	if len(art.Paragraphs) == 0 {
		if art.Title == "" {
			return digest.Article{}, pg, fmt.Errorf("htmlpage: %w", ErrNoArticle)
		}
		art.Confidence = 0
	}
	if textSize(art.Paragraphs) < minWords {
		art.Confidence = min(art.Confidence, lowConfidence/2)
	}
	art.LowConfidence = art.Confidence < lowConfidence
	return art, pg, nil
}

// plainArticle is Extract's best effort for a page the parser refused.
func plainArticle(text []byte, opt Options, perr error) (digest.Article, error) {
	title, paras := clean.TokenParagraphs(text)
	if len(paras) == 0 {
		return digest.Article{}, fmt.Errorf("htmlpage: parse: %w", perr)
	}
	return digest.Article{Title: title, URL: opt.URL, Paragraphs: paras, Confidence: lowConfidence / 2, LowConfidence: true}, nil
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

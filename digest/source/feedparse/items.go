package feedparse

import (
	"encoding/xml"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/mmcdole/gofeed"
	ext "github.com/mmcdole/gofeed/extensions"

	"github.com/weeklywrap/digest/digest"
	"github.com/weeklywrap/digest/digest/weburl"
)

// mapper turns gofeed items into articles.
type mapper struct {
	o        Options
	base     *url.URL
	feed     *gofeed.Feed
	span     Span
	siteName string // the feed's own title
	newest   time.Time
	future   int
	items    int // items not dated in the future, in the span or not
	// firstFuture is the earliest date among the future items, which
	// decides how long a cached outcome of this parse stays right.
	firstFuture time.Time
}

func (m *mapper) source() digest.Source {
	name := m.o.Name
	if name == "" {
		name = m.siteName
	}
	return digest.Source{Name: name, Kind: digest.KindFeed, URL: m.o.URL, Weight: m.o.Weight}
}

// articles maps every item, then assigns IDs and drops repeated items.
func (m *mapper) articles() []digest.Article {
	src := m.source()
	out := make([]digest.Article, 0, len(m.feed.Items))
	guids := make([]string, 0, len(m.feed.Items))
	for _, it := range m.feed.Items {
		if it == nil {
			continue
		}
		t := itemDate(it)
		keep, future := m.span.Admit(t)
		if future {
			m.future++
			if m.firstFuture.IsZero() || t.Before(m.firstFuture) {
				m.firstFuture = t
			}
			continue
		}
		m.items++
		if t.After(m.newest) {
			m.newest = t
		}
		if !keep {
			continue
		}
		out = append(out, m.article(it, t, src))
		guids = append(guids, strings.TrimSpace(it.GUID))
	}
	return assignIDs(out, guids, m.sharedLinks(), m.o.URL)
}

func (m *mapper) article(it *gofeed.Item, published time.Time, src digest.Source) digest.Article {
	a := digest.Article{
		Title:      plain(it.Title),
		Author:     m.author(it),
		Source:     src,
		SiteName:   m.siteName,
		Categories: categories(it.Categories, m.o.Categories),
		// An item is its publisher's own text, not a guess at where an
		// article sits in a page.
		Confidence:   1,
		CommentCount: commentCount(it),
	}
	a.URL = m.link(it)
	if a.URL == "" {
		// A podcast episode without a page: its audio is what to open.
		a.URL = m.enclosure(it)
	}
	if !published.IsZero() {
		a.Published, a.PublishedFrom = published, digest.DateFromFeed
	}
	// Relative links inside the body are relative to the item's page.
	base := m.base
	if u, err := url.Parse(a.URL); err == nil && u.IsAbs() {
		base = u
	}
	a.Image = m.leadImage(it)
	a.HTML, a.Paragraphs = m.pickBody(it, base)
	if len(a.Paragraphs) == 0 {
		// Podcasts and media feeds describe an item in their own elements.
		if d := mediaText(it); d != "" {
			a.HTML, a.Paragraphs = body(d, base)
		}
	}
	return a
}

// mediaText is the first description a podcast or Media RSS item gives
// outside description/content: itunes:summary, media:description (alone,
// in media:content or in media:group), itunes:subtitle.
func mediaText(it *gofeed.Item) string {
	if it.ITunesExt != nil && strings.TrimSpace(it.ITunesExt.Summary) != "" {
		return it.ITunesExt.Summary
	}
	media := it.Extensions["media"]
	if d := extValue(it, "media", "description"); d != "" {
		return d
	}
	for _, parent := range []string{"content", "group"} {
		for _, e := range media[parent] {
			if d := childValue(e, "description"); d != "" {
				return d
			}
			for _, c := range e.Children["content"] {
				if d := childValue(c, "description"); d != "" {
					return d
				}
			}
		}
	}
	if it.ITunesExt != nil {
		return strings.TrimSpace(it.ITunesExt.Subtitle)
	}
	return ""
}

func childValue(e ext.Extension, name string) string {
	if cs := e.Children[name]; len(cs) > 0 {
		return strings.TrimSpace(cs[0].Value)
	}
	return ""
}

// enclosure is the item's first http(s) enclosure or media:content (an
// episode's audio).
func (m *mapper) enclosure(it *gofeed.Item) string {
	for _, e := range it.Enclosures {
		if e == nil {
			continue
		}
		if u := resolve(m.base, strings.TrimSpace(e.URL)); looksLikeURL(u) {
			return weburl.ReaderLink(u)
		}
	}
	for _, e := range it.Extensions["media"]["content"] {
		if u := resolve(m.base, strings.TrimSpace(e.Attrs["url"])); looksLikeURL(u) {
			return weburl.ReaderLink(u)
		}
	}
	return ""
}

// commentCount reads the number of comments an item declares:
// slash:comments (RSS) or thr:total (the Atom threading extension, also
// used in RSS); the larger when both are there.
func commentCount(it *gofeed.Item) int {
	n := 0
	for _, v := range []string{extValue(it, "slash", "comments"), extValue(it, "thr", "total")} {
		if k, err := strconv.Atoi(strings.TrimSpace(v)); err == nil && k > n && k < 1e9 {
			n = k
		}
	}
	return n
}

// link is the item's absolute link without tracking parameters, or "".
func (m *mapper) link(it *gofeed.Item) string {
	link := strings.TrimSpace(it.Link)
	// FeedBurner replaces links with its click tracker and keeps the real
	// one here.
	if orig := extValue(it, "feedburner", "origLink"); looksLikeURL(orig) {
		link = orig
	}
	if link == "" && looksLikeURL(it.GUID) && it.Custom[guidNotLink] == "" {
		link = strings.TrimSpace(it.GUID)
	}
	if link == "" {
		return ""
	}
	return weburl.ReaderLink(resolve(m.base, link))
}

// pickBody prefers the full content, but some feeds put a stub there and
// the real text in the description: the body with more words wins.
func (m *mapper) pickBody(it *gofeed.Item, base *url.URL) (string, []string) {
	h1, p1 := body(it.Content, base)
	// Markup only ever adds bytes, so a description no longer than the
	// content cannot hold more words than it, give or take entities.
	if strings.TrimSpace(it.Description) == "" || it.Description == it.Content ||
		(len(p1) > 0 && len(it.Description) <= len(it.Content)/2) {
		return h1, p1
	}
	h2, p2 := body(it.Description, base)
	if words(p2) > words(p1) {
		return h2, p2
	}
	return h1, p1
}

func extValue(it *gofeed.Item, ns, name string) string {
	if es := it.Extensions[ns][name]; len(es) > 0 {
		return strings.TrimSpace(es[0].Value)
	}
	return ""
}

func words(paras []string) int {
	n := 0
	for _, p := range paras {
		n += len(strings.Fields(p))
	}
	return n
}

func (m *mapper) author(it *gofeed.Item) string {
	people := it.Authors
	if len(people) == 0 && it.Author != nil {
		people = []*gofeed.Person{it.Author}
	}
	if len(people) == 0 {
		people = m.feed.Authors
	}
	var names []string
	for _, p := range people {
		if p == nil {
			continue
		}
		name := p.Name
		if strings.TrimSpace(name) == "" {
			name = nestedName(p.Email)
		}
		if n := plain(name); n != "" && !contains(names, n) {
			names = append(names, n)
		}
	}
	return strings.Join(names, ", ")
}

// nestedName reads the name from an RSS author written as Atom's nested
// elements ("<author><name>…</name><email>…</email></author>"), which
// gofeed leaves as raw markup in the email field.
func nestedName(raw string) string {
	if !strings.Contains(raw, "<") {
		return ""
	}
	d := xml.NewDecoder(strings.NewReader("<a>" + raw + "</a>"))
	d.Strict = false
	var v struct {
		Name string `xml:"name"`
	}
	if err := d.Decode(&v); err != nil {
		return ""
	}
	return strings.TrimSpace(v.Name)
}

func itemDate(it *gofeed.Item) time.Time {
	for _, t := range []*time.Time{it.PublishedParsed, it.UpdatedParsed} {
		if t != nil && !t.IsZero() && t.Year() > 1970 {
			return t.UTC()
		}
	}
	// gofeed does not read Dublin Core terms, which some RSS 2.0 feeds use.
	for _, name := range []string{"issued", "created", "modified", "date"} {
		if t := parseW3CDate(extValue(it, "dcterms", name)); !t.IsZero() {
			return t
		}
	}
	return time.Time{}
}

// w3cLayouts are the forms Dublin Core dates take (W3C-DTF, RFC 822).
var w3cLayouts = []string{time.RFC3339, "2006-01-02T15:04:05", "2006-01-02T15:04Z07:00", "2006-01-02", time.RFC1123Z, time.RFC1123}

func parseW3CDate(s string) time.Time {
	if s == "" {
		return time.Time{}
	}
	for _, l := range w3cLayouts {
		if t, err := time.Parse(l, s); err == nil && t.Year() > 1970 {
			return t.UTC()
		}
	}
	return time.Time{}
}

// categories cleans and de-duplicates item categories (case-insensitively)
// and appends the configured ones.
func categories(item, extra []string) []string {
	out := []string{}
	for _, list := range [][]string{item, extra} {
		for _, c := range list {
			c = plain(c)
			if c != "" && !contains(out, c) {
				out = append(out, c)
			}
		}
	}
	return out
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if strings.EqualFold(x, s) {
			return true
		}
	}
	return false
}

// sharedLinks finds the canonical links that do not identify an item: the
// feed's home page, a site's root, and any link that different items of the
// whole feed (inside the window or not) point to. Some feeds link every item
// to the home page; with only the window's items in view, the one item of a
// quiet week would otherwise take the home page as its ID and hide all later
// ones as already seen.
func (m *mapper) sharedLinks() map[string]bool {
	shared := map[string]bool{}
	if home := weburl.ID(resolve(m.base, m.feed.Link)); home != "" {
		shared[home] = true
	}
	keyOf := map[string]string{}
	for _, it := range m.feed.Items {
		if it == nil {
			continue
		}
		c := weburl.ID(m.link(it))
		if c == "" || shared[c] {
			continue
		}
		if u, err := url.Parse(c); err == nil && u.Path == "/" && u.RawQuery == "" {
			shared[c] = true
			continue
		}
		key := strings.TrimSpace(it.GUID)
		if key == "" {
			key = contentID(it.Title, it.Content+"\x00"+it.Description)
		}
		if k, ok := keyOf[c]; ok && k != key {
			shared[c] = true
		}
		keyOf[c] = key
	}
	return shared
}

// assignIDs sets each article's ID (see the package comment) and keeps the
// first of any repeated item. feedURL qualifies bare GUIDs.
func assignIDs(arts []digest.Article, guids []string, shared map[string]bool, feedURL string) []digest.Article {
	seenGUID := map[string]bool{}
	seenID := map[string]bool{}
	out := arts[:0]
	for i, a := range arts {
		g := guids[i]
		switch c := weburl.ID(a.URL); {
		case c != "" && !shared[c]:
			a.ID = c
		case g != "":
			a.ID = qualifyGUID(g, feedURL)
		default:
			a.ID = contentID(a.Title, a.Text())
		}
		if (g != "" && seenGUID[g]) || seenID[a.ID] {
			continue
		}
		if g != "" {
			seenGUID[g] = true
		}
		seenID[a.ID] = true
		out = append(out, a)
	}
	return out
}

// qualifyGUID makes a GUID unique across feeds. URIs (tag:, urn:, http:)
// are unique by design; bare ones ("123", "post-7") are only unique within
// their feed, and would collide in the store's seen-set, so they are
// prefixed with the feed's URL.
func qualifyGUID(g, feedURL string) string {
	if feedURL == "" {
		return g
	}
	if i := strings.IndexByte(g, ':'); i > 0 && !strings.ContainsAny(g[:i], "/?# ") {
		return g
	}
	return feedURL + "#" + g
}

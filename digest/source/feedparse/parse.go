package feedparse

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/mmcdole/gofeed"
	"github.com/mmcdole/gofeed/atom"
	gjson "github.com/mmcdole/gofeed/json"
	"github.com/mmcdole/gofeed/rss"

	"github.com/weeklywrap/digest/digest"
	"github.com/weeklywrap/digest/digest/redact"
	"github.com/weeklywrap/digest/digest/source/clean"
)

// Options describes one subscribed feed.
type Options struct {
	Name             string
	URL              string // http(s) URL or a local file path
	Weight           float64
	Categories       []string // added to every item's categories
	Include, Exclude []string // case-insensitive keywords (whole words) on title and text
	MaxItems         int      // keep at most this many, the newest; 0 means all
	FullText         bool     // fetch the linked page for items under MinWords words
	MinWords         int      // default 150
}

// ErrNotFeed is returned for documents that are not RSS, Atom or JSON Feed,
// such as an HTML page served at a feed's address.
var ErrNotFeed = errors.New("not a feed")

// errHTMLPage is the ErrNotFeed for web pages, which may name their feed.
var errHTMLPage = fmt.Errorf("%w: got an HTML page", ErrNotFeed)

// MaxParseBytes bounds Parse on a reader of unknown length; Fetch applies
// its own, usually smaller, Limits.MaxBytes.
const MaxParseBytes = 64 << 20

// Parse reads one feed document and maps its items to articles (see the
// package comment for the mapping). baseURL, the address the document came
// from, resolves relative links; it may be empty. Include, Exclude and
// MaxItems of o apply; no time window does.
func Parse(r io.Reader, o Options, baseURL string) ([]digest.Article, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxParseBytes+1))
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", o.Label(), err)
	}
	if len(data) > MaxParseBytes {
		return nil, fmt.Errorf("read %s: larger than %d bytes", o.Label(), MaxParseBytes)
	}
	doc, err := ParseDoc(data, "", o, baseURL, Span{})
	if err != nil {
		return nil, fmt.Errorf("parse %s: %w", o.Label(), err)
	}
	return Limit(Filter(doc.Articles, o), o.MaxItems), nil
}

func (o Options) Label() string {
	if o.Name != "" {
		return strconv.Quote(o.Name)
	}
	return redact.URL(o.URL)
}

// ErrLabel names the feed in errors: its name and where it lives.
func (o Options) ErrLabel() string {
	if o.Name == o.URL || redact.URL(o.Name) == redact.URL(o.URL) {
		// A feed named by its address (the default) is named once, and
		// never with the credentials the name would show.
		return redact.URL(o.URL)
	}
	if o.Name != "" && o.URL != "" {
		return strconv.Quote(o.Name) + " (" + redact.URL(o.URL) + ")"
	}
	return o.Label()
}

// Document is a parsed feed, its items inside the span, before filters.
type Document struct {
	Title    string
	Articles []digest.Article
	TTL      time.Duration // RSS <ttl>, zero when absent
	Newest   time.Time     // newest item date, future-dated items aside
	Future   int           // items dropped for a date after span.tooLate
	// FirstFuture is the earliest date of those items, zero when none.
	FirstFuture time.Time
	Items       int // items not dated in the future, inside the span or not
}

var (
	xmlDeclEncoding = regexp.MustCompile(`^(\s*<\?xml[^>]*?encoding\s*=\s*)["'][^"']*["']`)
	htmlStart       = regexp.MustCompile(`(?i)^\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body)[\s>]`)
	opmlStart       = regexp.MustCompile(`(?is)^\s*(?:<\?xml.*?\?>\s*)?(?:<!--.*?-->\s*)*<opml[\s>]`)
)

// ParseDoc converts data to UTF-8 (contentType may carry a charset), parses
// it and maps the items inside the span; the others are dropped before
// their bodies cost anything.
func ParseDoc(data []byte, contentType string, o Options, baseURL string, sp Span) (*Document, error) {
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, fmt.Errorf("%w: empty document", ErrNotFeed)
	}
	utf, err := clean.ToUTF8(data, contentType)
	if err != nil {
		return nil, fmt.Errorf("charset: %w", err)
	}
	// The bytes are UTF-8 now; a stale declaration would make the XML
	// decoder convert them a second time.
	utf = declareUTF8(utf)
	f, ttl, err := parseFeed(utf)
	if err != nil && strings.Contains(err.Error(), "unexpected EOF") {
		if fixed, ok := repairTruncated(utf); ok {
			// A repair that saves no item saved nothing: the document is
			// broken, and saying so beats an empty feed that looks fine.
			if f2, ttl2, err2 := parseFeed(fixed); err2 == nil && len(f2.Items) > 0 {
				f, ttl, err = f2, ttl2, nil
			}
		}
	}
	if errors.Is(err, errHTMLPage) {
		if links := Discover(utf, baseURL); len(links) > 0 {
			return nil, fmt.Errorf("%w; it names its feed: %s", err, links[0].URL)
		}
	}
	if err != nil {
		return nil, err
	}
	base, _ := url.Parse(baseURL)
	if base != nil && !base.IsAbs() {
		base = nil // a file path is no base for links
	}
	if f.Link != "" {
		if l, err := url.Parse(resolve(base, f.Link)); err == nil && l.IsAbs() {
			base = l
		}
	}
	if o.URL == "" {
		o.URL = baseURL
	}
	m := mapper{o: o, base: base, feed: f, span: sp, siteName: plain(f.Title)}
	arts := m.articles()
	return &Document{Title: m.siteName, Articles: arts, TTL: ttl, Newest: m.newest, Future: m.future,
		FirstFuture: m.firstFuture, Items: m.items}, nil
}

// parseFeed runs gofeed, turning its panics on hostile input into errors.
func parseFeed(data []byte) (f *gofeed.Feed, ttl time.Duration, err error) {
	defer func() {
		if r := recover(); r != nil {
			f, err = nil, fmt.Errorf("feed parser failed: %v", r)
		}
	}()
	// gofeed detects the type from the first 4 KB only; a long comment or
	// doctype before the root element needs the whole document.
	var orig any
	switch detectType(data) {
	case gofeed.FeedTypeRSS:
		var rf *rss.Feed
		if rf, err = (&rss.Parser{}).Parse(bytes.NewReader(data)); err == nil {
			orig = rf
			// We take no images from items, and the scan parses every body as HTML.
			f, err = (&gofeed.DefaultRSSTranslator{DisableContentImageScan: true}).Translate(rf)
		}
	case gofeed.FeedTypeAtom:
		var af *atom.Feed
		if af, err = (&atom.Parser{}).Parse(bytes.NewReader(data)); err == nil {
			f, err = (&gofeed.DefaultAtomTranslator{}).Translate(af)
		}
	case gofeed.FeedTypeJSON:
		f, err = parseJSON(data)
		if err != nil || len(f.Items) == 0 {
			if fixed, nerr := normalizeJSONFeed(data); nerr == nil {
				if f2, err2 := parseJSON(fixed); err2 == nil && len(f2.Items) > 0 {
					f, err = f2, nil
				}
			}
		}
	default:
		if htmlStart.Match(data[:min(len(data), 4096)]) {
			return nil, 0, errHTMLPage
		}
		if opmlStart.Match(data[:min(len(data), 4096)]) {
			return nil, 0, fmt.Errorf("%w: an OPML subscription list (import it instead)", ErrNotFeed)
		}
		return nil, 0, fmt.Errorf("%w: no RSS, Atom or JSON Feed root", ErrNotFeed)
	}
	if err != nil {
		return nil, 0, fmt.Errorf("invalid feed: %w", err)
	}
	if f == nil {
		return nil, 0, fmt.Errorf("%w: parser returned nothing", ErrNotFeed)
	}
	if rf, ok := orig.(*rss.Feed); ok && rf != nil {
		if n, err := strconv.Atoi(strings.TrimSpace(rf.TTL)); err == nil && n > 0 {
			ttl = time.Duration(n) * time.Minute
		}
		markNonPermalinks(rf, f)
	}
	return f, ttl, nil
}

// detectType is gofeed.DetectFeedType, which copies all it is given:
// the root element is nearly always in the first few kilobytes, and only
// when it is not is the whole document looked at.
func detectType(data []byte) gofeed.FeedType {
	const head = 16 << 10
	if len(data) > head {
		if t := gofeed.DetectFeedType(bytes.NewReader(data[:head])); t != gofeed.FeedTypeUnknown {
			return t
		}
	}
	return gofeed.DetectFeedType(bytes.NewReader(data))
}

// declareUTF8 makes the XML declaration, if it names an encoding, name
// UTF-8, copying the document only when it names another.
func declareUTF8(data []byte) []byte {
	m := xmlDeclEncoding.FindSubmatchIndex(data)
	if m == nil {
		return data
	}
	if enc := bytes.Trim(data[m[3]:m[1]], `"'`); bytes.EqualFold(enc, []byte("utf-8")) {
		return data
	}
	out := make([]byte, 0, len(data)+8)
	out = append(out, data[:m[3]]...)
	out = append(out, `"utf-8"`...)
	return append(out, data[m[1]:]...)
}

// guidNotLink marks, in Item.Custom, a GUID declared isPermaLink="false":
// it may look like a URL but must not stand in for the link.
const guidNotLink = "digest:guid-not-link"

func markNonPermalinks(rf *rss.Feed, f *gofeed.Feed) {
	if len(rf.Items) != len(f.Items) {
		return // the translator maps items one to one; anything else is unexpected
	}
	for i, ri := range rf.Items {
		if ri == nil || ri.GUID == nil || f.Items[i] == nil || !strings.EqualFold(strings.TrimSpace(ri.GUID.IsPermalink), "false") {
			continue
		}
		if f.Items[i].Custom == nil {
			f.Items[i].Custom = map[string]string{}
		}
		f.Items[i].Custom[guidNotLink] = "1"
	}
}

func parseJSON(data []byte) (*gofeed.Feed, error) {
	jf, err := (&gjson.Parser{}).Parse(bytes.NewReader(data))
	if err != nil {
		return nil, err
	}
	return (&gofeed.DefaultJSONTranslator{}).Translate(jf)
}

// IsFeed reports whether data (the whole document, or at least its first
// few kilobytes) looks like RSS, Atom or JSON Feed, so that callers such as
// `digest extract` can route a file without parsing it twice.
func IsFeed(data []byte) bool {
	head := data[:min(len(data), 64<<10)]
	if utf, err := clean.ToUTF8(head, ""); err == nil {
		head = declareUTF8(utf)
	}
	switch gofeed.DetectFeedType(bytes.NewReader(head)) {
	case gofeed.FeedTypeRSS, gofeed.FeedTypeAtom:
		return true
	case gofeed.FeedTypeJSON:
		return bytes.Contains(head, []byte("jsonfeed.org")) || bytes.Contains(head, []byte(`"items"`)) ||
			bytes.Contains(head, []byte(`"rss"`))
	}
	return false
}

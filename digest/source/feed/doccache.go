package feed

import (
	"bytes"
	"crypto/sha256"
	"encoding/gob"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strconv"
	"time"

	"github.com/weeklywrap/digest/digest"
)

// docStore is a BodyCache that also keeps the outcome of the last parse of
// each body for one window (DirCache does). An unchanged feed asked about
// the same window again, as in a repeated preview or a send after a
// preview, then costs a small read instead of a parse of the whole body.
type docStore interface {
	// bodyStamp identifies the stored body's version without reading it;
	// "" when there is none.
	bodyStamp(url string) string
	loadDoc(url string) (*cachedDoc, error)
	storeDoc(url string, d *cachedDoc) error
}

// docFormat changes whenever the mapping from items to articles does, so
// that outcomes of older code are parsed again rather than reused.
const docFormat = "feed-doc-1"

// cachedDoc is a document with what decides whether it may be reused.
type cachedDoc struct {
	Key   string // docKey: options and window
	Stamp string // bodyStamp of the body it came from
	// TooLate is the future-date cut-off of that parse; the outcome holds
	// for a later cut-off as long as FirstFuture stays beyond it.
	TooLate, FirstFuture time.Time

	Title    string
	TTL      time.Duration
	Newest   time.Time
	Future   int
	Articles []digest.Article
}

// docKey names everything besides the body that the mapping depends on.
func docKey(o Options, sp span) string {
	h := sha256.New()
	fmt.Fprintf(h, "%s\x00%q\x00%q\x00%v\x00%q\x00%d\x00%d", docFormat, o.Name, o.URL, o.Weight, o.Categories,
		sp.since.UnixNano(), sp.until.UnixNano())
	return hex.EncodeToString(h.Sum(nil))
}

func newCachedDoc(key, stamp string, sp span, d *document) *cachedDoc {
	return &cachedDoc{Key: key, Stamp: stamp, TooLate: sp.tooLate, FirstFuture: d.firstFuture,
		Title: d.title, TTL: d.ttl, Newest: d.newest, Future: d.future, Articles: d.articles}
}

// reuse returns the document if c is the outcome of parsing the body
// with this stamp for these options and window; nil otherwise.
func (c *cachedDoc) reuse(key, stamp string, sp span) *document {
	if c == nil || stamp == "" || c.Key != key || c.Stamp != stamp ||
		sp.tooLate.Before(c.TooLate) || (!c.FirstFuture.IsZero() && !c.FirstFuture.After(sp.tooLate)) {
		return nil
	}
	for i := range c.Articles {
		// gob drops empty slices; a parse always gives a list.
		if c.Articles[i].Categories == nil {
			c.Articles[i].Categories = []string{}
		}
	}
	return &document{title: c.Title, articles: c.Articles, ttl: c.TTL, newest: c.Newest,
		future: c.Future, firstFuture: c.FirstFuture}
}

func (c DirCache) docPath(url string) string {
	p := c.path(url)
	return p[:len(p)-len(".feed")] + ".doc"
}

func (c DirCache) bodyStamp(url string) string {
	fi, err := os.Stat(c.path(url))
	if err != nil {
		return ""
	}
	return strconv.FormatInt(fi.Size(), 10) + "@" + strconv.FormatInt(fi.ModTime().UnixNano(), 10)
}

func (c DirCache) loadDoc(url string) (*cachedDoc, error) {
	data, err := os.ReadFile(c.docPath(url))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("feed cache: %w", err)
	}
	var d cachedDoc
	if err := gob.NewDecoder(bytes.NewReader(data)).Decode(&d); err != nil {
		// A damaged or foreign file only costs a parse.
		return nil, nil
	}
	return &d, nil
}

func (c DirCache) storeDoc(url string, d *cachedDoc) error {
	var buf bytes.Buffer
	if err := gob.NewEncoder(&buf).Encode(d); err != nil {
		return fmt.Errorf("feed cache: %w", err)
	}
	return c.writeFile(c.docPath(url), buf.Bytes())
}

package feed

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/gob"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"time"

	"github.com/weeklywrap/digest/digest"
	"github.com/weeklywrap/digest/digest/source/feedparse"
)

// docStore is a BodyCache that also keeps, with each body, the outcome of
// its last parse for one window (DirCache does). An unchanged feed asked
// about the same window again, as in a repeated preview or a send after a
// preview, then costs a small read instead of a parse of the whole body.
type docStore interface {
	hasBody(url string) bool
	// loadDoc returns the kept parse, nil when there is none.
	loadDoc(url string) (*cachedDoc, error)
	// storeBodyDoc stores the body with its parse, atomically together.
	storeBodyDoc(url string, body []byte, contentType string, d *cachedDoc) error
}

// docFormat changes whenever the mapping from items to articles does, so
// that outcomes of older code are parsed again rather than reused.
const docFormat = "feed-doc-2"

// cachedDoc is a feedparse.Document with what decides whether it may be reused.
type cachedDoc struct {
	Key string // docKey: options and window
	// TooLate is the future-date cut-off of that parse; the outcome holds
	// for a later cut-off as long as FirstFuture stays beyond it.
	TooLate, FirstFuture time.Time

	Title    string
	TTL      time.Duration
	Newest   time.Time
	Future   int
	Items    int // Document.Items
	Articles []digest.Article
}

// docKey names everything besides the body that the mapping depends on.
func docKey(o Options, sp feedparse.Span) string {
	h := sha256.New()
	fmt.Fprintf(h, "%s\x00%q\x00%q\x00%v\x00%q\x00%d\x00%d", docFormat, o.Name, o.URL, o.Weight, o.Categories,
		sp.Since.UnixNano(), sp.Until.UnixNano())
	return hex.EncodeToString(h.Sum(nil))
}

func newCachedDoc(key string, sp feedparse.Span, d *feedparse.Document) *cachedDoc {
	return &cachedDoc{Key: key, TooLate: sp.TooLate, FirstFuture: d.FirstFuture,
		Title: d.Title, TTL: d.TTL, Newest: d.Newest, Future: d.Future, Items: d.Items, Articles: d.Articles}
}

// reuse returns the document if c is the outcome of parsing its body for
// these options and window; nil otherwise.
func (c *cachedDoc) reuse(key string, sp feedparse.Span) *feedparse.Document {
	if c == nil || c.Key != key ||
		sp.TooLate.Before(c.TooLate) || (!c.FirstFuture.IsZero() && !c.FirstFuture.After(sp.TooLate)) {
		return nil
	}
	for i := range c.Articles {
		// gob drops empty slices; a parse always gives a list.
		if c.Articles[i].Categories == nil {
			c.Articles[i].Categories = []string{}
		}
	}
	return &feedparse.Document{Title: c.Title, Articles: c.Articles, TTL: c.TTL, Newest: c.Newest,
		Future: c.Future, FirstFuture: c.FirstFuture, Items: c.Items}
}

// summary is what c says about the whole feed, whatever the window it was
// parsed for: no articles.
func (c *cachedDoc) summary() *feedparse.Document {
	return &feedparse.Document{Title: c.Title, TTL: c.TTL, Newest: c.Newest, Future: c.Future,
		FirstFuture: c.FirstFuture, Items: c.Items}
}

func (c DirCache) hasBody(url string) bool {
	_, err := os.Stat(c.path(url))
	return err == nil
}

// loadDoc reads the header and the kept parse, never the body.
func (c DirCache) loadDoc(url string) (*cachedDoc, error) {
	fh, err := os.Open(c.path(url))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("feed cache: %w", err)
	}
	defer fh.Close()
	br := bufio.NewReader(fh)
	u, err1 := br.ReadString('\n')
	_, err2 := br.ReadString('\n')
	head, _ := br.Peek(32)
	n, _, ok := docLine(head)
	if err1 != nil || err2 != nil || u != url+"\n" || !ok || n == 0 {
		return nil, nil
	}
	data := make([]byte, min(n, feedparse.MaxParseBytes))
	if _, err := br.ReadSlice('\n'); err != nil {
		return nil, nil
	}
	if _, err := io.ReadFull(br, data); err != nil {
		return nil, nil
	}
	var d cachedDoc
	// A damaged or foreign part only costs a parse.
	if err := gob.NewDecoder(bytes.NewReader(data)).Decode(&d); err != nil {
		return nil, nil
	}
	return &d, nil
}

func (c DirCache) storeBodyDoc(url string, body []byte, contentType string, d *cachedDoc) error {
	var buf bytes.Buffer
	if err := gob.NewEncoder(&buf).Encode(d); err != nil {
		return fmt.Errorf("feed cache: %w", err)
	}
	return c.store(url, body, contentType, buf.Bytes())
}

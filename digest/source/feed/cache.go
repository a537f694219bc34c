package feed

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
)

// BodyCache keeps the last good body of each feed, so that a 304 Not
// Modified, or a skip while the feed is fresh, still yields its articles.
// Without one, such results carry no articles: the caller must then have
// kept them from the earlier run.
type BodyCache interface {
	// LoadBody returns the stored body and its Content-Type; found is false
	// when there is none.
	LoadBody(url string) (body []byte, contentType string, found bool, err error)
	StoreBody(url string, body []byte, contentType string) error
}

// DirCache is a BodyCache of one file per feed in a directory.
type DirCache struct{ Dir string }

func (c DirCache) path(url string) string {
	h := sha256.Sum256([]byte(url))
	return filepath.Join(c.Dir, hex.EncodeToString(h[:12])+".feed")
}

// The file is the URL, the Content-Type and "doc N" on a line each, then
// N bytes of kept parse (see docStore) and the body. A different URL means
// a hash collision. Files of the first format, without the "doc" line, are
// read too. One file per feed, not two: creating a file costs more here
// than writing it.

// LoadBody implements BodyCache.
func (c DirCache) LoadBody(url string) ([]byte, string, bool, error) {
	data, err := os.ReadFile(c.path(url))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, "", false, nil
	}
	if err != nil {
		return nil, "", false, fmt.Errorf("feed cache: %w", err)
	}
	u, rest, ok1 := bytes.Cut(data, []byte("\n"))
	ct, rest, ok2 := bytes.Cut(rest, []byte("\n"))
	if !ok1 || !ok2 || string(u) != url {
		return nil, "", false, nil
	}
	if n, after, ok := docLine(rest); ok {
		if n > len(after) {
			return nil, "", false, nil // cut short
		}
		rest = after[n:]
	}
	return rest, string(ct), true, nil
}

// docLine reads a leading "doc N" line: the length of the kept parse.
func docLine(b []byte) (n int, rest []byte, ok bool) {
	line, rest, found := bytes.Cut(b[:min(len(b), 32)], []byte("\n"))
	num, isDoc := bytes.CutPrefix(line, []byte("doc "))
	if !found || !isDoc {
		return 0, b, false
	}
	n, err := strconv.Atoi(string(num))
	if err != nil || n < 0 {
		return 0, b, false
	}
	return n, b[len(line)+1:], true
}

// StoreBody implements BodyCache; it writes atomically.
func (c DirCache) StoreBody(url string, body []byte, contentType string) error {
	return c.store(url, body, contentType, nil)
}

func (c DirCache) store(url string, body []byte, contentType string, doc []byte) error {
	var buf bytes.Buffer
	buf.Grow(len(url) + len(contentType) + len(doc) + len(body) + 32)
	buf.WriteString(url + "\n" + stripNewlines(contentType) + "\ndoc " + strconv.Itoa(len(doc)) + "\n")
	buf.Write(doc)
	buf.Write(body)
	return c.writeFile(c.path(url), buf.Bytes())
}

// writeFile replaces path atomically, so that a reader never sees half a
// file and a crash leaves the old one.
func (c DirCache) writeFile(path string, data []byte) error {
	if err := os.MkdirAll(c.Dir, 0o755); err != nil {
		return fmt.Errorf("feed cache: %w", err)
	}
	tmp, err := os.CreateTemp(c.Dir, ".tmp-*")
	if err != nil {
		return fmt.Errorf("feed cache: %w", err)
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return fmt.Errorf("feed cache: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("feed cache: %w", err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("feed cache: %w", err)
	}
	return nil
}

func stripNewlines(s string) string {
	return string(bytes.Map(func(r rune) rune {
		if r == '\n' || r == '\r' {
			return ' '
		}
		return r
	}, []byte(s)))
}

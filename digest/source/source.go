// Package source turns feeds and seed files into Articles. It dispatches to
// the format packages below it: feed (RSS, Atom, JSON Feed), textdump
// (plain-text page dumps), htmlpage (saved HTML pages) and mdnote
// (Markdown notes with front matter).
package source

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/weeklywrap/digest/digest"
	"github.com/weeklywrap/digest/digest/source/feed"
	"github.com/weeklywrap/digest/digest/source/htmlpage"
	"github.com/weeklywrap/digest/digest/source/mdnote"
	"github.com/weeklywrap/digest/digest/source/textdump"
)

// MaxFileBytes caps what a seed file may hold; larger files are refused
// with an error instead of being read into memory.
const MaxFileBytes = 20 << 20

// ErrEmpty is returned for an empty seed file.
var ErrEmpty = errors.New("file is empty")

// Format is how a file is read.
type Format string

const (
	FormatText     Format = "txt"
	FormatHTML     Format = "html"
	FormatMarkdown Format = "md"
	FormatFeed     Format = "feed"
)

// SeedExts are the file endings read from the seeds folder.
var seedExts = map[string]Format{".txt": FormatText, ".html": FormatHTML, ".htm": FormatHTML, ".md": FormatMarkdown, ".markdown": FormatMarkdown}

// Detect decides how to read a file: a feed is recognized by its content,
// whatever its name, so that `digest extract` understands any feed file;
// everything else goes by its ending, and text is the fallback.
func Detect(name string, data []byte) Format {
	head := data
	if len(head) > 8192 {
		head = head[:8192]
	}
	h := bytes.ToLower(bytes.TrimLeft(bytes.TrimPrefix(head, []byte("\xef\xbb\xbf")), " \t\r\n"))
	ext := strings.ToLower(filepath.Ext(name))
	if bytes.HasPrefix(h, []byte("{")) && bytes.Contains(h, []byte("jsonfeed.org")) {
		return FormatFeed
	}
	if root := firstTag(h); bytes.HasPrefix(root, []byte("<rss")) || bytes.HasPrefix(root, []byte("<feed")) || bytes.HasPrefix(root, []byte("<rdf:rdf")) {
		return FormatFeed
	}
	if f, ok := seedExts[ext]; ok {
		return f
	}
	switch ext {
	case ".xml", ".rss", ".atom", ".rdf", ".json":
		return FormatFeed
	}
	if bytes.HasPrefix(h, []byte("<!doctype html")) || bytes.HasPrefix(h, []byte("<html")) {
		return FormatHTML
	}
	return FormatText
}

// firstTag skips an XML declaration, comments and a doctype and returns
// the document from its root element on; a feed is known by its root, not
// by a mention of "<feed" somewhere in a page's text.
func firstTag(h []byte) []byte {
	for {
		h = bytes.TrimLeft(h, " \t\r\n")
		var end []byte
		switch {
		case bytes.HasPrefix(h, []byte("<?")):
			end = []byte("?>")
		case bytes.HasPrefix(h, []byte("<!--")):
			end = []byte("-->")
		case bytes.HasPrefix(h, []byte("<!")):
			end = []byte(">")
		default:
			return h
		}
		i := bytes.Index(h, end)
		if i < 0 {
			return nil
		}
		h = h[i+len(end):]
	}
}

// File reads one file into articles: one for a page or note, one per item
// for a feed. modTime is the file's time, the last-resort date of a dump.
func File(name string, data []byte, modTime time.Time, corpus *textdump.Corpus) (arts []digest.Article, err error) {
	// One hostile file must not take the run down with it: a panic in an
	// extractor becomes this file's error.
	defer func() {
		if r := recover(); r != nil {
			arts, err = nil, fmt.Errorf("%s: could not be read (extractor failure: %v); check the file or remove it", name, r)
		}
	}()
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, fmt.Errorf("%s: %w; add content or remove it", name, ErrEmpty)
	}
	var a digest.Article
	switch Detect(name, data) {
	case FormatFeed:
		arts, err := feed.Parse(bytes.NewReader(data), feed.Options{Name: filepath.Base(name), URL: name}, "")
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		return arts, nil
	case FormatHTML:
		a, err = htmlpage.Extract(data, htmlpage.Options{})
	case FormatMarkdown:
		a, err = mdnote.Parse(name, data)
	default:
		a, err = textdump.Extract(name, data, textdump.Options{ModTime: modTime, Corpus: corpus})
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if a.Published.IsZero() && !modTime.IsZero() && a.PublishedFrom == "" {
		a.Published, a.PublishedFrom = modTime.UTC(), digest.DateFromFileTime
	}
	// The file's name, not its path, so that the same seeds folder reached
	// through another --config path or a moved install keeps its identity.
	sum := sha256.Sum256(data)
	a.ID = "seed:" + filepath.Base(name) + "#" + hex.EncodeToString(sum[:8])
	// Readers see the source's name: the site when the page names it, else
	// a neutral label rather than a file name.
	label := a.SiteName
	if label == "" {
		label = "Editor's pick"
	}
	a.Source = digest.Source{Name: label, Kind: digest.KindSeed, URL: name}
	return []digest.Article{a}, nil
}

// ReadFile reads a file from disk, refusing ones over MaxFileBytes.
func ReadFile(path string) ([]byte, time.Time, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return nil, time.Time{}, err
	}
	if fi.IsDir() {
		return nil, time.Time{}, fmt.Errorf("%s is a directory; name the files in it", path)
	}
	if fi.Size() > MaxFileBytes {
		return nil, time.Time{}, fmt.Errorf("%s is %d MB, over the %d MB limit; save only the article", path, fi.Size()>>20, MaxFileBytes>>20)
	}
	data, err := os.ReadFile(path)
	return data, fi.ModTime(), err
}

// Seeds reads every seed file (.txt, .html, .md) at the top of dir, in
// name order. A file that cannot be read or understood becomes a
// SourceError; the others still come through. A missing dir is no error.
func Seeds(dir string) ([]digest.Article, []digest.SourceError) {
	entries, err := os.ReadDir(dir)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, []digest.SourceError{{Source: dir, Err: err.Error()}}
	}
	type file struct {
		path string
		data []byte
		mod  time.Time
	}
	var files []file
	var errs []digest.SourceError
	for _, e := range entries {
		if e.IsDir() || strings.HasPrefix(e.Name(), ".") {
			continue
		}
		if _, ok := seedExts[strings.ToLower(filepath.Ext(e.Name()))]; !ok {
			continue
		}
		p := filepath.Join(dir, e.Name())
		data, mod, err := ReadFile(p)
		if err != nil {
			errs = append(errs, digest.SourceError{Source: p, Err: err.Error()})
			continue
		}
		files = append(files, file{p, data, mod})
	}
	sort.Slice(files, func(i, j int) bool { return files[i].path < files[j].path })
	var dumps [][]byte
	for _, f := range files {
		if seedExts[strings.ToLower(filepath.Ext(f.path))] == FormatText {
			dumps = append(dumps, f.data)
		}
	}
	corpus := textdump.NewCorpus(dumps)
	var out []digest.Article
	for _, f := range files {
		arts, err := File(f.path, f.data, f.mod, corpus)
		if err != nil {
			errs = append(errs, digest.SourceError{Source: f.path, Err: err.Error()})
			continue
		}
		out = append(out, arts...)
	}
	return out, errs
}

// Page reads a document fetched from pageURL: a feed gives its items, an
// HTML page its article; anything else is read as a text dump.
func Page(pageURL string, data []byte, contentType string) ([]digest.Article, error) {
	ct := strings.ToLower(contentType)
	f := Detect(pageURL, data)
	if f != FormatFeed && (strings.Contains(ct, "html") || f == FormatText && bytes.Contains(bytes.ToLower(data[:min(len(data), 4096)]), []byte("<html"))) {
		f = FormatHTML
	}
	switch f {
	case FormatFeed:
		arts, err := feed.Parse(bytes.NewReader(data), feed.Options{Name: pageURL, URL: pageURL}, pageURL)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", pageURL, err)
		}
		return arts, nil
	case FormatHTML:
		a, err := htmlpage.Extract(data, htmlpage.Options{URL: pageURL, ContentType: contentType})
		if err != nil {
			return nil, fmt.Errorf("%s: %w", pageURL, err)
		}
		if a.URL == "" {
			a.URL = pageURL
		}
		a.ID = a.URL
		a.Source = digest.Source{Name: pageURL, Kind: digest.KindSeed, URL: pageURL}
		return []digest.Article{a}, nil
	}
	return File(pageURL, data, time.Time{}, nil)
}

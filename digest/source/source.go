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
	"github.com/weeklywrap/digest/digest/source/feedparse"
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

// A Seed is one file to read and what its folder says about it.
type Seed struct {
	Path string // the file's path (or the address it was fetched from); names it in errors
	Data []byte
	// ModTime is when the file was saved: the reference for relative
	// dates in its text ("2 days ago"), never the article's date itself.
	ModTime time.Time
	// URL is the page's address from a sidecar NAME.url file; "" when none.
	URL string
	// SidecarErr tells why a sidecar beside the file could not be used;
	// the seed is still read, without the sidecar's address.
	SidecarErr error
}

// File reads one file into articles: one for a page or note, one per item
// for a feed. A seed whose text states no date is undated (Published zero,
// PublishedFrom digest.DateNone): the file's time is never its date.
func File(s Seed, corpus *textdump.Corpus) (arts []digest.Article, err error) {
	name, data := s.Path, s.Data
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
	link := s.URL
	format := Detect(name, data)
	switch format {
	case FormatFeed:
		arts, err := feedparse.Parse(bytes.NewReader(data), feed.Options{Name: filepath.Base(name), URL: name}, "")
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		return arts, nil
	case FormatHTML:
		a, err = htmlpage.Extract(data, htmlpage.Options{URL: link})
	case FormatMarkdown:
		a, err = mdnote.Parse(name, data)
	default:
		// The address written into the dump is the page's, unless a
		// sidecar says otherwise; either way the line is no part of the text.
		inText, rest := textURL(data)
		if link == "" {
			link = inText
		}
		a, err = textdump.Extract(name, rest, textdump.Options{ModTime: s.ModTime, Corpus: corpus})
		if err == nil && a.SiteName == "" {
			a.SiteName = siteName(strings.ToValidUTF8(string(rest), ""), link)
		}
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	// A note's front matter and a page's canonical link name the address
	// already; the sidecar or the pasted line fills it in where they don't.
	if a.URL == "" {
		a.URL = link
	}
	if a.SiteName == "" && a.URL != "" {
		a.SiteName = siteHost(a.URL)
	}
	if a.Published.IsZero() {
		a.PublishedFrom = digest.DateNone
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

// ReadFile reads a seed from disk, refusing files over MaxFileBytes, with
// the address from a sidecar NAME.url (or NAME.ext.url) beside it.
func ReadFile(path string) (Seed, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return Seed{}, err
	}
	if fi.IsDir() {
		return Seed{}, fmt.Errorf("%s is a directory; name the files in it", path)
	}
	if fi.Size() > MaxFileBytes {
		return Seed{}, fmt.Errorf("%s is %d MB, over the %d MB limit; save only the article", path, fi.Size()>>20, MaxFileBytes>>20)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return Seed{}, err
	}
	s := Seed{Path: path, Data: data, ModTime: fi.ModTime()}
	if p := sidecarPath(path); p != "" {
		s.URL, s.SidecarErr = readSidecar(p)
	}
	return s, nil
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
	var files []Seed
	var errs []digest.SourceError
	for _, e := range entries {
		if e.IsDir() || strings.HasPrefix(e.Name(), ".") {
			continue
		}
		if _, ok := seedExts[strings.ToLower(filepath.Ext(e.Name()))]; !ok {
			continue
		}
		p := filepath.Join(dir, e.Name())
		f, err := ReadFile(p)
		if err != nil {
			errs = append(errs, digest.SourceError{Source: p, Err: err.Error()})
			continue
		}
		files = append(files, f)
	}
	sort.Slice(files, func(i, j int) bool { return files[i].Path < files[j].Path })
	var dumps [][]byte
	for _, f := range files {
		if seedExts[strings.ToLower(filepath.Ext(f.Path))] == FormatText {
			dumps = append(dumps, f.Data)
		}
	}
	corpus := textdump.NewCorpus(dumps)
	var out []digest.Article
	for _, f := range files {
		if f.SidecarErr != nil {
			// The seed still comes through, only without the link.
			errs = append(errs, digest.SourceError{Source: f.Path, Err: f.SidecarErr.Error()})
		}
		arts, err := File(f, corpus)
		if err != nil {
			errs = append(errs, digest.SourceError{Source: f.Path, Err: err.Error()})
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
		arts, err := feedparse.Parse(bytes.NewReader(data), feed.Options{Name: pageURL, URL: pageURL}, pageURL)
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
	return File(Seed{Path: pageURL, Data: data, URL: pageURL}, nil)
}

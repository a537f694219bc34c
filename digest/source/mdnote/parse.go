// Package mdnote reads Markdown notes: an optional YAML front matter block
// (title, url, source, author, date, tags, summary, pin) followed by a Markdown body,
// rendered with goldmark (GitHub Flavored Markdown) and sanitized.
package mdnote

import (
	"bytes"
	"fmt"
	nurl "net/url"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
	gmhtml "github.com/yuin/goldmark/renderer/html"
	"golang.org/x/net/html"

	"github.com/weeklywrap/digest/digest"
	"github.com/weeklywrap/digest/digest/source/clean"
)

// MaxSize is the largest note Parse accepts.
const MaxSize = 20 << 20

var (
	yamlLine        = regexp.MustCompile(`line (\d+)`)
	yamlParserError = regexp.MustCompile(`^line \d+: (did not find expected|found duplicate|found incompatible|found undefined)`)
)

// Parse reads the note called name (used in errors and as the title of
// last resort). Front matter errors name the file and the line.
func Parse(name string, data []byte) (digest.Article, error) {
	if len(data) > MaxSize {
		return digest.Article{}, fmt.Errorf("%s: note is %d bytes, over the %d MB limit", name, len(data), MaxSize>>20)
	}
	data, err := clean.ToUTF8(data, "text/markdown")
	if err != nil {
		return digest.Article{}, fmt.Errorf("%s: %w", name, err)
	}
	fm, body, found, err := splitFrontMatter(data)
	if err != nil {
		return digest.Article{}, fmt.Errorf("%s: %w", name, err)
	}
	var m meta
	if found {
		if m, err = parseMeta(fm); err != nil {
			return digest.Article{}, fmt.Errorf("%s: %w", name, err)
		}
	}
	rendered, err := render(body)
	if err != nil {
		return digest.Article{}, fmt.Errorf("%s: render markdown: %w", name, err)
	}
	safe := strings.TrimSpace(clean.SanitizeHTML(rendered))
	doc, err := html.Parse(strings.NewReader(safe))
	if err != nil {
		return digest.Article{}, fmt.Errorf("%s: parse rendered html: %w", name, err)
	}
	art := digest.Article{
		Title:      clean.Text(m.Title),
		URL:        m.URL,
		SiteName:   clean.Text(m.Site),
		Author:     clean.Text(m.Author),
		Categories: m.Tags,
		Paragraphs: clean.HTMLParagraphs(doc),
		HTML:       safe,
		// A note is the editor's own text: nothing was guessed.
		Confidence: 1,
		Pinned:     m.Pinned,
	}
	if !m.Date.IsZero() {
		art.Published = m.Date
		art.PublishedFrom = digest.DateFromFrontMatter
	}
	for _, s := range m.Summary {
		if s = clean.Text(s); s != "" {
			art.Summary = append(art.Summary, s)
		}
	}
	art.SummaryFixed = len(art.Summary) > 0
	art.Image = leadImage(m)
	setTitle(&art, body, name)
	return art, nil
}

// setTitle falls back to a leading "# Heading", then to the file name
// without extension. A leading heading that is the title is dropped from
// the paragraphs and the HTML, which are shown under the title anyway.
func setTitle(art *digest.Article, body []byte, name string) {
	heading := bytes.HasPrefix(bytes.TrimLeft(body, " \t\r\n"), []byte("# ")) &&
		len(art.Paragraphs) > 0 && strings.HasPrefix(art.HTML, "<h1>")
	if art.Title == "" && heading {
		art.Title = art.Paragraphs[0]
	}
	if art.Title == "" {
		base := filepath.Base(name)
		art.Title = strings.TrimSuffix(base, filepath.Ext(base))
	}
	if heading && strings.EqualFold(art.Paragraphs[0], art.Title) {
		art.Paragraphs = art.Paragraphs[1:]
		if _, rest, ok := strings.Cut(art.HTML, "</h1>"); ok {
			art.HTML = strings.TrimSpace(rest)
		}
	}
}

func render(body []byte) (string, error) {
	md := goldmark.New(
		goldmark.WithExtensions(extension.GFM),
		// Raw HTML is let through here and removed by the sanitizer, which
		// keeps the safe parts (links, emphasis) instead of dropping all.
		goldmark.WithRendererOptions(gmhtml.WithUnsafe()),
	)
	var b bytes.Buffer
	if err := md.Convert(body, &b); err != nil {
		return "", err
	}
	return b.String(), nil
}

// shiftYAMLError renumbers the YAML parser's lines to file lines: the
// front matter starts on the file's second line. The YAML library counts
// lines from 0 in parser errors and from 1 in scanner errors.
func shiftYAMLError(err error) error {
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	shift := 1
	if yamlParserError.MatchString(msg) {
		shift = 2
	}
	msg = yamlLine.ReplaceAllStringFunc(msg, func(s string) string {
		n, _ := strconv.Atoi(strings.TrimPrefix(s, "line "))
		return "line " + strconv.Itoa(n+shift)
	})
	if !strings.HasPrefix(msg, "line ") {
		return fmt.Errorf("front matter: %s", msg)
	}
	return fmt.Errorf("%s", msg)
}

// leadImage is the note's image: an absolute http(s) address, or one
// relative to the note's url; anything else is dropped.
func leadImage(m meta) *digest.Image {
	raw := strings.TrimSpace(m.Image)
	if raw == "" {
		return nil
	}
	u, err := nurl.Parse(raw)
	if err != nil {
		return nil
	}
	if base, err := nurl.Parse(m.URL); err == nil && !u.IsAbs() && base.IsAbs() {
		u = base.ResolveReference(u)
	}
	if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil
	}
	return &digest.Image{URL: u.String(), Alt: clean.Text(m.Alt)}
}

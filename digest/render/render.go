// Package render turns an Issue into the newsletter's HTML and plain-text
// parts and its subject line.
//
// The HTML is written for mail clients: tables for layout, styles inline,
// attributes (align, bgcolor, width) where clients ignore CSS, and only the
// dark-mode and narrow-screen rules in one <style> block. The plain text is
// rendered from the same data by its own template, not by stripping HTML.
//
// Rendering is split in two so that sending to many subscribers is cheap:
// Prepare renders an issue once, with placeholders where the subscriber's
// name and links go; Prepared.HTML and Prepared.Text then only splice in
// each subscriber's values.
package render

import (
	"bytes"
	"fmt"
	htmltemplate "html/template"
	"io/fs"
	"strings"
	texttemplate "text/template"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/goodsign/monday"

	"github.com/weeklywrap/digest/digest"
	"github.com/weeklywrap/digest/digest/route"
)

// Template names inside the templates file system.
const (
	HTMLTemplate = "email/issue.html.tmpl"
	TextTemplate = "email/issue.txt.tmpl"
)

// DefaultSubject is used when Newsletter.SubjectTemplate is empty and the
// issue carries no subject of its own.
const DefaultSubject = "{{.Newsletter.Title}} #{{.Issue.Number}}: {{.TopTitle}}"

// maxSubject is where a subject line is cut; longer ones are truncated in
// most inboxes anyway.
const maxSubject = 150

// Newsletter is what stays the same from issue to issue.
type Newsletter struct {
	Title, Tagline  string         // masthead, e.g. "The Weekly Wrap"
	BaseURL         string         // public URL of the site, e.g. http://127.0.0.1:8080
	PostalAddress   string         // CAN-SPAM footer
	Lang            string         // e.g. "en"
	Location        *time.Location // rendered dates use this zone; nil means UTC
	SubjectTemplate string         // text/template over subjectData, see DefaultSubject
	// NoImages leaves out the top stories' lead images.
	NoImages bool
}

// Personal holds the per-subscriber bits. The zero value renders the
// preview or web version: no greeting and no personal links.
type Personal struct {
	Name, Email, UnsubscribeURL, PreferencesURL string
}

// Renderer holds the parsed templates. It is safe for concurrent use.
type Renderer struct {
	nl      Newsletter
	cat     *Catalog
	html    *htmltemplate.Template
	text    *texttemplate.Template
	subject *texttemplate.Template
}

// New parses the email templates from fsys (usually templates.FS or an
// Overlay of it): every email/*.html.tmpl into one HTML set and every
// email/*.txt.tmpl into one text set, so that operators may add partials.
func New(nl Newsletter, fsys fs.FS) (*Renderer, error) {
	if nl.Location == nil {
		nl.Location = time.UTC
	}
	if nl.Lang == "" {
		nl.Lang = "en"
	}
	if strings.TrimSpace(nl.Title) == "" {
		return nil, fmt.Errorf("render: the newsletter has no title")
	}
	nl.BaseURL = strings.TrimRight(nl.BaseURL, "/")
	cat, err := LoadCatalog(fsys, nl.Lang)
	if err != nil {
		return nil, err
	}
	r := &Renderer{nl: nl, cat: cat}

	h, err := htmltemplate.New("").Funcs(htmlFuncs).Funcs(cat.Funcs()).ParseFS(fsys, "email/*.html.tmpl")
	if err != nil {
		return nil, fmt.Errorf("render: parse email/*.html.tmpl: %w", err)
	}
	if r.html = h.Lookup("issue.html.tmpl"); r.html == nil {
		return nil, fmt.Errorf("render: template %s not found", HTMLTemplate)
	}
	t, err := texttemplate.New("").Funcs(textFuncs).Funcs(cat.Funcs()).ParseFS(fsys, "email/*.txt.tmpl")
	if err != nil {
		return nil, fmt.Errorf("render: parse email/*.txt.tmpl: %w", err)
	}
	if r.text = t.Lookup("issue.txt.tmpl"); r.text == nil {
		return nil, fmt.Errorf("render: template %s not found", TextTemplate)
	}
	src := nl.SubjectTemplate
	if src == "" {
		src = DefaultSubject
	}
	if r.subject, err = texttemplate.New("subject").Parse(src); err != nil {
		return nil, fmt.Errorf("render: parse subject template %q: %w", src, err)
	}
	return r, nil
}

// subjectData is what SubjectTemplate sees.
type subjectData struct {
	Newsletter Newsletter
	Issue      *digest.Issue
	TopTitle   string // title of the first top story (or first story)
	Date       string // the slot's date in the newsletter's zone and language, "2 January 2006"
	Count      int    // number of stories
}

// Subject renders the subject line: one line, no control characters,
// at most about 150 characters. An issue that already carries a subject
// keeps it unless the operator configured a subject template.
func (r *Renderer) Subject(is *digest.Issue) (string, error) {
	if r.nl.SubjectTemplate == "" && strings.TrimSpace(is.Subject) != "" {
		return cleanSubject(is.Subject), nil
	}
	d := subjectData{
		Newsletter: r.nl,
		Issue:      is,
		Date:       monday.Format(is.Slot.In(r.nl.Location), "2 January 2006", r.cat.locale),
		Count:      is.ArticleCount(),
	}
	if es := is.Entries(); len(es) > 0 {
		d.TopTitle = oneLine(es[0].Article.Title)
	}
	var b bytes.Buffer
	if err := r.subject.Execute(&b, d); err != nil {
		return "", fmt.Errorf("render: subject of issue %d: %w", is.Number, err)
	}
	s := cleanSubject(b.String())
	s = strings.TrimRight(s, " :-–—")
	if s == "" {
		return "", fmt.Errorf("render: subject of issue %d is empty", is.Number)
	}
	return s, nil
}

// cleanSubject folds every run of white space and control characters
// (CR and LF above all: they would split the header) into one space and
// cuts the result at a word boundary.
func cleanSubject(s string) string {
	s = oneLine(s)
	if utf8.RuneCountInString(s) <= maxSubject {
		return s
	}
	rs := []rune(s)[:maxSubject-1]
	cut := string(rs)
	if i := strings.LastIndexByte(cut, ' '); i > maxSubject/2 {
		cut = cut[:i]
	}
	return strings.TrimRight(cut, " ,;:-–—") + "…"
}

// oneLine collapses white space and drops control and format characters.
func oneLine(s string) string {
	if isOneLine(s) {
		return s
	}
	var b strings.Builder
	space := false
	for _, r := range s {
		switch {
		case unicode.IsSpace(r) || unicode.IsControl(r) || r == '\u2028' || r == '\u2029':
			space = b.Len() > 0
			continue
		case unicode.Is(unicode.Cf, r) && r != '\u200d':
			continue
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		b.WriteRune(r)
	}
	return b.String()
}

// WithBaseURL returns a Renderer that shares r's templates but links to
// the site at baseURL ("view in browser", subscribe): a test send uses it
// to point those links at its own test copy.
func (r *Renderer) WithBaseURL(baseURL string) *Renderer {
	c := *r
	c.nl.BaseURL = strings.TrimRight(baseURL, "/")
	return &c
}

// Catalog is the renderer's catalogue of labels, in the newsletter's
// language.
func (r *Renderer) Catalog() *Catalog { return r.cat }

// WebURL is the "view in browser" address of issue n.
func WebURL(baseURL string, n int) string {
	return route.Site(baseURL).Issue(n)
}

// isOneLine reports whether oneLine would return s unchanged; most names
// and addresses are, and personalization calls this per subscriber.
func isOneLine(s string) bool {
	prevSpace := true // a leading space needs folding too
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= utf8.RuneSelf {
			return false // leave the rare non-ASCII case to the slow path
		}
		if c == ' ' {
			if prevSpace {
				return false
			}
			prevSpace = true
			continue
		}
		if c < ' ' || c == 0x7f {
			return false
		}
		prevSpace = false
	}
	return !prevSpace || s == ""
}

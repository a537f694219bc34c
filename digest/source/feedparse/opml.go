package feedparse

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"

	"golang.org/x/net/html/charset"

	"github.com/weeklywrap/digest/digest/source/clean"
)

// ErrNotOPML is returned by ParseOPML for documents that are not OPML.
var ErrNotOPML = errors.New("not an OPML document")

type opmlDoc struct {
	XMLName xml.Name      `xml:"opml"`
	Version string        `xml:"version,attr"`
	Title   string        `xml:"head>title"`
	Body    []opmlOutline `xml:"body>outline"`
}

type opmlOutline struct {
	Attrs    []xml.Attr    `xml:",any,attr"`
	Outlines []opmlOutline `xml:"outline"`
}

// attr looks an attribute up ignoring case: exporters disagree on xmlUrl,
// xmlURL and xmlurl.
func (o opmlOutline) attr(name string) string {
	for _, a := range o.Attrs {
		if strings.EqualFold(a.Name.Local, name) {
			return strings.TrimSpace(a.Value)
		}
	}
	return ""
}

// ParseOPML reads a subscription list. Every outline with an xmlUrl is a
// feed; the titles of the folders it sits in, and its category attribute
// (comma-separated, slashes trimmed), become its Categories. A feed listed
// twice is kept once.
func ParseOPML(r io.Reader) ([]Options, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxParseBytes+1))
	if err != nil {
		return nil, fmt.Errorf("read OPML: %w", err)
	}
	if len(data) > MaxParseBytes {
		return nil, fmt.Errorf("read OPML: larger than %d bytes", MaxParseBytes)
	}
	if utf, err := clean.ToUTF8(data, ""); err == nil {
		data = xmlDeclEncoding.ReplaceAll(utf, []byte(`${1}"utf-8"`))
	}
	dec := xml.NewDecoder(bytes.NewReader(data))
	dec.Strict = false
	dec.AutoClose = xml.HTMLAutoClose
	dec.Entity = xml.HTMLEntity
	dec.CharsetReader = charset.NewReaderLabel
	var doc opmlDoc
	if err := dec.Decode(&doc); err != nil {
		var se xml.UnmarshalError
		if errors.As(err, &se) || strings.Contains(err.Error(), "expected element type <opml>") {
			return nil, fmt.Errorf("%w: %v", ErrNotOPML, err)
		}
		return nil, fmt.Errorf("parse OPML: %w", err)
	}
	var out []Options
	seen := map[string]bool{}
	var walk func(list []opmlOutline, folders []string)
	walk = func(list []opmlOutline, folders []string) {
		for _, o := range list {
			name := clean.Text(o.attr("title"))
			if name == "" {
				name = clean.Text(o.attr("text"))
			}
			u := o.attr("xmlUrl")
			if u == "" {
				if len(o.Outlines) > 0 {
					walk(o.Outlines, append(folders[:len(folders):len(folders)], name))
				}
				continue
			}
			if seen[u] {
				continue
			}
			seen[u] = true
			if name == "" {
				name = u
			}
			cats := categories(folders, splitCategories(o.attr("category")))
			out = append(out, Options{Name: name, URL: u, Categories: cats})
			walk(o.Outlines, folders) // feeds nested under a feed, as some exporters do
		}
	}
	walk(doc.Body, nil)
	return out, nil
}

func splitCategories(s string) []string {
	var out []string
	for _, c := range strings.Split(s, ",") {
		if c = strings.Trim(strings.TrimSpace(c), "/"); c != "" {
			out = append(out, c)
		}
	}
	return out
}

// WriteOPML writes feeds as OPML 2.0, in folders named by each feed's first
// category, with all categories in the category attribute, so that
// ParseOPML gives the same names, URLs and categories back.
func WriteOPML(w io.Writer, title string, feeds []Options) error {
	var b bytes.Buffer
	b.WriteString(xml.Header)
	b.WriteString(`<opml version="2.0">` + "\n  <head>\n    <title>")
	xml.EscapeText(&b, []byte(title))
	b.WriteString("</title>\n  </head>\n  <body>\n")
	var folders []string
	byFolder := map[string][]Options{}
	for _, f := range feeds {
		folder := ""
		if len(f.Categories) > 0 {
			folder = f.Categories[0]
		}
		if _, ok := byFolder[folder]; !ok {
			folders = append(folders, folder)
		}
		byFolder[folder] = append(byFolder[folder], f)
	}
	for _, folder := range folders {
		indent := "    "
		if folder != "" {
			b.WriteString(indent + `<outline text="` + attrEscape(folder) + `" title="` + attrEscape(folder) + "\">\n")
			indent += "  "
		}
		for _, f := range byFolder[folder] {
			b.WriteString(indent + `<outline type="rss" text="` + attrEscape(f.Name) + `" title="` + attrEscape(f.Name) +
				`" xmlUrl="` + attrEscape(f.URL) + `"`)
			if len(f.Categories) > 0 {
				b.WriteString(` category="` + attrEscape(strings.Join(f.Categories, ",")) + `"`)
			}
			b.WriteString("/>\n")
		}
		if folder != "" {
			b.WriteString("    </outline>\n")
		}
	}
	b.WriteString("  </body>\n</opml>\n")
	if _, err := w.Write(b.Bytes()); err != nil {
		return fmt.Errorf("write OPML: %w", err)
	}
	return nil
}

func attrEscape(s string) string {
	var b strings.Builder
	xml.EscapeText(&b, []byte(s))
	return b.String()
}

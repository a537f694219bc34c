package mdnote

import (
	"bytes"
	"fmt"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"
)

// meta is what a note's front matter may say. Unknown keys are ignored so
// that notes written for other tools (Hugo, Jekyll, Obsidian) still load.
type meta struct {
	Title   string
	URL     string
	Site    string // the publication the note is about, shown as its source
	Author  string
	Date    time.Time
	Tags    []string
	Summary []string
	Pinned  bool   // the editor puts this story on top of the issue
	Image   string // the lead image's address (image, cover, og_image)
	Alt     string // its text alternative (image_alt)
}

const maxFrontMatter = 64 << 10

// dateLayouts are the forms people write dates in front matter; a date
// without a zone is read as UTC.
var dateLayouts = []string{
	time.RFC3339Nano,
	"2006-01-02T15:04:05",
	"2006-01-02 15:04:05Z07:00",
	"2006-01-02 15:04:05 -0700",
	"2006-01-02 15:04:05",
	"2006-01-02 15:04",
	"2006-01-02T15:04",
	"2006-01-02",
	"2006/01/02",
	time.RFC1123Z,
	time.RFC1123,
	"January 2, 2006",
	"2 January 2006",
	"Jan 2, 2006",
}

// splitFrontMatter separates a leading "---" YAML block from the body. It
// returns the YAML, the body, and the file line the YAML starts on.
func splitFrontMatter(data []byte) (fm, body []byte, found bool, err error) {
	first, rest, _ := bytes.Cut(data, []byte("\n"))
	if string(bytes.TrimRight(first, " \t\r")) != "---" {
		return nil, data, false, nil
	}
	off := 0
	for line := 2; off <= len(rest); line++ {
		end := bytes.IndexByte(rest[off:], '\n')
		var l []byte
		if end < 0 {
			l = rest[off:]
		} else {
			l = rest[off : off+end]
		}
		if t := string(bytes.TrimRight(l, " \t\r")); t == "---" || t == "..." {
			if end < 0 {
				return rest[:off], nil, true, nil
			}
			return rest[:off], rest[off+end+1:], true, nil
		}
		if end < 0 {
			break
		}
		off += end + 1
	}
	return nil, nil, true, fmt.Errorf("line 1: front matter opened with --- is never closed")
}

// parseMeta decodes the front matter. Errors carry the line in the file
// (the YAML starts on line 2).
func parseMeta(fm []byte) (meta, error) {
	var m meta
	// Front matter is a few lines; a huge block is a mistake, and YAML
	// parsing cost grows quickly with size and nesting.
	if len(fm) > maxFrontMatter {
		return m, fmt.Errorf("line 2: front matter is over %d KB", maxFrontMatter>>10)
	}
	var root yaml.Node
	if err := yaml.Unmarshal(fm, &root); err != nil {
		return m, shiftYAMLError(err)
	}
	if len(root.Content) == 0 {
		return m, nil // empty front matter
	}
	doc := root.Content[0]
	if doc.Kind != yaml.MappingNode {
		return m, fmt.Errorf("line %d: front matter must be a mapping of keys to values", doc.Line+1)
	}
	for i := 0; i+1 < len(doc.Content); i += 2 {
		k, v := doc.Content[i], doc.Content[i+1]
		var err error
		switch strings.ToLower(k.Value) {
		case "title":
			m.Title, err = scalar(k.Value, v)
		case "url", "link", "canonical":
			m.URL, err = scalar(k.Value, v)
		case "source", "site", "site_name", "publication":
			m.Site, err = scalar(k.Value, v)
		case "author", "authors", "by":
			var names []string
			names, err = stringList(k.Value, v)
			m.Author = strings.Join(names, ", ")
		case "date", "published", "pubdate":
			m.Date, err = date(k.Value, v)
		case "tags", "categories", "keywords":
			var tags []string
			tags, err = stringList(k.Value, v)
			m.Tags = append(m.Tags, splitTags(tags)...)
		case "summary", "description":
			if m.Summary == nil {
				m.Summary, err = stringList(k.Value, v)
			}
		case "pin", "pinned":
			m.Pinned, err = boolean(k.Value, v)
		case "image", "cover", "og_image", "featured_image":
			m.Image, err = scalar(k.Value, v)
		case "image_alt", "alt":
			m.Alt, err = scalar(k.Value, v)
		}
		if err != nil {
			return m, err
		}
	}
	return m, nil
}

func scalar(key string, v *yaml.Node) (string, error) {
	if v.Kind == yaml.AliasNode && v.Alias != nil {
		v = v.Alias
	}
	if v.Kind != yaml.ScalarNode {
		return "", fmt.Errorf("line %d: %s must be a single value", v.Line+1, key)
	}
	if v.Tag == "!!null" {
		return "", nil
	}
	return strings.TrimSpace(v.Value), nil
}

func boolean(key string, v *yaml.Node) (bool, error) {
	var b bool
	if v.Kind != yaml.ScalarNode || v.Decode(&b) != nil {
		return false, fmt.Errorf("line %d: %s must be true or false", v.Line+1, key)
	}
	return b, nil
}

func stringList(key string, v *yaml.Node) ([]string, error) {
	if v.Kind == yaml.AliasNode && v.Alias != nil {
		v = v.Alias
	}
	if v.Kind != yaml.SequenceNode {
		s, err := scalar(key, v)
		if s == "" {
			return nil, err
		}
		return []string{s}, err
	}
	var out []string
	for _, item := range v.Content {
		s, err := scalar(key+" item", item)
		if err != nil {
			return nil, err
		}
		if s != "" {
			out = append(out, s)
		}
	}
	return out, nil
}

// splitTags accepts "a, b" as well as a YAML list.
func splitTags(in []string) []string {
	var out []string
	for _, t := range in {
		for _, p := range strings.Split(t, ",") {
			if p = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(p), "#")); p != "" {
				out = append(out, p)
			}
		}
	}
	return out
}

func date(key string, v *yaml.Node) (time.Time, error) {
	s, err := scalar(key, v)
	if err != nil || s == "" {
		return time.Time{}, err
	}
	for _, layout := range dateLayouts {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, fmt.Errorf("line %d: %s %q is not a date (use 2006-01-02 or RFC 3339)", v.Line+1, key, s)
}

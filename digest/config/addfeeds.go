package config

import (
	"bytes"
	"fmt"
	"net/url"
	"strings"

	"go.yaml.in/yaml/v3"
)

// AddFeeds returns config data with feeds appended to sources.feeds, as
// text spliced in after the list's last line: every other byte of the
// file, comments and alignment included, stays as it was (re-encoding the
// YAML tree would keep comments but realign and re-quote the whole file).
// The yaml tree only says where the list ends and how it is indented. The
// result is parsed again and must hold exactly the old feeds followed by
// the new ones, else nothing is returned but an error.
//
// A feed whose URL is configured already, or that comes twice in feeds,
// is left out; added is what was appended.
func AddFeeds(data []byte, feeds []Feed, comment string) (out []byte, added []Feed, err error) {
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		return nil, nil, fmt.Errorf("config: %w", err)
	}
	var doc *yaml.Node
	if len(root.Content) > 0 {
		doc = root.Content[0]
	}
	if doc != nil && doc.Kind != yaml.MappingNode {
		return nil, nil, fmt.Errorf("config: the file is not a YAML mapping of keys")
	}
	old, err := configuredFeeds(doc)
	if err != nil {
		return nil, nil, err
	}
	have := map[string]bool{}
	for _, f := range old {
		have[FeedKey(f.URL)] = true
	}
	for _, f := range feeds {
		k := FeedKey(f.URL)
		if k == "" || have[k] {
			continue
		}
		have[k] = true
		added = append(added, f)
	}
	if len(added) == 0 {
		return data, nil, nil
	}
	lines := splitLines(data)
	sources, sourcesKey := lookup(doc, "sources")
	var list *yaml.Node
	var listKey *yaml.Node
	if sources != nil {
		list, listKey = lookup(sources, "feeds")
	}
	var at int          // insert before this line index (0-based)
	var indent int      // column of the items' dash
	var prefix []string // lines that must come before the items (new keys)
	switch {
	case list != nil && list.Kind == yaml.SequenceNode && len(list.Content) > 0:
		if list.Style&yaml.FlowStyle != 0 {
			return nil, nil, fmt.Errorf("config: line %d: sources.feeds is a [flow, list]; write it as a block list (one \"- name:\" per feed) and import again", listKey.Line)
		}
		first := list.Content[0]
		line := lines[first.Line-1]
		indent = strings.LastIndex(line[:min(first.Column-1, len(line))], "-")
		if indent < 0 {
			return nil, nil, fmt.Errorf("config: line %d: cannot find the dash of the first feed", first.Line)
		}
		at = blockEnd(lines, first.Line-1, indent)
	case list != nil && (list.Kind == yaml.ScalarNode && (list.Tag == "!!null") || list.Kind == yaml.SequenceNode):
		// feeds: (nothing), feeds: ~ or feeds: []: the value on the key's
		// line goes, the items follow it.
		i := listKey.Line - 1
		keyEnd := listKey.Column - 1 + len(listKey.Value)
		rest := lines[i][keyEnd:]
		if !strings.HasPrefix(strings.TrimSpace(rest), ":") {
			return nil, nil, fmt.Errorf("config: line %d: cannot read sources.feeds", listKey.Line)
		}
		c := strings.Index(rest, "#")
		trail := ""
		if c >= 0 {
			trail = "  " + rest[c:]
		}
		lines[i] = strings.TrimRight(lines[i][:keyEnd], " ") + ":" + trail
		indent = listKey.Column - 1 + 2
		at = i + 1
	case list != nil:
		return nil, nil, fmt.Errorf("config: line %d: sources.feeds must be a list", listKey.Line)
	case sources != nil && sources.Kind == yaml.MappingNode && len(sources.Content) > 0 && sources.Style&yaml.FlowStyle == 0:
		k := sources.Content[0]
		indent = k.Column - 1 + 2
		prefix = []string{strings.Repeat(" ", k.Column-1) + "feeds:"}
		at = blockEnd(lines, k.Line-1, k.Column-1)
	case sources != nil:
		return nil, nil, fmt.Errorf("config: line %d: sources must be a block of keys to add feeds under it", sourcesKey.Line)
	default:
		prefix = []string{"", "sources:", "  feeds:"}
		indent = 4
		at = len(lines)
	}
	items, err := feedLines(added, indent, comment)
	if err != nil {
		return nil, nil, err
	}
	insert := append(prefix, items...)
	res := append(append(append([]string{}, lines[:at]...), insert...), lines[at:]...)
	out = []byte(strings.Join(res, "\n"))
	if len(res) > 0 && !bytes.HasSuffix(out, []byte("\n")) {
		out = append(out, '\n')
	}
	// Check that the splice said what was meant.
	var check yaml.Node
	if err := yaml.Unmarshal(out, &check); err != nil {
		return nil, nil, fmt.Errorf("config: adding feeds would break the file (%v); add them by hand", err)
	}
	now, err := configuredFeeds(check.Content[0])
	if err != nil || len(now) != len(old)+len(added) {
		return nil, nil, fmt.Errorf("config: adding feeds would not give %d feeds but %d (%v); add them by hand", len(old)+len(added), len(now), err)
	}
	for i, f := range now {
		want := Feed{}
		if i < len(old) {
			want = old[i]
		} else {
			want = added[i-len(old)]
		}
		if f.URL != want.URL || f.Name != want.Name {
			return nil, nil, fmt.Errorf("config: adding feeds would change feed %d (%q became %q); add them by hand", i+1, want.URL, f.URL)
		}
	}
	return out, added, nil
}

// FeedKey is the form in which two feed URLs are the same feed: scheme and
// host lower-cased, surrounding space trimmed. Local paths compare as written.
func FeedKey(raw string) string {
	s := strings.TrimSpace(raw)
	u, err := url.Parse(s)
	if err != nil || u.Host == "" {
		return s
	}
	u.Scheme = strings.ToLower(u.Scheme)
	u.Host = strings.ToLower(u.Host)
	return u.String()
}

func configuredFeeds(doc *yaml.Node) ([]Feed, error) {
	if doc == nil {
		return nil, nil
	}
	var c struct {
		Sources struct {
			Feeds []Feed `yaml:"feeds"`
		} `yaml:"sources"`
	}
	if err := doc.Decode(&c); err != nil {
		return nil, fmt.Errorf("config: sources.feeds: %w", err)
	}
	return c.Sources.Feeds, nil
}

func lookup(m *yaml.Node, key string) (val, k *yaml.Node) {
	if m == nil || m.Kind != yaml.MappingNode {
		return nil, nil
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			return m.Content[i+1], m.Content[i]
		}
	}
	return nil, nil
}

func splitLines(data []byte) []string {
	s := strings.TrimSuffix(string(data), "\n")
	if s == "" {
		return nil
	}
	return strings.Split(s, "\n")
}

// blockEnd is the index of the line after the block that starts at line
// start with its first token at column col: lines go on belonging to it
// while blank, indented deeper, comments at col or deeper, or (for a
// list) further "-" items at col. Trailing blank lines are left outside.
func blockEnd(lines []string, start, col int) int {
	end := start + 1
	isList := strings.HasPrefix(strings.TrimSpace(lines[start]), "-")
	for i := start + 1; i < len(lines); i++ {
		t := strings.TrimSpace(lines[i])
		if t == "" {
			continue
		}
		ind := len(lines[i]) - len(strings.TrimLeft(lines[i], " \t"))
		switch {
		case ind > col:
		case ind == col && strings.HasPrefix(t, "#"):
		case ind == col && isList && (t == "-" || strings.HasPrefix(t, "- ")):
		case ind == col && !isList && !strings.HasPrefix(t, "-"):
		default:
			return end
		}
		end = i + 1
	}
	return end
}

// feedLines writes feeds as block list items with their dash at indent.
func feedLines(feeds []Feed, indent int, comment string) ([]string, error) {
	pad := strings.Repeat(" ", indent)
	var out []string
	if comment != "" {
		out = append(out, pad+"# "+strings.ReplaceAll(comment, "\n", " "))
	}
	for _, f := range feeds {
		item := &yaml.Node{Kind: yaml.MappingNode}
		add := func(k string, v *yaml.Node) {
			item.Content = append(item.Content, &yaml.Node{Kind: yaml.ScalarNode, Value: k}, v)
		}
		str := func(s string) *yaml.Node { return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: s} }
		add("name", str(f.Name))
		add("url", str(f.URL))
		if len(f.Categories) > 0 {
			seq := &yaml.Node{Kind: yaml.SequenceNode, Style: yaml.FlowStyle}
			for _, c := range f.Categories {
				seq.Content = append(seq.Content, str(c))
			}
			add("categories", seq)
		}
		b, err := yaml.Marshal(&yaml.Node{Kind: yaml.SequenceNode, Content: []*yaml.Node{item}})
		if err != nil {
			return nil, fmt.Errorf("config: feed %q: %w", f.URL, err)
		}
		for _, l := range splitLines(b) {
			out = append(out, pad+l)
		}
	}
	return out, nil
}

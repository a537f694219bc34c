package config

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// Error is one problem with the config, located in the file.
type Error struct {
	File string
	Line int    // 0 when the key is absent
	Key  string // dotted path, e.g. smtp[0].port
	Msg  string // what is wrong and what is allowed
}

func (e *Error) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("%s:%d: %s: %s", e.File, e.Line, e.Key, e.Msg)
	}
	return fmt.Sprintf("%s: %s: %s", e.File, e.Key, e.Msg)
}

// Errors is every problem found; Load reports them all at once so an
// operator fixes the file in one pass.
type Errors []*Error

func (es Errors) Error() string {
	msgs := make([]string, len(es))
	for i, e := range es {
		msgs[i] = e.Error()
	}
	return strings.Join(msgs, "\n")
}

var envRef = regexp.MustCompile(`\$\{([A-Za-z_][A-Za-z0-9_]*)(:-([^}]*))?\}`)

// Load reads and validates the config file at path.
func Load(path string) (*Config, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("config: %w", err)
	}
	return Parse(path, data, os.LookupEnv)
}

// Parse reads and validates config data; name is used in errors and to
// resolve relative paths; lookup reads the environment.
func Parse(name string, data []byte, lookup func(string) (string, bool)) (*Config, error) {
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		return nil, fmt.Errorf("config %s: %w", name, err)
	}
	lines := map[string]int{}
	var missing Errors
	if len(root.Content) > 0 {
		walk(root.Content[0], "", lines, func(n *yaml.Node, key string) {
			n.Value = envRef.ReplaceAllStringFunc(n.Value, func(ref string) string {
				m := envRef.FindStringSubmatch(ref)
				if v, ok := lookup(m[1]); ok && v != "" {
					return v
				}
				if m[2] != "" {
					return m[3]
				}
				missing = append(missing, &Error{File: name, Line: n.Line, Key: key,
					Msg: fmt.Sprintf("environment variable %s is not set (set it, or write ${%s:-default})", m[1], m[1])})
				return ""
			})
		})
	}
	if len(missing) > 0 {
		return nil, missing
	}
	cfg := Default()
	if len(root.Content) > 0 {
		var buf bytes.Buffer
		enc := yaml.NewEncoder(&buf)
		if err := enc.Encode(&root); err != nil {
			return nil, fmt.Errorf("config %s: %w", name, err)
		}
		// The re-encoded text has no comments, so its line numbers are
		// not the file's: keep a map back for the decoder's errors.
		back := map[int]int{}
		var again yaml.Node
		if err := yaml.Unmarshal(buf.Bytes(), &again); err == nil && len(again.Content) > 0 {
			mapLines(root.Content[0], again.Content[0], back)
		}
		dec := yaml.NewDecoder(&buf)
		dec.KnownFields(true)
		if err := dec.Decode(cfg); err != nil {
			return nil, decodeError(name, err, lines, back)
		}
	}
	cfg.Path = name
	cfg.lines = lines
	if errs := cfg.validate(name, lines); len(errs) > 0 {
		return nil, errs
	}
	return cfg, nil
}

// walk records the line of every key and calls fn on every scalar value.
func walk(n *yaml.Node, path string, lines map[string]int, fn func(*yaml.Node, string)) {
	switch n.Kind {
	case yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			p := k.Value
			if path != "" {
				p = path + "." + k.Value
			}
			lines[p] = k.Line
			walk(v, p, lines, fn)
		}
	case yaml.SequenceNode:
		for i, c := range n.Content {
			p := fmt.Sprintf("%s[%d]", path, i)
			lines[p] = c.Line
			walk(c, p, lines, fn)
		}
	case yaml.ScalarNode:
		fn(n, path)
	}
}

// mapLines records, for every node of enc (the re-encoded tree), the line
// of the same node in orig (the file as written).
func mapLines(orig, enc *yaml.Node, back map[int]int) {
	if _, ok := back[enc.Line]; !ok {
		back[enc.Line] = orig.Line
	}
	if len(orig.Content) != len(enc.Content) {
		return
	}
	for i := range orig.Content {
		mapLines(orig.Content[i], enc.Content[i], back)
	}
}

var yamlLine = regexp.MustCompile(`line (\d+): (.*)`)

// decodeError turns yaml's type errors into located config errors that
// name the key and say what is allowed.
func decodeError(name string, err error, lines map[string]int, back map[int]int) error {
	var te *yaml.TypeError
	if !errors.As(err, &te) {
		return fmt.Errorf("config %s: %w", name, err)
	}
	var es Errors
	for _, msg := range te.Errors {
		e := &Error{File: name, Key: "yaml", Msg: msg}
		if m := yamlLine.FindStringSubmatch(msg); m != nil {
			e.Line, _ = strconv.Atoi(m[1])
			if l, ok := back[e.Line]; ok {
				e.Line = l
			}
			e.Msg = m[2]
			if f := strings.TrimPrefix(m[2], "field "); f != m[2] {
				field := strings.SplitN(f, " ", 2)[0]
				e.Key = field
				if k := keyAt(lines, e.Line); strings.HasSuffix(k, field) {
					e.Key = k
				}
				e.Msg = "unknown key" + suggest(e.Key) + " (see the commented config.yaml for the keys allowed)"
			} else {
				e.Key = keyAt(lines, e.Line)
				e.Msg = typeHint(m[2])
			}
		}
		es = append(es, e)
	}
	return es
}

// keyAt finds the most specific key written on line.
func keyAt(lines map[string]int, line int) string {
	best := "yaml"
	for k, l := range lines {
		if l == line && (best == "yaml" || len(k) > len(best)) {
			best = k
		}
	}
	return best
}

var yamlType = regexp.MustCompile("cannot unmarshal !!\\w+ `?([^`]*)`? into (\\S+)")

// typeHint says what a value of the wanted type looks like.
func typeHint(msg string) string {
	m := yamlType.FindStringSubmatch(msg)
	if m == nil {
		return msg
	}
	want := map[string]string{
		"int": "a whole number", "int64": "a whole number", "float64": "a number", "bool": "true or false",
		"time.Duration": "a duration such as 30s, 10m or 2h", "[]string": "a list, e.g. [a, b]", "string": "text",
	}[m[2]]
	if want == "" {
		return msg
	}
	return fmt.Sprintf("%q is not allowed here; write %s", m[1], want)
}

// Resolve returns p relative to the config file's directory, unless it is
// absolute or a URL.
func (c *Config) Resolve(p string) string {
	if p == "" || filepath.IsAbs(p) || strings.Contains(p, "://") {
		return p
	}
	return filepath.Join(filepath.Dir(c.Path), p)
}

package mailcheck

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/andybalholm/cascadia"
	"github.com/aymerick/douceur/css"
	"golang.org/x/net/html"

	"github.com/weeklywrap/digest/internal/htmlnode"
)

// RGB is an opaque colour.
type RGB struct{ R, G, B uint8 }

func (c RGB) String() string { return fmt.Sprintf("#%02x%02x%02x", c.R, c.G, c.B) }

// Luminance is the WCAG relative luminance of c.
func (c RGB) Luminance() float64 {
	lin := func(v uint8) float64 {
		f := float64(v) / 255
		if f <= 0.03928 {
			return f / 12.92
		}
		return math.Pow((f+0.055)/1.055, 2.4)
	}
	return 0.2126*lin(c.R) + 0.7152*lin(c.G) + 0.0722*lin(c.B)
}

// Contrast is the WCAG contrast ratio of two colours, from 1 to 21.
func Contrast(a, b RGB) float64 {
	la, lb := a.Luminance(), b.Luminance()
	if la < lb {
		la, lb = lb, la
	}
	return (la + 0.05) / (lb + 0.05)
}

// named holds the colour keywords templates use in practice; an unknown
// name is not judged.
var named = map[string]RGB{
	"black": {0, 0, 0}, "white": {255, 255, 255}, "red": {255, 0, 0}, "green": {0, 128, 0},
	"blue": {0, 0, 255}, "navy": {0, 0, 128}, "gray": {128, 128, 128}, "grey": {128, 128, 128},
	"silver": {192, 192, 192}, "lightgray": {211, 211, 211}, "lightgrey": {211, 211, 211},
	"darkgray": {169, 169, 169}, "darkgrey": {169, 169, 169}, "whitesmoke": {245, 245, 245},
	"gainsboro": {220, 220, 220}, "yellow": {255, 255, 0}, "orange": {255, 165, 0},
	"purple": {128, 0, 128}, "maroon": {128, 0, 0}, "teal": {0, 128, 128}, "aqua": {0, 255, 255},
	"cyan": {0, 255, 255}, "fuchsia": {255, 0, 255}, "magenta": {255, 0, 255}, "lime": {0, 255, 0},
	"olive": {128, 128, 0}, "beige": {245, 245, 220}, "ivory": {255, 255, 240},
}

// ParseColor reads a CSS or HTML colour: #rgb, #rrggbb (with an optional
// alpha, ignored unless zero), rgb()/rgba() and common names.
// transparent reports ok with clear set.
func ParseColor(s string) (c RGB, clear, ok bool) {
	s = strings.ToLower(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(s), "!important")))
	switch {
	case s == "transparent":
		return RGB{}, true, true
	case strings.HasPrefix(s, "#"):
		h := s[1:]
		if len(h) == 3 || len(h) == 4 {
			h = string([]byte{h[0], h[0], h[1], h[1], h[2], h[2]}) + strings.Repeat(h[3:], 2)
		}
		if len(h) != 6 && len(h) != 8 {
			return RGB{}, false, false
		}
		v, err := strconv.ParseUint(h, 16, 64)
		if err != nil {
			return RGB{}, false, false
		}
		if len(h) == 8 {
			if v&0xff == 0 {
				return RGB{}, true, true
			}
			v >>= 8
		}
		return RGB{uint8(v >> 16), uint8(v >> 8), uint8(v)}, false, true
	case strings.HasPrefix(s, "rgb"):
		open, end := strings.IndexByte(s, '('), strings.IndexByte(s, ')')
		if open < 0 || end < open {
			return RGB{}, false, false
		}
		f := strings.FieldsFunc(s[open+1:end], func(r rune) bool { return r == ',' || r == ' ' || r == '/' })
		if len(f) < 3 {
			return RGB{}, false, false
		}
		var out [3]uint8
		for i := range 3 {
			v, err := strconv.ParseFloat(strings.TrimSuffix(f[i], "%"), 64)
			if err != nil {
				return RGB{}, false, false
			}
			if strings.HasSuffix(f[i], "%") {
				v = v * 255 / 100
			}
			out[i] = uint8(math.Round(math.Max(0, math.Min(255, v))))
		}
		if len(f) > 3 {
			if a, err := strconv.ParseFloat(strings.TrimSuffix(f[3], "%"), 64); err == nil && a == 0 {
				return RGB{}, true, true
			}
		}
		return RGB{out[0], out[1], out[2]}, false, true
	}
	c, ok = named[s]
	return c, false, ok
}

// sheetRule is one selector of a <style> rule with its declarations.
type sheetRule struct {
	sel   interface{ Match(*html.Node) bool }
	spec  cascadia.Specificity
	order int
	decls []*css.Declaration
	dark  bool // only under prefers-color-scheme: dark
}

// sheet is the document's style rules, in source order.
type sheet struct {
	rules  []sheetRule
	dark   bool // the document supports a dark scheme (color-scheme)
	cache  map[nodeMode][]cand
	inline map[string][]*css.Declaration
}

func readSheet(doc *html.Node) *sheet {
	sh := &sheet{cache: map[nodeMode][]cand{}, inline: map[string][]*css.Declaration{}}
	var add func(rules []*css.Rule, dark bool)
	add = func(rules []*css.Rule, dark bool) {
		for _, r := range rules {
			if r.Kind == css.AtRule {
				if r.Name == "@media" {
					pre := strings.ReplaceAll(strings.ToLower(r.Prelude), " ", "")
					switch {
					case strings.Contains(pre, "prefers-color-scheme:dark"):
						add(r.Rules, true)
					case strings.Contains(pre, "prefers-color-scheme:light"):
					case !strings.Contains(pre, "width"):
						add(r.Rules, dark) // screen, all: always applies
					}
				}
				continue
			}
			for _, d := range r.Declarations {
				if d.Property == "color-scheme" && strings.Contains(d.Value, "dark") {
					sh.dark = true
				}
			}
			for _, s := range r.Selectors {
				sel, err := cascadia.Parse(s)
				if err != nil {
					continue // a selector cascadia cannot read matches nothing here
				}
				rule := sheetRule{sel: sel, spec: sel.Specificity(), order: len(sh.rules), decls: r.Declarations, dark: dark}
				if c, ok := compileChain(s); ok && len(c.parts) > 1 {
					rule.sel = c // cascadia's own matching is exponential in the nesting depth
				}
				sh.rules = append(sh.rules, rule)
			}
		}
	}
	walk(doc, func(n *html.Node) bool {
		if n.Type == html.ElementNode && n.Data == "style" && n.FirstChild != nil {
			add(parseSheet(n.FirstChild.Data), false)
		}
		if n.Type == html.ElementNode && n.Data == "meta" {
			name, _ := htmlnode.Attr(n, "name")
			content, _ := htmlnode.Attr(n, "content")
			if (name == "color-scheme" || name == "supported-color-schemes") && strings.Contains(content, "dark") {
				sh.dark = true
			}
		}
		return true
	})
	return sh
}

// decl is a property's winning value on an element.
type decl struct {
	val string
	set bool
}

// cand is one declaration that applies to an element.
type cand struct {
	important, inline bool
	spec              cascadia.Specificity
	order             int
	prop, val         string
}

type nodeMode struct {
	n    *html.Node
	dark bool
}

// applying returns every declaration that applies to n in a mode, from
// the sheet and the style attribute, computed once per element and mode.
func (sh *sheet) applying(n *html.Node, dark bool) []cand {
	key := nodeMode{n, dark}
	if cs, ok := sh.cache[key]; ok {
		return cs
	}
	var cs []cand
	for _, r := range sh.rules {
		if r.dark && !dark || !r.sel.Match(n) {
			continue
		}
		for _, d := range r.decls {
			cs = append(cs, cand{important: d.Important, spec: r.spec, order: r.order, prop: strings.ToLower(strings.TrimSpace(d.Property)), val: d.Value})
		}
	}
	if st, ok := htmlnode.Attr(n, "style"); ok {
		ds, ok := sh.inline[st]
		if !ok {
			ds = declarations(st)
			sh.inline[st] = ds
		}
		for i, d := range ds {
			cs = append(cs, cand{important: d.Important, inline: true, order: i, prop: strings.ToLower(strings.TrimSpace(d.Property)), val: d.Value})
		}
	}
	sh.cache[key] = cs
	return cs
}

// lookup returns the cascaded value of the properties on n (the first of
// props found per declaration, e.g. background-color or background), in
// dark mode or light.
func (sh *sheet) lookup(n *html.Node, dark bool, props ...string) decl {
	// CSS cascade among author styles: !important beats normal; among
	// normal, inline beats sheets; then specificity, then order.
	rank := func(c cand) int {
		switch {
		case c.important && c.inline:
			return 3
		case c.important:
			return 2
		case c.inline:
			return 1
		}
		return 0
	}
	var best *cand
	for i := range sh.applying(n, dark) {
		c := &sh.cache[nodeMode{n, dark}][i]
		if !matchProp(c.prop, props) {
			continue
		}
		if best == nil || rank(*c) > rank(*best) ||
			rank(*c) == rank(*best) && (best.spec.Less(c.spec) || best.spec == c.spec && c.order >= best.order) {
			best = c
		}
	}
	if best == nil {
		return decl{}
	}
	return decl{val: best.val, set: true}
}

func matchProp(p string, props []string) bool {
	for _, q := range props {
		if p == q {
			return true
		}
	}
	return false
}

// colorIn finds a colour among the words of a shorthand such as
// "background: #fff url(x) no-repeat".
func colorIn(v string) (RGB, bool, bool) {
	if c, clear, ok := ParseColor(v); ok {
		return c, clear, ok
	}
	// rgb(...) may hold spaces; try it whole first.
	if i := strings.Index(v, "rgb"); i >= 0 {
		if j := strings.IndexByte(v[i:], ')'); j > 0 {
			if c, clear, ok := ParseColor(v[i : i+j+1]); ok {
				return c, clear, ok
			}
		}
	}
	for _, w := range strings.Fields(v) {
		if c, clear, ok := ParseColor(w); ok {
			return c, clear, ok
		}
	}
	return RGB{}, false, false
}

// paint is what an element inherits: its text colour, the backdrop it is
// drawn on, and its font.
type paint struct {
	fg, bg    RGB
	linkFG    *RGB // colour of a link set by an ancestor <a>; nil outside links
	size      float64
	bold      bool
	hidden    bool
	skipChild bool
}

// lowText is the worst text found in one mode.
type lowText struct {
	min          float64
	worst        string
	fg, bg       RGB
	below, fails int
	n            int
}

var headingSize = map[string]float64{"h1": 32, "h2": 24, "h3": 18.72, "h4": 16, "h5": 13.28, "h6": 10.72}

func measure(doc *html.Node, sh *sheet, dark bool) lowText {
	start := paint{fg: RGB{0, 0, 0}, bg: RGB{255, 255, 255}, size: 16}
	if dark && sh.dark {
		// A message that declares a dark scheme gets the client's dark
		// canvas and light default text where it sets neither.
		start.fg, start.bg = RGB{255, 255, 255}, RGB{18, 18, 18}
	}
	res := lowText{min: 21}
	var visit func(n *html.Node, p paint)
	visit = func(n *html.Node, p paint) {
		switch n.Type {
		case html.TextNode:
			t := strings.TrimFunc(n.Data, func(r rune) bool {
				return r <= ' ' || r == '\u00a0' || r == '\u2007' || r == '\u034f' || r == '\u200c' || r == '\u00ad'
			})
			if t == "" || p.hidden {
				return
			}
			res.n++
			cr := Contrast(p.fg, p.bg)
			large := p.size >= 24 || (p.bold && p.size >= 18.66)
			need := AANormal
			if large {
				need = AALarge
			}
			if cr < need {
				res.below++
			}
			if cr < minRatio {
				res.fails++
			}
			if cr < res.min {
				res.min, res.worst, res.fg, res.bg = cr, excerpt(t), p.fg, p.bg
			}
			return
		case html.ElementNode:
			switch n.Data {
			case "head", "style", "script", "title", "noscript", "template":
				return
			}
			if _, ok := htmlnode.Attr(n, "hidden"); ok {
				return
			}
			if d := sh.lookup(n, dark, "display"); d.set && strings.HasPrefix(strings.TrimSpace(d.val), "none") {
				return
			}
			if d := sh.lookup(n, dark, "mso-hide"); d.set && strings.Contains(d.val, "all") {
				return
			}
			if d := sh.lookup(n, dark, "background-color", "background"); d.set {
				if c, clear, ok := colorIn(d.val); ok && !clear {
					p.bg = c
				}
			} else if v, ok := htmlnode.Attr(n, "bgcolor"); ok {
				if c, clear, ok := ParseColor(v); ok && !clear {
					p.bg = c
				}
			}
			if n.Data == "a" {
				if _, ok := htmlnode.Attr(n, "href"); ok {
					c := RGB{0, 0, 238} // browsers' default link blue
					if dark && sh.dark {
						c = RGB{158, 158, 255}
					}
					p.linkFG = &c
				}
			}
			colour := sh.lookup(n, dark, "color")
			if !colour.set && n.Data == "font" {
				if v, ok := htmlnode.Attr(n, "color"); ok {
					colour = decl{val: v, set: true}
				}
			}
			if colour.set {
				if c, _, ok := ParseColor(colour.val); ok {
					p.fg = c
					p.linkFG = nil
				}
			} else if p.linkFG != nil && n.Data == "a" {
				p.fg = *p.linkFG
			}
			if s, ok := headingSize[n.Data]; ok {
				p.size, p.bold = s, true
			}
			if n.Data == "strong" || n.Data == "b" {
				p.bold = true
			}
			if d := sh.lookup(n, dark, "font-size"); d.set {
				if px, ok := fontPX(d.val, p.size); ok {
					p.size = px
				}
			}
			if d := sh.lookup(n, dark, "font-weight"); d.set {
				v := strings.TrimSpace(d.val)
				w, _ := strconv.Atoi(v)
				p.bold = v == "bold" || v == "bolder" || w >= 600
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			visit(c, p)
		}
	}
	visit(doc, start)
	if res.n == 0 {
		res.min = 0
	}
	return res
}

func fontPX(v string, parent float64) (float64, bool) {
	v = strings.TrimSpace(strings.ToLower(strings.TrimSuffix(strings.TrimSpace(v), "!important")))
	for unit, k := range map[string]float64{"px": 1, "pt": 4.0 / 3, "em": parent, "rem": 16, "%": parent / 100} {
		if num, ok := strings.CutSuffix(v, unit); ok {
			if unit == "em" && strings.HasSuffix(num, "r") {
				continue
			}
			f, err := strconv.ParseFloat(strings.TrimSpace(num), 64)
			if err == nil {
				return f * k, true
			}
		}
	}
	return 0, false
}

func checkContrast(r *Report, doc *html.Node) {
	sh := readSheet(doc)
	for _, mode := range []struct {
		name string
		dark bool
	}{{"light", false}, {"dark", true}} {
		lt := measure(doc, sh, mode.dark)
		if mode.dark {
			r.DarkContrast = lt.min
		} else {
			r.LightContrast = lt.min
		}
		switch {
		case lt.fails > 0:
			r.add("contrast", Fail, "%s mode: %d of %d texts under %.0f:1; the lowest is %s on %s (%.2f:1) at %q; use darker text or a lighter background (WCAG AA asks 4.5:1)",
				mode.name, lt.fails, lt.n, minRatio, lt.fg, lt.bg, lt.min, lt.worst)
		case lt.below > 0:
			r.add("contrast", Warn, "%s mode: %d of %d texts under WCAG AA (4.5:1, large text 3:1); the lowest is %s on %s (%.2f:1) at %q",
				mode.name, lt.below, lt.n, lt.fg, lt.bg, lt.min, lt.worst)
		}
	}
}

package mailcheck

import (
	"strings"

	"github.com/andybalholm/cascadia"
	"golang.org/x/net/html"
)

// chainSel matches a complex selector ("section div > p span") compound
// by compound from the right, remembering which element matched which
// leading part of the chain. cascadia matches "a b c d" by trying every
// ancestor for every part, which on a failed match takes time that grows
// as the nesting depth to the power of the number of combinators: a
// template's "section div div div span" over 300 nested <div>s held
// a check for minutes, and one more "div" for days. With the memo every
// (element, part) pair is judged once.
type chainSel struct {
	parts []cascadia.Sel // compound selectors, left to right
	combs []byte         // combs[i] joins parts[i-1] and parts[i]: ' ', '>', '+' or '~'
	memo  map[chainKey]bool
}

type chainKey struct {
	n *html.Node
	i int
}

// compileChain splits s at its combinators (outside brackets, parentheses
// and quotes) and parses each compound with cascadia; ok is false for
// anything it cannot split that way, which the caller then leaves to
// cascadia whole.
func compileChain(s string) (*chainSel, bool) {
	var (
		parts       []string
		combs       []byte
		cur         strings.Builder
		depth       int
		quote       rune
		pendingComb byte
	)
	flush := func() bool {
		if cur.Len() == 0 {
			return true
		}
		if len(parts) > 0 {
			if pendingComb == 0 {
				return false
			}
			combs = append(combs, pendingComb)
		} else {
			if pendingComb != 0 && pendingComb != ' ' {
				return false // a selector that starts with a combinator
			}
			combs = append(combs, 0)
		}
		parts = append(parts, cur.String())
		cur.Reset()
		pendingComb = 0
		return true
	}
	for _, r := range s {
		switch {
		case quote != 0:
			if r == quote {
				quote = 0
			}
		case r == '"' || r == '\'':
			quote = r
		case r == '(' || r == '[':
			depth++
		case r == ')' || r == ']':
			depth--
		case depth == 0 && (r == ' ' || r == '\t' || r == '\n' || r == '\r' || r == '\f'):
			if !flush() {
				return nil, false
			}
			if pendingComb == 0 && len(parts) > 0 {
				pendingComb = ' '
			}
			continue
		case depth == 0 && (r == '>' || r == '+' || r == '~'):
			if !flush() {
				return nil, false
			}
			if len(parts) == 0 || (pendingComb != 0 && pendingComb != ' ') {
				return nil, false
			}
			pendingComb = byte(r)
			continue
		}
		cur.WriteRune(r)
	}
	if !flush() || len(parts) == 0 || quote != 0 || depth != 0 || pendingComb != 0 && pendingComb != ' ' {
		return nil, false
	}
	c := &chainSel{combs: combs, memo: map[chainKey]bool{}}
	for _, p := range parts {
		sel, err := cascadia.Parse(p)
		if err != nil {
			return nil, false
		}
		c.parts = append(c.parts, sel)
	}
	return c, true
}

// Match reports whether n matches the whole chain.
func (c *chainSel) Match(n *html.Node) bool { return c.match(n, len(c.parts)-1) }

func (c *chainSel) match(n *html.Node, i int) bool {
	if !c.parts[i].Match(n) {
		return false
	}
	if i == 0 {
		return true
	}
	k := chainKey{n, i}
	if v, ok := c.memo[k]; ok {
		return v
	}
	v := false
	switch c.combs[i] {
	case ' ':
		for p := n.Parent; p != nil && !v; p = p.Parent {
			v = c.match(p, i-1)
		}
	case '>':
		v = n.Parent != nil && c.match(n.Parent, i-1)
	case '+':
		if p := prevElement(n); p != nil {
			v = c.match(p, i-1)
		}
	case '~':
		for p := prevElement(n); p != nil && !v; p = prevElement(p) {
			v = c.match(p, i-1)
		}
	}
	c.memo[k] = v
	return v
}

func prevElement(n *html.Node) *html.Node {
	for p := n.PrevSibling; p != nil; p = p.PrevSibling {
		if p.Type == html.ElementNode {
			return p
		}
	}
	return nil
}

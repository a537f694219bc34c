package mailcheck

import (
	"strings"
	"testing"
	"time"

	"github.com/andybalholm/cascadia"
	"golang.org/x/net/html"

	"github.com/weeklywrap/digest/internal/htmlnode"
)

// The chain matcher agrees with cascadia on every element of a document
// for descendant, child and sibling combinators, attribute values with
// spaces and pseudo-classes holding selectors.
func TestChainMatchesLikeCascadia(t *testing.T) {
	doc := parseHTML(`<html><body><section id="s"><div class="a b"><p>1</p><p class="x">2</p><span title="a > b">3</span></div>
<div><table><tr><td><div><span>4</span><em>5</em><span>6</span></div></td></tr></table></div></section><div><span>7</span></div></body></html>`)
	sels := []string{"section div span", "section > div span", "div > span", "section div > p + p", "p ~ span", "p+span",
		"td div span ~ span", `span[title="a > b"]`, "div :not(em) ", "body section div div span", "div.a p.x", "section>div>p",
		"html body div span", "table td > div > em", "section div div div span", "div  >  span", "#s div:first-child p"}
	var els []*html.Node
	walk(doc, func(n *html.Node) bool {
		if n.Type == html.ElementNode {
			els = append(els, n)
		}
		return true
	})
	for _, s := range sels {
		want, err := cascadia.Parse(s)
		if err != nil {
			t.Fatalf("%q: %v", s, err)
		}
		got, ok := compileChain(s)
		if !ok {
			t.Errorf("%q: not compiled", s)
			continue
		}
		matched := 0
		for _, n := range els {
			if w, g := want.Match(n), got.Match(n); w != g {
				t.Errorf("%q on <%s> %q: cascadia %v, chain %v", s, n.Data, htmlnode.Text(n), w, g)
			} else if w {
				matched++
			}
		}
		if matched == 0 && s != "section div div div span" {
			t.Errorf("%q matched nothing; the test document should exercise it", s)
		}
	}
	for _, s := range []string{"> p", "p >", "a > > b", `a[title="x`, "a (b"} {
		if _, ok := compileChain(s); ok {
			t.Errorf("%q compiled; want it left to cascadia", s)
		}
	}
}

// A template selector with several descendant combinators over deeply
// nested markup is checked at once; cascadia alone took minutes for three
// "div"s over 300 levels, and would take days for five.
func TestDeepSelectorDoesNotHang(t *testing.T) {
	style := "section div div div div div span{color:#eeeeee}"
	body := strings.Repeat("<div>", 300) + strings.Repeat(`<span style="color:#1f2328">x</span>`, 10) + strings.Repeat("</div>", 300)
	done := make(chan Report, 1)
	go func() { done <- CheckParts(good(page(style, body))) }()
	select {
	case r := <-done:
		for _, f := range r.Findings {
			if f.Check == "contrast" {
				t.Errorf("no section wraps the spans, so the faint rule applies to none: %s", f)
			}
		}
	case <-time.After(60 * time.Second):
		t.Fatal("the check of a 12 KB message with one five-combinator selector did not end within a minute")
	}
}

// BenchmarkDeepSelector is the check of that message.
func BenchmarkDeepSelector(b *testing.B) {
	style := "section div div div div div span{color:#eeeeee}"
	p := good(page(style, strings.Repeat("<div>", 300)+strings.Repeat(`<span>x</span>`, 10)+strings.Repeat("</div>", 300)))
	for b.Loop() {
		CheckParts(p)
	}
}

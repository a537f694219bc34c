package mailcheck

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

// A stray semicolon in a template's sheet, which douceur's parser never
// returned from, is checked at once, and the rules around it still count.
func TestStraySemicolonInSheet(t *testing.T) {
	story := `<p><a href="https://example.org/a" style="color:#0a58ca">Read</a></p>`
	for _, style := range []string{
		`.soft{color:#eeeeee};`,
		`;.soft{color:#eeeeee}`,
		`p{color:#1f2328} ; .soft{color:#eeeeee;}`,
		`@media screen{;.soft{color:#eeeeee}}`,
		`<!-- .soft{color:#eeeeee} -->`,
		`/* } ; */ .soft{color : #eeeeee ;;}`,
		`@import url("x.css"); .soft{color:#eeeeee}`,
	} {
		done := make(chan Report, 1)
		go func() {
			done <- CheckParts(good(page(style, `<p class="soft">Faint</p>`+story)))
		}()
		select {
		case r := <-done:
			if !hasFailure(r, "contrast") {
				t.Errorf("%q: the faint rule was lost: %v", style, r.Findings)
			}
		case <-time.After(30 * time.Second):
			t.Fatalf("%q: the check did not end within 30 s", style)
		}
	}
}

// An empty declaration in a style attribute costs only itself.
func TestEmptyInlineDeclaration(t *testing.T) {
	r := CheckParts(good(page("", `<p style="color:#eeeeee;;font-size:12px">Faint</p><p><a href="https://example.org/a" style="color:#0a58ca">Read</a></p>`)))
	if !hasFailure(r, "contrast") {
		t.Errorf("the faint inline colour was lost: %v", r.Findings)
	}
}

func TestParseSheet(t *testing.T) {
	rules := parseSheet(`@charset "utf-8"; a[title="x;}{"] , p{color:red;background:url("a}b.png")} @media (prefers-color-scheme: dark){.d{color:#fff!important}} @font-face{font-family:x} .open{color:blue`)
	var got []string
	for _, r := range rules {
		s := fmt.Sprintf("%s%q", r.Name, r.Selectors)
		for _, d := range r.Declarations {
			s += fmt.Sprintf(" %s=%s/%v", d.Property, d.Value, d.Important)
		}
		for _, in := range r.Rules {
			s += fmt.Sprintf(" {%q %s=%s/%v}", in.Selectors, in.Declarations[0].Property, in.Declarations[0].Value, in.Declarations[0].Important)
		}
		got = append(got, s)
	}
	want := []string{`["a[title=\"x;}{\"]" "p"] color=red/false background=url("a}b.png")/false`,
		`@media[] {[".d"] color=#fff/true}`, `@font-face[]`, `[".open"] color=blue/false`}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func hasFailure(r Report, check string) bool {
	for _, f := range r.Failures() {
		if f.Check == check {
			return true
		}
	}
	return false
}

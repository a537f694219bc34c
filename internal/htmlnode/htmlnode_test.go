package htmlnode

import (
	"strings"
	"testing"

	"golang.org/x/net/html"
)

func TestAttrAndText(t *testing.T) {
	doc, err := html.Parse(strings.NewReader(`<p id="p" hidden>Read <a href="/x">the
		whole</a>story<b></b></p>`))
	if err != nil {
		t.Fatal(err)
	}
	var p, a *html.Node
	for n := range doc.Descendants() {
		switch n.Data {
		case "p":
			p = n
		case "a":
			a = n
		}
	}
	if v, ok := Attr(p, "id"); v != "p" || !ok {
		t.Errorf("id = %q, %v", v, ok)
	}
	if v, ok := Attr(p, "hidden"); v != "" || !ok {
		t.Errorf("hidden = %q, %v; want present and empty", v, ok)
	}
	if v, ok := Attr(p, "class"); v != "" || ok {
		t.Errorf("class = %q, %v; want absent", v, ok)
	}
	// Text nodes are kept apart: "whole" and "story" are two words.
	if got := Text(p); got != "Read the whole story" {
		t.Errorf("Text(p) = %q", got)
	}
	if got := Text(a); got != "the whole" {
		t.Errorf("Text(a) = %q", got)
	}
	if got := Text(a.FirstChild); got != "the whole" {
		t.Errorf("Text of a text node = %q", got)
	}
}

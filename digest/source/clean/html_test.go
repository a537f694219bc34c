package clean

import (
	"reflect"
	"strings"
	"testing"

	"golang.org/x/net/html"
)

func TestHTMLParagraphs(t *testing.T) {
	tests := []struct {
		name, in string
		want     []string
	}{
		{"paragraphs", "<p>One <b>bold</b> word.</p><p>Two</p>", []string{"One bold word.", "Two"}},
		{"headings and list items", "<h2>Head</h2><ul><li>a</li><li>b <i>c</i></li></ul>", []string{"Head", "a", "b c"}},
		{"div text and nested block", "<div>lead<p>inner</p>tail</div>", []string{"lead", "inner", "tail"}},
		{"br breaks", "<p>line one<br>line two</p>", []string{"line one", "line two"}},
		{"table cells spaced", "<table><tr><td>a</td><td>b</td></tr><tr><th>c</th></tr></table>", []string{"a b", "c"}},
		{"scripts and styles skipped", "<p>x<script>var y=1</script><style>p{}</style></p><noscript>no</noscript>", []string{"x"}},
		{"entities and spaces", "<p>Tom&nbsp;&amp;&#160;Jerry \n  “go”</p>", []string{"Tom & Jerry “go”"}},
		{"hyphenated source line", "<p>infor-\nmation</p>", []string{"information"}},
		{"empty", "", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc, err := html.Parse(strings.NewReader(tt.in))
			if err != nil {
				t.Fatal(err)
			}
			if got := HTMLParagraphs(doc); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("HTMLParagraphs(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
	if HTMLParagraphs(nil) != nil {
		t.Error("HTMLParagraphs(nil) should be nil")
	}
}

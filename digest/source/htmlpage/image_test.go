package htmlpage

import (
	"testing"

	"github.com/weeklywrap/digest/digest"
)

// A page's og:image (with its size and alt text) or twitter:image is its
// lead image; relative URLs resolve against the page, other schemes are
// dropped, and an <img> in the body is not a sharing image.
func TestLeadImage(t *testing.T) {
	const body = `<body><article><h1>Ferries</h1><img src="/body.jpg"><p>` +
		`The three councils agreed on Tuesday to share their ferries, after a long dispute about costs and timetables that had lasted for years.</p>` +
		`<p>The first joint timetable starts in spring, with crossings every half hour at peak times.</p></article></body></html>`
	tests := []struct {
		name, head string
		want       *digest.Image
	}{
		{"og", `<meta property="og:image" content="https://cdn.example.org/f.jpg"><meta property="og:image:width" content="1200"><meta property="og:image:height" content="630"><meta property="og:image:alt" content="A ferry &amp; its pier">`,
			&digest.Image{URL: "https://cdn.example.org/f.jpg", Width: 1200, Height: 630, Alt: "A ferry & its pier"}},
		{"relative", `<meta property="og:image" content="/img/f.png">`, &digest.Image{URL: "https://news.example.org/img/f.png"}},
		{"twitter", `<meta name="twitter:image" content="https://cdn.example.org/t.jpg"><meta name="twitter:image:alt" content="Pier">`,
			&digest.Image{URL: "https://cdn.example.org/t.jpg", Alt: "Pier"}},
		{"hostile", `<meta property="og:image" content="javascript:alert(1)">`, nil},
		{"none", ``, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			page := `<!DOCTYPE html><html><head><title>Ferries</title>` + tc.head + `</head>` + body
			art, err := Extract([]byte(page), Options{URL: "https://news.example.org/2026/ferries"})
			if err != nil {
				t.Fatal(err)
			}
			switch {
			case tc.want == nil && art.Image != nil:
				t.Errorf("image %+v, want none", *art.Image)
			case tc.want != nil && (art.Image == nil || *art.Image != *tc.want):
				t.Errorf("image %+v, want %+v", art.Image, *tc.want)
			}
		})
	}
}

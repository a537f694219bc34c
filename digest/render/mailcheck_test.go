package render

import (
	"testing"

	"github.com/weeklywrap/digest/digest"
	"github.com/weeklywrap/digest/digest/mailcheck"
)

// TestBundledPassPreSendChecks runs the checks send runs before each issue
// over the bundled templates: no warning and no failure, light and dark.
func TestBundledPassPreSendChecks(t *testing.T) {
	r := newRenderer(t, "https://wrap.example.com")
	for name, is := range map[string]*digest.Issue{"fixed": fixedIssue(), "30 stories": bigIssue(30)} {
		p, err := r.Prepare(is)
		if err != nil {
			t.Fatal(err)
		}
		rep := mailcheck.CheckParts(mailcheck.Parts{
			HTML: p.HTML(fullPersonal), Text: p.Text(fullPersonal),
			ListUnsubscribe: "<" + fullPersonal.UnsubscribeURL + ">", ListUnsubscribePost: "List-Unsubscribe=One-Click",
		})
		for _, f := range rep.Findings {
			t.Errorf("%s: %s", name, f)
		}
		if rep.LightContrast < mailcheck.AANormal || rep.DarkContrast < mailcheck.AANormal {
			t.Errorf("%s: lowest contrast light %.2f, dark %.2f", name, rep.LightContrast, rep.DarkContrast)
		}
		t.Logf("%s: %d bytes, lowest contrast light %.2f:1, dark %.2f:1", name, rep.HTMLBytes, rep.LightContrast, rep.DarkContrast)
	}
}

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

// BenchmarkPreSendChecks measures the checks send runs once per issue, on
// a 30-story issue: milliseconds per check.
func BenchmarkPreSendChecks(b *testing.B) {
	r := newRenderer(b, "https://wrap.example.com")
	p, err := r.Prepare(bigIssue(30))
	if err != nil {
		b.Fatal(err)
	}
	parts := mailcheck.Parts{HTML: p.HTML(fullPersonal), Text: p.Text(fullPersonal),
		ListUnsubscribe: "<" + fullPersonal.UnsubscribeURL + ">", ListUnsubscribePost: "List-Unsubscribe=One-Click"}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if rep := mailcheck.CheckParts(parts); rep.Failed() {
			b.Fatal(rep.Findings)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N), "ms/check")
	b.ReportMetric(float64(len(parts.HTML))/1024, "KB-HTML")
}

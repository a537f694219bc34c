package render

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"github.com/weeklywrap/digest/internal/browsertest"
)

// contrastJS measures WCAG contrast for every visible element that holds
// text of its own: its colour against the first opaque background found up
// the tree (the canvas colour when none is).
const contrastJS = `(() => {
  const parse = c => { const m = c.match(/rgba?\(([^)]+)\)/); if (!m) return null;
    const p = m[1].split(',').map(x => parseFloat(x)); return {r: p[0], g: p[1], b: p[2], a: p.length > 3 ? p[3] : 1}; };
  const lum = c => { const f = v => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
    return 0.2126 * f(c.r) + 0.7152 * f(c.g) + 0.0722 * f(c.b); };
  const canvas = parse(getComputedStyle(document.documentElement).backgroundColor);
  const dark = matchMedia('(prefers-color-scheme: dark)').matches;
  const fallback = (canvas && canvas.a > 0) ? canvas : (dark ? {r: 18, g: 18, b: 18, a: 1} : {r: 255, g: 255, b: 255, a: 1});
  const bgOf = el => { for (let e = el; e; e = e.parentElement) { const c = parse(getComputedStyle(e).backgroundColor);
    if (c && c.a > 0.5) return c; } return fallback; };
  let min = 99, worst = '', n = 0;
  for (const el of document.body.querySelectorAll('*')) {
    const own = [...el.childNodes].some(t => t.nodeType === 3 && t.textContent.trim() !== '');
    if (!own) continue;
    const s = getComputedStyle(el), r = el.getBoundingClientRect();
    if (s.display === 'none' || s.visibility === 'hidden' || parseFloat(s.opacity) === 0 || r.width < 1 || r.height < 1 ||
        parseFloat(s.fontSize) < 2 || s.maxHeight === '0px') continue;
    let hidden = false;
    for (let e = el; e; e = e.parentElement) { const p = getComputedStyle(e);
      if (p.display === 'none' || parseFloat(p.opacity) === 0 || p.maxHeight === '0px') { hidden = true; break; } }
    if (hidden) continue;
    const fg = parse(s.color), bg = bgOf(el);
    const a = lum(fg), b = lum(bg), ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
    n++;
    if (ratio < min) { min = ratio; worst = el.tagName + ' "' + el.textContent.trim().slice(0, 40) + '" ' + s.color + ' on ' + JSON.stringify(bg); }
  }
  return {min: min, worst: worst, n: n};
})()`

type contrastResult struct {
	Min   float64 `json:"min"`
	Worst string  `json:"worst"`
	N     int     `json:"n"`
}

// The email at phone and column width does not scroll sideways, and its
// text keeps WCAG AA contrast in light and in emulated dark mode.
func TestEmailInBrowser(t *testing.T) {
	ctx := browsertest.New(t)
	p, err := newRenderer(t, "https://wrap.example.org").Prepare(bigIssue(30))
	if err != nil {
		t.Fatal(err)
	}
	html := p.HTML(Personal{Name: "Ann", Email: "ann@example.org", UnsubscribeURL: "https://wrap.example.org/u/x", PreferencesURL: "https://wrap.example.org/p/x"})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_, _ = w.Write([]byte(html))
	}))
	defer srv.Close()

	for _, width := range []int{375, 600} {
		l, err := browsertest.MeasureAt(ctx, srv.URL, width)
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("at %d px: scrollWidth %d, viewport %d", width, l.ScrollWidth, l.ViewportWidth)
		if l.ScrollWidth > l.ViewportWidth {
			t.Errorf("at %d px the email scrolls sideways: scrollWidth %d > viewport %d", width, l.ScrollWidth, l.ViewportWidth)
		}
	}
	for _, scheme := range []string{"light", "dark"} {
		if _, err := chromedp.Call(ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{
			Features: []*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: scheme}},
		}); err != nil {
			t.Fatal(err)
		}
		if err := chromedp.Do(ctx, chromedp.EmulateViewport(600, 900), chromedp.Navigate(srv.URL), chromedp.WaitReady(chromedp.CSS("body"))); err != nil {
			t.Fatal(err)
		}
		isDark, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`matchMedia('(prefers-color-scheme: dark)').matches`))
		if err != nil || isDark != (scheme == "dark") {
			t.Fatalf("%s mode not emulated: %v %v", scheme, isDark, err)
		}
		res, err := chromedp.Run(ctx, chromedp.Evaluate[contrastResult](contrastJS))
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("%s: %d text elements, lowest contrast %.2f:1 (%s)", scheme, res.N, res.Min, res.Worst)
		if res.N < 50 {
			t.Errorf("%s: only %d text elements measured; the check is not seeing the email", scheme, res.N)
		}
		if res.Min < 4.5 {
			t.Errorf("%s: contrast %.2f:1 below 4.5:1 at %s", scheme, res.Min, res.Worst)
		}
	}
}

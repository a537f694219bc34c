package web

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"github.com/weeklywrap/digest/digest"
	"github.com/weeklywrap/digest/digest/render"
	"github.com/weeklywrap/digest/digest/token"
	"github.com/weeklywrap/digest/internal/browsertest"
)

// screenJS measures what a reader sees: the headings' font sizes, the
// page's width against the viewport, the <title>s, the site's layout, and
// the lowest text contrast (colour against the first opaque background up
// the tree).
const screenJS = `(() => {
  const shown = e => { const r = e.getBoundingClientRect(); return r.width > 0 && r.height > 0; };
  const sizes = sel => [...document.querySelectorAll(sel)].filter(shown).map(e => parseFloat(getComputedStyle(e).fontSize));
  const parse = c => { const m = c.match(/rgba?\(([^)]+)\)/); if (!m) return null;
    const p = m[1].split(',').map(x => parseFloat(x)); return {r: p[0], g: p[1], b: p[2], a: p.length > 3 ? p[3] : 1}; };
  const lum = c => { const f = v => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
    return 0.2126 * f(c.r) + 0.7152 * f(c.g) + 0.0722 * f(c.b); };
  const canvas = parse(getComputedStyle(document.body).backgroundColor);
  const dark = matchMedia('(prefers-color-scheme: dark)').matches;
  const fallback = dark ? {r: 18, g: 18, b: 18, a: 1} : {r: 255, g: 255, b: 255, a: 1};
  const bgOf = el => { for (let e = el; e; e = e.parentElement) { const c = parse(getComputedStyle(e).backgroundColor);
    if (c && c.a > 0.5) return c; } return (canvas && canvas.a > 0.5) ? canvas : fallback; };
  let min = 99, worst = '';
  for (const el of document.body.querySelectorAll('*')) {
    if (![...el.childNodes].some(t => t.nodeType === 3 && t.textContent.trim() !== '')) continue;
    let hidden = false;
    for (let e = el; e; e = e.parentElement) { const p = getComputedStyle(e);
      if (p.display === 'none' || p.visibility === 'hidden' || p.maxHeight === '0px') { hidden = true; break; } }
    if (hidden || !shown(el)) continue;
    const s = getComputedStyle(el), fg = parse(s.color), bg = bgOf(el);
    const a = lum(fg), b = lum(bg), ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
    if (ratio < min) { min = ratio; worst = el.tagName + ' "' + el.textContent.trim().slice(0, 30) + '" ' + s.color + ' on ' + JSON.stringify(bg); }
  }
  return {h1: sizes('h1'), h2: sizes('h2'), h3: sizes('h3'),
    titles: document.querySelectorAll('title').length, title: document.title,
    scroll: document.documentElement.scrollWidth, viewport: window.innerWidth,
    masthead: !!document.querySelector('header.masthead a.brand'), nav: !!document.querySelector('header nav a[href="/issues"]'),
    form: !!document.querySelector('form[action="/subscribe"]'), images: [...document.images].filter(i => i.complete && i.naturalWidth > 0).length,
    text: document.body.innerText, contrast: min, worst: worst};
})()`

type screen struct {
	H1, H2, H3 []float64
	Titles     int
	Title      string
	Scroll     int
	Viewport   int
	Masthead   bool
	Nav        bool
	Form       bool
	Images     int
	Text       string
	Contrast   float64
	Worst      string
}

// thumbnail is a real PNG for the lead images to load.
func thumbnail(t *testing.T) []byte {
	img := image.NewRGBA(image.Rect(0, 0, 300, 200))
	for x := range 300 {
		for y := range 200 {
			img.Set(x, y, color.RGBA{uint8(40 + x/3), uint8(90 + y/3), 160, 255})
		}
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// TestScreenshots opens the email and the site's pages in Chromium at 375
// and 1280 px, light and dark, saves a screenshot of each (to
// $DIGEST_SCREENSHOTS when set) and checks what the screenshots would show
// a person: headings in order of size (h1 > h2 > h3), no sideways
// scrolling, one <title> naming the site once, the site's layout on issue
// pages with no "view in browser" line, lead images loaded, and text
// contrast of at least 4.5:1.
func TestScreenshots(t *testing.T) {
	if testing.Short() {
		t.Skip("drives Chromium through 40 page views")
	}
	ctx := browsertest.New(t)
	dir := os.Getenv("DIGEST_SCREENSHOTS")
	if dir == "" {
		dir = t.TempDir()
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	png := thumbnail(t)
	imgs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "image/png")
		_, _ = w.Write(png)
	}))
	defer imgs.Close()
	s, srv, st, _ := pagesSiteAt(t, "en", imgs.URL)
	p, _ := preparedIssue(t, "en", 2, imgs.URL)
	email := p.HTML(render.Personal{Name: "Ann", Email: "ann@example.org",
		UnsubscribeURL: srv.URL + "/unsubscribe/x", PreferencesURL: srv.URL + "/preferences/x"})
	mail := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_, _ = w.Write([]byte(email))
	}))
	defer mail.Close()

	shots := 0
	look := func(name string, width int, scheme string, site, issue bool) screen {
		t.Helper()
		if err := chromedp.Do(ctx, chromedp.EmulateViewport(int64(width), 900, chromedp.EmulateScale(1)),
			chromedp.WaitReady(chromedp.CSS("body"))); err != nil {
			t.Fatal(err)
		}
		time.Sleep(50 * time.Millisecond) // let the images decode
		sc, err := chromedp.Run(ctx, chromedp.Evaluate[screen](screenJS))
		if err != nil {
			t.Fatal(err)
		}
		buf, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
		if err != nil {
			t.Fatal(err)
		}
		file := filepath.Join(dir, fmt.Sprintf("%s-%d-%s.png", name, width, scheme))
		if err := os.WriteFile(file, buf, 0o644); err != nil {
			t.Fatal(err)
		}
		shots++
		where := fmt.Sprintf("%s at %d px, %s", name, width, scheme)
		t.Logf("%s: h1 %v h2 %v h3 %v, width %d/%d, contrast %.2f:1, %d images; %s", where, sc.H1, sc.H2, sc.H3, sc.Scroll, sc.Viewport, sc.Contrast, sc.Images, filepath.Base(file))
		if sc.Scroll > sc.Viewport {
			t.Errorf("%s scrolls sideways: %d > %d", where, sc.Scroll, sc.Viewport)
		}
		if len(sc.H1) > 0 && len(sc.H2) > 0 && slices.Min(sc.H1) <= slices.Max(sc.H2) {
			t.Errorf("%s: an h2 (%v) is as large as the h1 (%v)", where, sc.H2, sc.H1)
		}
		if len(sc.H2) > 0 && len(sc.H3) > 0 && slices.Min(sc.H2) <= slices.Max(sc.H3) {
			t.Errorf("%s: a headline h3 (%v) is as large as a section head h2 (%v)", where, sc.H3, sc.H2)
		}
		if sc.Titles != 1 || strings.Count(sc.Title, "The Weekly Wrap") > 1 {
			t.Errorf("%s: %d titles, %q", where, sc.Titles, sc.Title)
		}
		if site && (!sc.Masthead || !sc.Nav) {
			t.Errorf("%s: not in the site's layout (masthead %v, navigation %v)", where, sc.Masthead, sc.Nav)
		}
		if issue {
			if !sc.Form || strings.Contains(sc.Text, "View this issue in your browser") {
				t.Errorf("%s: subscribe form %v, or a 'view in browser' line", where, sc.Form)
			}
			if sc.Images != 3 {
				t.Errorf("%s: %d lead images shown, want 3", where, sc.Images)
			}
		}
		if sc.Contrast < 4.5 {
			t.Errorf("%s: contrast %.2f:1 below 4.5:1 at %s", where, sc.Contrast, sc.Worst)
		}
		return sc
	}
	open := func(url string) {
		t.Helper()
		if err := chromedp.Do(ctx, chromedp.Navigate(url), chromedp.WaitReady(chromedp.CSS("body"))); err != nil {
			t.Fatal(err)
		}
	}
	n := 0
	for _, scheme := range []string{"light", "dark"} {
		if _, err := chromedp.Call(ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{
			Features: []*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: scheme}}}); err != nil {
			t.Fatal(err)
		}
		for _, width := range []int{375, 1280} {
			if err := chromedp.Do(ctx, chromedp.EmulateViewport(int64(width), 900, chromedp.EmulateScale(1))); err != nil {
				t.Fatal(err)
			}
			open(mail.URL)
			if sc := look("email", width, scheme, false, false); sc.Images != 3 || !strings.Contains(sc.Text, "Hi Ann,") {
				t.Errorf("email: %d images, greeting missing: %v", sc.Images, !strings.Contains(sc.Text, "Hi Ann,"))
			}
			open(srv.URL + "/")
			look("home", width, scheme, true, false)
			open(srv.URL + "/issues")
			look("archive", width, scheme, true, false)
			open(srv.URL + "/issues/2")
			look("issue", width, scheme, true, true)
			open(srv.URL + "/no/such/page")
			if sc := look("404", width, scheme, true, false); !strings.Contains(sc.Text, "Page not found") {
				t.Errorf("404 page says %.200q", sc.Text)
			}

			// The subscribe flow: a mistyped address comes back with the
			// name kept; a good one is asked to confirm, and confirming
			// welcomes the reader with a link to the latest issue.
			n++
			addr := fmt.Sprintf("reader%d@example.org", n)
			open(srv.URL + "/")
			// The browser's own check would stop a mistyped address; the
			// server's answer is what is looked at here.
			if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.querySelector('form.subscribe-form').noValidate = true`)); err != nil {
				t.Fatal(err)
			}
			if err := chromedp.Do(ctx,
				chromedp.SendKeys(chromedp.CSS("#email"), "reader-at-example"),
				chromedp.SendKeys(chromedp.CSS("#name"), "Robin"),
				chromedp.Click(chromedp.CSS("form.subscribe-form button")),
				chromedp.WaitVisible(chromedp.CSS("#email-error"))); err != nil {
				t.Fatal(err)
			}
			look("subscribe-error", width, scheme, true, false)
			if name, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector('#name').value`)); err != nil || name != "Robin" {
				t.Errorf("after the error the name field holds %q (%v)", name, err)
			}
			if err := chromedp.Do(ctx,
				chromedp.SetValue(chromedp.CSS("#email"), addr),
				chromedp.Click(chromedp.CSS("form.subscribe-form button")),
				chromedp.WaitNotPresent(chromedp.CSS("#email-error"))); err != nil {
				t.Fatal(err)
			}
			if sc := look("subscribe-sent", width, scheme, true, false); !strings.Contains(sc.Text, "Check your inbox") {
				t.Errorf("after subscribing: %.200q", sc.Text)
			}
			s.Wait()
			sub, err := st.SubscriberByEmail(context.Background(), addr)
			if err != nil {
				t.Fatal(err)
			}
			open(srv.URL + "/confirm/" + s.Tokens.SignBound(token.Confirm, sub.ID, sub.Version, time.Now().Add(time.Hour)))
			look("subscribe-confirm", width, scheme, true, false)
			if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS("main form button")), chromedp.WaitNotPresent(chromedp.CSS("main form"))); err != nil {
				t.Fatal(err)
			}
			if sc := look("subscribe-welcome", width, scheme, true, false); !strings.Contains(sc.Text, "Read the latest issue") {
				t.Errorf("welcome page: %.300q", sc.Text)
			}
			if got, _ := st.SubscriberByEmail(context.Background(), addr); got.Status != digest.StatusConfirmed || got.Name != "Robin" {
				t.Errorf("after the flow: %+v", got)
			}
		}
	}
	// The issue page and the email in German, for the eye: labels and
	// dates in the language.
	if _, err := chromedp.Call(ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{
		Features: []*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: "light"}}}); err != nil {
		t.Fatal(err)
	}
	_, deSite, _, _ := pagesSiteAt(t, "de", imgs.URL)
	dp, _ := preparedIssue(t, "de", 2, imgs.URL)
	email = dp.HTML(render.Personal{Email: "ann@example.org", UnsubscribeURL: srv.URL + "/unsubscribe/x", PreferencesURL: srv.URL + "/preferences/x"})
	open(mail.URL)
	if sc := look("email-de", 375, "light", false, false); !strings.Contains(sc.Text, "Top-Meldungen") || !strings.Contains(sc.Text, "Montag, 16. November 2026") || !strings.Contains(sc.Text, "Hallo,") {
		t.Errorf("the German email lacks its labels or date: %.300q", sc.Text)
	}
	open(deSite.URL + "/issues/2")
	if sc := look("issue-de", 1280, "light", true, true); !strings.Contains(sc.Text, "Weiterlesen bei News Example") {
		t.Errorf("the German issue page lacks its labels: %.300q", sc.Text)
	}
	t.Logf("%d screenshots in %s", shots, dir)
}

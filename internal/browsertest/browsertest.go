// Package browsertest starts a real headless Chromium for tests, driven over
// the DevTools protocol with chromedp.
//
// The browser is Debian's chromium package (.ci/run installs it). Where it
// is missing the test is skipped with that hint, except under CI (CI=true),
// where a missing browser is a failure.
package browsertest

import (
	"context"
	"os"
	"os/exec"
	"testing"

	"github.com/chromedp/chromedp"
)

// Binary returns the Chromium executable, or "".
func Binary() string {
	if p := os.Getenv("CHROMIUM"); p != "" {
		return p
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// New starts a fresh headless browser with an empty profile and returns a
// tab context that ends with the test.
func New(tb testing.TB) context.Context {
	tb.Helper()
	bin := Binary()
	if bin == "" {
		if os.Getenv("CI") != "" {
			tb.Fatal("chromium not found; CI must install it: apt-get install chromium")
		}
		tb.Skip("chromium not found (apt-get install chromium, or set $CHROMIUM)")
	}
	// The background-networking flags keep Chromium from reaching out to
	// hosts this machine cannot reach.
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(bin),
		chromedp.UserDataDir(tb.TempDir()),
		chromedp.NoSandbox,
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("no-first-run", true),
	)
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelTab := chromedp.NewContext(actx)
	tb.Cleanup(func() {
		cancelTab()
		cancelAlloc()
	})
	// The first action starts the browser; it must not run under a
	// timeout, which would stop the whole browser when it fires.
	if err := chromedp.Do(ctx); err != nil {
		tb.Fatalf("start chromium %s: %v", bin, err)
	}
	return ctx
}

// Layout is what a page measures at one viewport width.
type Layout struct {
	ViewportWidth int `json:"viewport"`
	ScrollWidth   int `json:"scroll"`
}

// MeasureAt sets the viewport to width×800 (a phone at 375) and returns
// the page's widths after load. A page scrolls sideways when ScrollWidth >
// ViewportWidth.
func MeasureAt(ctx context.Context, url string, width int) (Layout, error) {
	if err := chromedp.Do(ctx,
		chromedp.EmulateViewport(int64(width), 800, chromedp.EmulateScale(1)),
		chromedp.Navigate(url),
		chromedp.WaitReady(chromedp.CSS("body")),
	); err != nil {
		return Layout{}, err
	}
	return chromedp.Run(ctx, chromedp.Evaluate[Layout](`({viewport: window.innerWidth, scroll: document.documentElement.scrollWidth})`))
}

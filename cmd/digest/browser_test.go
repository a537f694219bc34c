package main

import (
	"context"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/weeklywrap/digest/digest"
	"github.com/weeklywrap/digest/internal/browsertest"
)

// siteEnv serves the real site of a test env on a loopback port that is
// also the config's base_url, so links in mail lead back to it.
func siteEnv(t *testing.T) (*testEnv, string, *app) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	base := "http://" + ln.Addr().String()
	e := newEnv(t, envOpts{Mailpit: true, Schedule: offSchedule()})
	data, _ := os.ReadFile(e.config)
	cfg := strings.Replace(string(data), "base_url: http://digest.test", "base_url: "+base, 1)
	cfg += "topics:\n  - name: Security\n    categories: [Security]\n  - name: Open Source\n    categories: [Open Source]\n"
	if err := os.WriteFile(e.config, []byte(cfg), 0o644); err != nil {
		t.Fatal(err)
	}
	a := &app{configPath: e.config}
	h, err := a.webHandler(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	// As in serve: the outbox sends the confirmations the site queues.
	svc, err := a.service(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	outbox, err := svc.Outbox()
	if err != nil {
		t.Fatal(err)
	}
	octx, stop := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); outbox.Run(octx) }()
	srv := httptest.NewUnstartedServer(h)
	srv.Listener.Close()
	srv.Listener = ln
	srv.Start()
	t.Cleanup(func() { srv.Close(); stop(); <-done; a.Close() })
	return e, base, a
}

var confirmLink = regexp.MustCompile(`https?://\S+/confirm/[A-Za-z0-9_\-.]+`)

// A reader subscribes, confirms, changes preferences and leaves with one
// click, in a real browser, with real mail through Mailpit.
func TestSubscriptionJourneyInBrowser(t *testing.T) {
	ctx := browsertest.New(t)
	e, base, a := siteEnv(t)

	for _, width := range []int{375, 1280} {
		l, err := browsertest.MeasureAt(ctx, base+"/", width)
		if err != nil {
			t.Fatal(err)
		}
		if l.ScrollWidth > l.ViewportWidth {
			t.Errorf("home at %d px scrolls sideways: %+v", width, l)
		}
		box, err := chromedp.Run(ctx, chromedp.Evaluate[map[string]float64](`(() => { const r = document.querySelector('#email').getBoundingClientRect();
			const b = document.querySelector('form button').getBoundingClientRect();
			return {left: r.left, right: r.right, width: r.width, bw: b.width, bh: b.height, bright: b.right}; })()`))
		if err != nil {
			t.Fatal(err)
		}
		if box["left"] < 0 || box["right"] > float64(width) || box["width"] < 200 || box["bh"] < 30 || box["bright"] > float64(width) {
			t.Errorf("at %d px the form is not usable: %v", width, box)
		}
	}

	for path, want := range map[string]string{"/readyz": "ready", "/metrics": "digest_messages_total", "/healthz": "ok", "/feed.xml": "<feed"} {
		resp, err := http.Get(base + path)
		if err != nil {
			t.Fatal(err)
		}
		body := new(strings.Builder)
		_, _ = io.Copy(body, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 || !strings.Contains(body.String(), want) {
			t.Errorf("GET %s: %d, want %q in the body", path, resp.StatusCode, want)
		}
	}

	// 1. Subscribe.
	err := chromedp.Do(ctx,
		chromedp.EmulateViewport(375, 800),
		chromedp.Navigate(base+"/"),
		chromedp.SendKeys(chromedp.CSS("#email"), "reader@example.org"),
		chromedp.SendKeys(chromedp.CSS("#name"), "Robin"),
		chromedp.Click(chromedp.CSS("form.subscribe-form button")),
		chromedp.WaitVisible(chromedp.CSS("main h1")),
	)
	if err != nil {
		t.Fatal(err)
	}
	h1, _ := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("main h1")))
	if h1 != "Check your inbox" {
		t.Fatalf("after subscribing the page says %q", h1)
	}
	if n := e.mp.WaitCount(t, 1, 15*time.Second); n != 1 {
		t.Fatalf("Mailpit holds %d messages, want the one confirmation", n)
	}
	msg := e.mp.Message(t, e.mp.Messages(t)[0].ID)
	link := confirmLink.FindString(msg.Text)
	if link == "" || !strings.HasPrefix(link, base) || msg.To[0].Address != "reader@example.org" {
		t.Fatalf("confirmation to %v without a confirm link: %s", msg.To, msg.Text)
	}

	if strings.Contains(msg.Text, "Robin") || strings.Contains(msg.HTML, "Robin") || msg.To[0].Name != "" {
		t.Errorf("the name typed into the form reached the confirmation: To %+v\n%s", msg.To, msg.Text)
	}

	// 2. Confirm: the link opens a page; the button confirms.
	if err := chromedp.Do(ctx, chromedp.Navigate(link), chromedp.WaitVisible(chromedp.CSS("main h1"))); err != nil {
		t.Fatal(err)
	}
	if h1, _ := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("main h1"))); h1 != "Confirm your subscription" {
		t.Fatalf("confirm link opens a page saying %q", h1)
	}
	st, err := a.openStore(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if sub, err := st.SubscriberByEmail(context.Background(), "reader@example.org"); err != nil || sub.Status != digest.StatusPending {
		t.Fatalf("opening the confirm link confirmed already: %+v, %v", sub, err)
	}
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS("main form button")), chromedp.WaitNotPresent(chromedp.CSS("main form"))); err != nil {
		t.Fatal(err)
	}
	if h1, _ := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("main h1"))); h1 != "Welcome aboard" {
		t.Fatalf("after the confirm button the page says %q", h1)
	}
	sub, err := st.SubscriberByEmail(context.Background(), "reader@example.org")
	if err != nil || sub.Status != digest.StatusConfirmed || sub.Name != "Robin" {
		t.Fatalf("after confirm: %+v, %v", sub, err)
	}

	// 3. Preferences: drop one topic, change the name.
	err = chromedp.Do(ctx,
		chromedp.Click(chromedp.CSS("main a")),
		chromedp.WaitVisible(chromedp.CSS("#name")),
		chromedp.Click(chromedp.CSS("input[value='Open Source']")),
		chromedp.SetValue(chromedp.CSS("#name"), "Robin R."),
		chromedp.Click(chromedp.CSS("main form button")),
		chromedp.WaitVisible(chromedp.CSS(".saved")),
	)
	if err != nil {
		t.Fatal(err)
	}
	for _, width := range []int{375, 1280} {
		loc, _ := chromedp.Run(ctx, chromedp.Location())
		if l, err := browsertest.MeasureAt(ctx, loc, width); err != nil || l.ScrollWidth > l.ViewportWidth {
			t.Errorf("preferences at %d px: %+v %v", width, l, err)
		}
	}
	sub, _ = st.SubscriberByEmail(context.Background(), "reader@example.org")
	if sub.Name != "Robin R." || len(sub.Topics) != 1 || sub.Topics[0] != "Security" {
		t.Fatalf("preferences not saved: %+v", sub)
	}

	// 4. An issue arrives; unsubscribe with one click from its header.
	e.mp.DeleteAll(t)
	e.mustRun(t, "send")
	if n := e.mp.WaitCount(t, 1, 15*time.Second); n != 1 {
		t.Fatalf("issue: Mailpit holds %d messages", n)
	}
	issue := e.mp.Message(t, e.mp.Messages(t)[0].ID)
	if !strings.Contains(issue.Text, "Hi Robin R.") {
		t.Errorf("issue lacks the greeting with the name")
	}
	if strings.Contains(issue.Text, "OPEN SOURCE") {
		t.Errorf("the Open Source section reached a reader who dropped it")
	}
	if len(issue.ListUnsubscribe.Links) == 0 {
		t.Fatalf("no List-Unsubscribe link: %+v", issue.ListUnsubscribe)
	}
	resp, err := http.Post(issue.ListUnsubscribe.Links[0], "application/x-www-form-urlencoded", strings.NewReader("List-Unsubscribe=One-Click"))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("one-click POST: %d", resp.StatusCode)
	}

	// 5. No further mail.
	e.addSeed(t, "030_more.md", "---\ntitle: One more story\n---\n\nSomething new happened. It is worth a line.\n")
	out := e.mustRun(t, "send")
	if !strings.Contains(out, "#2") {
		t.Fatalf("second issue not built: %s", out)
	}
	time.Sleep(300 * time.Millisecond)
	if n := e.mp.Count(t); n != 1 {
		t.Errorf("after unsubscribing Mailpit holds %d messages, want still 1", n)
	}
}

package main

import (
	"context"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/weeklywrap/digest/digest"
	"github.com/weeklywrap/digest/internal/browsertest"
)

// unlabelled lists the page's controls that have no accessible name: an
// input, select or textarea without a label (or aria-label), a button,
// link or summary without text, a frame without a title.
const unlabelled = `(() => {
	const bad = [];
	for (const el of document.querySelectorAll('input, select, textarea, button, a[href], summary, iframe')) {
		if (el.type === 'hidden') continue;
		let name = el.getAttribute('aria-label') || el.getAttribute('title') || '';
		if (!name && el.labels) name = Array.from(el.labels).map(l => l.textContent).join(' ');
		if (!name && !['INPUT', 'SELECT', 'TEXTAREA'].includes(el.tagName)) name = el.textContent;
		if (!name.trim()) bad.push(el.outerHTML.slice(0, 120));
	}
	return bad;
})()`

// checkLayout fails if the page at u scrolls sideways on a phone or a
// desktop, or has a control without a label.
func checkLayout(t *testing.T, ctx context.Context, u string) {
	t.Helper()
	for _, width := range []int{375, 1280} {
		l, err := browsertest.MeasureAt(ctx, u, width)
		if err != nil {
			t.Fatalf("%s at %d px: %v", u, width, err)
		}
		if l.ScrollWidth > l.ViewportWidth {
			t.Errorf("%s at %d px scrolls sideways: %+v", u, width, l)
		}
		bad, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](unlabelled))
		if err != nil {
			t.Fatal(err)
		}
		if len(bad) > 0 {
			t.Errorf("%s at %d px has controls without a label: %q", u, width, bad)
		}
	}
}

// click presses a button on a fresh desk page and waits for the page the
// form leads to, which must say want.
func click(t *testing.T, ctx context.Context, page string, setup []chromedp.Action[chromedp.Void], button, want string) {
	t.Helper()
	steps := append([]chromedp.Action[chromedp.Void]{chromedp.Navigate(page), chromedp.WaitVisible(chromedp.CSS("main h1"))}, setup...)
	steps = append(steps, chromedp.Click(chromedp.CSS(button)), chromedp.WaitVisible(chromedp.CSS("p.saved")))
	if err := chromedp.Do(ctx, steps...); err != nil {
		loc, _ := chromedp.Run(ctx, chromedp.Location())
		body, _ := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("main")))
		t.Fatalf("press %s: %v (at %s: %s)", button, err, loc, body)
	}
	if got, _ := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("p.saved"))); got != want {
		t.Fatalf("after %s the desk says %q, want %q", button, got, want)
	}
}

// storyN is a story's number on the desk now.
func (de *deskEnv) storyN(t *testing.T, id string) int {
	t.Helper()
	v := de.view(t)
	for i, s := range v.Edited.Stories {
		if s.Entry.Article.ID == id {
			return i + 1
		}
	}
	t.Fatalf("story %s is not on the desk", id)
	return 0
}

// The whole way, in a real browser with real mail: the review email
// arrives, its link signs the editor in, the editor drops one story, pins
// another, edits a summary, writes the intro, adds a link served by a
// local server, previews and approves; the daemon sends it at the slot,
// and every subscriber receives exactly the previewed issue, once.
func TestDeskJourneyInBrowser(t *testing.T) {
	ctx := browsertest.New(t)
	pages := pageServer(t)
	de := newDeskEnvWith(t, "  mode: approve\n  remind: 0s\n", true, true)
	svc := de.app.svc
	bg := context.Background()
	var readers []digest.Subscriber
	for _, r := range []digest.Subscriber{
		{Email: "robin@example.org", Name: "Robin"},
		{Email: "sam@example.org", Topics: []string{"Security"}},
		{Email: "lee@example.org", Name: "Lee", Topics: []string{"Open Source"}},
	} {
		r.Status = digest.StatusConfirmed
		sub, err := svc.Store.AddSubscriber(bg, r)
		if err != nil {
			t.Fatal(err)
		}
		readers = append(readers, sub)
	}
	slot := de.draft.Slot
	clk := &fakeClock{t: time.Now()}
	svc.Now = clk.Now
	dctx, stop := context.WithCancel(bg)
	done := make(chan error, 1)
	go func() { done <- svc.Schedule(dctx) }()
	t.Cleanup(func() {
		stop()
		<-done
	})

	// 1. The review email, and its link.
	de.mp.WaitCount(t, 2, 10*time.Second)
	var link string
	for _, m := range de.mp.Messages(t) {
		if m.To[0].Address == "ed@example.org" && strings.HasPrefix(m.Subject, "Review the draft: The Weekly Wrap #1") {
			link = deskLink.FindString(de.mp.Message(t, m.ID).Text)
		}
	}
	if link == "" {
		t.Fatal("no review email with a desk link for ed@example.org")
	}
	err := chromedp.Do(ctx, chromedp.EmulateViewport(1280, 900), chromedp.Navigate(link), chromedp.WaitVisible(chromedp.CSS("main form button")),
		chromedp.Click(chromedp.CSS("main form button")), chromedp.WaitVisible(chromedp.CSS("#stories-h")))
	if err != nil {
		t.Fatal(err)
	}
	if h1, _ := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("main h1"))); h1 != "Issue #1: draft" {
		t.Fatalf("after the link the desk says %q", h1)
	}
	desk := de.base + "/desk"
	checkLayout(t, ctx, desk)

	// 2. Shape the draft.
	v := de.view(t)
	if len(v.Edited.Issue.Top) < 3 || len(v.Edited.Issue.Sections) < 2 {
		t.Fatalf("the draft is too small to test with: %d top, %d sections", len(v.Edited.Issue.Top), len(v.Edited.Issue.Sections))
	}
	dropped := v.Edited.Issue.Top[1].Article
	lastSec := v.Edited.Issue.Sections[len(v.Edited.Issue.Sections)-1]
	pinned := lastSec.Entries[len(lastSec.Entries)-1].Article
	edited := v.Edited.Issue.Top[0].Article
	const summary = "An editor's summary: the registries finally speak one language about abuse."
	const intro = "Welcome to this week's wrap. We picked a ferry story for you.\n\nAnd dropped one you would not miss."
	click(t, ctx, desk, nil, fmt.Sprintf(`#story-%d button[value="drop"]`, de.storyN(t, dropped.ID)), "Dropped.")
	click(t, ctx, desk, nil, fmt.Sprintf(`#story-%d button[value="pin"]`, de.storyN(t, pinned.ID)), "Pinned.")
	n := de.storyN(t, edited.ID)
	click(t, ctx, desk, []chromedp.Action[chromedp.Void]{
		chromedp.Click(chromedp.CSS(fmt.Sprintf("#story-%d details summary", n))),
		chromedp.SetValue(chromedp.CSS(fmt.Sprintf("#summary-%d", n)), summary),
	}, fmt.Sprintf(`#story-%d button[value="summary"]`, n), "Summary saved.")
	click(t, ctx, desk, []chromedp.Action[chromedp.Void]{chromedp.SetValue(chromedp.CSS("#intro-text"), intro)},
		`#intro button[type="submit"]`, "Intro saved.")
	click(t, ctx, desk, []chromedp.Action[chromedp.Void]{
		chromedp.SetValue(chromedp.CSS("#link-url"), pages.URL+"/story"),
		chromedp.SetValue(chromedp.CSS("#link-note"), "Worth the ride."),
	}, `form[action="/desk/links"] button`, "Link added as an editor's pick.")
	checkLayout(t, ctx, desk)

	v = de.view(t)
	is := v.Edited.Issue
	ids := func(es []digest.Entry) (out []string) {
		for _, e := range es {
			out = append(out, e.Article.ID)
		}
		return out
	}
	all := ids(is.Entries())
	if slices.Contains(all, dropped.ID) || is.Top[0].Article.Title != "Ferries return to the harbour" || is.Top[1].Article.ID != pinned.ID ||
		is.Intro != intro {
		t.Fatalf("the edits are not in the draft: top %v, intro %q", ids(is.Top), is.Intro)
	}
	if e, ok := v.Edited.Story(edited.ID); !ok || strings.Join(e.Entry.Article.Summary, " ") != summary {
		t.Fatalf("summary edit missing: %+v", e)
	}
	for _, e := range v.Edits {
		if e.Editor != "ed@example.org" || e.At.IsZero() {
			t.Errorf("edit not recorded with who and when: %+v", e)
		}
	}
	if len(v.Edits) != 5 {
		t.Errorf("%d edits in the history, want 5", len(v.Edits))
	}

	// 3. Preview, for each reader's topics and name; the pages must not
	// scroll sideways either.
	previews := map[string]string{}
	for _, r := range readers {
		q := url.Values{"view": {"text"}, "name": {r.Name}}
		for _, tp := range r.Topics {
			q.Add("topics", tp)
		}
		if err := chromedp.Do(ctx, chromedp.Navigate(de.base+"/desk/preview?"+q.Encode()), chromedp.WaitVisible(chromedp.CSS("#email-text"))); err != nil {
			t.Fatal(err)
		}
		text, err := chromedp.Run(ctx, chromedp.TextContent(chromedp.CSS("#email-text")))
		if err != nil {
			t.Fatal(err)
		}
		previews[r.Email] = text
	}
	if !strings.Contains(previews["robin@example.org"], "Hi Robin,") || !strings.Contains(previews["robin@example.org"], "Editor's note: Worth the ride.") ||
		strings.Contains(previews["sam@example.org"], "OPEN SOURCE") {
		t.Errorf("previews do not follow name and topics:\n%s", previews["sam@example.org"])
	}
	for _, view := range []string{"desktop", "phone", "text"} {
		checkLayout(t, ctx, de.base+"/desk/preview?view="+view)
	}
	checkLayout(t, ctx, de.base+"/desk/add?url="+url.QueryEscape(pages.URL+"/story"))
	// The email's HTML as the preview frames it, for Robin, through a
	// second session of the same editor's desk.
	admin := newBrowser(t)
	if code, _, _ := admin.post(de.base+"/desk/signin", url.Values{"token": {testAdminToken}}); code != 303 {
		t.Fatalf("admin sign-in: %d", code)
	}
	_, previewHTML, _ := admin.get(de.base + "/desk/preview/email?name=Robin")

	// 4. Approve; the daemon sends it at the slot.
	click(t, ctx, desk, nil, `button[value="approve"]`, "Approved. It goes out at its slot (or now, if the slot has passed).")
	time.Sleep(200 * time.Millisecond)
	if n := de.mp.Count(t); n != 2 {
		t.Fatalf("%d messages before the slot, want the 2 review emails", n)
	}
	clk.Set(slot.Add(time.Second))
	svc.Wake()
	de.mp.WaitCount(t, 2+len(readers), 20*time.Second)
	svc.Wake() // a second look sends nothing again
	time.Sleep(500 * time.Millisecond)

	got := map[string][]string{}
	for _, m := range de.mp.Messages(t) {
		if strings.HasPrefix(m.Subject, "The Weekly Wrap #1") {
			got[m.To[0].Address] = append(got[m.To[0].Address], m.ID)
		}
	}
	if len(got) != len(readers) {
		t.Fatalf("the issue reached %d addresses, want %d: %v", len(got), len(readers), got)
	}
	for _, r := range readers {
		if len(got[r.Email]) != 1 {
			t.Fatalf("%s got the issue %d times", r.Email, len(got[r.Email]))
		}
		m := de.mp.Message(t, got[r.Email][0])
		if m.Subject != is.Subject {
			t.Errorf("%s: subject %q, previewed %q", r.Email, m.Subject, is.Subject)
		}
		pe := svc.Personal(r)
		norm := func(s string) string {
			s = strings.ReplaceAll(s, "\r\n", "\n")
			s = strings.ReplaceAll(s, pe.UnsubscribeURL, de.base+"/unsubscribe")
			s = strings.ReplaceAll(s, pe.PreferencesURL, de.base+"/preferences")
			s = strings.ReplaceAll(s, r.Email, "reader@example.org")
			return strings.TrimRight(s, "\n ")
		}
		if a, b := norm(m.Text), strings.TrimRight(previews[r.Email], "\n "); a != b {
			t.Errorf("%s received another text than the preview showed:\n--- received\n%s\n--- previewed\n%s", r.Email, a, b)
		}
		t.Logf("%s: %d bytes of text, %d of HTML, as previewed", r.Email, len(m.Text), len(m.HTML))
		if r.Name == "Robin" {
			if a, b := norm(m.HTML), strings.TrimRight(previewHTML, "\n "); a != b {
				t.Errorf("robin received another HTML than the preview framed (%d vs %d bytes)", len(a), len(b))
			}
		}
	}
	d, _ := de.app.svc.Store.(digest.DraftStore).Draft(bg, slot)
	if d.State != digest.DraftSent || d.Number != 1 {
		t.Errorf("draft after sending: %s, issue %d", d.State, d.Number)
	}
}

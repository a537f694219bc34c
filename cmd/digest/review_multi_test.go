package main

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/weeklywrap/digest/digest"
	"github.com/weeklywrap/digest/digest/service"
	"github.com/weeklywrap/digest/internal/logtest"
)

// deskInstance is one `digest serve` of several: the real wiring, its
// own web server and log, and a fake clock.
type deskInstance struct {
	app  *app
	svc  *service.Service
	url  string
	logs *logtest.Buffer
}

func startDeskInstance(t *testing.T, config string, clk *fakeClock) *deskInstance {
	t.Helper()
	a := &app{configPath: config}
	h, err := a.webHandler(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(func() { srv.Close(); a.Close() })
	runOutbox(t, a)
	in := &deskInstance{app: a, svc: a.svc, url: srv.URL, logs: &logtest.Buffer{}}
	in.svc.Log = slog.New(slog.NewTextHandler(in.logs, nil))
	in.svc.Now = clk.Now
	return in
}

// Two instances on one PostgreSQL store, both running review passes and
// serving the desk: one draft is built (and mailed once), editors work
// through either instance at the same time, and the issue sent at the
// slot holds every edit, once per reader.
func TestReviewTwoInstancesOnPostgres(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t, envOpts{Mailpit: true})
	e.usePostgres(t)
	e.smallIssue(t)
	e.addSeed(t, "002_second.md", "---\ntitle: A second story\n---\n\nThere is more to read this week. It is short but real.\n")
	e.addSeed(t, "003_third.md", "---\ntitle: A third story\n---\n\nA third thing happened. It is worth two lines.\n")
	e.appendConfig(t, "web:\n  admin_token: "+testAdminToken+"\nreview:\n  mode: veto\n  lead: 24h\n  editors: [ed@example.org]\n")
	readers := addReaders(t, e, 4)
	clk := &fakeClock{t: reviewSlot.Add(-23 * time.Hour)}
	a, b := startDeskInstance(t, e.config, clk), startDeskInstance(t, e.config, clk)

	// Both look at the drafts at once, twice.
	for range 2 {
		var wg sync.WaitGroup
		for _, in := range []*deskInstance{a, b} {
			wg.Go(func() {
				if err := in.svc.ReviewPass(ctx); err != nil {
					t.Errorf("review pass: %v", err)
				}
			})
		}
		wg.Wait()
	}
	if n := strings.Count(a.logs.String()+b.logs.String(), "draft built for review"); n != 1 {
		t.Fatalf("%d instances built the draft, want 1", n)
	}
	if n := strings.Count(a.logs.String()+b.logs.String(), "issue built"); n != 1 {
		t.Errorf("the draft was gathered and curated %d times, want once", n)
	}
	e.mp.WaitCount(t, 1, 10*time.Second)
	time.Sleep(200 * time.Millisecond)
	if got := editorMail(t, e.mp); len(got) != 1 {
		t.Fatalf("the editor got %d review emails, want 1: %q", len(got), got)
	}

	// Editors sign in on both instances and edit at the same time.
	sign := func(in *deskInstance) *browser {
		br := newBrowser(t)
		if code, _, _ := br.post(in.url+"/desk/signin", url.Values{"token": {testAdminToken}}); code != http.StatusSeeOther {
			t.Fatalf("sign in on %s: %d", in.url, code)
		}
		return br
	}
	ba, bb := sign(a), sign(b)
	v, err := a.svc.CurrentView(ctx)
	if err != nil || len(v.Edited.Stories) != 3 {
		t.Fatalf("view: %d stories, %v", len(v.Edited.Stories), err)
	}
	form := func(kv ...string) url.Values {
		f := url.Values{"slot": {fmt.Sprint(v.Draft.Slot.Unix())}}
		for i := 0; i+1 < len(kv); i += 2 {
			f.Set(kv[i], kv[i+1])
		}
		return f
	}
	ids := []string{v.Edited.Stories[0].Entry.Article.ID, v.Edited.Stories[1].Entry.Article.ID, v.Edited.Stories[2].Entry.Article.ID}
	type post struct {
		br   *browser
		base string
		path string
		f    url.Values
	}
	posts := []post{
		{ba, a.url, "/desk/edit", form("action", "drop", "story", ids[0])},
		{bb, b.url, "/desk/edit", form("action", "headline", "story", ids[1], "value", "Headline set through instance B", "base", "0")},
		{ba, a.url, "/desk/intro", form("value", "Intro written through instance A.", "base", "0")},
		{bb, b.url, "/desk/edit", form("action", "pin", "story", ids[2])},
	}
	var wg sync.WaitGroup
	for _, p := range posts {
		wg.Go(func() {
			if code, body, _ := p.br.post(p.base+p.path, p.f); code != http.StatusSeeOther {
				t.Errorf("%s %v: %d %s", p.path, p.f, code, body)
			}
		})
	}
	wg.Wait()
	vb, _ := b.svc.CurrentView(ctx)
	if len(vb.Edits) != 4 || vb.Draft.Version != 5 {
		t.Fatalf("instance B sees %d edits at version %d, want 4 at 5", len(vb.Edits), vb.Draft.Version)
	}

	// The slot: both instances run it at the same moment.
	clk.Set(reviewSlot.Add(time.Second))
	var runs [2]service.SlotRun
	for i, in := range []*deskInstance{a, b} {
		wg.Go(func() {
			var err error
			if runs[i], err = in.svc.RunSlot(ctx, reviewSlot); err != nil {
				t.Errorf("slot run: %v", err)
			}
		})
	}
	wg.Wait()
	if runs[0].Created == runs[1].Created || runs[0].Issue != 1 || runs[1].Issue != 1 || runs[0].Stats.Sent+runs[1].Stats.Sent != len(readers) {
		t.Fatalf("slot runs: %+v %+v; want one to store issue #1 and %d sent in all", runs[0], runs[1], len(readers))
	}
	e.mp.WaitCount(t, 1+len(readers), 10*time.Second)
	checkIssuesExcept(t, e, readers, "ed@example.org", 1)
	for _, m := range e.mp.Messages(t) {
		if m.To[0].Address != readers[0] {
			continue
		}
		txt := e.mp.Message(t, m.ID).Text
		if !strings.Contains(txt, "Headline set through instance B") || !strings.Contains(txt, "Intro written through instance A.") ||
			strings.Contains(txt, v.Edited.Stories[0].Entry.Article.Title) {
			t.Errorf("the issue sent lacks an edit made through one of the instances:\n%s", txt)
		}
		if i, j := strings.Index(txt, v.Edited.Stories[2].Entry.Article.Title), strings.Index(txt, "Headline set through instance B"); i < 0 || i > j {
			t.Errorf("the story pinned through instance B is not first")
		}
	}
	d, _ := a.svc.Store.(digest.DraftStore).Draft(ctx, reviewSlot)
	if d.State != digest.DraftSent || d.Number != 1 {
		t.Errorf("draft: %s, issue %d", d.State, d.Number)
	}
}

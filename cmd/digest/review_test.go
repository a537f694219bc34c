package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/weeklywrap/digest/digest"
	"github.com/weeklywrap/digest/internal/mailpittest"
)

// reviewSlot is a Monday 07:00 slot of the default schedule.
var reviewSlot = time.Date(2026, 3, 23, 7, 0, 0, 0, time.UTC)

// fakeClock is a clock a test moves by hand.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = t
}

// reviewEnv is a small issue (one seed), three readers, one editor and
// the given review settings, driven by a fake clock.
func reviewEnv(t *testing.T, review string) (*testEnv, *clocked, *fakeClock, []string) {
	t.Helper()
	e := newEnv(t, envOpts{Mailpit: true})
	e.smallIssue(t)
	e.appendConfig(t, "review:\n  lead: 24h\n  editors: [ed@example.org]\n"+review)
	readers := addReaders(t, e, 3)
	clk := &fakeClock{t: reviewSlot.Add(-25 * time.Hour)}
	c := startClocked(t, e, clk.t)
	c.svc.Now = clk.Now
	return e, c, clk, readers
}

func (c *clocked) draft(t *testing.T, slot time.Time) digest.Draft {
	t.Helper()
	ds, err := c.svc.Drafts()
	if err != nil {
		t.Fatal(err)
	}
	d, err := ds.Draft(context.Background(), slot)
	if err != nil {
		t.Fatalf("draft for %s: %v", slot, err)
	}
	return d
}

// decide has ed@example.org move the open draft for reviewSlot, at its
// current version, to state with an edit of kind (hold or approve).
func (c *clocked) decide(t *testing.T, state digest.DraftState, kind digest.EditKind) {
	t.Helper()
	d := c.draft(t, reviewSlot)
	ds, _ := c.svc.Drafts()
	if _, err := ds.SetDraftState(context.Background(), reviewSlot, []digest.DraftState{digest.DraftOpen}, state, d.Version,
		digest.Edit{Kind: kind, Editor: "ed@example.org"}); err != nil {
		t.Fatal(err)
	}
}

// pass runs a review pass, then sends the mail it queued, as the outbox
// runner of digest serve would.
func (c *clocked) pass(t *testing.T) {
	t.Helper()
	if err := c.svc.ReviewPass(context.Background()); err != nil {
		t.Fatalf("review pass at %s: %v", c.svc.Now(), err)
	}
	c.drain(t)
}

func (c *clocked) drain(t *testing.T) {
	t.Helper()
	ob, err := c.svc.Outbox()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ob.Drain(context.Background()); err != nil {
		t.Fatalf("outbox: %v", err)
	}
}

// editorMail returns the subjects of the mail the editor got, oldest first.
func editorMail(t *testing.T, mp *mailpittest.Server) []string {
	t.Helper()
	var out []string
	for _, m := range mp.Messages(t) {
		if len(m.To) > 0 && m.To[0].Address == "ed@example.org" {
			out = append([]string{m.Subject}, out...)
		}
	}
	return out
}

func TestReviewVetoSendsAtTheSlot(t *testing.T) {
	ctx := context.Background()
	e, c, clk, readers := reviewEnv(t, "  mode: veto\n")
	c.pass(t)
	if ds, _ := c.svc.Drafts(); ds != nil {
		if _, err := ds.CurrentDraft(ctx); !errors.Is(err, digest.ErrNotFound) {
			t.Fatalf("a draft 25 h before the slot, with a lead of 24 h: %v", err)
		}
	}
	clk.Set(reviewSlot.Add(-23 * time.Hour))
	c.pass(t)
	c.pass(t) // a second pass builds and mails nothing more
	d := c.draft(t, reviewSlot)
	if d.State != digest.DraftOpen || d.Issue.ArticleCount() != 1 {
		t.Fatalf("draft: %s with %d stories", d.State, d.Issue.ArticleCount())
	}
	e.mp.WaitCount(t, 1, 10*time.Second)
	got := editorMail(t, e.mp)
	if len(got) != 1 || got[0] != "Review the draft: The Weekly Wrap #1: The only story this week" {
		t.Fatalf("editor mail: %q", got)
	}
	review := e.mp.Message(t, e.mp.Messages(t)[0].ID)
	for _, want := range []string{"DRAFT FOR REVIEW", "unless an editor holds it", "/desk/signin/", "The only story this week"} {
		if !strings.Contains(review.Text, want) {
			t.Errorf("review email text lacks %q:\n%s", want, review.Text)
		}
	}
	if !strings.Contains(review.HTML, "Open the desk") || !strings.Contains(review.HTML, "The only story this week") {
		t.Errorf("review email HTML lacks the desk link or the draft")
	}
	if len(subjectsByAddress(t, e)) != 1 {
		t.Fatalf("readers got mail before the slot")
	}

	clk.Set(reviewSlot.Add(time.Second))
	run, err := c.svc.RunSlot(ctx, reviewSlot)
	if err != nil || run.Issue != 1 || !run.Created || run.Stats.Sent != 3 {
		t.Fatalf("slot run: %+v, %v", run, err)
	}
	c.pass(t)
	e.mp.WaitCount(t, 4, 10*time.Second)
	got2 := subjectsByAddress(t, e)
	delete(got2, "ed@example.org")
	for _, r := range readers {
		if len(got2[r]) != 1 || !strings.HasPrefix(got2[r][0], "The Weekly Wrap #1") {
			t.Errorf("%s got %q", r, got2[r])
		}
	}
	d = c.draft(t, reviewSlot)
	if d.State != digest.DraftSent || d.Number != 1 {
		t.Errorf("draft after the slot: %s, issue %d", d.State, d.Number)
	}
	ds, _ := c.svc.Drafts()
	edits, _ := ds.Edits(ctx, reviewSlot)
	if len(edits) != 1 || edits[0].Editor != "digest" || !strings.Contains(edits[0].Value, "veto mode") {
		t.Errorf("history should record who let it go: %+v", edits)
	}
}

func TestReviewVetoHeldIsNotSent(t *testing.T) {
	ctx := context.Background()
	e, c, clk, _ := reviewEnv(t, "  mode: veto\n")
	clk.Set(reviewSlot.Add(-20 * time.Hour))
	c.pass(t)
	c.decide(t, digest.DraftHeld, digest.EditHold)
	clk.Set(reviewSlot.Add(time.Second))
	run, err := c.svc.RunSlot(ctx, reviewSlot)
	if err != nil || run.Issue != 0 {
		t.Fatalf("held draft at its slot: %+v, %v", run, err)
	}
	for _, at := range []time.Duration{time.Hour, 24 * time.Hour} {
		clk.Set(reviewSlot.Add(at))
		c.pass(t)
	}
	// The next slot's draft supersedes it; it is never sent.
	next := reviewSlot.AddDate(0, 0, 7)
	e.addSeed(t, "002_next.md", "---\ntitle: Next week's story\n---\n\nSomething else happened. It is news too.\n")
	clk.Set(next.Add(-23 * time.Hour))
	c.pass(t)
	if d := c.draft(t, reviewSlot); d.State != digest.DraftSkipped {
		t.Errorf("held draft once the next one is built: %s, want skipped", d.State)
	}
	if d := c.draft(t, next); d.State != digest.DraftOpen || d.Issue.ArticleCount() != 2 {
		t.Errorf("next draft: %s with %d stories (the held one's seed and the new one)", d.State, d.Issue.ArticleCount())
	}
	if n, _ := c.svc.Store.NextIssueNumber(ctx); n != 1 {
		t.Errorf("an issue was stored for a held draft")
	}
	e.mp.WaitCount(t, 2, 10*time.Second)
	for addr := range subjectsByAddress(t, e) {
		if addr != "ed@example.org" {
			t.Errorf("%s got mail though the draft was held", addr)
		}
	}
}

func TestReviewApproveDeadlines(t *testing.T) {
	for _, tc := range []struct {
		deadline string
		sent     bool // at the slot, with nobody approving
		state    digest.DraftState
	}{
		{"send", true, digest.DraftSent},
		{"skip", false, digest.DraftSkipped},
		{"wait", false, digest.DraftOpen},
	} {
		t.Run(tc.deadline, func(t *testing.T) {
			ctx := context.Background()
			e, c, clk, readers := reviewEnv(t, "  mode: approve\n  remind: 2h\n  deadline: "+tc.deadline+"\n")
			clk.Set(reviewSlot.Add(-23 * time.Hour))
			c.pass(t)
			clk.Set(reviewSlot.Add(-3 * time.Hour))
			c.pass(t) // no reminder yet
			clk.Set(reviewSlot.Add(-119 * time.Minute))
			c.pass(t)
			clk.Set(reviewSlot.Add(-time.Hour))
			c.pass(t) // the reminder goes once
			e.mp.WaitCount(t, 2, 10*time.Second)
			if got := editorMail(t, e.mp); len(got) != 2 || !strings.HasPrefix(got[1], "Reminder, not approved yet: ") {
				t.Fatalf("editor mail before the slot: %q", got)
			}

			clk.Set(reviewSlot.Add(time.Second))
			run, err := c.svc.RunSlot(ctx, reviewSlot)
			if err != nil || (run.Issue == 1) != tc.sent {
				t.Fatalf("at the slot: %+v, %v; want sent=%v", run, err, tc.sent)
			}
			c.pass(t)
			if d := c.draft(t, reviewSlot); d.State != tc.state {
				t.Errorf("draft at the slot: %s, want %s", d.State, tc.state)
			}
			if tc.deadline != "wait" {
				want := 2
				if tc.sent {
					want += len(readers)
				}
				e.mp.WaitCount(t, want, 10*time.Second)
				time.Sleep(200 * time.Millisecond)
				if n := e.mp.Count(t); n != want {
					t.Errorf("Mailpit holds %d messages, want %d", n, want)
				}
				return
			}
			// wait: the editors hear that it waits; an approval an hour
			// late sends it then.
			e.mp.WaitCount(t, 3, 10*time.Second)
			if got := editorMail(t, e.mp); len(got) != 3 || !strings.HasPrefix(got[2], "Waiting for your approval: ") {
				t.Fatalf("editor mail at the slot: %q", got)
			}
			clk.Set(reviewSlot.Add(time.Hour))
			c.pass(t)
			if n := e.mp.Count(t); n != 3 {
				t.Fatalf("sent without an approval: %d messages", n)
			}
			c.decide(t, digest.DraftApproved, digest.EditApprove)
			c.pass(t)
			e.mp.WaitCount(t, 3+len(readers), 10*time.Second)
			checkIssuesExcept(t, e, readers, "ed@example.org", 1)
		})
	}
}

func TestReviewApprovedGoesAtTheSlotNotBefore(t *testing.T) {
	ctx := context.Background()
	e, c, clk, readers := reviewEnv(t, "  mode: approve\n  remind: 0s\n")
	clk.Set(reviewSlot.Add(-23 * time.Hour))
	c.pass(t)
	c.decide(t, digest.DraftApproved, digest.EditApprove)
	clk.Set(reviewSlot.Add(-time.Hour))
	c.pass(t)
	if n, _ := c.svc.Store.NextIssueNumber(ctx); n != 1 {
		t.Fatal("an approved draft went out before its slot")
	}
	clk.Set(reviewSlot)
	if run, err := c.svc.RunSlot(ctx, reviewSlot); err != nil || run.Stats.Sent != len(readers) {
		t.Fatalf("slot: %+v %v", run, err)
	}
	// Run again (a restart, another instance): nothing is sent twice.
	if run, err := c.svc.RunSlot(ctx, reviewSlot); err != nil || run.Created || run.Stats.Sent != 0 {
		t.Fatalf("second run: %+v %v", run, err)
	}
	e.mp.WaitCount(t, 1+len(readers), 10*time.Second)
	checkIssuesExcept(t, e, readers, "ed@example.org", 1)
}

// A rebuild with new articles keeps every edit, and what is sent is the
// edited draft.
func TestReviewRebuildKeepsEdits(t *testing.T) {
	ctx := context.Background()
	e, c, clk, _ := reviewEnv(t, "  mode: veto\n  refresh: 30m\n")
	clk.Set(reviewSlot.Add(-23 * time.Hour))
	c.pass(t)
	v, err := c.svc.CurrentView(ctx)
	if err != nil || len(v.Edited.Stories) != 1 {
		t.Fatalf("view: %+v %v", v, err)
	}
	id := v.Edited.Stories[0].Entry.Article.ID
	ds, _ := c.svc.Drafts()
	if _, err := ds.AddEdit(ctx, digest.Edit{Slot: reviewSlot, Story: id, Kind: digest.EditHeadline, Value: "An edited headline", Editor: "ed@example.org"}, 0); err != nil {
		t.Fatal(err)
	}
	e.addSeed(t, "002_late.md", "---\ntitle: A late arrival\n---\n\nThis came in after the draft was built. It belongs in the issue.\n")
	clk.Set(reviewSlot.Add(-23*time.Hour + 10*time.Minute))
	c.pass(t) // too soon after the last check: no rebuild
	if d := c.draft(t, reviewSlot); d.Issue.ArticleCount() != 1 {
		t.Fatalf("rebuilt before review.refresh passed")
	}
	clk.Set(reviewSlot.Add(-22 * time.Hour))
	c.pass(t)
	v, _ = c.svc.CurrentView(ctx)
	if v.Edited.Issue.ArticleCount() != 2 {
		t.Fatalf("rebuild: %d stories, want 2", v.Edited.Issue.ArticleCount())
	}
	if s, ok := v.Edited.Story(id); !ok || s.Entry.Article.Title != "An edited headline" {
		t.Fatalf("the headline edit was lost in the rebuild: %+v", s)
	}
	clk.Set(reviewSlot)
	if _, err := c.svc.RunSlot(ctx, reviewSlot); err != nil {
		t.Fatal(err)
	}
	e.mp.WaitCount(t, 4, 10*time.Second)
	for _, m := range e.mp.Messages(t) {
		if m.To[0].Address == "reader000@example.org" {
			full := e.mp.Message(t, m.ID)
			if !strings.Contains(full.Text, "An edited headline") || !strings.Contains(full.Text, "A late arrival") {
				t.Errorf("the issue sent lacks the edit or the late story:\n%s", full.Text)
			}
		}
	}
}

func TestDraftAndLinksCLI(t *testing.T) {
	e, c, clk, _ := reviewEnv(t, "  mode: approve\n")
	if out, _, err := e.run(t, "draft", "show"); err == nil || !strings.Contains(err.Error(), "no draft is under review") {
		t.Fatalf("show without a draft: %v %s", err, out)
	}
	if out := e.mustRun(t, "status"); !strings.Contains(out, "draft:        none under review (approve mode); the next is built") {
		t.Errorf("status without a draft:\n%s", out)
	}
	e.addSeed(t, "002_second.md", "---\ntitle: A second story\n---\n\nThere is more to read. It is short.\n")
	clk.Set(reviewSlot.Add(-23 * time.Hour))
	c.pass(t)
	out := e.mustRun(t, "draft", "show")
	for _, want := range []string{"draft of issue #1", ": open (version 1, review.mode approve)", "  1  ", "  2  ", "The only story this week", "A second story"} {
		if !strings.Contains(out, want) {
			t.Errorf("draft show lacks %q:\n%s", want, out)
		}
	}
	if out := e.mustRun(t, "status"); !strings.Contains(out, "draft:        for ") || !strings.Contains(out, "open (approve mode), 2 stories, 0 edits") {
		t.Errorf("status with a draft:\n%s", out)
	}
	e.mustRun(t, "draft", "drop", "1")
	e.mustRun(t, "draft", "pin", "1") // after the drop, story 1 is the other one
	if _, _, err := e.run(t, "draft", "drop", "9"); err == nil || !strings.Contains(err.Error(), "from 1 to 2") {
		t.Errorf("bad story number: %v", err)
	}
	out = e.mustRun(t, "draft", "show")
	if !strings.Contains(out, "left out:") || !strings.Contains(out, "[dropped]") || !strings.Contains(out, "[pinned]") ||
		strings.Count(out, " cli ") < 2 {
		t.Errorf("show after drop and pin:\n%s", out)
	}
	if out := e.mustRun(t, "send"); !strings.Contains(out, "nothing sent") || !strings.Contains(out, "approval") {
		t.Errorf("send in approve mode without approval: %s", out)
	}
	e.mustRun(t, "draft", "hold")
	if _, _, err := e.run(t, "draft", "drop", "1"); err != nil {
		t.Errorf("a held draft still takes edits: %v", err)
	}
	e.mustRun(t, "draft", "release")
	out = e.mustRun(t, "draft", "approve")
	if !strings.Contains(out, "approved") {
		t.Errorf("approve: %s", out)
	}
	if _, _, err := e.run(t, "draft", "drop", "1"); err == nil || !strings.Contains(err.Error(), "no more edits") {
		t.Errorf("an approved draft must refuse edits: %v", err)
	}
	if _, _, err := e.run(t, "links", "add", "ftp://example.org/x"); err == nil || !strings.Contains(err.Error(), "not a web address") {
		t.Errorf("links add with a bad URL: %v", err)
	}
}

// checkIssuesExcept is checkIssues for readers, ignoring one address (the
// editor's review mail).
func checkIssuesExcept(t *testing.T, e *testEnv, readers []string, skip string, want ...int) {
	t.Helper()
	got := subjectsByAddress(t, e)
	delete(got, skip)
	for _, r := range readers {
		if len(got[r]) != len(want) {
			t.Errorf("%s got %q, want issues %v once each", r, got[r], want)
		}
	}
	if len(got) != len(readers) {
		t.Errorf("mail for %d addresses, want %d", len(got), len(readers))
	}
}

// With review off, a link added on the command line joins the next issue
// built, as an editor's pick with its note.
func TestLinkJoinsTheNextIssueWithoutReview(t *testing.T) {
	e := newEnv(t, envOpts{Mailpit: true, Schedule: offSchedule()})
	e.smallIssue(t)
	addReaders(t, e, 1)
	pages := pageServer(t)
	a := &app{configPath: e.config, privatePages: true}
	defer a.Close()
	cmd := linksCmd(a)
	var out strings.Builder
	cmd.SetOut(&out)
	cmd.SetArgs([]string{"add", pages.URL + "/story", "--note", "Our pick."})
	if err := cmd.ExecuteContext(context.Background()); err != nil || !strings.Contains(out.String(), "waits for the next draft") {
		t.Fatalf("links add: %v %s", err, out.String())
	}
	e.mustRun(t, "send")
	e.mp.WaitCount(t, 1, 10*time.Second)
	m := e.mp.Message(t, e.mp.Messages(t)[0].ID)
	if !strings.HasPrefix(m.Subject, "The Weekly Wrap #1: Ferries return to the harbour") || !strings.Contains(m.Text, "Editor's note: Our pick.") ||
		!strings.Contains(m.Text, "The only story this week") {
		t.Errorf("the issue lacks the pick on top: %q\n%s", m.Subject, m.Text)
	}
	// It was used once: the next issue does not repeat it.
	e.addSeed(t, "002_more.md", "---\ntitle: Another week\n---\n\nA new story for a new week. It has two sentences.\n")
	e.mustRun(t, "send")
	e.mp.WaitCount(t, 2, 10*time.Second)
	for _, s := range e.mp.Messages(t) {
		if strings.Contains(s.Subject, "#2") && strings.Contains(e.mp.Message(t, s.ID).Text, "Ferries") {
			t.Errorf("the link came back in issue #2")
		}
	}
}

// A draft held in veto mode and released after its slot goes out then.
func TestReviewVetoReleasedLate(t *testing.T) {
	ctx := context.Background()
	e, c, clk, readers := reviewEnv(t, "  mode: veto\n")
	clk.Set(reviewSlot.Add(-20 * time.Hour))
	c.pass(t)
	ds, _ := c.svc.Drafts()
	if _, err := ds.SetDraftState(ctx, reviewSlot, []digest.DraftState{digest.DraftOpen}, digest.DraftHeld, 0, digest.Edit{Kind: digest.EditHold, Editor: "ed@example.org"}); err != nil {
		t.Fatal(err)
	}
	clk.Set(reviewSlot.Add(time.Minute))
	c.pass(t)
	if n, _ := c.svc.Store.NextIssueNumber(ctx); n != 1 {
		t.Fatal("a held draft was sent")
	}
	if _, err := ds.SetDraftState(ctx, reviewSlot, []digest.DraftState{digest.DraftHeld}, digest.DraftOpen, 0, digest.Edit{Kind: digest.EditRelease, Editor: "ed@example.org"}); err != nil {
		t.Fatal(err)
	}
	clk.Set(reviewSlot.Add(2 * time.Hour))
	c.pass(t)
	e.mp.WaitCount(t, 1+len(readers), 10*time.Second)
	checkIssuesExcept(t, e, readers, "ed@example.org", 1)
}

// TestReviewWindowKeepsItemsAfterTheLastRebuild: a feed item dated after
// the draft's last gathering but before its slot was in no draft; it must
// join the next issue rather than fall between the two windows.
func TestReviewWindowKeepsItemsAfterTheLastRebuild(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t, envOpts{Mailpit: true})
	feedPath := filepath.Join(e.dir, "late.xml")
	writeFeed := func(items ...[2]string) {
		t.Helper()
		var b strings.Builder
		b.WriteString(`<?xml version="1.0"?><rss version="2.0"><channel><title>Late Wire</title><link>https://late.example/</link>`)
		for _, it := range items {
			fmt.Fprintf(&b, `<item><title>%s</title><link>https://late.example/%s</link><guid>https://late.example/%s</guid><pubDate>%s</pubDate><description>%s is a story long enough to be summarized. It has a second sentence as well.</description></item>`,
				it[0], it[0], it[0], it[1], it[0])
		}
		b.WriteString(`</channel></rss>`)
		if err := os.WriteFile(feedPath, []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	early := [2]string{"EarlyStory", reviewSlot.Add(-30 * time.Hour).Format(time.RFC1123Z)}
	late := [2]string{"LateStory", reviewSlot.Add(-time.Hour).Format(time.RFC1123Z)}
	writeFeed(early)
	cfg, err := os.ReadFile(e.config)
	if err != nil {
		t.Fatal(err)
	}
	text := strings.Replace(string(cfg), "  feeds:\n", "  feeds:\n    - name: Late Wire\n      url: "+feedPath+"\n", 1)
	if err := os.WriteFile(e.config, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	e.appendConfig(t, "review:\n  lead: 24h\n  editors: [ed@example.org]\n  mode: veto\n")
	addReaders(t, e, 1)
	clk := &fakeClock{t: reviewSlot.Add(-23 * time.Hour)}
	c := startClocked(t, e, clk.t)
	c.svc.Now = clk.Now
	c.pass(t)
	if !draftHas(c.draft(t, reviewSlot).Issue, "EarlyStory") {
		t.Fatal("the first draft lacks the item of its window")
	}

	// The late item appears after the draft's last gathering; the slot
	// sends the draft as it stands.
	writeFeed(early, late)
	clk.Set(reviewSlot.Add(time.Second))
	if _, err := c.svc.RunSlot(ctx, reviewSlot); err != nil {
		t.Fatal(err)
	}
	first, err := c.svc.Store.IssueBySlot(ctx, reviewSlot)
	if err != nil {
		t.Fatal(err)
	}
	if draftHas(first.Issue, "LateStory") {
		t.Fatal("the sent draft holds an item it never gathered")
	}

	next := c.svc.Slots.Next(reviewSlot)
	clk.Set(next.Add(-23 * time.Hour))
	c.pass(t)
	d := c.draft(t, next)
	if !draftHas(d.Issue, "LateStory") {
		t.Fatalf("the item dated after the last draft gathering and before its slot is in neither issue")
	}
	if draftHas(d.Issue, "EarlyStory") {
		t.Fatalf("an item the first issue used is in the second too")
	}
}

func draftHas(is digest.Issue, title string) bool {
	for _, en := range is.Entries() {
		if en.Article.Title == title {
			return true
		}
	}
	for _, en := range is.Skipped {
		if en.Article.Title == title {
			return true
		}
	}
	return false
}

package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/weeklywrap/digest/digest"
	"github.com/weeklywrap/digest/digest/mailer"
	"github.com/weeklywrap/digest/digest/service"
	"github.com/weeklywrap/digest/internal/logtest"
)

// clocked is one start of the daemon's service with the real wiring, a
// fake clock and its logs captured: a new clocked is a restart.
type clocked struct {
	svc  *service.Service
	logs *logtest.Buffer
}

func startClocked(t *testing.T, e *testEnv, now time.Time) *clocked {
	t.Helper()
	a := &app{configPath: e.config}
	t.Cleanup(a.Close)
	svc, err := a.service(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	c := &clocked{svc: svc, logs: &logtest.Buffer{}}
	svc.Log = slog.New(slog.NewTextHandler(c.logs, nil))
	svc.Now = func() time.Time { return now }
	return c
}

func (e *testEnv) appendConfig(t *testing.T, lines string) {
	t.Helper()
	f, err := os.OpenFile(e.config, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := f.WriteString(lines); err != nil {
		t.Fatal(err)
	}
}

func addReaders(t *testing.T, e *testEnv, n int) []string {
	t.Helper()
	var addrs []string
	for i := range n {
		addrs = append(addrs, fmt.Sprintf("reader%03d@example.org", i))
	}
	e.mustRun(t, append([]string{"subscribers", "add"}, addrs...)...)
	return addrs
}

// subjectsByAddress maps each recipient in Mailpit to the subjects they got.
func subjectsByAddress(t *testing.T, e *testEnv) map[string][]string {
	t.Helper()
	out := map[string][]string{}
	for _, s := range e.mp.Messages(t) {
		for _, to := range s.To {
			out[to.Address] = append(out[to.Address], s.Subject)
		}
	}
	return out
}

// checkIssues fails unless every address got exactly one copy of each
// issue in want and nothing else.
func checkIssues(t *testing.T, e *testEnv, addrs []string, want ...int) {
	t.Helper()
	got := subjectsByAddress(t, e)
	for _, a := range addrs {
		var nums []int
		for _, s := range got[a] {
			var n int
			if i := strings.Index(s, "#"); i >= 0 {
				fmt.Sscanf(s[i+1:], "%d", &n)
			}
			nums = append(nums, n)
		}
		if fmt.Sprint(nums) != fmt.Sprint(want) && !sameSet(nums, want) {
			t.Errorf("%s got issues %v (%q); want exactly %v", a, nums, got[a], want)
		}
	}
	if len(got) != len(addrs) {
		t.Errorf("Mailpit has mail for %d addresses, want %d", len(got), len(addrs))
	}
}

func sameSet(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	count := map[int]int{}
	for _, x := range a {
		count[x]++
	}
	for _, x := range b {
		count[x]--
	}
	for _, v := range count {
		if v != 0 {
			return false
		}
	}
	return true
}

// A weekly Berlin schedule driven by a fake clock through restarts: a
// fresh install waits for its first slot, a restart never rebuilds a slot's
// issue, a slot missed by hours is sent late, one missed by more than a day
// is skipped with a warning, and catch_up: skip skips even a recent one.
func TestScheduleRestartsAndMissedSlots(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t, envOpts{Mailpit: true})
	e.appendConfig(t, "timezone: Europe/Berlin\n")
	addrs := addReaders(t, e, 3)
	berlin, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Skip("no tzdata:", err)
	}
	monday := func(day int) time.Time { return time.Date(2026, 3, day, 7, 0, 0, 0, berlin) }
	slotA, slotB, slotC, slotD := monday(23), monday(30), time.Date(2026, 4, 6, 7, 0, 0, 0, berlin), time.Date(2026, 4, 13, 7, 0, 0, 0, berlin)

	// A fresh install started an hour after a slot does not send it.
	c := startClocked(t, e, slotA.Add(time.Hour))
	if err := c.svc.CatchUp(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := c.svc.Store.LatestIssue(ctx); !errors.Is(err, digest.ErrNotFound) {
		t.Fatalf("a fresh install built an issue for a past slot (err %v)", err)
	}

	// The tick at slot A builds and sends issue #1.
	c = startClocked(t, e, slotA.Add(300*time.Millisecond))
	run, err := c.svc.RunSlot(ctx, c.svc.Slots.Fired(c.svc.Now()))
	if err != nil || run.Issue != 1 || !run.Created || run.Stats.Sent != 3 {
		t.Fatalf("tick at slot A: %+v, %v", run, err)
	}

	// Restarted three hours later: nothing to catch up, nothing rebuilt,
	// and a repeated tick for slot A reuses issue #1 and sends nothing.
	c = startClocked(t, e, slotA.Add(3*time.Hour))
	if err := c.svc.CatchUp(ctx); err != nil {
		t.Fatal(err)
	}
	run, err = c.svc.RunSlot(ctx, slotA)
	if err != nil || run.Issue != 1 || run.Created || run.Stats.Sent != 0 {
		t.Errorf("repeated slot A: %+v, %v; want issue 1, not created, nothing sent", run, err)
	}
	if strings.Contains(c.logs.String(), "issue built") {
		t.Errorf("a restart rebuilt an issue:\n%s", c.logs)
	}

	// Down over slot B (the first Monday of summer time), back 5 h later: sent late.
	e.addSeed(t, "030_b.md", "---\ntitle: Spring forward\n---\n\nThe clocks went forward. Slot B still happens.\n")
	c = startClocked(t, e, slotB.Add(5*time.Hour))
	if err := c.svc.CatchUp(ctx); err != nil {
		t.Fatal(err)
	}
	is, err := c.svc.Store.IssueBySlot(ctx, slotB.UTC())
	if err != nil || is.Number != 2 {
		t.Fatalf("slot B not sent late: %+v %v\n%s", is.Number, err, c.logs)
	}
	if !strings.Contains(c.logs.String(), "sending a missed slot late") {
		t.Errorf("no log line for the late send:\n%s", c.logs)
	}

	// Down over slot C, back 25 h later: skipped with a warning.
	e.addSeed(t, "031_c.md", "---\ntitle: Too late for C\n---\n\nThis waits for the next slot. It is not lost.\n")
	c = startClocked(t, e, slotC.Add(25*time.Hour))
	if err := c.svc.CatchUp(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := c.svc.Store.IssueBySlot(ctx, slotC.UTC()); !errors.Is(err, digest.ErrNotFound) {
		t.Errorf("slot C was sent 25 h late (err %v)", err)
	}
	if l := c.logs.String(); !strings.Contains(l, "level=WARN") || !strings.Contains(l, "missed slot skipped") || !strings.Contains(l, "more than 24h0m0s late") {
		t.Errorf("no warning for the skipped slot:\n%s", l)
	}

	// The next tick (slot D) carries what slot C would have had.
	c = startClocked(t, e, slotD.Add(100*time.Millisecond))
	run, err = c.svc.RunSlot(ctx, c.svc.Slots.Fired(c.svc.Now()))
	if err != nil || run.Issue != 3 || !run.Created {
		t.Fatalf("tick at slot D: %+v, %v", run, err)
	}
	if st, _ := c.svc.Store.IssueByNumber(ctx, 3); !strings.Contains(st.Text, "Too late for C") {
		t.Errorf("issue #3 lacks the article that arrived before the skipped slot")
	}

	// catch_up: skip skips even a slot missed by an hour.
	e.appendConfig(t, "catch_up: skip\n")
	e.addSeed(t, "032_e.md", "---\ntitle: Skipped by policy\n---\n\nNobody sends this late. The policy says skip.\n")
	slotE := slotD.AddDate(0, 0, 7)
	c = startClocked(t, e, slotE.Add(time.Hour))
	if err := c.svc.CatchUp(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := c.svc.Store.IssueBySlot(ctx, slotE.UTC()); !errors.Is(err, digest.ErrNotFound) {
		t.Errorf("catch_up: skip sent a missed slot (err %v)", err)
	}
	if !strings.Contains(c.logs.String(), "catch_up: skip") {
		t.Errorf("no warning naming the skip policy:\n%s", c.logs)
	}
	checkIssues(t, e, addrs, 1, 2, 3)
}

// `digest send` shortly after a scheduled slot the daemon has not built
// yet, racing the daemon's catch-up for it: both name the same slot, only
// one builds, and every reader gets one copy.
func TestSendAndSchedulerNeverBothBuildASlot(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t, envOpts{Mailpit: true})
	addrs := addReaders(t, e, 4)
	slotA := time.Date(2026, 3, 23, 7, 0, 0, 0, time.UTC)
	slotB := slotA.AddDate(0, 0, 7)
	if run, err := startClocked(t, e, slotA).svc.RunSlot(ctx, slotA); err != nil || !run.Created {
		t.Fatalf("issue #1: %+v %v", run, err)
	}
	e.addSeed(t, "040_b.md", "---\ntitle: One issue for slot B\n---\n\nBuilt once. Sent once to each reader.\n")

	now := slotB.Add(10 * time.Minute)
	send, daemon := startClocked(t, e, now), startClocked(t, e, now)
	slot, err := send.svc.SendSlot(ctx, now)
	if err != nil || !slot.Equal(slotB) {
		t.Fatalf("SendSlot = %v, %v; want the unbuilt scheduled slot %v", slot, err, slotB)
	}
	var (
		wg      sync.WaitGroup
		sendRun service.SlotRun
		sendErr error
	)
	wg.Add(1)
	go func() { // the send command's path
		defer wg.Done()
		st, created, err := send.svc.BuildOnce(ctx, slot)
		if err != nil {
			sendErr = err
			return
		}
		stats, err := send.svc.Deliver(ctx, st.Number)
		sendRun, sendErr = service.SlotRun{Issue: st.Number, Created: created, Stats: stats}, err
	}()
	daemonErr := daemon.svc.CatchUp(ctx)
	wg.Wait()
	if sendErr != nil || daemonErr != nil {
		t.Fatalf("send: %v; daemon: %v", sendErr, daemonErr)
	}
	builds := strings.Count(send.logs.String()+daemon.logs.String(), "issue stored")
	if builds != 1 || sendRun.Issue != 2 {
		t.Errorf("%d stores of a new issue (send run %+v); want exactly 1, issue #2\nsend:\n%s\ndaemon:\n%s",
			builds, sendRun, send.logs, daemon.logs)
	}
	if n, _ := send.svc.Store.NextIssueNumber(ctx); n != 3 {
		t.Errorf("next issue number %d, want 3: a second issue was built", n)
	}
	checkIssues(t, e, addrs, 1, 2)

	// A send a minute later, with nothing new, builds nothing either.
	later := startClocked(t, e, now.Add(time.Minute))
	slot, _ = later.svc.SendSlot(ctx, later.svc.Now())
	if slot.Equal(slotB) {
		t.Errorf("SendSlot after slot B was built still names slot B")
	}
	if _, err := later.svc.EnsureIssue(ctx, slot); !errors.Is(err, digest.ErrNoContent) {
		t.Errorf("a send with nothing new: err = %v, want ErrNoContent", err)
	}
}

// buildAndCrash builds and stores the issue a send would, then stops as
// a process that died before sending anything would.
func buildAndCrash(t *testing.T, e *testEnv) {
	t.Helper()
	ctx := context.Background()
	crashed := startClocked(t, e, time.Now())
	slot, err := crashed.svc.SendSlot(ctx, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if _, created, err := crashed.svc.BuildOnce(ctx, slot); err != nil || !created {
		t.Fatalf("build: %v", err)
	}
}

// `digest send` run again after a crash that left issue #1 stored but
// unsent resumes #1 and builds nothing new, even with a new article
// waiting; the send after that builds #2.
func TestSendResumesAfterCrash(t *testing.T) {
	e := newEnv(t, envOpts{Mailpit: true, Schedule: offSchedule()})
	addrs := addReaders(t, e, 5)
	buildAndCrash(t, e)
	// ... and the process died before sending anything.
	e.addSeed(t, "050_new.md", "---\ntitle: Arrived after the crash\n---\n\nThis belongs in the next issue. Not in a resumed one.\n")

	out := e.mustRun(t, "send")
	if !strings.Contains(out, "resumed unfinished issue #1: 5 sent") || !strings.Contains(out, "no new issue built") {
		t.Errorf("send after a crash: %s", out)
	}
	checkIssues(t, e, addrs, 1)
	out = e.mustRun(t, "send")
	if !strings.Contains(out, "issue #2") || !strings.Contains(out, "5 sent") {
		t.Errorf("the send after the resume: %s", out)
	}
	checkIssues(t, e, addrs, 1, 2)
}

// The progress line of `digest send` on a terminal.
func TestSendLine(t *testing.T) {
	tests := []struct {
		name    string
		st      mailer.Stats
		total   int
		elapsed time.Duration
		want    string
	}{
		{"start", mailer.Stats{}, 1000, 0, "send [                        ] 0 sent, 0 failed, 1000 remaining, 0/s, ETA -"},
		{"a quarter in 5 s", mailer.Stats{Sent: 240, Failed: 10}, 1000, 5 * time.Second,
			"send [======                  ] 240 sent, 10 failed, 750 remaining, 50/s, ETA 15s"},
		{"retries stay remaining", mailer.Stats{Sent: 500, Retried: 100}, 1000, 10 * time.Second,
			"send [============            ] 500 sent, 0 failed, 500 remaining, 50/s, ETA 10s"},
		{"done", mailer.Stats{Sent: 990, Skipped: 10}, 1000, 20 * time.Second,
			"send [========================] 990 sent, 0 failed, 0 remaining, 50/s, ETA -"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := sendLine(tt.st, tt.total, tt.elapsed); got != tt.want {
				t.Errorf("got  %q\nwant %q", got, tt.want)
			}
		})
	}
}

// Between slots the daemon sends deliveries that became due again (here a
// 4xx retry whose time comes a second after start); without that, a retry
// would wait for the next slot, a week away.
func TestDaemonSendsRetriesBetweenSlots(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t, envOpts{Mailpit: true})
	addrs := addReaders(t, e, 3)
	c := startClocked(t, e, time.Now())
	c.svc.Now = time.Now
	st, _, err := c.svc.BuildOnce(ctx, c.svc.Slots.AtOrBefore(time.Now()))
	if err != nil {
		t.Fatal(err)
	}
	ds, err := c.svc.Store.ClaimDeliveries(ctx, "test", st.Number, 1, time.Minute)
	if err != nil || len(ds) != 1 {
		t.Fatalf("claim: %v %v", ds, err)
	}
	if err := c.svc.Store.MarkRetry(ctx, ds[0].ID, "451 4.7.1 try again later", time.Now().Add(time.Second)); err != nil {
		t.Fatal(err)
	}
	c.svc.RetryEvery = 200 * time.Millisecond
	sctx, cancel := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- c.svc.Schedule(sctx) }()
	waitFor(t, "the retry to be sent", 15*time.Second, func() bool { return e.mp.Count(t) >= 3 })
	cancel()
	if err := <-done; err != nil {
		t.Errorf("daemon: %v", err)
	}
	checkIssues(t, e, addrs, 1)
	if qs, _ := c.svc.Store.QueueStats(ctx, st.Number); qs.Sent != 3 {
		t.Errorf("queue: %+v, want 3 sent", qs)
	}
}

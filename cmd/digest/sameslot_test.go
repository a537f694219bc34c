package main

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

// TestSecondSendInTheSameSlotBuildsNoIssue: an hour after the scheduled
// slot, send builds that slot's issue; a second send, even with a new
// article waiting, builds no other issue and says when the next one comes.
// Off schedule, a send builds an issue of its own, and a second one with
// nothing new builds nothing.
func TestSecondSendInTheSameSlotBuildsNoIssue(t *testing.T) {
	d := time.Now().UTC().Add(-time.Hour)
	e := newEnv(t, envOpts{Mailpit: true, Schedule: fmt.Sprintf("%d %d %d %d *", d.Minute(), d.Hour(), d.Day(), int(d.Month()))})
	e.mustRun(t, "subscribers", "add", "ann@example.org")
	if out := e.mustRun(t, "send"); !strings.Contains(out, "issue #1 ") || !strings.Contains(out, "1 sent") {
		t.Fatalf("first send: %s", out)
	}
	e.addSeed(t, "090_late.md", "---\ntitle: Arrived after the send\n---\n\nThis waits for the next slot. It has two sentences.\n")
	out := e.mustRun(t, "send")
	if !strings.Contains(out, "issue #1 ") || !strings.Contains(out, "so no new issue") || !strings.Contains(out, "next slot") {
		t.Errorf("second send in the slot: %s", out)
	}
	if out := e.mustRun(t, "send", "--dry-run"); !strings.Contains(out, "issue #1 for this slot exists") {
		t.Errorf("dry run after the slot's issue: %s", out)
	}
	if n := e.mp.Count(t); n != 1 {
		t.Errorf("Mailpit holds %d messages, want 1", n)
	}
	if st := e.mustRun(t, "status"); strings.Contains(st, "#2") {
		t.Errorf("a second issue was built in the slot:\n%s", st)
	}

	off := newEnv(t, envOpts{Mailpit: true, Schedule: offSchedule()})
	off.mustRun(t, "subscribers", "add", "ann@example.org")
	if out := off.mustRun(t, "send"); !strings.Contains(out, "issue #1 ") {
		t.Fatalf("off-schedule send: %s", out)
	}
	if out := off.mustRun(t, "send"); !strings.Contains(out, "no articles") {
		t.Errorf("second off-schedule send with nothing new: %s", out)
	}
	if n := off.mp.Count(t); n != 1 {
		t.Errorf("off schedule: Mailpit holds %d messages, want 1", n)
	}
}

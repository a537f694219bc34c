package main

import (
	"strings"
	"testing"
)

// send --dry-run says what the real send then does (service.PlanSend):
// build and send a new issue, or resume the one a crash left unsent.
func TestDryRunSaysWhatTheSendDoes(t *testing.T) {
	e := newEnv(t, envOpts{Mailpit: true, Schedule: offSchedule()})
	addReaders(t, e, 3)
	if out := e.mustRun(t, "send", "--dry-run"); !strings.Contains(out, "dry run: issue #1 ") || !strings.Contains(out, "would go to 3 confirmed subscribers") {
		t.Errorf("dry run on a fresh list: %s", out)
	}
	buildAndCrash(t, e)
	if n := e.mp.Count(t); n != 0 {
		t.Fatalf("the dry run or the build sent %d messages", n)
	}
	// The process died before sending anything.
	if out := e.mustRun(t, "send", "--dry-run"); !strings.Contains(out, "would resume unfinished issue #1 (3 pending, 0 claimed") || !strings.Contains(out, "build nothing new") {
		t.Errorf("dry run after a crash: %s", out)
	}
	if out := e.mustRun(t, "send"); !strings.Contains(out, "resumed unfinished issue #1: 3 sent") {
		t.Errorf("send after the dry run: %s", out)
	}
	if out := e.mustRun(t, "send", "--dry-run"); !strings.Contains(out, "dry run: issue #2 ") {
		t.Errorf("dry run after the resume: %s", out)
	}
	if n := e.mp.Count(t); n != 3 {
		t.Errorf("Mailpit holds %d messages, want 3 (dry runs send nothing)", n)
	}
}

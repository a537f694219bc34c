package main

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/weeklywrap/digest/digest"
	"github.com/weeklywrap/digest/internal/mailpittest"
)

// chaosEnv is a test env whose relay is a Mailpit with chaos enabled.
func chaosEnv(t *testing.T) *testEnv {
	t.Helper()
	e := newEnv(t, envOpts{})
	e.mp = mailpittest.Start(t, "--enable-chaos")
	text, _ := os.ReadFile(e.config)
	cfg := strings.Replace(string(text), "port: 1\n", fmt.Sprintf("port: %d\n", e.mp.SMTPPort), 1)
	if err := os.WriteFile(e.config, []byte(cfg), 0o644); err != nil {
		t.Fatal(err)
	}
	return e
}

// Mailpit answers 451 to every MAIL FROM for 8 successive `digest send`
// runs, then accepts: every subscriber gets the issue once, and no
// delivery is marked failed (8 refusals are the default mail attempts:
// counted against the recipients, they would have failed everyone).
func TestSendThroughAThrottlingRelay(t *testing.T) {
	if testing.Short() {
		t.Skip("slow: nine runs of the CLI as processes")
	}
	t.Parallel()
	e := chaosEnv(t)
	e.smallIssue(t)
	addrs := addReaders(t, e, 25)
	ctx := context.Background()
	bin := cliBinary(t)
	st := openStoreOf(t, e)
	e.mp.SetChaos(t, "Sender", 451, 100)
	start := time.Now()
	rss := 0.0
	for run := 1; run <= 8; run++ {
		c := startChild(t, bin, e.config, "send")
		err := c.wait(t, 120*time.Second)
		rss = max(rss, c.rssMB())
		if err == nil || !strings.Contains(c.out.String(), "451") || !strings.Contains(c.out.String(), "not the recipients") {
			t.Fatalf("run %d: exit %v; want a failure explaining the relay's refusal:\n%s", run, err, c.out)
		}
		qs, _ := st.QueueStats(ctx, 1)
		if qs.Failed != 0 || qs.Pending != len(addrs) {
			t.Fatalf("run %d: queue %+v; want all %d pending, none failed", run, qs, len(addrs))
		}
	}
	e.mp.SetChaos(t, "Sender", 451, 0)
	last := startChild(t, bin, e.config, "send")
	if err := last.wait(t, 120*time.Second); err != nil {
		t.Fatalf("the run after the throttle: %v\n%s", err, last.out)
	}
	took := time.Since(start)
	rss = max(rss, last.rssMB())
	if out := last.out.String(); !strings.Contains(out, fmt.Sprintf("resumed unfinished issue #1: %d sent, 0 failed", len(addrs))) {
		t.Errorf("the run after the throttle: %s", out)
	}
	checkIssues(t, e, addrs, 1)
	qs, _ := st.QueueStats(ctx, 1)
	if qs != (digest.QueueStats{Sent: len(addrs)}) {
		t.Errorf("queue = %+v", qs)
	}
	if n, _ := st.NextIssueNumber(ctx); n != 2 {
		t.Errorf("next issue number %d: a refused run built another issue", n)
	}
	reached := len(subjectsByAddress(t, e))
	t.Logf("9 runs in %.1f s: reached %d of %d, lost %d, duplicated %d, failed %d; peak RSS %.0f MB",
		took.Seconds(), reached, len(addrs), len(addrs)-reached, e.mp.Count(t)-reached, qs.Failed, rss)
}

// With a second relay configured, the issue goes out through it at once,
// in the same run, while the first answers 451 to every MAIL FROM.
func TestSendFailsOverFromAThrottlingRelay(t *testing.T) {
	e := chaosEnv(t)
	e.smallIssue(t)
	backup := mailpittest.Start(t)
	text, _ := os.ReadFile(e.config)
	cfg := strings.Replace(string(text), "mail:\n", fmt.Sprintf("  - host: 127.0.0.1\n    port: %d\n    tls: none\nmail:\n", backup.SMTPPort), 1)
	if err := os.WriteFile(e.config, []byte(cfg), 0o644); err != nil {
		t.Fatal(err)
	}
	addrs := addReaders(t, e, 25)
	e.mp.SetChaos(t, "Sender", 451, 100)
	start := time.Now()
	c := startChild(t, cliBinary(t), e.config, "send")
	if err := c.wait(t, 120*time.Second); err != nil {
		t.Fatalf("send: %v\n%s", err, c.out)
	}
	took := time.Since(start)
	if out := c.out.String(); !strings.Contains(out, fmt.Sprintf("%d sent, 0 failed", len(addrs))) {
		t.Errorf("send: %s", out)
	}
	if got := backup.WaitCount(t, len(addrs), 5*time.Second); got != len(addrs) {
		t.Errorf("the second relay got %d messages, want %d", got, len(addrs))
	}
	if n := e.mp.Count(t); n != 0 {
		t.Errorf("the throttling relay holds %d messages", n)
	}
	per := map[string]int{}
	for _, m := range backup.Messages(t) {
		per[m.To[0].Address]++
	}
	for _, a := range addrs {
		if per[a] != 1 {
			t.Errorf("%s got %d copies", a, per[a])
		}
	}
	t.Logf("one run through the second relay in %.1f s (the issue built included): reached %d of %d, lost %d, duplicated %d; peak RSS %.0f MB",
		took.Seconds(), len(per), len(addrs), len(addrs)-len(per), backup.Count(t)-len(per), c.rssMB())
}

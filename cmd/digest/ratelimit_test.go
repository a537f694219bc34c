package main

import (
	"slices"
	"strings"
	"testing"
	"time"
)

// Two instances on one store, each with mail.per_second: 10, send one
// issue to 100 readers: together they stay within 10 messages in any
// second, measured on the times Mailpit received them. Per process, as
// before the shared budget, they sent 20 a second. One connection each,
// so that each claims a small batch (16 with one connection) and both
// have work to the end.
func TestTwoInstancesShareTheRateLimit(t *testing.T) {
	if testing.Short() {
		t.Skip("slow: 100 messages at 10 a second, on each store")
	}
	// One after the other, not in parallel: each is timing-sensitive, and
	// two at once would load the machine for each other.
	t.Run("postgres", func(t *testing.T) { testSharedRateLimit(t, true) })
	t.Run("sqlite", func(t *testing.T) { testSharedRateLimit(t, false) })
}

func testSharedRateLimit(t *testing.T, postgres bool) {
	const readers, perSecond = 100, 10
	e := newEnv(t, envOpts{Mailpit: true, PerSecond: perSecond})
	e.editConfig(t, func(c string) string { return strings.Replace(c, "connections: 2", "connections: 1", 1) })
	dsn := ""
	if postgres {
		dsn = e.usePostgres(t)
	}
	e.smallIssue(t)
	slot := time.Date(2026, 3, 23, 7, 0, 0, 0, time.UTC)
	a, b := startClocked(t, e, slot.Add(time.Second)), startClocked(t, e, slot.Add(time.Second))
	if postgres {
		insertReaders(t, dsn, readers)
	} else {
		addReaders(t, e, readers)
	}
	runs := runSlotOnBoth(t, slot, a, b)
	if runs[0].Stats.Sent == 0 || runs[1].Stats.Sent == 0 || runs[0].Stats.Sent+runs[1].Stats.Sent != readers {
		t.Fatalf("sent %d and %d; want both instances sending (else the test shows nothing shared), %d in all", runs[0].Stats.Sent, runs[1].Stats.Sent, readers)
	}
	if got := e.mp.WaitCount(t, readers, 30*time.Second); got != readers {
		t.Fatalf("Mailpit holds %d messages, want %d", got, readers)
	}
	var at []time.Time
	for _, m := range e.mp.Messages(t) {
		at = append(at, m.Created)
	}
	slices.SortFunc(at, time.Time.Compare)
	// The most messages received in any one second: the window starting at
	// each message.
	most, tightest := 0, time.Hour
	for i := range at {
		n := 0
		for j := i; j < len(at) && at[j].Sub(at[i]) < time.Second; j++ {
			n++
		}
		most = max(most, n)
		if i+perSecond < len(at) {
			tightest = min(tightest, at[i+perSecond].Sub(at[i]))
		}
	}
	span := at[len(at)-1].Sub(at[0])
	t.Logf("postgres %v: instance A sent %d, B %d; Mailpit received %d in %.2f s (%.2f msg/s); most in any second %d; tightest 11 in a row spanned %s",
		postgres, runs[0].Stats.Sent, runs[1].Stats.Sent, len(at), span.Seconds(), float64(len(at)-1)/span.Seconds(), most, tightest)
	if most > perSecond {
		t.Errorf("Mailpit received %d messages within one second; the limit for both instances together is %d", most, perSecond)
	}
	// Sharing must not starve them either: the pair sends near the limit.
	if rate := float64(len(at)-1) / span.Seconds(); rate < perSecond/2 {
		t.Errorf("together %.2f msg/s; want near %d", rate, perSecond)
	}
}

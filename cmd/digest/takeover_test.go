package main

import (
	"context"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/weeklywrap/digest/digest"
)

// `digest send` after a run died holding claims sends the pending
// deliveries, waits for the dead run's claims to run out and sends those
// too; claims a live run keeps renewing it leaves alone, and it does not
// wait a lease for them.
func TestSendTakesOverDeadClaimsButNotLiveOnes(t *testing.T) {
	for _, live := range []bool{false, true} {
		name := map[bool]string{false: "dead", true: "live"}[live]
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			e := newEnv(t, envOpts{Mailpit: true})
			// A dead run's claims are waited out, so they are short. A live
			// run's are long: a send that wrongly waited one out would take
			// 45 s, far beyond the bound below, while one that sees the
			// heartbeat leaves within a second or two.
			lease := 3 * time.Second
			if live {
				lease = 45 * time.Second
			}
			text, _ := os.ReadFile(e.config)
			if err := os.WriteFile(e.config, []byte(strings.Replace(string(text), "mail:\n", "mail:\n  claim_lease: "+lease.String()+"\n", 1)), 0o644); err != nil {
				t.Fatal(err)
			}
			e.smallIssue(t)
			addrs := addReaders(t, e, 12)
			c := startClocked(t, e, time.Now())
			c.svc.Now = time.Now
			if _, _, err := c.svc.BuildOnce(ctx, c.svc.Slots.AtOrBefore(time.Now())); err != nil {
				t.Fatal(err)
			}
			st := c.svc.Store
			held, err := st.ClaimDeliveries(ctx, "other-run", 1, 4, lease)
			if err != nil || len(held) != 4 {
				t.Fatalf("claim: %d, %v", len(held), err)
			}
			stop := make(chan struct{})
			defer close(stop)
			if live { // the other run's heartbeat
				go func() {
					for {
						select {
						case <-stop:
							return
						case <-time.After(time.Second):
							_, _ = st.RenewClaims(ctx, "other-run", lease)
						}
					}
				}()
			}
			start := time.Now()
			out := e.mustRun(t, "send")
			took := time.Since(start)
			qs, _ := st.QueueStats(ctx, 1)
			t.Logf("send took %s: %s; queue %+v", took.Round(time.Millisecond), strings.TrimSpace(out), qs)
			if live {
				if qs.Sent != len(addrs)-4 || qs.Sending != 4 {
					t.Errorf("queue = %+v; want the live run's 4 claims left to it", qs)
				}
				// Waiting out the live run's lease takes 45 s; 30 s tells that
				// from a slow, loaded machine.
				if took > 30*time.Second {
					t.Errorf("send waited %s for a live run's claims", took)
				}
				return
			}
			if qs != (digest.QueueStats{Sent: len(addrs)}) || !strings.Contains(out, "12 sent") {
				t.Errorf("queue = %+v, out %q; want all %d sent, the dead run's 4 included", qs, out, len(addrs))
			}
			checkIssues(t, e, addrs, 1)
		})
	}
}

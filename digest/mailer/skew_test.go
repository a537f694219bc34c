package mailer

import (
	"context"
	"sync/atomic"
	"testing"
	"time"
)

// skewedBudget is the real store seen through a database whose clock runs
// behind this machine's by skew, as a PostgreSQL server on another host
// may: every time it hands out is that much earlier.
type skewedBudget struct {
	Budget
	skew  time.Duration
	calls atomic.Int64
}

func (b *skewedBudget) TakeSendSlot(ctx context.Context, name string, iv time.Duration) (time.Time, bool, error) {
	b.calls.Add(1)
	at, ok, err := b.Budget.TakeSendSlot(ctx, name, iv)
	return at.Add(-b.skew), ok, err
}

func (b *skewedBudget) PushSendSlot(ctx context.Context, name string, notBefore time.Time) error {
	return b.Budget.PushSendSlot(ctx, name, notBefore.Add(b.skew))
}

// Two processes sharing the budget, with the database's clock 50 ms
// behind theirs, ask the store a few times per slot, not in a busy loop
// between slots.
func TestSharedPacerWithSkewedDatabaseClock(t *testing.T) {
	st := openStore(t)
	b := &skewedBudget{Budget: st, skew: 50 * time.Millisecond}
	const perSecond, msgs = 10, 10
	a, c := newPacer(perSecond, 0, b), newPacer(perSecond, 0, b)
	ctx := context.Background()
	done := make(chan error, 2)
	for _, p := range []*pacer{a, c} {
		go func() {
			for range msgs / 2 {
				if _, err := p.wait(ctx); err != nil {
					done <- err
					return
				}
			}
			done <- nil
		}()
	}
	for range 2 {
		if err := <-done; err != nil {
			t.Fatal(err)
		}
	}
	per := float64(b.calls.Load()) / msgs
	t.Logf("%d store calls for %d slots (%.1f per slot)", b.calls.Load(), msgs, per)
	if per > 30 {
		t.Errorf("%.0f TakeSendSlot calls per slot: the pacer spins on the store while the database's clock is behind", per)
	}
}

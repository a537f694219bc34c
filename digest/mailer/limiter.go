package mailer

import (
	"context"
	"fmt"
	"time"

	"golang.org/x/time/rate"
)

// Budget is a sending budget shared by every process on one store
// (digest.Store implements it): TakeSendSlot takes the slot if it is free
// (returning 0) and makes the next one free interval later, across
// processes; otherwise it says how long until the slot frees.
type Budget interface {
	TakeSendSlot(ctx context.Context, name string, interval time.Duration) (wait time.Duration, err error)
}

// budgetName is the store row of the list's sending budget.
const budgetName = "mail"

// pacer spaces sends evenly so that neither PerSecond nor PerHour is ever
// exceeded. Even spacing is stricter than a sliding window but never
// bursts, which is what relays with hourly quotas tolerate best. With a
// shared Budget the spacing holds across every process on the store; the
// in-process limiter then only keeps this process from asking the store
// for more slots than the budget could ever give it.
type pacer struct {
	interval time.Duration
	local    *rate.Limiter // nil without a limit
	shared   Budget        // nil: this process alone
}

func newPacer(perSecond float64, perHour int, shared Budget) *pacer {
	var iv time.Duration
	if perSecond > 0 {
		iv = time.Duration(float64(time.Second) / perSecond)
	}
	if perHour > 0 {
		if h := time.Hour / time.Duration(perHour); h > iv {
			iv = h
		}
	}
	// Slots are spaced 2% wider than the limit: the relay counts messages
	// as they arrive, and a few ms of jitter between two connections would
	// otherwise put an 11th message into some second of a limit of 10.
	iv += iv / 50
	p := &pacer{interval: iv}
	if iv > 0 {
		// Burst 1: a token every interval and never two at once.
		p.local = rate.NewLimiter(rate.Every(iv), 1)
		p.shared = shared
	}
	return p
}

// wait blocks until the caller may send, or ctx ends.
func (p *pacer) wait(ctx context.Context) error {
	if p.local == nil {
		return ctx.Err()
	}
	if err := p.local.Wait(ctx); err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		return fmt.Errorf("mailer: rate limit: %w", err)
	}
	if p.shared == nil {
		return nil
	}
	for {
		d, err := p.shared.TakeSendSlot(ctx, budgetName, p.interval)
		if err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			return fmt.Errorf("mailer: shared rate limit: %w", err)
		}
		if d <= 0 {
			return nil
		}
		t := time.NewTimer(d)
		select {
		case <-t.C:
		case <-ctx.Done():
			t.Stop()
			return ctx.Err()
		}
	}
}

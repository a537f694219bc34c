package mailer

import (
	"context"
	"fmt"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// Budget is a sending budget shared by every process on one store
// (digest.Store implements it): TakeSendSlot takes the next slot if it
// starts now or within a few ms, and returns its start; otherwise it says
// when to ask again. Slots are interval apart, across processes.
//
// PushSendSlot moves the next free slot to no sooner than notBefore: a
// message whose SMTP transaction ended later than its slot (a slow relay,
// a stalled process) pushes the next one back, so that messages arrive at
// the relay no closer than the interval even when sending them took long.
type Budget interface {
	TakeSendSlot(ctx context.Context, name string, interval time.Duration) (at time.Time, taken bool, err error)
	PushSendSlot(ctx context.Context, name string, notBefore time.Time) error
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

	// slack is how late a message may arrive before it pushes the next
	// slot back: a tenth of what the 5% wider spacing leaves free in the
	// limit's window (a second, or an hour with per_hour alone), so that
	// several late ones within a window still fit in it.
	slack time.Duration

	mu      sync.Mutex
	fastest time.Duration // the quickest slot-to-acceptance seen; 0 before the first
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
	// Slots are spaced 5% wider than the limit: the relay counts messages
	// as they arrive, and the tens of ms by which the network, the relay
	// or a busy machine delay one message more than another would
	// otherwise put an 11th message into some second of a limit of 10
	// (2% was measured not to be enough on a loaded machine). Longer
	// delays are handled by sent: a late acceptance pushes the next slot.
	iv += iv / 20
	window := time.Second
	if perSecond <= 0 {
		window = time.Hour
	}
	p := &pacer{interval: iv, slack: window / 200}
	if iv > 0 {
		// Burst 1: a token every interval and never two at once.
		p.local = rate.NewLimiter(rate.Every(iv), 1)
		p.shared = shared
	}
	return p
}

// wait blocks until the caller may send, or ctx ends, and returns when
// the slot was taken (for sent).
func (p *pacer) wait(ctx context.Context) (time.Time, error) {
	if p.local == nil {
		return time.Time{}, ctx.Err()
	}
	if err := p.local.Wait(ctx); err != nil {
		if ctx.Err() != nil {
			return time.Time{}, ctx.Err()
		}
		return time.Time{}, fmt.Errorf("mailer: rate limit: %w", err)
	}
	if p.shared == nil {
		return time.Now(), nil
	}
	for {
		at, taken, err := p.shared.TakeSendSlot(ctx, budgetName, p.interval)
		if err != nil {
			if ctx.Err() != nil {
				return time.Time{}, ctx.Err()
			}
			return time.Time{}, fmt.Errorf("mailer: shared rate limit: %w", err)
		}
		d := time.Until(at)
		if !taken && d <= 0 {
			// at is the database's time: on a server whose clock is
			// behind this machine's, a slot still taken looks past due
			// here, and asking again at once would spin on the store
			// until it frees (hundreds of queries per slot for 50 ms of
			// skew). Asking again no sooner than a sixteenth of the
			// interval bounds that; with clocks that agree, a slot still
			// taken is never past due, so this costs them nothing.
			d = max(p.interval/16, time.Millisecond)
		}
		if d > 0 {
			t := time.NewTimer(d)
			select {
			case <-t.C:
			case <-ctx.Done():
				t.Stop()
				return time.Time{}, ctx.Err()
			}
		}
		if taken {
			return at, nil
		}
	}
}

// sent reports that the message whose slot was taken at slot has been
// accepted now. A message that took much longer than the quickest one
// seen (a stalled process, a slow relay) arrived late, close to the next
// one: it pushes the next slot back by the difference, so that arrivals
// at the relay stay within the limit. Messages about as quick as usual
// push nothing (the 5% wider spacing absorbs their jitter), so sending
// never waits on the relay's latency nor writes to the store twice per
// message. A failed push only loses that correction.
func (p *pacer) sent(ctx context.Context, slot time.Time) {
	if p.shared == nil || slot.IsZero() {
		return
	}
	now := time.Now()
	took := now.Sub(slot)
	p.mu.Lock()
	if p.fastest == 0 || took < p.fastest {
		p.fastest = took
	}
	late := took - p.fastest
	p.mu.Unlock()
	if late <= p.slack {
		return // the wider spacing absorbs it
	}
	_ = p.shared.PushSendSlot(ctx, budgetName, slot.Add(p.interval+late))
}

package mailer

import (
	"context"
	"sync"
	"time"
)

// pacer spaces sends evenly so that neither PerSecond nor PerHour is ever
// exceeded. Even spacing is stricter than a sliding window but never
// bursts, which is what relays with hourly quotas tolerate best.
type pacer struct {
	interval time.Duration
	mu       sync.Mutex
	next     time.Time
}

func newPacer(perSecond float64, perHour int) *pacer {
	var iv time.Duration
	if perSecond > 0 {
		iv = time.Duration(float64(time.Second) / perSecond)
	}
	if perHour > 0 {
		if h := time.Hour / time.Duration(perHour); h > iv {
			iv = h
		}
	}
	return &pacer{interval: iv}
}

// wait blocks until the caller may send, or ctx ends.
func (p *pacer) wait(ctx context.Context) error {
	if p.interval <= 0 {
		return ctx.Err()
	}
	p.mu.Lock()
	now := time.Now()
	at := p.next
	if at.Before(now) {
		at = now
	}
	p.next = at.Add(p.interval)
	p.mu.Unlock()
	d := time.Until(at)
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

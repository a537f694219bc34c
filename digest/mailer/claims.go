package mailer

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"sync"
	"time"
)

// claims is what one sending run holds in the store, kept alive by a
// heartbeat: every lease/3 the run renews all its claims at once, so the
// lease can be short (seconds) and a dead run's work is taken over soon,
// while a live run never loses a claim to a slow relay or a long batch.
//
// A claim is ours to send while it was renewed less than a lease ago and
// the store still lists it under our owner token; a claim that expired
// while the run stalled and was taken over by another run is lost, and
// the run must not send it.
type claims struct {
	owner string
	lease time.Duration
	renew func(ctx context.Context, owner string, lease time.Duration) ([]int64, error)

	mu    sync.Mutex
	held  map[int64]bool
	lost  map[int64]bool
	since time.Time // every held claim was made or renewed at or after this
	err   error     // the last renewal's failure, nil after a success

	stop chan struct{}
	done chan struct{}
}

// newOwner returns a random token naming one run's claims.
func newOwner() string {
	var b [12]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails
	return hex.EncodeToString(b[:])
}

func newClaims(lease time.Duration, renew func(context.Context, string, time.Duration) ([]int64, error)) *claims {
	return &claims{owner: newOwner(), lease: lease, renew: renew,
		held: map[int64]bool{}, lost: map[int64]bool{}, stop: make(chan struct{}), done: make(chan struct{})}
}

// start runs the heartbeat until close; ctx is for the store calls and
// should outlive the caller's cancellation, so claims stay held while the
// messages in flight finish.
func (c *claims) start(ctx context.Context) {
	go func() {
		defer close(c.done)
		t := time.NewTicker(max(c.lease/3, time.Millisecond))
		defer t.Stop()
		for {
			select {
			case <-c.stop:
				return
			case <-t.C:
				c.beat(ctx)
			}
		}
	}()
}

func (c *claims) close() {
	close(c.stop)
	<-c.done
}

func (c *claims) beat(ctx context.Context) {
	c.mu.Lock()
	if len(c.held) == 0 {
		c.mu.Unlock()
		return
	}
	before := make([]int64, 0, len(c.held))
	for id := range c.held {
		before = append(before, id)
	}
	c.mu.Unlock()
	at := time.Now()
	ids, err := c.renew(ctx, c.owner, c.lease)
	c.mu.Lock()
	defer c.mu.Unlock()
	if err != nil {
		c.err = err
		return
	}
	c.since, c.err = at, nil
	kept := make(map[int64]bool, len(ids))
	for _, id := range ids {
		kept[id] = true
	}
	for _, id := range before {
		if c.held[id] && !kept[id] {
			c.lost[id] = true
		}
	}
}

// add records claims made at at.
func (c *claims) add(at time.Time, ids ...int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.held) == 0 {
		c.since = at
	}
	for _, id := range ids {
		c.held[id] = true
	}
}

// finish forgets a claim whose outcome is recorded.
func (c *claims) finish(id int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	delete(c.held, id)
	delete(c.lost, id)
}

// check says whether claim id may still be acted on: ok, or lost (taken
// over by another run: leave it alone), or expired (not renewed for a
// lease: the run must stop, since it cannot know who holds what).
func (c *claims) check(id int64) (lost bool, expired error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.lost[id] {
		return true, nil
	}
	// A margin for the store's clock and the time the send itself takes
	// to begin.
	if time.Since(c.since) > c.lease-c.lease/10 {
		if c.err != nil {
			return false, c.err
		}
		return false, errExpired
	}
	return false, nil
}

var errExpired = errors.New("mailer: claims were not renewed within the lease")

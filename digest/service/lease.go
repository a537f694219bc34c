package service

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"time"

	"github.com/weeklywrap/digest/digest/mailer"
)

// errLeaseLost ends work whose lease another process took over.
var errLeaseLost = errors.New("lease lost: another process took it over after this one stalled")

// leaseTTL is how long a lease or claim lives without renewal: the
// configured mail.claim_lease.
func (s *Service) leaseTTL() time.Duration {
	if s.Mail.Lease > 0 {
		return s.Mail.Lease
	}
	return mailer.DefaultLease
}

// withLease runs fn while this process holds the named lease in the store,
// first waiting as long as another process holds it (waited tells fn so).
// A heartbeat renews the lease every TTL/3 while fn runs, so a live holder
// keeps it however long fn takes, and a dead one loses it within a TTL.
// fn's context ends if the lease is lost.
func (s *Service) withLease(ctx context.Context, name string, fn func(ctx context.Context, waited bool) error) error {
	ttl := s.leaseTTL()
	var b [12]byte
	_, _ = rand.Read(b[:])
	owner := hex.EncodeToString(b[:])
	waited := false
	for {
		ok, err := s.Store.AcquireLease(ctx, name, owner, ttl)
		if err != nil {
			return fmt.Errorf("lease %s: %w", name, err)
		}
		if ok {
			break
		}
		if !waited {
			s.Log.Info("another run holds the lease; waiting for it", "lease", name)
			waited = true
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(min(ttl/4, 500*time.Millisecond)):
		}
	}
	lctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	stop, done := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(done)
		t := time.NewTicker(ttl / 3)
		defer t.Stop()
		renewed := time.Now()
		for {
			select {
			case <-stop:
				return
			case <-t.C:
			}
			at := time.Now()
			ok, err := s.Store.AcquireLease(context.WithoutCancel(ctx), name, owner, ttl)
			switch {
			case err == nil && ok:
				renewed = at
			case err == nil:
				cancel(errLeaseLost)
				return
			case time.Since(renewed) > ttl-ttl/10:
				cancel(fmt.Errorf("lease %s not renewed for %s: %w", name, time.Since(renewed).Round(time.Millisecond), err))
				return
			}
		}
	}()
	err := fn(lctx, waited)
	close(stop)
	<-done
	if rerr := s.Store.ReleaseLease(context.WithoutCancel(ctx), name, owner); rerr != nil {
		s.Log.Warn("release lease", "lease", name, "error", rerr)
	}
	if cause := context.Cause(lctx); err != nil && cause != nil && ctx.Err() == nil {
		return fmt.Errorf("%w (%w)", err, cause)
	}
	return err
}

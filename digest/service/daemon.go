package service

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/robfig/cron/v3"

	"github.com/weeklywrap/digest/digest"
)

// CatchUpLimit is how late a missed slot may still be sent with catch_up: send_late.
const CatchUpLimit = 24 * time.Hour

// Missed is the decision about a slot the daemon was down for.
type Missed struct {
	Slot time.Time     // the latest slot at or before now; zero if none
	Late time.Duration // how long ago it was
	Send bool          // send it now (late); otherwise it is skipped
	Why  string        // for the log
}

// DecideMissed says what to do at start about the latest slot at or before
// now. built reports whether a slot has an issue; any reports whether any
// issue exists at all. A slot with an issue is never rebuilt (its unsent
// deliveries are resumed elsewhere). A fresh install does not catch up: its
// first issue is the next slot's. Otherwise catch_up: send_late sends a
// slot at most CatchUpLimit late, and anything older or catch_up: skip
// skips it.
func (s *Slots) DecideMissed(policy string, now time.Time, built func(time.Time) bool, any bool) Missed {
	m := Missed{Slot: s.AtOrBefore(now)}
	switch {
	case m.Slot.IsZero():
		m.Why = "no slot yet"
		return m
	case built(m.Slot):
		m.Why = "slot already built"
		return m
	case !any:
		m.Why = "first run: the first issue is the next slot's"
		return m
	}
	m.Late = now.Sub(m.Slot)
	switch {
	case policy == "skip":
		m.Why = "catch_up: skip"
	case m.Late > CatchUpLimit:
		m.Why = fmt.Sprintf("more than %s late", CatchUpLimit)
	default:
		m.Send, m.Why = true, "catch_up: send_late"
	}
	return m
}

// RetryEvery is how often the daemon looks for deliveries due again (a
// retry after a 4xx, or a claim of a dead instance that ran out) when
// Service.RetryEvery is zero.
const RetryEvery = time.Minute

// Schedule runs the cron schedule until ctx ends: at each slot it builds
// that slot's issue once and sends it. At start it first finishes issues an
// earlier run left unsent, then applies the catch-up policy to a slot missed
// while the daemon was down (again if a slot passed meanwhile). Between
// slots it sends deliveries that became due again. When ctx ends it stops
// starting work and waits for the running work to finish its in-flight
// messages.
func (s *Service) Schedule(ctx context.Context) error {
	for range 3 {
		started := s.Now()
		if _, _, err := s.ResumeUnfinished(ctx); err != nil && ctx.Err() == nil {
			s.Log.Error("resume unfinished issues", "error", err)
		}
		if err := s.CatchUp(ctx); err != nil && ctx.Err() == nil {
			s.Log.Error("catch-up slot failed", "error", err)
		}
		if ctx.Err() != nil || s.Slots.Next(started).After(s.Now()) {
			break // no slot passed while resuming
		}
	}

	logger := cronLogger{s.Log}
	c := cron.New(
		cron.WithLocation(s.Cfg.Location),
		cron.WithChain(cron.Recover(logger), cron.SkipIfStillRunning(logger)),
	)
	// Our Slots, not robfig's parse, decide the ticks: they hold the DST rules.
	c.Schedule(s.Slots, cron.FuncJob(func() {
		if ctx.Err() != nil {
			return
		}
		s.busy.Lock()
		defer s.busy.Unlock()
		slot := s.Slots.Fired(s.Now())
		s.Log.Info("slot", "slot", slot.In(s.Cfg.Location).Format(time.RFC3339))
		if _, err := s.RunSlot(ctx, slot); err != nil && ctx.Err() == nil {
			s.Log.Error("slot failed; it is retried at the next start or slot", "slot", slot.Format(time.RFC3339), "error", err)
		}
	}))
	c.Start()
	s.Log.Info("scheduler started", "schedule", s.Cfg.Schedule, "timezone", s.Cfg.Location.String(),
		"next", s.Slots.Next(s.Now()).In(s.Cfg.Location).Format(time.RFC3339))
	every := s.RetryEvery
	if every <= 0 {
		every = RetryEvery
	}
	tick := time.NewTicker(every)
	defer tick.Stop()
	s.reviewDue(ctx)
	for ctx.Err() == nil {
		select {
		case <-ctx.Done():
		case <-tick.C:
			s.retryDue(ctx)
			s.reviewDue(ctx)
		case <-s.wakeChan():
			s.reviewDue(ctx)
		}
	}
	<-c.Stop().Done()
	s.Log.Info("scheduler stopped")
	return nil
}

// retryDue sends what became due again, unless a slot is being sent (that
// run picks it up itself).
func (s *Service) retryDue(ctx context.Context) {
	if !s.busy.TryLock() {
		return
	}
	defer s.busy.Unlock()
	if _, _, err := s.ResumeUnfinished(ctx); err != nil && ctx.Err() == nil {
		s.Log.Error("retry due deliveries", "error", err)
	}
}

// reviewDue runs the review pass (see ReviewPass) unless a slot is being
// sent; the next tick does it then.
func (s *Service) reviewDue(ctx context.Context) {
	if !s.Cfg.Review.On() || !s.busy.TryLock() {
		return
	}
	defer s.busy.Unlock()
	if err := s.ReviewPass(ctx); err != nil && ctx.Err() == nil {
		s.Log.Error("review", "error", err)
	}
}

// CatchUp applies the catch-up policy (see DecideMissed) at start.
func (s *Service) CatchUp(ctx context.Context) error {
	now := s.Now()
	var lookupErr error
	built := func(slot time.Time) bool {
		_, err := s.Store.IssueBySlot(ctx, slot.UTC().Truncate(time.Second))
		if err != nil && !errors.Is(err, digest.ErrNotFound) {
			lookupErr = err
			return true // unknown: never build on a guess
		}
		return err == nil
	}
	_, err := s.Store.LatestIssue(ctx)
	if err != nil && !errors.Is(err, digest.ErrNotFound) {
		return fmt.Errorf("catch-up: %w", err)
	}
	m := s.Slots.DecideMissed(s.Cfg.CatchUp, now, built, err == nil)
	if lookupErr != nil {
		return fmt.Errorf("catch-up: %w", lookupErr)
	}
	if m.Slot.IsZero() || m.Late == 0 && !m.Send {
		return nil // nothing was missed
	}
	if !m.Send {
		s.Log.Warn("missed slot skipped", "slot", m.Slot.Format(time.RFC3339), "late", m.Late.Round(time.Minute), "why", m.Why)
		return nil
	}
	s.Log.Info("sending a missed slot late", "slot", m.Slot.Format(time.RFC3339), "late", m.Late.Round(time.Minute))
	_, err = s.RunSlot(ctx, m.Slot)
	return err
}

// SendSlot is the slot `digest send` builds at now. Within CatchUpLimit
// after a scheduled slot that has no issue yet, it is that slot: a manual
// send then stands for the scheduled issue, so the daemon (catching up or
// ticking) finds it built instead of building a second issue from the
// same week. Otherwise it is an ad-hoc slot at now, or just after the
// latest issue's slot when sends follow each other within a second.
func (s *Service) SendSlot(ctx context.Context, now time.Time) (time.Time, error) {
	if sched := s.Slots.AtOrBefore(now); !sched.IsZero() && now.Sub(sched) <= CatchUpLimit {
		_, err := s.Store.IssueBySlot(ctx, sched.UTC().Truncate(time.Second))
		if errors.Is(err, digest.ErrNotFound) {
			return sched.UTC().Truncate(time.Second), nil
		}
		if err != nil {
			return time.Time{}, fmt.Errorf("issue for %s: %w", sched.Format(time.RFC3339), err)
		}
	}
	slot := now.UTC().Truncate(time.Second)
	last, err := s.Store.LatestIssue(ctx)
	switch {
	case err == nil && !last.Slot.Before(slot):
		slot = last.Slot.Add(time.Second)
	case err != nil && !errors.Is(err, digest.ErrNotFound):
		return time.Time{}, fmt.Errorf("latest issue: %w", err)
	}
	return slot, nil
}

// cronLogger adapts slog to cron's logger.
type cronLogger struct{ l *slog.Logger }

func (c cronLogger) Info(msg string, kv ...any) { c.l.Debug("cron: "+msg, kv...) }
func (c cronLogger) Error(err error, msg string, kv ...any) {
	c.l.Error("cron: "+msg, append(kv, "error", err)...)
}

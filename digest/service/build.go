package service

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/weeklywrap/digest/digest"
	"github.com/weeklywrap/digest/digest/render"
)

// buildLease is the store lease held while an issue is built and stored:
// one run at a time, across every process sharing the store, decides
// which slot to build and builds it.
const buildLease = "build"

// EnsureIssue returns the stored issue for slot, building and storing it
// first if no issue exists for it. The slot is the idempotency key: two
// callers racing for one slot end with the same issue. With no articles and
// send_empty off it returns digest.ErrNoContent and stores nothing.
func (s *Service) EnsureIssue(ctx context.Context, slot time.Time) (digest.StoredIssue, error) {
	if s.Cfg.Review.On() {
		st, _, err := s.reviewedSlot(ctx, slot)
		return st, err
	}
	st, _, err := s.BuildOnce(ctx, slot)
	return st, err
}

// BuildOnce is EnsureIssue that also says whether this call created the
// issue. Of any number of callers for one slot, in one process or many
// sharing a store, exactly one gets created=true: building happens under
// the store's build lease, so only one caller gathers and builds while the
// others wait for it and then find its issue.
func (s *Service) BuildOnce(ctx context.Context, slot time.Time) (digest.StoredIssue, bool, error) {
	slot = slot.UTC().Truncate(time.Second)
	var (
		out     digest.StoredIssue
		created bool
	)
	err := s.withLease(ctx, buildLease, func(ctx context.Context, _ bool) error {
		var err error
		out, created, err = s.buildLocked(ctx, slot)
		return err
	})
	return out, created, err
}

// SendIssue builds and stores the issue `digest send` stands for now (see
// SendSlot) and returns it. The slot is decided under the build lease, so
// two overlapping sends never store two issues: the second waits for the
// first's build and, finding the issue it stored meanwhile, returns that
// one with created=false (and then helps send it) instead of building
// another from the same week.
func (s *Service) SendIssue(ctx context.Context) (digest.StoredIssue, bool, error) {
	if s.Cfg.Review.On() {
		return s.sendReviewed(ctx)
	}
	before := 0
	switch last, err := s.Store.LatestIssue(ctx); {
	case err == nil:
		before = last.Number
	case !errors.Is(err, digest.ErrNotFound):
		return digest.StoredIssue{}, false, fmt.Errorf("latest issue: %w", err)
	}
	var (
		out     digest.StoredIssue
		created bool
	)
	err := s.withLease(ctx, buildLease, func(ctx context.Context, waited bool) error {
		if waited {
			last, err := s.Store.LatestIssue(ctx)
			if err == nil && last.Number > before {
				s.Log.Info("another run stored an issue while this one waited; sending that one", "issue", last.Number)
				out = last
				return nil
			}
			if err != nil && !errors.Is(err, digest.ErrNotFound) {
				return fmt.Errorf("latest issue: %w", err)
			}
		}
		// The slot has its issue already (the scheduled slot's: a second
		// send in the same slot sends that one, never a second issue for
		// the week).
		plan, err := s.planIssue(ctx, s.Now())
		if err != nil || plan.Exists {
			out = plan.Issue
			return err
		}
		out, created, err = s.buildLocked(ctx, plan.Slot)
		return err
	})
	return out, created, err
}

// SlotIssue returns the issue of the scheduled slot at or before now when
// that slot is at most CatchUpLimit ago and its issue exists: `digest
// send` then has no issue to build until the next slot.
func (s *Service) SlotIssue(ctx context.Context, now time.Time) (digest.StoredIssue, bool, error) {
	sched := s.Slots.AtOrBefore(now)
	if sched.IsZero() || now.Sub(sched) > CatchUpLimit {
		return digest.StoredIssue{}, false, nil
	}
	st, err := s.Store.IssueBySlot(ctx, sched.UTC().Truncate(time.Second))
	switch {
	case errors.Is(err, digest.ErrNotFound):
		return digest.StoredIssue{}, false, nil
	case err != nil:
		return digest.StoredIssue{}, false, fmt.Errorf("issue for %s: %w", sched.Format(time.RFC3339), err)
	}
	return st, true, nil
}

// buildLocked builds and stores slot's issue unless it exists; the caller
// holds the build lease.
func (s *Service) buildLocked(ctx context.Context, slot time.Time) (digest.StoredIssue, bool, error) {
	for try := 1; ; try++ {
		if st, err := s.Store.IssueBySlot(ctx, slot); err == nil {
			return st, false, nil
		} else if !errors.Is(err, digest.ErrNotFound) {
			return st, false, fmt.Errorf("issue for %s: %w", slot, err)
		}
		is, seen, err := s.Build(ctx, slot)
		if err != nil {
			return digest.StoredIssue{}, false, err
		}
		if is, seen, err = s.withLinks(ctx, is, seen, slot); err != nil {
			return digest.StoredIssue{}, false, err
		}
		if is.Empty() && !s.Cfg.SendEmpty {
			s.Log.Info("no articles in the window; no issue sent (send_empty: false)", "slot", slot.Format(time.RFC3339))
			return digest.StoredIssue{}, false, digest.ErrNoContent
		}
		p, err := s.Render.Prepare(&is)
		if err != nil {
			return digest.StoredIssue{}, false, fmt.Errorf("render issue %d: %w", is.Number, err)
		}
		// Checked before storing: a refused issue leaves no deliveries
		// behind, and a fixed template builds it afresh.
		if err := s.enforceChecks(p, is.Number); err != nil {
			return digest.StoredIssue{}, false, err
		}
		web := render.Personal{}
		stored, created, err := s.Store.CreateIssue(ctx, digest.StoredIssue{Issue: is, HTML: p.HTML(web), Text: p.Text(web)}, seen)
		if errors.Is(err, digest.ErrExists) && try < 3 {
			// Another issue was stored while this one was built (the lease
			// ran out under a stalled process): its number, and maybe its
			// stories, are taken. Build again from what is left.
			s.Log.Warn("issue number taken while building; building again", "built_as", is.Number, "error", err)
			continue
		}
		if err != nil {
			return stored, false, fmt.Errorf("store issue: %w", err)
		}
		if created {
			qs, _ := s.Store.QueueStats(ctx, stored.Number)
			s.Log.Info("issue stored", "issue", stored.Number, "subject", stored.Subject, "deliveries", qs.Pending)
		} else {
			s.Log.Info("issue for the slot was stored by another run; using it", "issue", stored.Number, "slot", slot.Format(time.RFC3339))
		}
		return stored, created, nil
	}
}

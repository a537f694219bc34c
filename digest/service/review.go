package service

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/weeklywrap/digest/digest"
	"github.com/weeklywrap/digest/digest/config"
)

// With review.mode veto or approve, a slot's issue starts as a draft built
// review.lead before the slot and stored under it. Editors change it on the
// desk (edits are kept apart, keyed by story, and applied over the curated
// issue, so the draft can be rebuilt when new articles arrive), and the
// mode decides when the edited draft becomes the issue: the stored draft,
// as the editors last previewed it, is what is sent, through the same
// CreateIssue as every issue, so a slot is still sent at most once.

// ErrNotSending is wrapped by the reasons a reviewed slot sends nothing now.
var ErrNotSending = errors.New("nothing sent now")

var (
	ErrHeld             = fmt.Errorf("the draft is held by an editor: %w", ErrNotSending)
	ErrAwaitingApproval = fmt.Errorf("the draft waits for an editor's approval (review.mode: approve): %w", ErrNotSending)
	ErrDraftSkipped     = fmt.Errorf("the draft was skipped: %w", ErrNotSending)
)

// Who the service records as the editor of its own decisions.
const serviceEditor = "digest"

// reviewState is the service's part of review: one draft build, refresh
// or send at a time in this process, and the daemon's wake-up call.
type reviewState struct {
	mu       sync.Mutex
	wakeOnce sync.Once
	wake     chan struct{}
}

func (s *Service) wakeChan() chan struct{} {
	s.review.wakeOnce.Do(func() { s.review.wake = make(chan struct{}, 1) })
	return s.review.wake
}

// Wake asks the daemon to look at the drafts now, rather than at its next
// tick: an editor approved, held or released one.
func (s *Service) Wake() {
	select {
	case s.wakeChan() <- struct{}{}:
	default:
	}
}

// Drafts returns the store's drafts, or an error if it keeps none.
func (s *Service) Drafts() (digest.DraftStore, error) {
	ds, ok := s.Store.(digest.DraftStore)
	if !ok {
		return nil, errors.New("review: the store keeps no drafts")
	}
	return ds, nil
}

// withDrafts runs fn holding this process's draft lock and the store's
// build lease, which every process sharing the store takes to build,
// rebuild or send a draft, and to build an issue: one at a time. It must
// not be nested.
func (s *Service) withDrafts(ctx context.Context, fn func(ctx context.Context, ds digest.DraftStore) error) error {
	ds, err := s.Drafts()
	if err != nil {
		return err
	}
	s.review.mu.Lock()
	defer s.review.mu.Unlock()
	return s.withLease(ctx, buildLease, func(ctx context.Context, _ bool) error { return fn(ctx, ds) })
}

// ReviewPass does what review needs at this moment; the daemon runs it at
// start, every tick and when woken. It sends the current draft if its
// slot has come and the mode says so, builds the next slot's draft at
// review.lead before it (mailing the editors), rebuilds it when new
// articles arrived (every review.refresh), and reminds the editors of a
// draft nobody approved.
func (s *Service) ReviewPass(ctx context.Context) error {
	if !s.Cfg.Review.On() {
		return nil
	}
	ds, err := s.Drafts()
	if err != nil {
		return err
	}
	var errs []error
	now := s.Now()
	if d, err := ds.CurrentDraft(ctx); err == nil && !d.Slot.After(now) && s.dueLate(ctx, d, now) {
		run, err := s.sendDecided(ctx, d.Slot)
		if err != nil && !errors.Is(err, ErrNotSending) && !errors.Is(err, digest.ErrNoContent) {
			errs = append(errs, err)
		} else if run.Issue != 0 && run.Created {
			s.Log.Info("reviewed issue sent", "issue", run.Issue, "sent", run.Stats.Sent, "failed", run.Stats.Failed)
		}
	} else if err != nil && !errors.Is(err, digest.ErrNotFound) {
		errs = append(errs, err)
	}
	next := s.Slots.Next(now)
	if !next.IsZero() && !now.Before(next.Add(-s.Lead(next))) {
		d, created, err := s.EnsureDraft(ctx, next)
		switch {
		case errors.Is(err, errSlotSent):
		case err != nil:
			errs = append(errs, fmt.Errorf("draft for %s: %w", next.Format(time.RFC3339), err))
		case !created:
			if err := s.refreshDraft(ctx, d); err != nil {
				errs = append(errs, err)
			}
			s.remind(ctx, d)
		}
	}
	return errors.Join(errs...)
}

// dueLate says whether the review pass decides now on a draft whose slot
// has passed (the slot's own run decided at the slot, if the daemon was
// up). An approval always counts: approve mode may wait for it. Otherwise
// the catch-up rules apply: within CatchUpLimit, and with catch_up: skip
// only when an editor released the draft after its slot.
func (s *Service) dueLate(ctx context.Context, d digest.Draft, now time.Time) bool {
	switch {
	case d.State == digest.DraftApproved:
		return true
	case d.State != digest.DraftOpen || now.Sub(d.Slot) > CatchUpLimit:
		return false
	case s.Cfg.CatchUp != "skip":
		return true
	}
	ds, err := s.Drafts()
	if err != nil {
		return false
	}
	edits, err := ds.Edits(ctx, d.Slot)
	if err != nil {
		return false
	}
	for _, e := range edits {
		if e.Kind == digest.EditRelease && !e.At.Before(d.Slot) {
			return true
		}
	}
	return false
}

// Lead is how long before slot its draft is built: review.lead, but at
// most half the time since the slot before, so that the previous draft
// (held, or waiting for an approval) has that long before the next one
// supersedes it.
func (s *Service) Lead(slot time.Time) time.Duration {
	return min(s.Cfg.Review.Lead, slot.Sub(s.Slots.Before(slot))/2)
}

// sendDecided runs reviewedSlot for slot and delivers what it stored.
func (s *Service) sendDecided(ctx context.Context, slot time.Time) (SlotRun, error) {
	st, created, err := s.reviewedSlot(ctx, slot)
	if err != nil {
		return SlotRun{}, err
	}
	stats, err := s.Deliver(ctx, st.Number)
	return SlotRun{Issue: st.Number, Created: created, Stats: stats}, err
}

// errSlotSent says the slot already has its issue.
var errSlotSent = errors.New("the slot's issue exists")

// EnsureDraft returns the draft for slot, building and storing it first
// if there is none; a new draft is mailed to the editors, and an older one
// still waiting (held, or for an approval) is skipped: the new one
// supersedes it and takes over its links. Of several processes, one
// builds (the build lease); the others find its draft.
func (s *Service) EnsureDraft(ctx context.Context, slot time.Time) (digest.Draft, bool, error) {
	slot = slot.UTC().Truncate(time.Second)
	ds, err := s.Drafts()
	if err != nil {
		return digest.Draft{}, false, err
	}
	if d, err := ds.Draft(ctx, slot); err == nil {
		return d, false, nil
	} else if !errors.Is(err, digest.ErrNotFound) {
		return d, false, err
	}
	if cur, err := ds.CurrentDraft(ctx); err == nil && cur.Slot.Before(slot) {
		s.supersede(ctx, cur.Slot, slot)
	}
	var (
		d       digest.Draft
		created bool
	)
	err = s.withDrafts(ctx, func(ctx context.Context, ds digest.DraftStore) error {
		if found, err := ds.Draft(ctx, slot); err == nil {
			d = found
			return nil
		}
		if _, err := s.Store.IssueBySlot(ctx, slot); err == nil {
			return errSlotSent
		}
		nd, err := s.newDraft(ctx, slot)
		if err != nil {
			return err
		}
		d, created, err = ds.CreateDraft(ctx, nd)
		return err
	})
	if err != nil || !created {
		return d, false, err
	}
	s.Log.Info("draft built for review", "slot", slot.In(s.Cfg.Location).Format(time.RFC3339), "mode", s.Cfg.Review.Mode,
		"articles", d.Issue.ArticleCount(), "editors", len(s.Cfg.Review.Editors))
	if s.Now().After(slot.Add(-time.Minute)) && s.Cfg.Review.Mode == config.ReviewVeto {
		s.Log.Warn("the draft was built at its slot, so editors had no time to hold it (was the daemon down at review.lead?)",
			"slot", slot.Format(time.RFC3339))
	}
	s.mailEditors(ctx, d, mailReview)
	return d, true, nil
}

// supersede skips an older draft that was never sent, now that the next
// slot's draft is being built; if its issue exists after all, it is marked
// sent instead.
func (s *Service) supersede(ctx context.Context, old, next time.Time) {
	err := s.withDrafts(ctx, func(ctx context.Context, ds digest.DraftStore) error {
		if st, err := s.Store.IssueBySlot(ctx, old); err == nil {
			return ds.MarkDraftSent(ctx, old, st.Number)
		}
		_, err := ds.SetDraftState(ctx, old, []digest.DraftState{digest.DraftOpen, digest.DraftHeld, digest.DraftApproved}, digest.DraftSkipped, 0,
			digest.Edit{Kind: digest.EditSkip, Editor: serviceEditor, Value: "superseded by the draft for " + next.Format(time.RFC3339)})
		return err
	})
	if err != nil && !errors.Is(err, digest.ErrConflict) {
		s.Log.Error("skip the old draft", "slot", old.Format(time.RFC3339), "error", err)
		return
	}
	s.Log.Warn("a draft that was never sent is skipped: the next slot's draft supersedes it", "slot", old.Format(time.RFC3339))
}

// reviewedSlot is BuildOnce for review modes: it decides, at or after the
// slot, whether the slot's draft becomes the issue now, and stores it if
// so. A slot without a draft gets one first (the editors are mailed).
// Errors wrapping ErrNotSending say why nothing is sent now.
func (s *Service) reviewedSlot(ctx context.Context, slot time.Time) (digest.StoredIssue, bool, error) {
	slot = slot.UTC().Truncate(time.Second)
	if st, err := s.Store.IssueBySlot(ctx, slot); err == nil {
		return st, false, nil
	} else if !errors.Is(err, digest.ErrNotFound) {
		return st, false, fmt.Errorf("issue for %s: %w", slot.Format(time.RFC3339), err)
	}
	d, _, err := s.EnsureDraft(ctx, slot)
	if errors.Is(err, errSlotSent) {
		st, err := s.Store.IssueBySlot(ctx, slot)
		return st, false, err
	}
	if err != nil {
		return digest.StoredIssue{}, false, err
	}
	ds, err := s.Drafts()
	if err != nil {
		return digest.StoredIssue{}, false, err
	}
	r := s.Cfg.Review
	freeze := func(why string) error {
		_, err := ds.SetDraftState(ctx, slot, []digest.DraftState{digest.DraftOpen}, digest.DraftApproved, 0,
			digest.Edit{Kind: digest.EditApprove, Editor: serviceEditor, Value: why, At: s.Now()})
		return err
	}
	switch d.State {
	case digest.DraftSent:
		st, err := s.Store.IssueBySlot(ctx, slot)
		return st, false, err
	case digest.DraftSkipped:
		return digest.StoredIssue{}, false, ErrDraftSkipped
	case digest.DraftHeld:
		return digest.StoredIssue{}, false, ErrHeld
	case digest.DraftOpen:
		switch {
		case r.Mode == config.ReviewVeto:
			err = freeze("veto mode: nobody held it by the slot")
		case r.Deadline == config.DeadlineSend:
			err = freeze("approve mode, deadline send: nobody approved it by the slot")
		case r.Deadline == config.DeadlineSkip:
			_, err = ds.SetDraftState(ctx, slot, []digest.DraftState{digest.DraftOpen}, digest.DraftSkipped, 0,
				digest.Edit{Kind: digest.EditSkip, Editor: serviceEditor, Value: "approve mode, deadline skip: nobody approved it by the slot", At: s.Now()})
			if err == nil {
				s.Log.Warn("nobody approved the draft by its slot; nothing is sent for it (review.deadline: skip)", "slot", slot.Format(time.RFC3339))
				return digest.StoredIssue{}, false, ErrDraftSkipped
			}
		default:
			s.remindStage(ctx, d, reminderWaiting)
			return digest.StoredIssue{}, false, ErrAwaitingApproval
		}
		if errors.Is(err, digest.ErrConflict) {
			// An editor acted meanwhile; decide again on what they did.
			return s.reviewedSlot(ctx, slot)
		}
		if err != nil {
			return digest.StoredIssue{}, false, err
		}
	}
	return s.sendDraft(ctx, slot)
}

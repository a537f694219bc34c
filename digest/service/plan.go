package service

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/weeklywrap/digest/digest"
)

// SendPlan is what `digest send` does about the issue at a moment. The
// dry run prints it; the real send takes the same decision (planIssue)
// under the build lease, so the two cannot drift apart.
type SendPlan struct {
	// Resume is the oldest unfinished issue with deliveries left, 0 when
	// there is none: a send finishes it first and builds nothing new.
	// Pending and Claimed are its queue (claimed: being sent by a run, or
	// left by a stopped one until mail.claim_lease passes).
	Resume           int
	Pending, Claimed int
	// Exists says Issue is the stored issue of the slot a send stands for,
	// so nothing is built; Scheduled says that slot is the schedule's, at
	// or before now within CatchUpLimit (nothing more until the next one).
	Issue     digest.StoredIssue
	Exists    bool
	Scheduled bool
	// Slot is the slot an issue is built for when none Exists.
	Slot time.Time
}

// PlanSend decides what `digest send` would do at now, changing nothing.
// The real send resumes unfinished issues by sending them (ResumeUnfinished)
// and then decides the issue as PlanSend does (SendIssue).
func (s *Service) PlanSend(ctx context.Context, now time.Time) (SendPlan, error) {
	unfinished, err := s.Store.UnfinishedIssues(ctx)
	if err != nil {
		return SendPlan{}, fmt.Errorf("unfinished issues: %w", err)
	}
	for _, n := range unfinished {
		if qs, err := s.Store.QueueStats(ctx, n); err == nil && qs.Pending+qs.Sending > 0 {
			return SendPlan{Resume: n, Pending: qs.Pending, Claimed: qs.Sending}, nil
		}
	}
	return s.planIssue(ctx, now)
}

// planIssue is the issue part of the plan: the scheduled slot's issue when
// it exists (SlotIssue), else the slot a send stands for (SendSlot) and
// its issue if one is stored.
func (s *Service) planIssue(ctx context.Context, now time.Time) (SendPlan, error) {
	if st, ok, err := s.SlotIssue(ctx, now); err != nil || ok {
		return SendPlan{Issue: st, Exists: ok, Scheduled: ok}, err
	}
	slot, err := s.SendSlot(ctx, now)
	if err != nil {
		return SendPlan{}, err
	}
	st, err := s.Store.IssueBySlot(ctx, slot)
	switch {
	case err == nil:
		return SendPlan{Issue: st, Exists: true, Slot: slot}, nil
	case errors.Is(err, digest.ErrNotFound):
		return SendPlan{Slot: slot}, nil
	}
	return SendPlan{}, fmt.Errorf("issue for %s: %w", slot, err)
}

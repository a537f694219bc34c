package service

import (
	"context"
	"errors"
	"log/slog"
	"time"

	"github.com/robfig/cron/v3"

	"github.com/weeklywrap/digest/digest"
	"github.com/weeklywrap/digest/digest/config"
)

// CatchUpLimit is how late a missed slot may still be sent with catch_up: send_late.
const CatchUpLimit = 24 * time.Hour

// Schedule runs the cron schedule until ctx ends: at each slot it builds
// that slot's issue once and sends it. At start it first finishes issues an
// earlier run left unsent, then applies the catch-up policy to a slot missed
// while the daemon was down. When ctx ends it stops starting work and waits
// for the running slot to finish its in-flight messages.
func (s *Service) Schedule(ctx context.Context) error {
	if err := s.ResumeUnfinished(ctx); err != nil && ctx.Err() == nil {
		s.Log.Error("resume unfinished issues", "error", err)
	}
	s.catchUp(ctx)

	logger := cronLogger{s.Log}
	c := cron.New(
		cron.WithLocation(s.Cfg.Location),
		cron.WithParser(cron.NewParser(config.CronParser)),
		cron.WithChain(cron.Recover(logger), cron.SkipIfStillRunning(logger)),
	)
	_, err := c.AddFunc(s.Cfg.Schedule, func() {
		slot := s.Slots.AtOrBefore(s.Now().Add(time.Second))
		s.Log.Info("slot", "slot", slot.In(s.Cfg.Location).Format(time.RFC3339))
		if err := s.RunSlot(ctx, slot); err != nil && ctx.Err() == nil {
			s.Log.Error("slot failed; it is retried at the next start or slot", "slot", slot.Format(time.RFC3339), "error", err)
		}
	})
	if err != nil {
		return err
	}
	c.Start()
	s.Log.Info("scheduler started", "schedule", s.Cfg.Schedule, "timezone", s.Cfg.Location.String(),
		"next", s.Slots.Next(s.Now()).In(s.Cfg.Location).Format(time.RFC3339))
	<-ctx.Done()
	<-c.Stop().Done()
	s.Log.Info("scheduler stopped")
	return nil
}

// catchUp sends the latest slot's issue if the daemon missed it, within
// CatchUpLimit, under catch_up: send_late. A brand-new install (no issue yet)
// does not catch up: its first issue is the next slot's.
func (s *Service) catchUp(ctx context.Context) {
	now := s.Now()
	slot := s.Slots.AtOrBefore(now)
	if slot.IsZero() {
		return
	}
	if _, err := s.Store.LatestIssue(ctx); errors.Is(err, digest.ErrNotFound) {
		return
	}
	if _, err := s.Store.IssueBySlot(ctx, slot); err == nil {
		return
	}
	late := now.Sub(slot)
	if s.Cfg.CatchUp != "send_late" || late > CatchUpLimit {
		s.Log.Warn("missed slot skipped", "slot", slot.Format(time.RFC3339), "late", late.Round(time.Minute), "catch_up", s.Cfg.CatchUp)
		return
	}
	s.Log.Info("sending a missed slot late", "slot", slot.Format(time.RFC3339), "late", late.Round(time.Minute))
	if err := s.RunSlot(ctx, slot); err != nil && ctx.Err() == nil {
		s.Log.Error("catch-up slot failed", "slot", slot.Format(time.RFC3339), "error", err)
	}
}

// cronLogger adapts slog to cron's logger.
type cronLogger struct{ l *slog.Logger }

func (c cronLogger) Info(msg string, kv ...any) { c.l.Debug("cron: "+msg, kv...) }
func (c cronLogger) Error(err error, msg string, kv ...any) {
	c.l.Error("cron: "+msg, append(kv, "error", err)...)
}

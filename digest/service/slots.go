package service

import (
	"fmt"
	"time"

	"github.com/robfig/cron/v3"

	"github.com/weeklywrap/digest/digest/config"
)

// Slots answers questions about the cron schedule in the configured zone.
// robfig/cron only looks forward, so the previous slot is found by walking
// forward from far enough back.
type Slots struct {
	sched cron.Schedule
	loc   *time.Location
}

// NewSlots parses spec in loc.
func NewSlots(spec string, loc *time.Location) (*Slots, error) {
	s, err := cron.NewParser(config.CronParser).Parse(spec)
	if err != nil {
		return nil, fmt.Errorf("schedule %q: %w", spec, err)
	}
	return &Slots{sched: s, loc: loc}, nil
}

// Next is the first slot strictly after t.
func (s *Slots) Next(t time.Time) time.Time { return s.sched.Next(t.In(s.loc)).UTC() }

// AtOrBefore is the latest slot at or before t, or zero if none within a year.
func (s *Slots) AtOrBefore(t time.Time) time.Time {
	// Short look-backs first: a frequent schedule must not walk a week of slots.
	for _, back := range []time.Duration{2 * time.Minute, 2 * time.Hour, 2 * 24 * time.Hour, 8 * 24 * time.Hour, 40 * 24 * time.Hour, 400 * 24 * time.Hour} {
		var last time.Time
		for n := s.Next(t.Add(-back)); !n.IsZero() && !n.After(t); n = s.Next(n) {
			last = n
		}
		if !last.IsZero() {
			return last.UTC()
		}
	}
	return time.Time{}
}

// Before is the slot just before slot; the issue window is (Before, slot].
// For a schedule with no earlier slot within a year it is a week before.
func (s *Slots) Before(slot time.Time) time.Time {
	p := s.AtOrBefore(slot.Add(-time.Second))
	if p.IsZero() {
		return slot.Add(-7 * 24 * time.Hour)
	}
	return p
}

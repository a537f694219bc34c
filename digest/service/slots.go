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
//
// Across DST changes a slot is a wall-clock time, with two corrections to
// robfig/cron, which skips a wall time that does not exist and fires twice
// on one that exists twice: a slot that falls in the hour skipped in
// spring is held at the first instant after the change (02:30 becomes
// 03:00 that day, as Vixie cron does), and a wall time repeated in autumn
// is a slot only the first time. Slots implements cron.Schedule, so the
// live ticking follows the same rules as the decisions.
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
	if loc == nil {
		loc = time.UTC
	}
	return &Slots{sched: s, loc: loc}, nil
}

// Next is the first slot strictly after t, in UTC; zero if none within
// five years.
func (s *Slots) Next(t time.Time) time.Time {
	for {
		n := s.sched.Next(t.In(s.loc))
		if n.IsZero() {
			return n
		}
		if g, ok := s.inGap(t, n); ok {
			return g.UTC()
		}
		if !s.repeated(n) {
			return n.UTC()
		}
		t = n
	}
}

// inGap reports a slot skipped by a spring-forward change between t and n:
// it returns the instant of the change, where the slot is held.
func (s *Slots) inGap(t, n time.Time) (time.Time, bool) {
	cur := t.In(s.loc)
	for range 4 { // a handful of changes at most between two slots
		_, end := cur.ZoneBounds()
		if end.IsZero() || end.After(n) || !end.After(t) {
			return time.Time{}, false
		}
		_, before := cur.Zone()
		_, after := end.In(s.loc).Zone()
		if gap := time.Duration(after-before) * time.Second; gap > 0 {
			// The wall times of the gap exist in a fixed zone with the old
			// offset; ask the schedule whether it wanted one of them.
			old := time.FixedZone("", before)
			if m := s.sched.Next(end.Add(-time.Second).In(old)); !m.Before(end) && m.Before(end.Add(gap)) {
				return end, true
			}
		}
		cur = end.In(s.loc)
	}
	return time.Time{}, false
}

// repeated reports whether n's wall time already happened shortly before,
// as in the hour repeated when summer time ends.
func (s *Slots) repeated(n time.Time) bool {
	const wall = "2006-01-02 15:04:05"
	w := n.In(s.loc).Format(wall)
	for _, d := range []time.Duration{30 * time.Minute, time.Hour, 2 * time.Hour} {
		if n.Add(-d).In(s.loc).Format(wall) == w {
			return true
		}
	}
	return false
}

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

// Fired is the slot a cron tick at t stands for: the ticker may run a
// little late, never early.
func (s *Slots) Fired(t time.Time) time.Time { return s.AtOrBefore(t.Add(time.Second)) }

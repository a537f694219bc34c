package service

import (
	"testing"
	"time"
)

func berlin(t *testing.T) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Skip("no tzdata:", err)
	}
	return loc
}

func mustSlots(t *testing.T, spec string, loc *time.Location) *Slots {
	t.Helper()
	s, err := NewSlots(spec, loc)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestSlotsAcrossDST(t *testing.T) {
	loc := berlin(t)
	s := mustSlots(t, "0 7 * * MON", loc)
	// 2026-10-25 is the end of summer time in Berlin: Monday slots stay at 07:00 local.
	before := time.Date(2026, 10, 19, 7, 0, 0, 0, loc)
	after := s.Next(before)
	if want := time.Date(2026, 10, 26, 7, 0, 0, 0, loc); !after.Equal(want) {
		t.Errorf("Next across DST = %v, want %v", after.In(loc), want)
	}
	if got := after.Sub(before); got != 7*24*time.Hour+time.Hour {
		t.Errorf("week across DST end lasts %v, want 169h", got)
	}
	if got := s.Before(after); !got.Equal(before) {
		t.Errorf("Before = %v, want %v", got.In(loc), before)
	}
	mid := time.Date(2026, 10, 21, 12, 0, 0, 0, loc)
	if got := s.AtOrBefore(mid); !got.Equal(before) {
		t.Errorf("AtOrBefore(%v) = %v", mid, got.In(loc))
	}
	if got := s.AtOrBefore(before); !got.Equal(before) {
		t.Errorf("AtOrBefore on a slot = %v, want the slot itself", got.In(loc))
	}
}

// The slots a schedule yields from a start, walked with Next, in UTC.
func TestSlotsSequenceAcrossDST(t *testing.T) {
	loc := berlin(t)
	utc := func(s string) time.Time {
		v, err := time.Parse(time.RFC3339, s)
		if err != nil {
			t.Fatal(err)
		}
		return v.UTC()
	}
	tests := []struct {
		name, spec string
		from       time.Time
		want       []string // RFC 3339 in UTC
	}{
		{"weekly across spring forward (29 Mar 2026)", "0 7 * * MON", time.Date(2026, 3, 20, 0, 0, 0, 0, loc),
			[]string{"2026-03-23T06:00:00Z", "2026-03-30T05:00:00Z", "2026-04-06T05:00:00Z"}},
		{"weekly across fall back (25 Oct 2026)", "0 7 * * MON", time.Date(2026, 10, 17, 0, 0, 0, 0, loc),
			[]string{"2026-10-19T05:00:00Z", "2026-10-26T06:00:00Z"}},
		// 02:30 does not exist on 29 March: the slot is held at the change,
		// 03:00 CEST (01:00Z), and happens once.
		{"02:30 daily, skipped hour", "30 2 * * *", time.Date(2026, 3, 27, 12, 0, 0, 0, loc),
			[]string{"2026-03-28T01:30:00Z", "2026-03-29T01:00:00Z", "2026-03-30T00:30:00Z"}},
		// 02:30 exists twice on 25 October (CEST, then CET): one slot, the first.
		{"02:30 daily, repeated hour", "30 2 * * *", time.Date(2026, 10, 23, 12, 0, 0, 0, loc),
			[]string{"2026-10-24T00:30:00Z", "2026-10-25T00:30:00Z", "2026-10-26T01:30:00Z"}},
		// An hourly schedule loses nothing and doubles nothing: the hour
		// 02:xx of 29 March is held at 03:00 CEST (also its own 03:00 slot).
		{"hourly, skipped hour", "0 * * * *", time.Date(2026, 3, 29, 0, 30, 0, 0, loc),
			[]string{"2026-03-29T00:00:00Z", "2026-03-29T01:00:00Z", "2026-03-29T02:00:00Z"}},
		{"hourly, repeated hour", "0 * * * *", time.Date(2026, 10, 25, 1, 30, 0, 0, loc),
			[]string{"2026-10-25T00:00:00Z", "2026-10-25T02:00:00Z", "2026-10-25T03:00:00Z"}},
		{"a schedule in the gap's last minutes", "45 2 * * *", time.Date(2026, 3, 28, 12, 0, 0, 0, loc),
			[]string{"2026-03-29T01:00:00Z", "2026-03-30T00:45:00Z"}},
		{"03:00 daily is not moved", "0 3 * * *", time.Date(2026, 3, 28, 12, 0, 0, 0, loc),
			[]string{"2026-03-29T01:00:00Z", "2026-03-30T01:00:00Z"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := mustSlots(t, tt.spec, loc)
			at := tt.from
			for i, w := range tt.want {
				n := s.Next(at)
				if !n.Equal(utc(w)) {
					t.Fatalf("slot %d after %s = %s (%s), want %s", i, at.In(loc).Format(time.RFC3339),
						n.Format(time.RFC3339), n.In(loc).Format(time.RFC3339), w)
				}
				// Walking back gives the same slots: decisions and ticks agree.
				if got := s.AtOrBefore(n.Add(30 * time.Second)); !got.Equal(n) {
					t.Errorf("AtOrBefore(%s + 30s) = %s, want %s", w, got.Format(time.RFC3339), w)
				}
				if got := s.Fired(n.Add(400 * time.Millisecond)); !got.Equal(n) {
					t.Errorf("Fired just after %s = %s", w, got.Format(time.RFC3339))
				}
				if i > 0 {
					if got := s.Before(n); !got.Equal(utc(tt.want[i-1])) {
						t.Errorf("Before(%s) = %s, want %s", w, got.Format(time.RFC3339), tt.want[i-1])
					}
				}
				at = n
			}
		})
	}
}

// What happens at start to a slot the daemon was down for.
func TestDecideMissed(t *testing.T) {
	loc := berlin(t)
	s := mustSlots(t, "0 7 * * MON", loc)
	slot := time.Date(2026, 3, 30, 7, 0, 0, 0, loc) // the first Monday of summer time
	none := func(time.Time) bool { return false }
	only := func(b time.Time) func(time.Time) bool { return func(t time.Time) bool { return t.Equal(b) } }
	tests := []struct {
		name   string
		policy string
		now    time.Time
		built  func(time.Time) bool
		any    bool
		send   bool
		late   time.Duration
	}{
		{"send_late, 3 h late", "send_late", slot.Add(3 * time.Hour), none, true, true, 3 * time.Hour},
		{"send_late, just within 24 h", "send_late", slot.Add(24 * time.Hour), none, true, true, 24 * time.Hour},
		{"send_late, older than 24 h", "send_late", slot.Add(24*time.Hour + time.Minute), none, true, false, 24*time.Hour + time.Minute},
		{"send_late, 6 days late", "send_late", slot.Add(6 * 24 * time.Hour), none, true, false, 6 * 24 * time.Hour},
		{"skip policy", "skip", slot.Add(time.Hour), none, true, false, time.Hour},
		{"restart after the slot was built", "send_late", slot.Add(time.Hour), only(slot.UTC()), true, false, 0},
		{"fresh install", "send_late", slot.Add(time.Hour), none, false, false, 0},
		// The week before's slot was built, this one was missed: only the latest slot counts.
		{"previous slot built, latest missed", "send_late", slot.Add(2 * time.Hour), only(slot.AddDate(0, 0, -7).UTC()), true, true, 2 * time.Hour},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := s.DecideMissed(tt.policy, tt.now, tt.built, tt.any)
			if !m.Slot.Equal(slot) {
				t.Errorf("slot = %s, want %s", m.Slot.In(loc), slot)
			}
			if m.Send != tt.send || m.Late != tt.late {
				t.Errorf("send=%v late=%v (%s); want send=%v late=%v", m.Send, m.Late, m.Why, tt.send, tt.late)
			}
			if m.Why == "" {
				t.Error("no reason given")
			}
		})
	}
}

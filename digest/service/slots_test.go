package service

import (
	"testing"
	"time"
)

func TestSlotsAcrossDST(t *testing.T) {
	berlin, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Skip("no tzdata:", err)
	}
	s, err := NewSlots("0 7 * * MON", berlin)
	if err != nil {
		t.Fatal(err)
	}
	// 2026-10-25 is the end of summer time in Berlin: Monday slots stay at 07:00 local.
	before := time.Date(2026, 10, 19, 7, 0, 0, 0, berlin)
	after := s.Next(before)
	if want := time.Date(2026, 10, 26, 7, 0, 0, 0, berlin); !after.Equal(want) {
		t.Errorf("Next across DST = %v, want %v", after.In(berlin), want)
	}
	if got := after.Sub(before); got != 7*24*time.Hour+time.Hour {
		t.Errorf("week across DST end lasts %v, want 169h", got)
	}
	if got := s.Before(after); !got.Equal(before) {
		t.Errorf("Before = %v, want %v", got.In(berlin), before)
	}
	mid := time.Date(2026, 10, 21, 12, 0, 0, 0, berlin)
	if got := s.AtOrBefore(mid); !got.Equal(before) {
		t.Errorf("AtOrBefore(%v) = %v", mid, got.In(berlin))
	}
	if got := s.AtOrBefore(before); !got.Equal(before) {
		t.Errorf("AtOrBefore on a slot = %v, want the slot itself", got.In(berlin))
	}
}

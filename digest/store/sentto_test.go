package store

import (
	"context"
	"testing"
	"time"

	"github.com/weeklywrap/digest/digest"
)

// SentMessageTo knows a delivery's and a notice's Message-ID, for their
// own address only.
func testSentMessageTo(t *testing.T, s digest.Store) {
	ctx := context.Background()
	sub := mustAdd(t, s, "Reader@example.org", digest.StatusConfirmed, false)
	mustAdd(t, s, "other@example.org", digest.StatusConfirmed, false)
	mustCreate(t, s, 1)
	ds, err := s.ClaimDeliveries(ctx, "test", 1, 10, time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range ds {
		if d.SubscriberID == sub.ID {
			if err := s.MarkSent(ctx, d.ID, "issue-1.abc@example.org"); err != nil {
				t.Fatal(err)
			}
		}
	}
	n, _, err := s.EnqueueNotice(ctx, digest.Notice{Kind: "confirm", To: "new@example.net", Subject: "Confirm", Text: "x"}, 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.ClaimNotices(ctx, "test", 10, time.Minute); err != nil {
		t.Fatal(err)
	}
	if err := s.MarkNoticeSent(ctx, n.ID, "confirm.def@example.org"); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		id, email string
		want      bool
	}{
		{"issue-1.abc@example.org", "reader@example.org", true},
		{"<issue-1.abc@example.org>", "READER@example.org", true},
		{"issue-1.abc@example.org", "other@example.org", false},
		{"confirm.def@example.org", "new@example.net", true},
		{"confirm.def@example.org", "reader@example.org", false},
		{"never@example.org", "reader@example.org", false},
		{"", "reader@example.org", false},
	} {
		if got, err := s.SentMessageTo(ctx, c.id, c.email); err != nil || got != c.want {
			t.Errorf("SentMessageTo(%q, %q) = %v, %v; want %v", c.id, c.email, got, err, c.want)
		}
	}
}

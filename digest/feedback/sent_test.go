package feedback

import (
	"context"
	"testing"
	"time"

	"github.com/weeklywrap/digest/digest"
)

// sentTo records in the store that the list sent email the message
// messageID (as a notice, through the outbox as the mailer does).
func sentTo(t *testing.T, st digest.Store, email, messageID string) {
	t.Helper()
	ctx := context.Background()
	n, queued, err := st.EnqueueNotice(ctx, digest.Notice{Kind: "test", To: email, Subject: "A notice", Text: "Hello"}, 0)
	if err != nil || !queued {
		t.Fatalf("enqueue notice to %s: %v (queued %v)", email, err, queued)
	}
	ns, err := st.ClaimNotices(ctx, "test", 100, time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range ns {
		if c.ID == n.ID {
			if err := st.MarkNoticeSent(ctx, c.ID, messageID); err != nil {
				t.Fatal(err)
			}
			return
		}
	}
	t.Fatalf("notice %d to %s not claimed", n.ID, email)
}

// fixturesSent records the messages the test reports return as sent.
func fixturesSent(t *testing.T, st digest.Store) {
	sentTo(t, st, "gone@example.net", "12.abcdef@example.org")
	sentTo(t, st, "full@example.net", "12.abcdef@example.org")
	sentTo(t, st, "slow@example.net", "12.a1b2c3@example.org")
	sentTo(t, st, "angry@example.net", "12.fedcba@example.org")
}

package mailer

import (
	"context"
	"testing"

	"github.com/weeklywrap/digest/digest"
	"github.com/weeklywrap/digest/digest/web"
	"github.com/weeklywrap/digest/internal/racetest"
	"github.com/weeklywrap/digest/internal/storetest"
)

// TestBounceNeverUndoesAnUnsubscribe records a hard bounce for each of
// 1,500 subscribers at the moment they unsubscribe through the site (real
// HTTP, real SQLite and PostgreSQL). Everyone ends unsubscribed with the
// bounce counted: a bounce increments its counter, it never writes back a
// status it read before.
func TestBounceNeverUndoesAnUnsubscribe(t *testing.T) {
	storetest.Run(t, func(t *testing.T, st digest.Store) {
		ctx := context.Background()
		cfg, err := Config{Servers: []Server{{Host: "127.0.0.1", Port: 1}}, From: "w@example.org", Domain: "example.org"}.withDefaults()
		if err != nil {
			t.Fatal(err)
		}
		w := &worker{q: st, cfg: cfg, ctx: ctx, bg: ctx, stopped: make(chan struct{})}
		racetest.Unsubscribe{
			Other: "bounce",
			Site:  web.Options{Site: web.Site{Title: "W", BaseURL: "http://wrap.test"}},
			Do: func(_ *racetest.Site, sub digest.Subscriber) error {
				w.bounce(sub.ID)
				return nil
			},
			Kept: func(got digest.Subscriber) bool { return got.HardBounces == 1 },
		}.Run(t, st, 1500)
		if w.err != nil {
			t.Fatalf("worker stopped: %v", w.err)
		}
	})
}

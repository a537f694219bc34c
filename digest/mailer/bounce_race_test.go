package mailer

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/weeklywrap/digest/digest"
	"github.com/weeklywrap/digest/digest/store"
	"github.com/weeklywrap/digest/digest/token"
	"github.com/weeklywrap/digest/digest/web"
	"github.com/weeklywrap/digest/internal/pgtest"
	"github.com/weeklywrap/digest/templates"
)

// TestBounceNeverUndoesAnUnsubscribe records a hard bounce for each of
// 1,500 subscribers at the moment they unsubscribe through the site (real
// HTTP, real SQLite and PostgreSQL). Everyone ends unsubscribed with the
// bounce counted: a bounce increments its counter, it never writes back a
// status it read before.
func TestBounceNeverUndoesAnUnsubscribe(t *testing.T) {
	const n = 1500
	opens := map[string]func(tb testing.TB) digest.Store{
		"sqlite": func(tb testing.TB) digest.Store {
			st, err := store.Open(context.Background(), filepath.Join(tb.TempDir(), "bounce.db"))
			if err != nil {
				tb.Fatal(err)
			}
			tb.Cleanup(func() { st.Close() })
			return st
		},
		"postgres": func(tb testing.TB) digest.Store {
			st, err := store.Open(context.Background(), pgtest.Schema(tb))
			if err != nil {
				tb.Fatal(err)
			}
			tb.Cleanup(func() { st.Close() })
			return st
		},
	}
	for _, kind := range []string{"sqlite", "postgres"} {
		t.Run(kind, func(t *testing.T) {
			st := opens[kind](t)
			ctx := context.Background()
			tokens, _ := token.NewSigner("bounce-race-secret-0123456789")
			site, err := web.New(web.Options{Store: st, Tokens: tokens, Site: web.Site{Title: "W", BaseURL: "http://wrap.test"},
				Templates: templates.FS, Log: slog.New(slog.NewTextHandler(io.Discard, nil))})
			if err != nil {
				t.Fatal(err)
			}
			srv := httptest.NewServer(site.Handler())
			defer srv.Close()
			client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}}
			defer client.CloseIdleConnections()

			subs := make([]digest.Subscriber, n)
			for i := range subs {
				subs[i], err = st.AddSubscriber(ctx, digest.Subscriber{Email: fmt.Sprintf("b%d@example.org", i), Status: digest.StatusConfirmed})
				if err != nil {
					t.Fatal(err)
				}
			}
			cfg, err := Config{Servers: []Server{{Host: "127.0.0.1", Port: 1}}, From: "w@example.org", Domain: "example.org"}.withDefaults()
			if err != nil {
				t.Fatal(err)
			}
			w := &worker{q: st, cfg: cfg, ctx: ctx, bg: ctx, stopped: make(chan struct{})}
			start := time.Now()
			work := make(chan digest.Subscriber)
			errs := make(chan error, n)
			var wg sync.WaitGroup
			for range 16 {
				wg.Go(func() {
					for sub := range work {
						var pair sync.WaitGroup
						gate := make(chan struct{})
						pair.Go(func() {
							<-gate
							w.bounce(sub.ID)
						})
						pair.Go(func() {
							<-gate
							resp, err := client.Post(srv.URL+"/unsubscribe/"+tokens.Sign(token.Unsubscribe, sub.ID, time.Time{}),
								"application/x-www-form-urlencoded", strings.NewReader("List-Unsubscribe=One-Click"))
							if err != nil {
								errs <- err
								return
							}
							_, _ = io.Copy(io.Discard, resp.Body)
							resp.Body.Close()
							if resp.StatusCode != http.StatusOK {
								errs <- fmt.Errorf("unsubscribe %d: %s", sub.ID, resp.Status)
							}
						})
						close(gate)
						pair.Wait()
					}
				})
			}
			for _, sub := range subs {
				work <- sub
			}
			close(work)
			wg.Wait()
			close(errs)
			for err := range errs {
				t.Fatal(err)
			}
			if w.err != nil {
				t.Fatalf("worker stopped: %v", w.err)
			}
			took := time.Since(start)
			lost, uncounted := 0, 0
			for _, sub := range subs {
				got, err := st.Subscriber(ctx, sub.ID)
				if err != nil {
					t.Fatal(err)
				}
				if got.Status != digest.StatusUnsubscribed {
					lost++
				}
				if got.HardBounces != 1 {
					uncounted++
				}
			}
			t.Logf("%s: %d concurrent bounce/unsubscribe pairs in %s: %d unsubscribes undone, %d bounces lost",
				kind, n, took.Round(time.Millisecond), lost, uncounted)
			if lost > 0 || uncounted > 0 {
				t.Errorf("%d of %d unsubscribes were undone by a concurrent bounce; %d bounces not counted", lost, n, uncounted)
			}
		})
	}
}

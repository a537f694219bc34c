package web

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/weeklywrap/digest/digest"
	"github.com/weeklywrap/digest/digest/store"
	"github.com/weeklywrap/digest/digest/token"
	"github.com/weeklywrap/digest/internal/pgtest"
	"github.com/weeklywrap/digest/templates"
)

// storeKinds opens each real store the site runs on: a SQLite file, and
// the machine's PostgreSQL when DIGEST_TEST_POSTGRES names it.
var storeKinds = []struct {
	name string
	open func(tb testing.TB) digest.Store
}{
	{"sqlite", func(tb testing.TB) digest.Store {
		st, err := store.Open(context.Background(), filepath.Join(tb.TempDir(), "race.db"))
		if err != nil {
			tb.Fatal(err)
		}
		tb.Cleanup(func() { st.Close() })
		return st
	}},
	{"postgres", func(tb testing.TB) digest.Store {
		st, err := store.Open(context.Background(), pgtest.Schema(tb))
		if err != nil {
			tb.Fatal(err)
		}
		tb.Cleanup(func() { st.Close() })
		return st
	}},
}

// TestUnsubscribeSurvivesAConcurrentPreferencesSave sends, for 1,500
// subscribers, a preferences save and an unsubscribe at the same moment
// over real HTTP. Whatever the order, everyone ends unsubscribed, with
// the new name: a save writes only what the form holds, never the
// status it read before.
func TestUnsubscribeSurvivesAConcurrentPreferencesSave(t *testing.T) {
	const n = 1500
	for _, kind := range storeKinds {
		t.Run(kind.name, func(t *testing.T) {
			st := kind.open(t)
			ctx := context.Background()
			tokens, _ := token.NewSigner("race-test-secret-0123456789")
			s, err := New(Options{Store: st, Tokens: tokens, Site: Site{Title: "The Weekly Wrap", BaseURL: "http://wrap.test"},
				Templates: templates.FS, Log: slog.New(slog.NewTextHandler(io.Discard, nil)), Topics: []string{"Security", "Open Source"}})
			if err != nil {
				t.Fatal(err)
			}
			srv := httptest.NewServer(s.Handler())
			defer srv.Close()
			subs := make([]digest.Subscriber, n)
			for i := range subs {
				subs[i], err = st.AddSubscriber(ctx, digest.Subscriber{Email: fmt.Sprintf("r%d@example.org", i), Name: "Old", Status: digest.StatusConfirmed})
				if err != nil {
					t.Fatal(err)
				}
			}
			client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}}
			defer client.CloseIdleConnections()
			post := func(path, form string) error {
				resp, err := client.Post(srv.URL+path, "application/x-www-form-urlencoded", strings.NewReader(form))
				if err != nil {
					return err
				}
				defer resp.Body.Close()
				_, _ = io.Copy(io.Discard, resp.Body)
				if resp.StatusCode != http.StatusOK {
					return fmt.Errorf("POST %s: %s", path, resp.Status)
				}
				return nil
			}
			start := time.Now()
			work := make(chan digest.Subscriber)
			errs := make(chan error, 2*n)
			var wg sync.WaitGroup
			for range 16 {
				wg.Go(func() {
					for sub := range work {
						var pair sync.WaitGroup
						gate := make(chan struct{})
						pair.Go(func() {
							<-gate
							form := url.Values{"name": {"New"}, "topics": {"Security"}}.Encode()
							if err := post("/preferences/"+tokens.Sign(token.Preferences, sub.ID, time.Time{}), form); err != nil {
								errs <- err
							}
						})
						pair.Go(func() {
							<-gate
							if err := post("/unsubscribe/"+tokens.Sign(token.Unsubscribe, sub.ID, time.Time{}), "List-Unsubscribe=One-Click"); err != nil {
								errs <- err
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
			took := time.Since(start)
			lost, unsaved := 0, 0
			for _, sub := range subs {
				got, err := st.Subscriber(ctx, sub.ID)
				if err != nil {
					t.Fatal(err)
				}
				if got.Status != digest.StatusUnsubscribed {
					lost++
				}
				if got.Name != "New" || strings.Join(got.Topics, ",") != "Security" {
					unsaved++
				}
			}
			t.Logf("%s: %d concurrent preferences/unsubscribe pairs in %s: %d unsubscribes undone, %d preference saves lost",
				kind.name, n, took.Round(time.Millisecond), lost, unsaved)
			if lost > 0 || unsaved > 0 {
				t.Errorf("%d of %d unsubscribes were undone by a concurrent preferences save; %d saves lost", lost, n, unsaved)
			}
		})
	}
}

package main

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// A feed that keeps failing is flagged in `digest status` and on /status;
// it is never dropped silently.
func TestFailingFeedIsFlagged(t *testing.T) {
	broken := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "boom", http.StatusInternalServerError)
	}))
	defer broken.Close()
	e := newEnv(t, envOpts{ExtraFeeds: []string{broken.URL + "/feed.xml"}})
	out := e.mustRun(t, "preview")
	if !strings.Contains(out, "/feed.xml") || !strings.Contains(out, "500") {
		t.Fatalf("preview should list the broken feed with its status:\n%s", out)
	}
	// Pretend it has been failing for four days.
	a := &app{configPath: e.config}
	defer a.Close()
	st, err := a.openStore(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	fs, err := st.FeedState(context.Background(), broken.URL+"/feed.xml")
	if err != nil || fs.ConsecutiveFailures == 0 {
		t.Fatalf("feed state after a failure: %+v, %v", fs, err)
	}
	fs.FailingSince = time.Now().Add(-4 * 24 * time.Hour)
	if err := st.SaveFeedState(context.Background(), fs); err != nil {
		t.Fatal(err)
	}
	status := e.mustRun(t, "status")
	if !strings.Contains(status, "FAILING for 3+ days") || !strings.Contains(status, "1 failing") {
		t.Errorf("status does not flag the feed:\n%s", status)
	}
	h, err := a.webHandler(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	defer srv.Close()
	page := httpGet(t, srv.URL+"/status")
	if !strings.Contains(page, "failing since") || !strings.Contains(page, "Net Policy Notes") {
		t.Errorf("/status does not show the failing feed:\n%.2000s", page)
	}
}

// /status shows what `digest status` counts besides the feeds: the list by
// state, the unfinished issues and notices, and the feedback reported.
func TestStatusPageShowsTheList(t *testing.T) {
	e := newEnv(t, envOpts{})
	addReaders(t, e, 3)
	e.mustRun(t, "subscribers", "remove", "reader001@example.org")
	a := &app{configPath: e.config}
	defer a.Close()
	h, err := a.webHandler(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	defer srv.Close()
	page := strings.Join(strings.Fields(httpGet(t, srv.URL+"/status")), " ")
	for _, want := range []string{"3 subscribers: 2 confirmed, 0 pending, 1 unsubscribed, 0 suppressed",
		"Unfinished issues: 0.", "last 30 days: none."} {
		if !strings.Contains(page, want) {
			t.Errorf("/status lacks %q:\n%.3000s", want, page)
		}
	}
}

package feed

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"
)

func TestFetchAllHostile(t *testing.T) {
	srv := newHostile(t)
	cases := []struct {
		name, path string
		wantErr    string // substring of Result.Err; empty means success
		wantArts   int
	}{
		{"good", "/ok.xml", "", 2},
		{"gzip", "/gzip.xml", "", 2},
		{"gzip unasked", "/unasked.xml.gz", "", 2},
		{"gzip bomb", "/bomb.gz", "more than the limit of 262144 bytes once decompressed", 0},
		{"hanging", "/hang", "no complete response within 2s", 0},
		{"trickling", "/trickle", "no complete response within 2s", 0},
		{"endless", "/endless", "more than the limit of 262144 bytes", 0},
		{"loop", "/loop", "redirect loop", 0},
		{"long chain", "/chain/0", "more than 3 redirects", 0},
		{"invalid", "/invalid.xml", "invalid feed: XML syntax error", 0},
		{"html", "/page.html", "not a feed: got an HTML page", 0},
		{"latin1", "/latin1.xml", "", 1},
		{"mislabeled", "/mislabeled.xml", "", 1},
		{"dupes", "/dupes.xml", "", 2},
		{"dates", "/dates.xml", "", 3},
		{"server error", "/500", "HTTP 500 Internal Server Error", 0},
		{"missing", "/404", "HTTP 404 Not Found", 0},
		{"rate limited", "/429", "HTTP 429 Too Many Requests: asked to retry after 1h0m0s", 0},
		{"flaky", "/flaky", "", 2},
		{"refused", "http://127.0.0.1:1/feed", "connection refused", 0},
		{"no file", "../feedparse/testdata/does-not-exist.xml", "no such file", 0},
		{"file", "../feedparse/testdata/atom.xml", "", 2},
		{"no url", "", "no URL or path given", 0},
		{"directory", "../feedparse/testdata", "testdata is not a regular file", 0},
		{"ftp", "ftp://example.com/feed.xml", "unsupported URL scheme", 0},
	}
	var feeds []Options
	for _, c := range cases {
		u := c.path
		if strings.HasPrefix(u, "/") {
			u = srv.URL + u
		}
		feeds = append(feeds, Options{Name: c.name, URL: u})
	}
	f := NewFetcher(testLimits(), newMemStates(), nil)
	var calls, last int
	results := f.FetchAll(context.Background(), feeds, time.Time{}, time.Time{}, func(done, total int) {
		calls++
		if done != last+1 || total != len(feeds) {
			t.Errorf("progress(%d, %d) after %d", done, total, last)
		}
		last = done
	})
	if calls != len(feeds) {
		t.Errorf("progress called %d times, want %d", calls, len(feeds))
	}
	for i, c := range cases {
		r := results[i]
		t.Logf("%-12s status %d took %v err %v", c.name, r.Status, r.Took.Round(time.Millisecond), r.Err)
		if r.Feed.Name != c.name {
			t.Fatalf("result %d is for %q, want %q", i, r.Feed.Name, c.name)
		}
		switch {
		case c.wantErr == "" && r.Err != nil:
			t.Errorf("%s: unexpected error %v", c.name, r.Err)
		case c.wantErr != "" && r.Err == nil:
			t.Errorf("%s: no error, want %q", c.name, c.wantErr)
		case c.wantErr != "":
			msg := r.Err.Error()
			if !strings.Contains(msg, `feed "`+c.name+`"`) || !strings.Contains(msg, c.wantErr) {
				t.Errorf("%s: error %q should name the feed and say %q", c.name, msg, c.wantErr)
			}
		}
		if len(r.Articles) != c.wantArts {
			t.Errorf("%s: %d articles, want %d", c.name, len(r.Articles), c.wantArts)
		}
	}
	// Transient failures are retried (bounded), permanent ones are not.
	for path, want := range map[string]int{"/500": 3, "/404": 1, "/429": 1, "/flaky": 2, "/hang": 1} {
		if got := srv.Hits(path); got != want {
			t.Errorf("%s requested %d times, want %d", path, got, want)
		}
	}
}

func TestFetchCharsetAndDates(t *testing.T) {
	srv := newHostile(t)
	f := NewFetcher(testLimits(), nil, nil)
	ctx := context.Background()
	for _, c := range []struct{ path, want string }{
		{"/latin1.xml", "Crème brûlée"},
		{"/mislabeled.xml", "Crème brûlée — naïve"},
	} {
		r := f.Fetch(ctx, Options{Name: c.path, URL: srv.URL + c.path}, time.Time{}, time.Time{})
		if r.Err != nil || len(r.Articles) != 1 || r.Articles[0].Title != c.want {
			t.Errorf("%s: got %+v, %v; want title %q", c.path, r.Articles, r.Err, c.want)
		}
	}

	r := f.Fetch(ctx, Options{Name: "dates", URL: srv.URL + "/dates.xml"}, time.Time{}, time.Time{})
	if r.Future != 1 {
		t.Errorf("Future = %d, want 1 (the item three days ahead)", r.Future)
	}
	var got []string
	for _, a := range r.Articles {
		got = append(got, a.ID[strings.LastIndex(a.ID, "/")+1:]+":"+a.PublishedFrom)
	}
	if strings.Join(got, " ") != "soon:feed nodate: past:feed" {
		t.Errorf("kept %v, want soon (within a day), nodate (undated, kept), past", got)
	}

	// A window keeps (since, until] and the undated item.
	since := time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)
	r = f.Fetch(ctx, Options{Name: "dates", URL: srv.URL + "/dates.xml"}, since.Add(-time.Minute), since)
	if len(r.Articles) != 2 || r.Articles[0].Title != "Item nodate" || r.Articles[1].Title != "Item past" {
		t.Errorf("window: got %d articles %v", len(r.Articles), r.Articles)
	}
	if !r.Newest.After(since) {
		t.Errorf("Newest = %v, want the 'soon' item's date", r.Newest)
	}
}

func TestConditionalGet(t *testing.T) {
	srv := newHostile(t)
	states := newMemStates()
	ctx := context.Background()
	o := Options{Name: "good", URL: srv.URL + "/ok.xml"}

	f := NewFetcher(testLimits(), states, nil)
	first := f.Fetch(ctx, o, time.Time{}, time.Time{})
	if first.Err != nil || first.Status != 200 || len(first.Articles) != 2 {
		t.Fatalf("first fetch: %+v", first)
	}
	second := f.Fetch(ctx, o, time.Time{}, time.Time{})
	if second.Status != 304 || !second.NotModified || second.Fresh || second.Err != nil {
		t.Errorf("second fetch: status %d notModified %v fresh %v err %v; want 304", second.Status, second.NotModified, second.Fresh, second.Err)
	}
	if got := srv.Cond("/ok.xml"); got != `"v1"|`+lastMod {
		t.Errorf("conditional headers %q, want ETag and Last-Modified", got)
	}
	if len(second.Articles) != 0 {
		t.Errorf("without a cache a 304 has no articles, got %d", len(second.Articles))
	}

	// With a body cache, a 304 still yields the articles.
	cached := NewFetcher(testLimits(), newMemStates(), nil).WithCache(DirCache{Dir: t.TempDir()})
	cached.Fetch(ctx, o, time.Time{}, time.Time{})
	r := cached.Fetch(ctx, o, time.Time{}, time.Time{})
	if r.Status != 304 || len(r.Articles) != 2 {
		t.Errorf("cached 304: status %d, %d articles; want 304 with 2", r.Status, len(r.Articles))
	}
}

func TestFreshnessAndFailures(t *testing.T) {
	srv := newHostile(t)
	states := newMemStates()
	ctx := context.Background()
	f := NewFetcher(testLimits(), states, nil)

	for _, c := range []struct{ path, wantErr string }{
		{"/maxage.xml", ""}, {"/ttl.xml", ""}, {"/429", "skipped until"},
	} {
		path := c.path
		o := Options{Name: path, URL: srv.URL + path}
		f.Fetch(ctx, o, time.Time{}, time.Time{})
		r := f.Fetch(ctx, o, time.Time{}, time.Time{})
		if !r.Fresh || !r.NotModified {
			t.Errorf("%s second fetch: fresh %v notModified %v; want skipped", path, r.Fresh, r.NotModified)
		}
		if (c.wantErr == "") != (r.Err == nil) || (r.Err != nil && !strings.Contains(r.Err.Error(), c.wantErr)) {
			t.Errorf("%s second fetch: err %v, want %q", path, r.Err, c.wantErr)
		}
		if n := srv.Hits(path); n != 1 {
			t.Errorf("%s requested %d times, want 1", path, n)
		}
	}
	st, _ := states.FeedState(ctx, srv.URL+"/ttl.xml")
	if d := time.Until(st.FreshUntil); d < 25*time.Minute || d > 31*time.Minute {
		t.Errorf("ttl 30 gave FreshUntil in %v", d)
	}

	o := Options{Name: "broken", URL: srv.URL + "/500"}
	f.Fetch(ctx, o, time.Time{}, time.Time{})
	st1, _ := states.FeedState(ctx, o.URL)
	f.Fetch(ctx, o, time.Time{}, time.Time{})
	st2, _ := states.FeedState(ctx, o.URL)
	if st2.ConsecutiveFailures != 2 || !st2.FailingSince.Equal(st1.FailingSince) || !strings.Contains(st2.LastError, "HTTP 500") {
		t.Errorf("failure state: %+v", st2)
	}
	// Success resets the failure record.
	states.m[srv.URL+"/ok.xml"] = st2
	f.Fetch(ctx, Options{Name: "good", URL: srv.URL + "/ok.xml"}, time.Time{}, time.Time{})
	st3, _ := states.FeedState(ctx, srv.URL+"/ok.xml")
	if st3.ConsecutiveFailures != 0 || !st3.FailingSince.IsZero() || st3.LastError != "" || st3.ETag != `"v1"` {
		t.Errorf("after success: %+v", st3)
	}
}

func TestFetchCanceled(t *testing.T) {
	srv := newHostile(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	r := NewFetcher(testLimits(), nil, nil).Fetch(ctx, Options{Name: "c", URL: srv.URL + "/ok.xml"}, time.Time{}, time.Time{})
	if !errors.Is(r.Err, context.Canceled) {
		t.Errorf("canceled context: err %v", r.Err)
	}
}

package feed

import (
	"context"
	"strings"
	"testing"
	"time"
)

// Every body's place is given back, whatever became of the fetch: a leak
// would stall the fetcher once the places run out.
func TestBodyPlacesReturned(t *testing.T) {
	srv := newHostile(t)
	ctx := context.Background()
	f := NewFetcher(testLimits(), newMemStates(), nil).WithCache(DirCache{Dir: t.TempDir()})
	var feeds []Options
	for _, p := range []string{"/ok.xml", "/gzip.xml", "/bomb.gz", "/endless", "/loop", "/invalid.xml",
		"/page.html", "/500", "/404", "/429", "/flaky", "/trickle", "/ok.xml"} {
		feeds = append(feeds, Options{Name: p, URL: srv.URL + p})
	}
	for run := 0; run < 2; run++ { // the second run meets 304s and cached parses
		res := f.FetchAll(ctx, feeds, time.Time{}, time.Time{}, nil)
		if res[0].Err != nil || len(res[0].Articles) != 2 {
			t.Fatalf("run %d: ok.xml: %v, %d articles", run, res[0].Err, len(res[0].Articles))
		}
		if n := len(f.bodies); n != 0 {
			t.Fatalf("run %d: %d body places still taken after FetchAll", run, n)
		}
	}
	if cap(f.bodies) < testLimits().Global {
		t.Errorf("%d body places for %d connections", cap(f.bodies), testLimits().Global)
	}
}

func TestReadBody(t *testing.T) {
	for _, tc := range []struct {
		name    string
		body    string
		length  int64
		want    string
		wantErr bool
	}{
		{"announced", "hello", 5, "hello", false},
		{"unannounced", "hello", -1, "hello", false},
		{"longer than announced", "hello world", 5, "hello world", false},
		{"cut short", "hel", 5, "hel", true},
		{"over the cap, unannounced", strings.Repeat("x", 20), -1, strings.Repeat("x", 11), false},
	} {
		got, err := readBody(strings.NewReader(tc.body), tc.length, 10)
		if string(got) != tc.want || (err != nil) != tc.wantErr {
			t.Errorf("%s: %q, %v; want %q, error %v", tc.name, got, err, tc.want, tc.wantErr)
		}
	}
}

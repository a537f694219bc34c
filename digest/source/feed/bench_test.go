package feed

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/weeklywrap/digest/internal/benchtest"
)

const (
	benchFeeds = benchtest.Feeds
	benchItems = benchtest.FeedItems
)

// benchSlot dates the generated feeds: every item lies before it.
var benchSlot = time.Date(2026, 11, 23, 7, 0, 0, 0, time.UTC)

type benchSet struct {
	bodies [][]byte
	total  int64
	srv    *httptest.Server
	feeds  []Options
}

func newBenchSet(b *testing.B) *benchSet {
	s := &benchSet{}
	for i := 0; i < benchFeeds; i++ {
		body := benchtest.Feed(i, benchSlot)
		s.bodies = append(s.bodies, body)
		s.total += int64(len(body))
	}
	s.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		i, err := strconv.Atoi(strings.TrimPrefix(r.URL.Path, "/feed/"))
		if err != nil || i < 0 || i >= len(s.bodies) {
			http.NotFound(w, r)
			return
		}
		etag := `"` + strconv.Itoa(i) + `"`
		if r.Header.Get("If-None-Match") == etag {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.Header().Set("ETag", etag)
		w.Header().Set("Content-Type", "application/xml; charset=utf-8")
		w.Write(s.bodies[i])
	}))
	b.Cleanup(s.srv.Close)
	for i := 0; i < benchFeeds; i++ {
		s.feeds = append(s.feeds, Options{Name: "feed " + strconv.Itoa(i), URL: s.srv.URL + "/feed/" + strconv.Itoa(i)})
	}
	return s
}

func (s *benchSet) report(b *testing.B, start time.Time, cpu0 time.Duration, runs int) {
	sec := time.Since(start).Seconds()
	b.ReportMetric((benchtest.CPUTime()-cpu0).Seconds()/float64(runs), "cpu-s/run")
	b.ReportMetric(float64(benchFeeds*runs)/sec, "feeds/s")
	b.ReportMetric(float64(s.total*int64(runs))/sec/1e6, "MB/s")
	b.ReportMetric(float64(s.total)/benchFeeds/1e3, "KB/feed")
}

func benchLimits(perHost int) Limits {
	l := DefaultLimits()
	l.PerHost = perHost
	return l
}

// BenchmarkFetchAll fetches and parses every feed over HTTP with a fresh
// Fetcher, at the default per-host limit (all feeds share one host here)
// and with it raised to the global limit.
func BenchmarkFetchAll(b *testing.B) {
	s := newBenchSet(b)
	for _, perHost := range []int{2, 16} {
		b.Run(fmt.Sprintf("perhost=%d", perHost), func(b *testing.B) {
			runs := 0
			start, cpu0 := time.Now(), benchtest.CPUTime()
			for b.Loop() {
				res := NewFetcher(benchLimits(perHost), nil, nil).FetchAll(context.Background(), s.feeds, time.Time{}, time.Time{}, nil)
				if res[0].Err != nil || len(res[0].Articles) != benchItems {
					b.Fatalf("feed 0: %v, %d articles", res[0].Err, len(res[0].Articles))
				}
				runs++
			}
			s.report(b, start, cpu0, runs)
		})
	}
}

// BenchmarkFetchAll304 is a second run in which every feed answers 304.
func BenchmarkFetchAll304(b *testing.B) {
	s := newBenchSet(b)
	states := newMemStates()
	NewFetcher(benchLimits(2), states, nil).FetchAll(context.Background(), s.feeds, time.Time{}, time.Time{}, nil)
	runs := 0
	start, cpu0 := time.Now(), benchtest.CPUTime()
	for b.Loop() {
		res := NewFetcher(benchLimits(2), states, nil).FetchAll(context.Background(), s.feeds, time.Time{}, time.Time{}, nil)
		if res[0].Status != http.StatusNotModified {
			b.Fatalf("feed 0: status %d, err %v", res[0].Status, res[0].Err)
		}
		runs++
	}
	s.report(b, start, cpu0, runs)
}

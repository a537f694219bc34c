package main

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/weeklywrap/digest/internal/benchtest"
)

// bigFeed is an RSS feed of n short undated items, as compact as a feed
// gets, so that 90,000 of them stay under the default size cap (10 MiB).
func bigFeed(n int) []byte {
	var b bytes.Buffer
	b.WriteString(`<?xml version="1.0"?><rss version="2.0"><channel><title>Big</title>`)
	for i := range n {
		fmt.Fprintf(&b, "<item><title>Story %d</title><link>http://b.example/%d</link><description>Word %d.</description></item>", i, i, i%97)
	}
	b.WriteString("</channel></rss>")
	return b.Bytes()
}

// bigFeedSite builds issue #1 from one feed of n items through the real
// command (send) and serves the real site over the store it wrote.
func bigFeedSite(tb testing.TB, n int) (*testEnv, *httptest.Server, time.Duration) {
	body := bigFeed(n)
	feedSrv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/rss+xml")
		_, _ = w.Write(body)
	}))
	tb.Cleanup(feedSrv.Close)
	e := newEnv(tb, envOpts{ExtraFeeds: []string{feedSrv.URL + "/big.xml"}})
	cfg, err := os.ReadFile(e.config)
	if err != nil {
		tb.Fatal(err)
	}
	// The default cap, under which the reporter fit 90,000 items.
	cfg = bytes.Replace(cfg, []byte("max_bytes: 2000000"), []byte("max_bytes: 10485760"), 1)
	if err := os.WriteFile(e.config, cfg, 0o600); err != nil {
		tb.Fatal(err)
	}
	start := time.Now()
	root, a := newRoot()
	defer a.Close()
	var out bytes.Buffer
	root.SetOut(&out)
	root.SetErr(&out)
	root.SetArgs([]string{"--config", e.config, "send"})
	if err := root.Execute(); err != nil {
		tb.Fatalf("send: %v\n%s", err, out.String())
	}
	build := time.Since(start)
	a2 := &app{configPath: e.config}
	tb.Cleanup(a2.Close)
	h, err := a2.webHandler(tb.Context())
	if err != nil {
		tb.Fatal(err)
	}
	srv := httptest.NewServer(h)
	tb.Cleanup(srv.Close)
	return e, srv, build
}

func fetchPage(tb testing.TB, u string) int {
	resp, err := http.Get(u)
	if err != nil {
		tb.Fatal(err)
	}
	n, _ := io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		tb.Fatalf("GET %s: %s", u, resp.Status)
	}
	return int(n)
}

// BenchmarkBigFeedPages builds a real issue from one 90,000-item feed
// (9.5 MB, under the default cap) with `digest send`, then measures the
// public pages over the store it wrote: time and bytes allocated per
// request, and the peak heap while 16 requests for each page run at once.
//
//	go test ./cmd/digest -run '^$' -bench BigFeedPages -benchtime 20x
func BenchmarkBigFeedPages(b *testing.B) {
	_, srv, build := bigFeedSite(b, 90_000)
	b.Logf("issue built and stored by `digest send` in %s", build.Round(time.Millisecond))
	for _, page := range []string{"/", "/issues", "/feed.xml", "/latest", "/issues/1"} {
		b.Run(strings.Trim(strings.ReplaceAll(page, "/", "_"), "_")+"_", func(b *testing.B) {
			var before, after runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&before)
			size := 0
			for b.Loop() {
				size = fetchPage(b, srv.URL+page)
			}
			runtime.ReadMemStats(&after)
			b.ReportMetric(float64(after.TotalAlloc-before.TotalAlloc)/float64(b.N)/(1<<20), "alloc-MB/req")
			b.ReportMetric(float64(size)/1024, "page-KB")

			// 16 at once: the peak heap, sampled while they run.
			stopPeak := benchtest.PeakHeap(2 * time.Millisecond)
			var wg sync.WaitGroup
			start := time.Now()
			for range 16 {
				wg.Go(func() { fetchPage(b, srv.URL+page) })
			}
			wg.Wait()
			took := time.Since(start)
			peak := stopPeak()
			b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MB-16")
			b.ReportMetric(took.Seconds()*1000, "ms-16")
		})
	}
}

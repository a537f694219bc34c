package main

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"runtime/pprof"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mmcdole/gofeed"

	"github.com/weeklywrap/digest/digest/render"
	"github.com/weeklywrap/digest/internal/benchtest"
)

// The benchmark's feeds are benchtest's 1,000 generated feeds.
const (
	benchFeeds  = benchtest.Feeds
	benchItems  = benchtest.FeedItems
	benchRounds = 2
)

// benchSite is the feeds on disk, served by a local server with ETag and
// Last-Modified. Bodies stay in files (the server sends them with
// sendfile), so the process's peak RSS is the build's, not the fixture's.
type benchSite struct {
	dir     string
	files   []string
	total   int64
	srv     *httptest.Server
	handler http.Handler
}

func newBenchSite(b *testing.B, slot time.Time) *benchSite {
	s := &benchSite{dir: b.TempDir()}
	mod := slot.Add(-time.Hour)
	for i := 0; i < benchFeeds; i++ {
		body := benchtest.Feed(i, slot)
		p := filepath.Join(s.dir, strconv.Itoa(i)+".xml")
		if err := os.WriteFile(p, body, 0o644); err != nil {
			b.Fatal(err)
		}
		s.files = append(s.files, p)
		s.total += int64(len(body))
	}
	s.handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		i, err := strconv.Atoi(strings.TrimPrefix(r.URL.Path, "/feed/"))
		if err != nil || i < 0 || i >= len(s.files) {
			http.NotFound(w, r)
			return
		}
		etag := `"v1-` + strconv.Itoa(i) + `"`
		w.Header().Set("ETag", etag)
		if r.Header.Get("If-None-Match") == etag {
			// As a web server does, without opening the file: the cost
			// measured is the client's.
			w.Header().Set("Last-Modified", mod.UTC().Format(http.TimeFormat))
			w.WriteHeader(http.StatusNotModified)
			return
		}
		fh, err := os.Open(s.files[i])
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		defer fh.Close()
		ct := "application/rss+xml; charset=utf-8"
		if i%2 == 1 {
			ct = "application/atom+xml; charset=utf-8"
		}
		w.Header().Set("Content-Type", ct)
		// ServeContent sets Last-Modified and answers If-Modified-Since.
		http.ServeContent(w, r, "", mod, fh)
	})
	s.srv = httptest.NewServer(s.handler)
	b.Cleanup(s.srv.Close)
	return s
}

// config writes a project folder of its own (empty seeds, fresh store and
// feed cache) whose config lists every feed.
func (s *benchSite) config(b *testing.B) string {
	dir := b.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "seeds"), 0o755); err != nil {
		b.Fatal(err)
	}
	var c strings.Builder
	fmt.Fprintf(&c, `newsletter:
  title: The Weekly Wrap
  base_url: http://digest.test
  postal_address: "1 Test Street"
timezone: UTC
schedule: "0 7 * * MON"
store: %[1]s/digest.db
cache_dir: %[1]s/cache
secret: bench-secret-0123456789abcdef
out_dir: %[1]s/out
sources:
  seeds: %[1]s/seeds
  feeds:
`, dir)
	for i := 0; i < benchFeeds; i++ {
		fmt.Fprintf(&c, "    - name: Feed %d\n      url: %s/feed/%d\n", i, s.srv.URL, i)
	}
	c.WriteString(`smtp:
  - host: 127.0.0.1
    port: 1
    tls: none
mail:
  from: "The Weekly Wrap <wrap@example.org>"
  domain: example.org
log:
  level: warn
`)
	p := filepath.Join(dir, "config.yaml")
	if err := os.WriteFile(p, []byte(c.String()), 0o644); err != nil {
		b.Fatal(err)
	}
	return p
}

// lastSlot is the latest Monday 07:00 UTC at or before now: every item of
// the fixture lies in the past, and the slot's week is full.
func lastSlot(now time.Time) time.Time {
	d := time.Date(now.Year(), now.Month(), now.Day(), 7, 0, 0, 0, time.UTC)
	for d.Weekday() != time.Monday || d.After(now) {
		d = d.AddDate(0, 0, -1)
	}
	return d
}

// benchUsage is the wall and CPU time (getrusage: the server's share
// included, since it is the same process) of one stage.
type benchUsage struct{ wall, cpu time.Duration }

// least keeps the smaller wall and CPU time of two measurements; a zero u
// counts as none.
func (u benchUsage) least(v benchUsage) benchUsage {
	if u.wall == 0 || v.wall < u.wall {
		u.wall = v.wall
	}
	if u.cpu == 0 || v.cpu < u.cpu {
		u.cpu = v.cpu
	}
	return u
}

// measure runs f under a profiler label (stage=name, inherited by the
// goroutines it starts), so that `go tool pprof -tagfocus stage=304`
// shows one stage alone.
func measure(name string, f func(ctx context.Context)) benchUsage {
	w0, c0 := time.Now(), benchtest.CPUTime()
	pprof.Do(context.Background(), pprof.Labels("stage", name), f)
	return benchUsage{wall: time.Since(w0), cpu: benchtest.CPUTime() - c0}
}

// peakRSS reads the process's high-water resident set (VmHWM) in bytes.
func peakRSS() int64 {
	fh, err := os.Open("/proc/self/status")
	if err != nil {
		return 0
	}
	defer fh.Close()
	sc := bufio.NewScanner(fh)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "VmHWM:"); ok {
			kb, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
			return kb << 10
		}
	}
	return 0
}

// resetPeakRSS starts a new VmHWM period (Linux: "5" to clear_refs), so
// the peak reported is the build's alone; false where that is refused.
func resetPeakRSS() bool {
	return os.WriteFile("/proc/self/clear_refs", []byte("5"), 0) == nil
}

// gofeedAlone parses every feed file with gofeed and nothing else, with as
// many workers as the fetcher parses at once: the floor the build is
// measured against.
func (s *benchSite) gofeedAlone(b *testing.B) {
	var next int
	var mu sync.Mutex
	var wg sync.WaitGroup
	for range runtime.GOMAXPROCS(0) {
		wg.Go(func() {
			p := gofeed.NewParser()
			for {
				mu.Lock()
				i := next
				next++
				mu.Unlock()
				if i >= len(s.files) {
					return
				}
				body, err := os.ReadFile(s.files[i])
				if err != nil {
					b.Error(err)
					return
				}
				f, err := p.Parse(bytes.NewReader(body))
				if err != nil || len(f.Items) != benchItems {
					b.Errorf("gofeed, feed %d: %v", i, err)
					return
				}
			}
		})
	}
	wg.Wait()
}

// buildIssue is one run through the real wiring, as `digest preview` does
// it: config, store, fetcher with its cache, service; fetch every feed,
// gather, curate, render. It returns the number of articles in the issue.
// It also returns how long the wiring took before fetching and how long
// the fetching took (until the last feed was done).
func buildIssue(ctx context.Context, b *testing.B, config string, slot time.Time) (articles int, setup, fetch time.Duration) {
	start := time.Now()
	a := &app{configPath: config}
	defer a.Close()
	svc, err := a.service(ctx)
	if err != nil {
		b.Fatal(err)
	}
	setup = time.Since(start)
	svc.Progress = func(stage string, done, total int) {
		if stage == "feeds" && done == total {
			fetch = time.Since(start) - setup
		}
	}
	is, _, err := svc.Build(ctx, slot)
	if err != nil {
		b.Fatal(err)
	}
	if len(is.Errors) > 0 {
		b.Fatalf("%d sources failed, first: %s: %s", len(is.Errors), is.Errors[0].Source, is.Errors[0].Err)
	}
	p, err := svc.Render.Prepare(&is)
	if err != nil {
		b.Fatal(err)
	}
	if html, text := p.HTML(render.Personal{}), p.Text(render.Personal{}); html == "" || text == "" {
		b.Fatal("empty rendering")
	}
	return is.ArticleCount(), setup, fetch
}

// BenchmarkBuild1000Feeds is issue 5's end-to-end figure: 1,000 feeds of
// 50 items served from 127.0.0.1, built into one issue through the real
// wiring, compared with gofeed alone parsing the same bytes; then a second
// build, wired afresh as a new process would be, on the same store and
// feed cache, against unchanged feeds (all 304).
//
//	go test ./cmd/digest -run '^$' -bench Build1000Feeds -benchtime 1x
func BenchmarkBuild1000Feeds(b *testing.B) {
	slot := lastSlot(time.Now())
	s := newBenchSite(b, slot)
	var gf, first, second benchUsage
	var peak int64
	var setup, fetch, fetch304 time.Duration
	articles := 0
	for b.Loop() {
		gf, first, second, peak = benchUsage{}, benchUsage{}, benchUsage{}, 0
		// The machine is shared: each stage runs benchRounds times,
		// interleaved, and the least time of each counts, so a burst of
		// other work cannot land on one side of a ratio only.
		for range benchRounds {
			config := s.config(b) // a fresh store and feed cache: a cold build
			gf = gf.least(measure("gofeed", func(context.Context) { s.gofeedAlone(b) }))
			// What gofeed alone left behind goes back to the system first.
			debug.FreeOSMemory()
			resetPeakRSS()
			var su, fe time.Duration
			u := measure("build", func(ctx context.Context) { articles, su, fe = buildIssue(ctx, b, config, slot) })
			if first.wall == 0 || u.wall < first.wall {
				setup, fetch = su, fe
			}
			first = first.least(u)
			peak = max(peak, peakRSS())
			var fe2 time.Duration
			u = measure("304", func(ctx context.Context) {
				var n int
				if n, _, fe2 = buildIssue(ctx, b, config, slot); n != articles {
					b.Fatalf("second run: %d articles, first %d", n, articles)
				}
			})
			if second.wall == 0 || u.wall < second.wall {
				fetch304 = fe2
			}
			second = second.least(u)
		}
	}
	b.ReportMetric(float64(s.total)/benchFeeds/1e3, "KB/feed")
	b.ReportMetric(float64(articles), "articles")
	b.ReportMetric(gf.wall.Seconds(), "gofeed-s")
	b.ReportMetric(gf.cpu.Seconds(), "gofeed-cpu-s")
	b.ReportMetric(first.wall.Seconds(), "build-s")
	b.ReportMetric(first.cpu.Seconds(), "build-cpu-s")
	b.ReportMetric(setup.Seconds(), "setup-s")
	b.ReportMetric(fetch.Seconds(), "fetch-s")
	b.ReportMetric(first.wall.Seconds()/gf.wall.Seconds(), "build/gofeed")
	b.ReportMetric(first.cpu.Seconds()/gf.cpu.Seconds(), "build-cpu/gofeed-cpu")
	b.ReportMetric(float64(peak)/1e6, "peak-RSS-MB")
	b.ReportMetric(second.wall.Seconds(), "304-s")
	b.ReportMetric(fetch304.Seconds(), "304-fetch-s")
	b.ReportMetric(second.wall.Seconds()/first.wall.Seconds(), "304/build")
	b.ReportMetric(second.cpu.Seconds()/first.cpu.Seconds(), "304-cpu/build-cpu")
}

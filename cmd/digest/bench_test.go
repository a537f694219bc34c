package main

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
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
	"syscall"
	"testing"
	"time"

	"github.com/mmcdole/gofeed"

	"github.com/weeklywrap/digest/digest/render"
)

// The benchmark's feeds: enough to show what a large operator's weekly run
// costs, each with a realistic history (one item a day) so that a weekly
// window holds about a seventh of what is fetched.
const (
	benchFeeds  = 1000
	benchItems  = 50
	benchRounds = 2
)

var benchWords = strings.Fields(`the harbour council said on tuesday that spring tides would arrive early
this year and that moorings along the north quay must be cleared before the storm season begins
researchers at the university measured water levels for three decades and found a steady rise
fishermen say catches have changed while ferry operators plan new timetables for the winter
engineers proposed a new sea wall although residents argued about its cost and its height
the minister promised funding next spring yet local groups want answers before the election
volunteers counted birds along the estuary and reported fewer terns than last summer`)

func benchSentence(r *rand.Rand) string {
	w := make([]string, 8+r.IntN(13))
	for i := range w {
		w[i] = benchWords[r.IntN(len(benchWords))]
	}
	w[0] = strings.ToUpper(w[0][:1]) + w[0][1:]
	return strings.Join(w, " ") + "."
}

// benchBody is an article of about 2.5 KB with the markup real feeds carry:
// paragraphs with links and emphasis, a heading, a quote, an image, a list,
// entities, and now and then a tracking pixel or a script to sanitize.
func benchBody(r *rand.Rand, feed, item int) string {
	var b strings.Builder
	paras := 3 + r.IntN(3)
	for p := 0; p < paras; p++ {
		switch {
		case p == 2:
			fmt.Fprintf(&b, "<h2>%s</h2>\n", strings.TrimSuffix(benchSentence(r), "."))
		case p == 3 && item%3 == 0:
			fmt.Fprintf(&b, "<blockquote><p>&ldquo;%s&rdquo;</p></blockquote>\n", benchSentence(r))
		}
		b.WriteString("<p>")
		for s := 0; s < 2+r.IntN(2); s++ {
			b.WriteString(benchSentence(r) + " ")
		}
		fmt.Fprintf(&b, `Read <a href="/%d/%d/report.html?utm_source=rss&amp;utm_medium=feed">the <em>full</em> report</a> &amp; <strong>comments</strong>.</p>`+"\n", feed, item)
	}
	fmt.Fprintf(&b, `<figure><img src="/img/%d-%d.jpg" alt="The north quay" width="640" height="360"><figcaption>%s</figcaption></figure>`+"\n", feed, item, benchSentence(r))
	fmt.Fprintf(&b, "<ul><li>%s</li><li>%s</li><li>%s</li></ul>\n", benchSentence(r), benchSentence(r), benchSentence(r))
	if item%4 == 0 {
		fmt.Fprintf(&b, `<img src="https://stats%d.example/pixel.gif?id=%d" width="1" height="1"><script>track(%d)</script>`+"\n", feed, item, item)
	}
	return b.String()
}

// benchFeed writes feed i: RSS 2.0 for even i, Atom for odd, benchItems
// items, one a day (at a random hour) going back from a day or so before
// the slot.
func benchFeed(i int, slot time.Time) []byte {
	r := rand.New(rand.NewPCG(uint64(i), 11))
	newest := slot.Add(-time.Duration(1+r.IntN(60)) * time.Hour)
	var b bytes.Buffer
	atom := i%2 == 1
	if atom {
		fmt.Fprintf(&b, `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="en"><title>Harbour Notes %d</title><subtitle>News from the coast</subtitle>
<link rel="alternate" type="text/html" href="https://site%d.example/"/><link rel="self" href="https://site%d.example/feed.atom"/>
<id>tag:site%d.example,2026:feed</id><updated>%s</updated><generator uri="https://wordpress.org/">WordPress</generator>
`, i, i, i, i, newest.Format(time.RFC3339))
	} else {
		fmt.Fprintf(&b, `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:atom="http://www.w3.org/2005/Atom">
<channel><title>Coastal Weekly %d</title><link>https://site%d.example/</link><description>News from the coast</description>
<atom:link href="https://site%d.example/feed.xml" rel="self" type="application/rss+xml"/><language>en-gb</language><lastBuildDate>%s</lastBuildDate>
`, i, i, i, newest.Format(time.RFC1123Z))
	}
	for j := 0; j < benchItems; j++ {
		when := newest.Add(-time.Duration(j)*24*time.Hour - time.Duration(r.IntN(600))*time.Minute)
		title := strings.TrimSuffix(benchSentence(r), ".")
		slug := fmt.Sprintf("%d/%02d/post-%d", when.Year(), when.Month(), j)
		body := benchBody(r, i, j)
		if atom {
			fmt.Fprintf(&b, `<entry><title type="html">%s</title><link rel="alternate" type="text/html" href="https://site%d.example/%s"/>
<id>tag:site%d.example,2026:post-%d</id><published>%s</published><updated>%s</updated>
<author><name>Writer %d</name></author><category term="coast"/><category term="topic-%d"/>
<summary type="html">%s</summary><content type="html"><![CDATA[%s]]></content></entry>
`, title, i, slug, i, j, when.Format(time.RFC3339), when.Add(time.Hour).Format(time.RFC3339), j%5, j%7, benchSentence(r), body)
		} else {
			fmt.Fprintf(&b, `<item><title>%s</title><link>https://site%d.example/%s</link>
<comments>https://site%d.example/%s#comments</comments><dc:creator><![CDATA[Writer %d]]></dc:creator><pubDate>%s</pubDate>
<category><![CDATA[coast]]></category><category><![CDATA[topic-%d]]></category><guid isPermaLink="false">https://site%d.example/?p=%d</guid>
<description><![CDATA[<p>%s</p>]]></description><content:encoded><![CDATA[%s]]></content:encoded></item>
`, title, i, slug, i, slug, j%5, when.Format(time.RFC1123Z), j%7, i, j, benchSentence(r), body)
		}
	}
	if atom {
		b.WriteString("</feed>\n")
	} else {
		b.WriteString("</channel></rss>\n")
	}
	return b.Bytes()
}

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
		body := benchFeed(i, slot)
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
	w0, c0 := time.Now(), cpuTime()
	pprof.Do(context.Background(), pprof.Labels("stage", name), f)
	return benchUsage{wall: time.Since(w0), cpu: cpuTime() - c0}
}

func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
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

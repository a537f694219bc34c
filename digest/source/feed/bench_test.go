package feed

import (
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/mmcdole/gofeed"
	"github.com/weeklywrap/digest/digest/source/feedparse"
)

const (
	benchFeeds = 1000
	benchItems = 50
)

var benchWords = strings.Fields(`the harbour council said on tuesday that spring tides would arrive early
this year and that moorings along the north quay must be cleared before the storm season begins
researchers at the university measured water levels for three decades and found a steady rise
fishermen say catches have changed while ferry operators plan new timetables for the winter`)

func benchSentence(r *rand.Rand) string {
	n := 8 + r.IntN(14)
	w := make([]string, n)
	for i := range w {
		w[i] = benchWords[r.IntN(len(benchWords))]
	}
	w[0] = strings.ToUpper(w[0][:1]) + w[0][1:]
	return strings.Join(w, " ") + "."
}

// benchHTML is an article body of about 2.4 KB with the markup real feeds
// carry: paragraphs, links, emphasis, an image, a list.
func benchHTML(r *rand.Rand, feed, item int) string {
	var b strings.Builder
	for p := 0; p < 6; p++ {
		b.WriteString("<p>")
		for s := 0; s < 3; s++ {
			b.WriteString(benchSentence(r) + " ")
		}
		fmt.Fprintf(&b, `See <a href="/posts/%d-%d?utm_source=rss">the <em>full</em> report</a>.</p>`, feed, item)
	}
	fmt.Fprintf(&b, `<figure><img src="/img/%d.jpg" alt="harbour"><figcaption>%s</figcaption></figure>`, item, benchSentence(r))
	b.WriteString("<ul><li>" + benchSentence(r) + "</li><li>" + benchSentence(r) + "</li></ul>")
	return b.String()
}

// benchFeed makes feed i: RSS 2.0 for even i, Atom for odd, 50 items.
func benchFeed(i int) []byte {
	r := rand.New(rand.NewPCG(uint64(i), 7))
	base := time.Date(2026, 11, 20, 12, 0, 0, 0, time.UTC)
	var b bytes.Buffer
	atom := i%2 == 1
	if atom {
		fmt.Fprintf(&b, `<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Feed %d</title><link href="https://site%d.example/"/><id>urn:feed:%d</id><updated>%s</updated>`+"\n", i, i, i, base.Format(time.RFC3339))
	} else {
		fmt.Fprintf(&b, `<?xml version="1.0" encoding="utf-8"?><rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel><title>Feed %d</title><link>https://site%d.example/</link><description>Benchmark feed</description>`+"\n", i, i)
	}
	for j := 0; j < benchItems; j++ {
		when := base.Add(-time.Duration(j) * 3 * time.Hour)
		title := benchSentence(r)
		body := benchHTML(r, i, j)
		if atom {
			fmt.Fprintf(&b, `<entry><title>%s</title><link href="https://site%d.example/posts/%d"/><id>urn:post:%d:%d</id><published>%s</published><updated>%s</updated><author><name>Writer %d</name></author><category term="news"/><summary>%s</summary><content type="html"><![CDATA[%s]]></content></entry>`+"\n",
				title, i, j, i, j, when.Format(time.RFC3339), when.Format(time.RFC3339), j%5, benchSentence(r), body)
		} else {
			fmt.Fprintf(&b, `<item><title>%s</title><link>https://site%d.example/posts/%d</link><guid isPermaLink="false">post-%d-%d</guid><pubDate>%s</pubDate><dc:creator>Writer %d</dc:creator><category>news</category><description>%s</description><content:encoded><![CDATA[%s]]></content:encoded></item>`+"\n",
				title, i, j, i, j, when.Format(time.RFC1123Z), j%5, benchSentence(r), body)
		}
	}
	if atom {
		b.WriteString("</feed>\n")
	} else {
		b.WriteString("</channel></rss>\n")
	}
	return b.Bytes()
}

type benchSet struct {
	bodies [][]byte
	total  int64
	srv    *httptest.Server
	feeds  []Options
}

func newBenchSet(b *testing.B) *benchSet {
	s := &benchSet{}
	for i := 0; i < benchFeeds; i++ {
		body := benchFeed(i)
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

// cpuTime is the CPU time the process has used (server included): with
// other work on the machine, wall time alone says little.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func (s *benchSet) report(b *testing.B, start time.Time, cpu0 time.Duration, runs int) {
	sec := time.Since(start).Seconds()
	b.ReportMetric((cpuTime()-cpu0).Seconds()/float64(runs), "cpu-s/run")
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
			start, cpu0 := time.Now(), cpuTime()
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
	start, cpu0 := time.Now(), cpuTime()
	for b.Loop() {
		res := NewFetcher(benchLimits(2), states, nil).FetchAll(context.Background(), s.feeds, time.Time{}, time.Time{}, nil)
		if res[0].Status != http.StatusNotModified {
			b.Fatalf("feed 0: status %d, err %v", res[0].Status, res[0].Err)
		}
		runs++
	}
	s.report(b, start, cpu0, runs)
}

// BenchmarkGofeedParse is gofeed alone on the same bytes: the floor for
// Parse, which adds sanitizing, paragraphs and IDs.
func BenchmarkGofeedParse(b *testing.B) {
	s := newBenchSet(b)
	runs := 0
	start, cpu0 := time.Now(), cpuTime()
	for b.Loop() {
		for _, body := range s.bodies {
			f, err := gofeed.NewParser().Parse(bytes.NewReader(body))
			if err != nil || len(f.Items) != benchItems {
				b.Fatal(err)
			}
		}
		runs++
	}
	s.report(b, start, cpu0, runs)
}

// BenchmarkParse is this package's Parse on the same bytes, without HTTP.
func BenchmarkParse(b *testing.B) {
	s := newBenchSet(b)
	runs := 0
	start, cpu0 := time.Now(), cpuTime()
	for b.Loop() {
		for _, body := range s.bodies {
			arts, err := feedparse.Parse(bytes.NewReader(body), Options{Name: "bench"}, "https://site.example/feed")
			if err != nil || len(arts) != benchItems {
				b.Fatalf("%v, %d articles", err, len(arts))
			}
		}
		runs++
	}
	s.report(b, start, cpu0, runs)
}

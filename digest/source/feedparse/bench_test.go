package feedparse

import (
	"bytes"
	"testing"
	"time"

	"github.com/mmcdole/gofeed"

	"github.com/weeklywrap/digest/internal/benchtest"
)

// benchBodies is benchtest's 1,000 generated feeds, as package feed's
// benchmarks fetch them.
func benchBodies() (bodies [][]byte, total int64) {
	slot := time.Date(2026, 11, 23, 7, 0, 0, 0, time.UTC)
	for i := 0; i < benchtest.Feeds; i++ {
		body := benchtest.Feed(i, slot)
		bodies = append(bodies, body)
		total += int64(len(body))
	}
	return bodies, total
}

func benchReport(b *testing.B, start time.Time, cpu0 time.Duration, runs int, total int64) {
	sec := time.Since(start).Seconds()
	b.ReportMetric((benchtest.CPUTime()-cpu0).Seconds()/float64(runs), "cpu-s/run")
	b.ReportMetric(float64(benchtest.Feeds*runs)/sec, "feeds/s")
	b.ReportMetric(float64(total*int64(runs))/sec/1e6, "MB/s")
	b.ReportMetric(float64(total)/benchtest.Feeds/1e3, "KB/feed")
}

// BenchmarkGofeedParse is gofeed alone on the same bytes: the floor for
// Parse, which adds sanitizing, paragraphs and IDs.
func BenchmarkGofeedParse(b *testing.B) {
	bodies, total := benchBodies()
	runs := 0
	start, cpu0 := time.Now(), benchtest.CPUTime()
	for b.Loop() {
		for _, body := range bodies {
			f, err := gofeed.NewParser().Parse(bytes.NewReader(body))
			if err != nil || len(f.Items) != benchtest.FeedItems {
				b.Fatal(err)
			}
		}
		runs++
	}
	benchReport(b, start, cpu0, runs, total)
}

// BenchmarkParse is Parse on the same bytes, without HTTP.
func BenchmarkParse(b *testing.B) {
	bodies, total := benchBodies()
	runs := 0
	start, cpu0 := time.Now(), benchtest.CPUTime()
	for b.Loop() {
		for _, body := range bodies {
			arts, err := Parse(bytes.NewReader(body), Options{Name: "bench"}, "https://site.example/feed")
			if err != nil || len(arts) != benchtest.FeedItems {
				b.Fatalf("%v, %d articles", err, len(arts))
			}
		}
		runs++
	}
	benchReport(b, start, cpu0, runs, total)
}

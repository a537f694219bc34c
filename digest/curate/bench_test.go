package curate

import (
	"fmt"
	"testing"
)

// BenchmarkBuild builds a whole issue (dedupe, rank, group, summarize) from
// n synthetic articles. A 300-article issue should take under 200 ms on
// one core.
func BenchmarkBuild(b *testing.B) {
	for _, n := range []int{300, 5000, 50000} {
		opt := Options{Now: slot, Topics: weekTopics}
		b.Run(fmt.Sprintf("articles=%d", n), func(b *testing.B) {
			arts := synthetic(n)
			start := cpuTime()
			for b.Loop() {
				Build(arts, opt)
			}
			b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N), "ms/issue")
			if cpu := cpuTime() - start; cpu > 0 {
				// What one core needs, however busy the machine is (run
				// with -cpu 1).
				b.ReportMetric(float64(cpu.Milliseconds())/float64(b.N), "cpu-ms/issue")
			}
			b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "articles/s")
		})
	}
}

// BenchmarkDedupe measures near-duplicate detection alone, up to the 50,000
// feed items issue 5 builds from; it must grow about linearly.
func BenchmarkDedupe(b *testing.B) {
	for _, n := range []int{1000, 10000, 50000} {
		b.Run(fmt.Sprintf("articles=%d", n), func(b *testing.B) {
			arts := synthetic(n)
			for b.Loop() {
				Dedupe(arts)
			}
			b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "articles/s")
		})
	}
}

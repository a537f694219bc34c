package render

import (
	"strconv"
	"testing"
)

// BenchmarkPersonalize measures the per-subscriber cost: both parts for
// 10,000 subscribers per iteration.
func BenchmarkPersonalize(b *testing.B) {
	r := newRenderer(b, "https://wrap.example.com")
	p, err := r.Prepare(bigIssue(30))
	if err != nil {
		b.Fatal(err)
	}
	const subscribers = 10000
	pes := make([]Personal, subscribers)
	for i := range pes {
		id := strconv.Itoa(i)
		pes[i] = Personal{
			Name:           "Reader " + id,
			Email:          "reader" + id + "@example.com",
			UnsubscribeURL: "https://wrap.example.com/unsubscribe?t=" + id,
			PreferencesURL: "https://wrap.example.com/preferences?t=" + id,
		}
	}
	b.ReportAllocs()
	b.ResetTimer()
	var bytes int
	for b.Loop() {
		for _, pe := range pes {
			bytes += len(p.HTML(pe)) + len(p.Text(pe))
		}
	}
	b.ReportMetric(float64(b.N*subscribers)/b.Elapsed().Seconds(), "msgs/s")
	b.ReportMetric(float64(bytes)/float64(b.N*subscribers), "bytes/msg")
}

// BenchmarkPrepare measures the once-per-issue cost of a 30-story issue.
func BenchmarkPrepare(b *testing.B) {
	r := newRenderer(b, "https://wrap.example.com")
	is := bigIssue(30)
	for b.Loop() {
		if _, err := r.Prepare(is); err != nil {
			b.Fatal(err)
		}
	}
}

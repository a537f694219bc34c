package render

import (
	"bytes"
	"strconv"
	"testing"
)

const subscribers = 10000

// BenchmarkPersonalize measures the per-subscriber cost: both parts for
// 10,000 subscribers per iteration, as strings (HTML, Text) and streamed
// into a reused buffer (WriteHTML, WriteText), as a mailer may do.
func BenchmarkPersonalize(b *testing.B) {
	b.Run("strings", func(b *testing.B) {
		benchPersonalize(b, func(p *Prepared, pe Personal, _ *bytes.Buffer) int {
			return len(p.HTML(pe)) + len(p.Text(pe))
		})
	})
	b.Run("write", func(b *testing.B) {
		benchPersonalize(b, func(p *Prepared, pe Personal, buf *bytes.Buffer) int {
			buf.Reset()
			p.WriteHTML(buf, pe)
			p.WriteText(buf, pe)
			return buf.Len()
		})
	})
}

func benchPersonalize(b *testing.B, one func(*Prepared, Personal, *bytes.Buffer) int) {
	r := newRenderer(b, "https://wrap.example.com")
	p, err := r.Prepare(bigIssue(30))
	if err != nil {
		b.Fatal(err)
	}
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
	var size int
	var buf bytes.Buffer
	cpu0 := cpuTime()
	for b.Loop() {
		for _, pe := range pes {
			size += one(p, pe, &buf)
		}
	}
	msgs := float64(b.N * subscribers)
	b.ReportMetric(msgs/b.Elapsed().Seconds(), "msgs/s")
	if cpu := cpuTime() - cpu0; cpu > 0 {
		b.ReportMetric(msgs/cpu.Seconds(), "msgs/cpu-s")
	}
	b.ReportMetric(float64(size)/float64(b.N*subscribers), "bytes/msg")
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

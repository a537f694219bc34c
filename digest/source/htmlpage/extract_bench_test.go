package htmlpage

import (
	"os"
	"path/filepath"
	"testing"
)

// BenchmarkExtract runs Extract over every fixture page in turn and
// reports pages per second on one goroutine.
func BenchmarkExtract(b *testing.B) {
	files, err := filepath.Glob(filepath.Join("testdata", "*.html"))
	if err != nil || len(files) == 0 {
		b.Fatalf("no fixtures: %v", err)
	}
	var pages [][]byte
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			b.Fatal(err)
		}
		pages = append(pages, data)
	}
	n := 0
	for b.Loop() {
		if _, err := Extract(pages[n%len(pages)], Options{URL: "https://example.org/page"}); err != nil {
			b.Fatal(err)
		}
		n++
	}
	b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "pages/s")
}

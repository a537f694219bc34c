package htmlpage

import (
	"flag"
	"os"
	"path/filepath"
	"testing"
)

var benchPages = flag.String("bench.pages", "", "a folder of saved pages (DIR/*.html or DIR/*/page.html) for BenchmarkExtract instead of the fixtures")

// BenchmarkExtract runs Extract over every fixture page in turn, or over
// the pages of -bench.pages (real pages are larger than the fixtures),
// and reports pages per second on one goroutine, of wall time and of CPU
// time.
func BenchmarkExtract(b *testing.B) {
	pattern := filepath.Join("testdata", "*.html")
	var files []string
	if *benchPages != "" {
		files, _ = filepath.Glob(filepath.Join(*benchPages, "*.html"))
		more, _ := filepath.Glob(filepath.Join(*benchPages, "*", "page.html"))
		files = append(files, more...)
	} else {
		files, _ = filepath.Glob(pattern)
	}
	if len(files) == 0 {
		b.Fatal("no pages")
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
	start := cpuTime()
	for b.Loop() {
		// Pages that are not articles may fail; the time still counts.
		_, _ = Extract(pages[n%len(pages)], Options{URL: "https://example.org/page"})
		n++
	}
	b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "pages/s")
	if cpu := cpuTime() - start; cpu > 0 {
		// on a shared machine, the rate per second of CPU is the one
		// that says what one core does
		b.ReportMetric(float64(n)/cpu.Seconds(), "pages/cpu-s")
	}
}

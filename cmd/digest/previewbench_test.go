package main

import (
	"context"
	"fmt"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// previewBenchHosts is how many local servers the benchmark's feeds are
// spread over: each is a host of its own for the per-host limit.
const previewBenchHosts = 20

// childRun is one process's figures.
type childRun struct {
	wall, cpu time.Duration
	rssMB     float64
	out       string
}

// runChild runs the test binary as `digest args...` and returns its wall
// time, CPU time and peak RSS; SENDBENCH_CPUPROFILE=PREFIX writes each
// run's CPU profile to PREFIX-<command>-<time>.prof.
func runChild(b *testing.B, args ...string) childRun {
	b.Helper()
	var env []string
	if prof := os.Getenv("SENDBENCH_CPUPROFILE"); prof != "" {
		env = append(env, fmt.Sprintf("DIGEST_TEST_CPUPROFILE=%s-%s-%d.prof", prof, args[2], time.Now().UnixNano()))
	}
	r, err := execChild(b, nil, env, args...)
	if err != nil {
		b.Fatalf("digest %v: %v\n%s", args, err, r.out)
	}
	return r
}

// BenchmarkPreviewCommand is issue 15's fetch figure through the real
// binary: 1,000 feeds of 50 items on 20 local servers, `digest preview` as
// a process of its own on a fresh store file and feed cache, compared with
// gofeed alone parsing the same bytes in the same run; then the same
// preview again with every feed answering 304, and `digest feeds check`
// on the same (all 304).
//
//	go test ./cmd/digest -run '^$' -bench PreviewCommand -benchtime 1x
func BenchmarkPreviewCommand(b *testing.B) {
	slot := lastSlot(time.Now())
	s := newBenchSite(b, slot)
	urls := []string{s.srv.URL}
	for range previewBenchHosts - 1 {
		srv := httptest.NewServer(s.handler)
		b.Cleanup(srv.Close)
		urls = append(urls, srv.URL)
	}
	var gf benchUsage
	var first, again, check childRun
	for b.Loop() {
		config := s.config(b)
		// The same feeds, spread over the servers.
		data, err := os.ReadFile(config)
		if err != nil {
			b.Fatal(err)
		}
		text := string(data)
		for i := benchFeeds - 1; i >= 0; i-- {
			text = strings.Replace(text, fmt.Sprintf("url: %s/feed/%d\n", s.srv.URL, i),
				fmt.Sprintf("url: %s/feed/%d\n", urls[i%len(urls)], i), 1)
		}
		if err := os.WriteFile(config, []byte(text), 0o644); err != nil {
			b.Fatal(err)
		}
		out := filepath.Join(filepath.Dir(config), "out")
		gf = measure("gofeed", func(_ context.Context) { s.gofeedAlone(b) })
		first = runChild(b, "--config", config, "preview", "--out", out)
		again = runChild(b, "--config", config, "preview", "--out", out)
		check = runChild(b, "--config", config, "feeds", "check")
		n := 0
		for _, line := range strings.Split(check.out, "\n") {
			if f := strings.Fields(line); len(f) > 3 && f[2] == "304" {
				n++
			}
		}
		if n != benchFeeds {
			b.Errorf("feeds check: %d feeds answered 304, want %d:\n%.2000s", n, benchFeeds, check.out)
		}
		if first.out != again.out {
			b.Errorf("the 304 run says something else than the first:\n%s\n%s", first.out, again.out)
		}
	}
	b.Logf("gofeed alone %.2fs (cpu %.2fs); preview %.2fs (cpu %.2fs, peak RSS %.0f MB); again, all 304: %.2fs (cpu %.2fs, %.0f MB); feeds check, all 304: %.2fs (cpu %.2fs, %.0f MB)",
		gf.wall.Seconds(), gf.cpu.Seconds(), first.wall.Seconds(), first.cpu.Seconds(), first.rssMB,
		again.wall.Seconds(), again.cpu.Seconds(), again.rssMB, check.wall.Seconds(), check.cpu.Seconds(), check.rssMB)
	b.ReportMetric(first.wall.Seconds()/gf.wall.Seconds(), "preview/gofeed")
	b.ReportMetric(first.rssMB, "preview-peak-RSS-MB")
	b.ReportMetric(again.wall.Seconds()/first.wall.Seconds(), "304/preview")
	b.ReportMetric(again.cpu.Seconds()/first.cpu.Seconds(), "304-cpu/preview-cpu")
	b.ReportMetric(check.cpu.Seconds(), "check-304-cpu-s")
}

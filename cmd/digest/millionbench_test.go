package main

import (
	"bufio"
	"bytes"
	"context"
	"database/sql"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/weeklywrap/digest/digest/store"
	"github.com/weeklywrap/digest/internal/pgtest"
)

var millionN = flag.Int("million.n", 1_000_000, "subscribers for BenchmarkMillionOnPostgres")

// rssSampler reads a process's resident set every 250 ms.
type rssSampler struct {
	mu      sync.Mutex
	samples []float64 // MB
}

func (r *rssSampler) watch(pid int, done <-chan struct{}) {
	t := time.NewTicker(250 * time.Millisecond)
	defer t.Stop()
	for {
		select {
		case <-done:
			return
		case <-t.C:
		}
		fh, err := os.Open(fmt.Sprintf("/proc/%d/status", pid))
		if err != nil {
			return
		}
		sc := bufio.NewScanner(fh)
		for sc.Scan() {
			if v, ok := strings.CutPrefix(sc.Text(), "VmRSS:"); ok {
				kb, _ := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 64)
				r.mu.Lock()
				r.samples = append(r.samples, kb/1024)
				r.mu.Unlock()
			}
		}
		fh.Close()
	}
}

// quarters returns the largest sample of the second and of the last
// quarter of the run: equal when memory stays flat as the queue drains.
func (r *rssSampler) quarters() (early, late float64) {
	r.mu.Lock()
	defer r.mu.Unlock()
	n := len(r.samples)
	for i, v := range r.samples {
		switch {
		case i >= n/4 && i < n/2:
			early = max(early, v)
		case i >= 3*n/4:
			late = max(late, v)
		}
	}
	return early, late
}

// BenchmarkMillionOnPostgres is issue 15's "a million subscribers on
// PostgreSQL": -million.n confirmed subscribers in a fresh schema; one
// `digest send` builds the issue and enqueues a delivery for each (its
// relay refuses the sender with 451, so it stops there, leaving them all
// pending: its run is the enqueue time); then two `digest send` processes at once, as
// two instances sharing the store, drain the queue into a discard SMTP
// sink. It reports the enqueue time and rate, the drain's rate, and each
// instance's resident memory in the second and the last quarter of the
// drain (flat: the same).
//
//	DIGEST_TEST_POSTGRES=... go test ./cmd/digest -run '^$' -bench MillionOnPostgres -benchtime 1x -timeout 60m
func BenchmarkMillionOnPostgres(b *testing.B) {
	n := *millionN
	var sent int64
	bin, port, _ := smtpBench(b, &sent)
	refusing := refusingSink(b, bin)
	ctx := context.Background()
	var enqueue, drain childRun
	var early, late, peak float64
	for b.Loop() {
		url := pgtest.Schema(b)
		bulkSubscribers(b, url, n)
		db, err := sql.Open("pgx", url)
		if err != nil {
			b.Fatal(err)
		}
		dead := sendBenchEnv(b, refusing, 0, url)
		enqueue = runChildMayFail(b, "--config", dead, "send")
		var pending int
		if err := db.QueryRowContext(ctx, `SELECT COUNT(*) FROM deliveries WHERE state = 'pending'`).Scan(&pending); err != nil || pending != n {
			b.Fatalf("after the enqueue: %d pending, %v; want %d\n%s", pending, err, n, enqueue.out)
		}

		config := sendBenchEnv(b, port, 0, url)
		var wg sync.WaitGroup
		runs := make([]childRun, 2)
		samplers := make([]*rssSampler, 2)
		start := time.Now()
		for i := range runs {
			samplers[i] = &rssSampler{}
			wg.Go(func() { runs[i] = runChildSampled(b, samplers[i], "--config", config, "send") })
		}
		wg.Wait()
		drain = childRun{wall: time.Since(start)}
		for i, r := range runs {
			drain.cpu += r.cpu
			peak = max(peak, r.rssMB)
			e, l := samplers[i].quarters()
			early, late = max(early, e), max(late, l)
			b.Logf("instance %d: %.1fs, cpu %.1fs, peak RSS %.0f MB: %s", i+1, r.wall.Seconds(), r.cpu.Seconds(), r.rssMB, strings.TrimSpace(r.out))
		}
		var done int
		if err := db.QueryRowContext(ctx, `SELECT COUNT(*) FROM deliveries WHERE state = 'sent'`).Scan(&done); err != nil || done != n {
			b.Fatalf("after the drain: %d sent, %v; want %d", done, err, n)
		}
		sent += int64(n)
		db.Close()
	}
	b.Logf("enqueue (digest send: build + %d deliveries): %.1fs, cpu %.1fs, peak RSS %.0f MB; drain by two instances: %.1fs (%.0f msg/s), cpu %.1fs; RSS second quarter %.0f MB, last quarter %.0f MB, peak %.0f MB",
		n, enqueue.wall.Seconds(), enqueue.cpu.Seconds(), enqueue.rssMB, drain.wall.Seconds(), float64(n)/drain.wall.Seconds(),
		drain.cpu.Seconds(), early, late, peak)
	b.ReportMetric(enqueue.wall.Seconds(), "enqueue-s")
	b.ReportMetric(float64(n)/enqueue.wall.Seconds(), "enqueued/s")
	b.ReportMetric(enqueue.rssMB, "enqueue-peak-RSS-MB")
	b.ReportMetric(drain.wall.Seconds(), "drain-s")
	b.ReportMetric(float64(n)/drain.wall.Seconds(), "msgs/s")
	b.ReportMetric(early, "RSS-2nd-quarter-MB")
	b.ReportMetric(late, "RSS-last-quarter-MB")
	b.ReportMetric(peak, "peak-RSS-MB")
}

// refusingSink starts smtpbench's sink answering 451 to every MAIL FROM
// and returns its port.
func refusingSink(b *testing.B, bin string) int {
	b.Helper()
	ready := filepath.Join(b.TempDir(), "port")
	sink := exec.Command(bin, "sink", "-addr", "127.0.0.1:0", "-refuse", "-ready", ready)
	if err := sink.Start(); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() {
		_ = sink.Process.Signal(syscall.SIGTERM)
		_ = sink.Wait()
	})
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if p, err := os.ReadFile(ready); err == nil && len(p) > 0 {
			port, _ := strconv.Atoi(string(p))
			return port
		}
	}
	b.Fatal("the refusing sink did not start")
	return 0
}

// bulkSubscribers migrates the PostgreSQL store at url and adds n
// confirmed subscribers in one statement.
func bulkSubscribers(b *testing.B, url string, n int) {
	b.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, url) // the schema
	if err != nil {
		b.Fatal(err)
	}
	st.Close()
	db, err := sql.Open("pgx", url)
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	if _, err := db.ExecContext(ctx, `INSERT INTO subscribers (email, name, status, created_at, confirmed_at)
		SELECT 'r' || g || '@example.org', 'Reader ' || g, 'confirmed', now(), now() FROM generate_series(1, $1) g`, n); err != nil {
		b.Fatal(err)
	}
}

// runChildMayFail is runChild for a run expected to end in an error.
func runChildMayFail(b *testing.B, args ...string) childRun {
	b.Helper()
	return runChildWith(b, nil, true, args...)
}

func runChildSampled(b *testing.B, s *rssSampler, args ...string) childRun {
	b.Helper()
	return runChildWith(b, s, false, args...)
}

func runChildWith(b *testing.B, s *rssSampler, mayFail bool, args ...string) childRun {
	b.Helper()
	r, err := execChild(b, s, nil, args...)
	if err != nil && !mayFail {
		b.Errorf("digest %v: %v\n%s", args, err, r.out)
	}
	return r
}

// execChild runs the test binary as `digest args...`, with env added to
// this process's environment and s (where not nil) sampling its memory,
// and returns its wall time, CPU time, peak RSS and output, and how it
// ended.
func execChild(b *testing.B, s *rssSampler, env []string, args ...string) (childRun, error) {
	b.Helper()
	bin, err := os.Executable()
	if err != nil {
		b.Fatal(err)
	}
	cmd := exec.Command(bin, args...)
	cmd.Env = append(append(os.Environ(), runMainEnv+"=1"), env...)
	var buf bytes.Buffer
	cmd.Stdout, cmd.Stderr = &buf, &buf
	start := time.Now()
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	done := make(chan struct{})
	if s != nil {
		go s.watch(cmd.Process.Pid, done)
	}
	err = cmd.Wait()
	close(done)
	r := childRun{wall: time.Since(start), out: buf.String()}
	ru := cmd.ProcessState.SysUsage().(*syscall.Rusage)
	r.cpu = time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
	r.rssMB = float64(ru.Maxrss) / 1024
	return r, err
}

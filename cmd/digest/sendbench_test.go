package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/weeklywrap/digest/internal/pgtest"
)

var (
	sendBenchN      = flag.Int("sendbench.n", 100_000, "subscribers for BenchmarkSendCommand")
	sendBenchRounds = flag.Int("sendbench.rounds", 2, "rounds of BenchmarkSendCommand (digest, then raw, alternating)")
	sendBenchStore  = flag.String("sendbench.store", "sqlite", "store of BenchmarkSendCommand: sqlite or postgres (DIGEST_TEST_POSTGRES)")
)

// smtpBench builds internal/cmd/smtpbench (the sink and the raw sender)
// and starts its sink on 127.0.0.1; it returns the binary, the sink's port
// and the file where the sink keeps the first message it gets. The sink's
// count is checked when the benchmark ends.
func smtpBench(b *testing.B, want *int64) (bin string, port int, first string) {
	b.Helper()
	dir := b.TempDir()
	bin = filepath.Join(dir, "smtpbench")
	if out, err := exec.Command("go", "build", "-o", bin, "../../internal/cmd/smtpbench").CombinedOutput(); err != nil {
		b.Fatalf("build smtpbench: %v\n%s", err, out)
	}
	first, ready := filepath.Join(dir, "first.eml"), filepath.Join(dir, "port")
	sink := exec.Command(bin, "sink", "-addr", "127.0.0.1:0", "-keep", first, "-ready", ready)
	var out bytes.Buffer
	sink.Stdout, sink.Stderr = &out, &out
	if err := sink.Start(); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() {
		_ = sink.Process.Signal(syscall.SIGTERM)
		_ = sink.Wait()
		if w := fmt.Sprintf("%d messages received", *want); !strings.Contains(out.String(), w) {
			b.Errorf("the sink says %q, want %q", strings.TrimSpace(out.String()), w)
		}
	})
	for deadline := time.Now().Add(30 * time.Second); ; {
		if p, err := os.ReadFile(ready); err == nil && len(p) > 0 {
			port, _ = strconv.Atoi(string(p))
			return bin, port, first
		}
		if time.Now().After(deadline) {
			b.Fatalf("the sink did not start: %s", out.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// sendBenchEnv is a project folder whose store holds n confirmed
// subscribers and no issue yet: what `digest send` starts from.
func sendBenchEnv(b *testing.B, port, n int, storeURL string) (config string) {
	b.Helper()
	root := repoRoot(b)
	dir := b.TempDir()
	if storeURL == "" {
		storeURL = filepath.Join(dir, "digest.db")
	}
	cfg := fmt.Sprintf(`newsletter:
  title: The Weekly Wrap
  base_url: http://digest.test
  postal_address: "1 Test Street"
schedule: "0 7 * * MON"
store: %q
secret: bench-secret-0123456789abcdef-0123456789
out_dir: %s/out
cache_dir: %s/cache
sources:
  seeds: %s/seeds
  feeds:
    - name: Net Policy Notes
      url: %s/seeds/feeds/netpolicy.xml
    - name: Open Source Weekly Notes
      url: %s/seeds/feeds/opensource.atom
    - name: Community Radio
      url: %s/seeds/feeds/community.json
smtp:
  - host: 127.0.0.1
    port: %d
    tls: none
mail:
  from: "The Weekly Wrap <wrap@example.org>"
  domain: example.org
  connections: 4
log:
  level: warn
`, storeURL, dir, dir, root, root, root, root, port)
	config = filepath.Join(dir, "config.yaml")
	if err := os.WriteFile(config, []byte(cfg), 0o644); err != nil {
		b.Fatal(err)
	}
	if n == 0 {
		return config
	}
	readers := filepath.Join(dir, "readers.csv")
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	_ = w.Write([]string{"email", "name"})
	for i := range n {
		_ = w.Write([]string{fmt.Sprintf("r%07d@example.org", i), fmt.Sprintf("Reader %d", i)})
	}
	w.Flush()
	if err := os.WriteFile(readers, buf.Bytes(), 0o644); err != nil {
		b.Fatal(err)
	}
	rootCmd, a := newRoot()
	defer a.Close()
	var out bytes.Buffer
	rootCmd.SetOut(&out)
	rootCmd.SetErr(&out)
	rootCmd.SetArgs([]string{"--config", config, "subscribers", "import", readers, "--confirmed"})
	if err := rootCmd.ExecuteContext(context.Background()); err != nil {
		b.Fatalf("import: %v\n%s", err, out.String())
	}
	return config
}

// runSendCommand runs `digest send` as a process of its own and returns
// its wall time, CPU time and peak RSS.
func runSendCommand(b *testing.B, config string) (wall, cpu time.Duration, rssMB float64, out string) {
	b.Helper()
	bin, err := os.Executable()
	if err != nil {
		b.Fatal(err)
	}
	cmd := exec.Command(bin, "--config", config, "send")
	cmd.Env = append(os.Environ(), runMainEnv+"=1")
	if prof := os.Getenv("SENDBENCH_CPUPROFILE"); prof != "" {
		cmd.Env = append(cmd.Env, "DIGEST_TEST_CPUPROFILE="+prof)
	}
	var buf bytes.Buffer
	cmd.Stdout, cmd.Stderr = &buf, &buf
	start := time.Now()
	if err := cmd.Run(); err != nil {
		b.Fatalf("digest send: %v\n%s", err, buf.String())
	}
	wall = time.Since(start)
	ru := cmd.ProcessState.SysUsage().(*syscall.Rusage)
	cpu = time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
	return wall, cpu, float64(ru.Maxrss) / 1024, buf.String()
}

// rawSend runs smtpbench raw: eml sent n times with plain go-mail
// clients over conns connections, as a process of its own, the floor
// `digest send` is measured against.
func rawSend(b *testing.B, bin string, port, conns, n int, eml string) (wall, cpu time.Duration) {
	b.Helper()
	cmd := exec.Command(bin, "raw", "-addr", fmt.Sprintf("127.0.0.1:%d", port), "-conns", strconv.Itoa(conns),
		"-n", strconv.Itoa(n), "-eml", eml)
	start := time.Now()
	if out, err := cmd.CombinedOutput(); err != nil {
		b.Fatalf("smtpbench raw: %v\n%s", err, out)
	}
	wall = time.Since(start)
	ru := cmd.ProcessState.SysUsage().(*syscall.Rusage)
	return wall, time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkSendCommand is issue 15's send figure through the real binary:
// `digest send` as a process of its own, on a real store (a SQLite file,
// or PostgreSQL with -sendbench.store=postgres) holding -sendbench.n
// confirmed subscribers, builds the issue, queues it and sends it over 4
// connections to a discard SMTP sink on 127.0.0.1; in the same run, raw
// go-mail sends the message digest sent (pre-rendered) as many times over 4
// connections to the same sink. The two alternate, and the ratio is taken
// round by round, so the machine's load falls on both.
//
//	go test ./cmd/digest -run '^$' -bench SendCommand -benchtime 1x [-sendbench.store postgres]
func BenchmarkSendCommand(b *testing.B) {
	n := *sendBenchN
	var sent int64
	bin, port, first := smtpBench(b, &sent)
	var digestWall, rawWall, ratioSum, cpuRatioSum, cpu, rss float64
	rounds := 0
	for b.Loop() {
		for r := range *sendBenchRounds {
			storeURL := ""
			if *sendBenchStore == "postgres" {
				storeURL = pgtest.Schema(b)
			}
			var config string
			if storeURL != "" {
				// The CLI's import writes row by row: on PostgreSQL that is
				// a commit each, minutes for the set-up alone.
				bulkSubscribers(b, storeURL, n)
				config = sendBenchEnv(b, port, 0, storeURL)
			} else {
				config = sendBenchEnv(b, port, n, storeURL)
			}
			wall, c, mb, out := runSendCommand(b, config)
			if want := fmt.Sprintf("%d sent, 0 failed, 0 retried this run; queue: %d sent, 0 failed, 0 pending", n, n); !strings.Contains(out, want) {
				b.Fatalf("round %d: digest send did not mark every delivery sent (want %q):\n%s", r, want, out)
			}
			raw, rawCPU := rawSend(b, bin, port, 4, n, first)
			sent += 2 * int64(n)
			b.Logf("round %d: digest send %.1fs (%.0f msg/s, cpu %.1fs, peak RSS %.0f MB), raw go-mail %.1fs (%.0f msg/s, cpu %.1fs): %.0f%% (cpu %.2fx)",
				r, wall.Seconds(), float64(n)/wall.Seconds(), c.Seconds(), mb, raw.Seconds(), float64(n)/raw.Seconds(),
				rawCPU.Seconds(), 100*raw.Seconds()/wall.Seconds(), c.Seconds()/rawCPU.Seconds())
			digestWall += wall.Seconds()
			rawWall += raw.Seconds()
			ratioSum += raw.Seconds() / wall.Seconds()
			cpu += c.Seconds()
			cpuRatioSum += c.Seconds() / rawCPU.Seconds()
			rss = max(rss, mb)
			rounds++
		}
	}
	if fi, err := os.Stat(first); err == nil {
		b.ReportMetric(float64(fi.Size()), "msg-bytes")
	}
	b.ReportMetric(float64(n*rounds)/digestWall, "digest-msgs/s")
	b.ReportMetric(float64(n*rounds)/rawWall, "raw-msgs/s")
	b.ReportMetric(100*ratioSum/float64(rounds), "%-of-raw")
	b.ReportMetric(cpu/float64(rounds), "digest-cpu-s")
	b.ReportMetric(cpuRatioSum/float64(rounds), "cpu/raw-cpu")
	b.ReportMetric(rss, "peak-RSS-MB")
}

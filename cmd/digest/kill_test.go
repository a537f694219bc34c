package main

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime/pprof"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/weeklywrap/digest/digest"
	"github.com/weeklywrap/digest/digest/store"
	"github.com/weeklywrap/digest/internal/logtest"
	"github.com/weeklywrap/digest/internal/mailpittest"
)

// runMainEnv makes the test binary act as the digest command, so tests can
// run the real CLI as a process of its own (and kill it) without a build.
const runMainEnv = "DIGEST_TEST_RUN_MAIN"

func init() {
	if os.Getenv(runMainEnv) == "1" {
		// A benchmark may ask for the child's CPU profile.
		if path := os.Getenv("DIGEST_TEST_CPUPROFILE"); path != "" {
			if f, err := os.Create(path); err == nil && pprof.StartCPUProfile(f) == nil {
				main()
				pprof.StopCPUProfile()
				f.Close()
				if mp := os.Getenv("DIGEST_TEST_MEMPROFILE"); mp != "" {
					if f, err := os.Create(mp); err == nil {
						_ = pprof.Lookup("allocs").WriteTo(f, 0)
						f.Close()
					}
				}
				os.Exit(0)
			}
		}
		main()
		os.Exit(0)
	}
}

// cliBinary returns the path of a binary that runs as `digest` with
// runMainEnv set: this test binary.
func cliBinary(t *testing.T) string {
	t.Helper()
	bin, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	return bin
}

// child is `digest ...` running as a process of its own.
type child struct {
	cmd  *exec.Cmd
	out  *logtest.Buffer
	done chan error
}

func startChild(t *testing.T, bin, config string, args ...string) *child {
	t.Helper()
	c := &child{out: &logtest.Buffer{}, done: make(chan error, 1)}
	c.cmd = exec.Command(bin, append([]string{"--config", config}, args...)...)
	c.cmd.Env = append(os.Environ(), runMainEnv+"=1")
	c.cmd.Stdout, c.cmd.Stderr = c.out, c.out
	if err := c.cmd.Start(); err != nil {
		t.Fatalf("start digest %v: %v", args, err)
	}
	go func() { c.done <- c.cmd.Wait() }()
	t.Cleanup(func() {
		if c.cmd.ProcessState == nil {
			_ = c.cmd.Process.Kill()
			<-c.done
		}
	})
	return c
}

// rssMB is the child's peak resident memory, in MB, once it has exited.
func (c *child) rssMB() float64 {
	if c.cmd.ProcessState == nil {
		return 0
	}
	ru, ok := c.cmd.ProcessState.SysUsage().(*syscall.Rusage)
	if !ok {
		return 0
	}
	return float64(ru.Maxrss) / 1024
}

// wait returns the exit error, failing the test after d.
func (c *child) wait(t *testing.T, d time.Duration) error {
	t.Helper()
	select {
	case err := <-c.done:
		return err
	case <-time.After(d):
		t.Fatalf("digest did not exit within %s; output:\n%s", d, c.out)
		return nil
	}
}

// importReaders puts n confirmed subscribers on the list through
// `subscribers import`.
func importReaders(t *testing.T, e *testEnv, n int) {
	t.Helper()
	path := filepath.Join(e.dir, "readers.csv")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	w := csv.NewWriter(f)
	_ = w.Write([]string{"email", "name"})
	for i := range n {
		_ = w.Write([]string{fmt.Sprintf("r%05d@example.org", i), fmt.Sprintf("Reader %d", i)})
	}
	w.Flush()
	if err := f.Close(); err != nil || w.Error() != nil {
		t.Fatal(err, w.Error())
	}
	e.mustRun(t, "subscribers", "import", path, "--confirmed")
}

// openStoreOf opens the env's store from the test, as another process would.
func openStoreOf(t *testing.T, e *testEnv) digest.Store {
	t.Helper()
	st, err := store.Open(context.Background(), filepath.Join(e.dir, "digest.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

// duplicates counts, from Mailpit, the addresses that got the issue and
// the extra copies beyond one each.
func duplicates(t *testing.T, e *testEnv) (addresses, extra int, dupAddrs []string) {
	t.Helper()
	per := subjectsByAddress(t, e)
	for a, subj := range per {
		if len(subj) > 1 {
			extra += len(subj) - 1
			dupAddrs = append(dupAddrs, a)
		}
	}
	return len(per), extra, dupAddrs
}

// SIGKILL `digest serve` in the middle of sending an issue to 5,000
// readers, restart it, and let it finish: Mailpit then holds one message
// per reader, apart from at most one duplicate per SMTP connection (a
// message the relay accepted in the instant before the kill, before the
// store heard of it).
func TestKillMidSendThenRestart(t *testing.T) {
	if testing.Short() {
		t.Skip("slow: 5,000 messages through Mailpit")
	}
	t.Parallel() // waits on Mailpit mostly; overlaps the other slow tests
	const (
		readers     = 5000
		connections = 2 // the env's mail.connections
	)
	ctx := context.Background()
	bin := cliBinary(t)
	e := newEnv(t, envOpts{Mailpit: true, PerSecond: 300})
	e.appendConfig(t, "listen: 127.0.0.1:0\n")
	// A short claim lease, so the restart below can take over the dead
	// process's claims after a real wait instead of ten minutes.
	text, _ := os.ReadFile(e.config)
	if err := os.WriteFile(e.config, []byte(strings.Replace(string(text), "mail:\n", "mail:\n  claim_lease: 2s\n", 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	e.smallIssue(t)
	importReaders(t, e, readers)

	// The slot's tick built issue #1; the daemon goes down before sending.
	built := startClocked(t, e, time.Now())
	if _, created, err := built.svc.BuildOnce(ctx, built.svc.Slots.AtOrBefore(time.Now())); err != nil || !created {
		t.Fatalf("build issue #1: %v", err)
	}
	st := openStoreOf(t, e)

	start := time.Now()
	first := startChild(t, bin, e.config, "serve")
	got := e.mp.WaitCount(t, readers/3, 60*time.Second)
	if got >= readers {
		t.Fatalf("the send finished before the kill (%d messages); raise the load", got)
	}
	if err := first.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	err := first.wait(t, 10*time.Second)
	killedAfter := time.Since(start)
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.Sys().(syscall.WaitStatus).Signal() != syscall.SIGKILL {
		t.Fatalf("first run did not die of SIGKILL: %v\n%s", err, first.out)
	}
	time.Sleep(200 * time.Millisecond) // let Mailpit store what it accepted
	atKill := e.mp.Count(t)
	qs, _ := st.QueueStats(ctx, 1)
	t.Logf("killed after %s: Mailpit holds %d, queue %d sent, %d sending, %d pending (%.0f msg/s)",
		killedAfter.Round(time.Millisecond), atKill, qs.Sent, qs.Sending, qs.Pending, float64(atKill)/killedAfter.Seconds())
	if qs.Sending == 0 || qs.Sent+qs.Sending+qs.Pending != readers {
		t.Errorf("queue after the kill: %+v; want claimed rows left behind and %d in all", qs, readers)
	}
	if inFlight := atKill - qs.Sent; inFlight < 0 || inFlight > connections {
		t.Errorf("Mailpit holds %d messages the store does not know as sent; at most %d may be in flight", inFlight, connections)
	}
	time.Sleep(2500 * time.Millisecond) // the killed process's claims run out (mail.claim_lease)

	restart := time.Now()
	second := startChild(t, bin, e.config, "serve")
	waitFor(t, "the restarted daemon to finish issue #1", 90*time.Second, func() bool {
		qs, err := st.QueueStats(ctx, 1)
		return err == nil && qs.Pending+qs.Sending == 0
	})
	resumed := time.Since(restart)
	if err := second.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	if err := second.wait(t, 30*time.Second); err != nil {
		t.Errorf("daemon exit on SIGTERM: %v\n%s", err, second.out)
	}
	time.Sleep(200 * time.Millisecond)

	qs, _ = st.QueueStats(ctx, 1)
	total := e.mp.Count(t)
	addrs, extra, dups := duplicates(t, e)
	t.Logf("restart sent %d in %s (%.0f msg/s); Mailpit holds %d messages for %d addresses; %d duplicates %v (limit %d, one per connection)",
		total-atKill, resumed.Round(time.Millisecond), float64(total-atKill)/resumed.Seconds(), total, addrs, extra, dups, connections)
	if qs.Sent != readers || qs.Failed != 0 {
		t.Errorf("queue at the end: %+v, want %d sent", qs, readers)
	}
	if addrs != readers {
		t.Errorf("%d readers got the issue, want all %d", addrs, readers)
	}
	if extra > connections || total != readers+extra {
		t.Errorf("%d duplicates (%d messages for %d readers); at most %d allowed", extra, total, readers, connections)
	}
	if n, _ := st.NextIssueNumber(ctx); n != 2 {
		t.Errorf("the restart built another issue (next number %d)", n)
	}
	if strings.Contains(second.out.String(), "level=ERROR") {
		t.Errorf("restarted daemon logged errors:\n%s", second.out)
	}
}

// SIGTERM in the middle of a send: the process finishes the messages in
// flight, stops claiming, and exits with status 0; every message Mailpit
// got is recorded as sent, nothing stays claimed, and the rest is pending
// for the next start, which sends each reader exactly one copy.
func TestSIGTERMMidSend(t *testing.T) {
	if testing.Short() {
		t.Skip("slow: runs the CLI as a process")
	}
	t.Parallel() // waits on Mailpit mostly; overlaps the other slow tests
	const readers = 200
	bin := cliBinary(t)
	for _, cmd := range []string{"send", "serve"} {
		t.Run(cmd, func(t *testing.T) {
			ctx := context.Background()
			e := newEnv(t, envOpts{Mailpit: true, PerSecond: 40})
			e.appendConfig(t, "listen: 127.0.0.1:0\n")
			e.smallIssue(t)
			importReaders(t, e, readers)
			if cmd == "serve" { // the daemon sends an issue its tick built
				c := startClocked(t, e, time.Now())
				if _, _, err := c.svc.BuildOnce(ctx, c.svc.Slots.AtOrBefore(time.Now())); err != nil {
					t.Fatal(err)
				}
			}
			p := startChild(t, bin, e.config, cmd)
			e.mp.WaitCount(t, 60, 30*time.Second)
			if err := p.cmd.Process.Signal(syscall.SIGTERM); err != nil {
				t.Fatal(err)
			}
			if err := p.wait(t, 20*time.Second); err != nil {
				t.Fatalf("exit after SIGTERM: %v; want status 0\n%s", err, p.out)
			}
			time.Sleep(200 * time.Millisecond)
			st := openStoreOf(t, e)
			qs, err := st.QueueStats(ctx, 1)
			if err != nil {
				t.Fatal(err)
			}
			got := e.mp.Count(t)
			t.Logf("stopped with %d sent, %d pending, %d sending; Mailpit holds %d", qs.Sent, qs.Pending, qs.Sending, got)
			if qs.Sending != 0 || qs.Sent != got || qs.Pending == 0 || qs.Sent+qs.Pending != readers {
				t.Errorf("after SIGTERM: queue %+v, Mailpit %d; want every sent message recorded, none claimed, the rest pending", qs, got)
			}
			if cmd == "send" && !strings.Contains(p.out.String(), "stopped: the messages in flight were finished") {
				t.Errorf("send did not say it stopped:\n%s", p.out)
			}
			if strings.Contains(p.out.String(), "remaining") {
				t.Errorf("a progress bar was drawn although stderr is not a terminal:\n%s", p.out)
			}
			if out := e.mustRun(t, "send"); !strings.Contains(out, "resumed unfinished issue #1") {
				t.Errorf("the next send did not resume: %s", out)
			}
			if addrs, extra, _ := duplicates(t, e); addrs != readers || extra != 0 {
				t.Errorf("%d readers got the issue with %d duplicates; want %d and none", addrs, extra, readers)
			}
		})
	}
}

// smallIssue leaves one short seed and no feeds, so that each message is a
// few kilobytes: Mailpit, not the sender, sets the pace of these tests, and
// it takes small messages several times faster.
func (e *testEnv) smallIssue(t *testing.T) {
	t.Helper()
	entries, err := os.ReadDir(e.seeds)
	if err != nil {
		t.Fatal(err)
	}
	for _, en := range entries {
		if err := os.RemoveAll(filepath.Join(e.seeds, en.Name())); err != nil {
			t.Fatal(err)
		}
	}
	e.addSeed(t, "001_only.md", "---\ntitle: The only story this week\nauthor: Ed\n---\n\nA short issue keeps the test fast. It still has a summary.\n")
	cfg, err := os.ReadFile(e.config)
	if err != nil {
		t.Fatal(err)
	}
	text := string(cfg)
	i, j := strings.Index(text, "  feeds:\n"), strings.Index(text, "smtp:\n")
	if i < 0 || j < i {
		t.Fatal("config template changed: no feeds block before smtp")
	}
	if err := os.WriteFile(e.config, []byte(text[:i]+text[j:]), 0o644); err != nil {
		t.Fatal(err)
	}
}

// bundledEnv is a project folder with the repository's own config.yaml
// and seeds, changed only where this machine differs: the relay is a
// Mailpit on a free port, and the sample feed on the internet is left out
// (there is no network here).
func bundledEnv(t *testing.T) *testEnv {
	t.Helper()
	root := repoRoot(t)
	e := &testEnv{dir: t.TempDir()}
	e.seeds = filepath.Join(e.dir, "seeds")
	if err := os.CopyFS(e.seeds, os.DirFS(filepath.Join(root, "seeds"))); err != nil {
		t.Fatal(err)
	}
	e.mp = mailpittest.Start(t)
	data, err := os.ReadFile(filepath.Join(root, "config.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	cfg := string(data)
	i := strings.Index(cfg, "    - name: The Go Blog")
	j := strings.Index(cfg, "\nsummary:")
	if i < 0 || j < i || !strings.Contains(cfg, "port: 1025\n") {
		t.Fatal("config.yaml changed: no Go Blog feed before summary, or no port 1025")
	}
	cfg = cfg[:i] + cfg[j:]
	cfg = strings.Replace(cfg, "port: 1025\n", fmt.Sprintf("port: %d\n", e.mp.SMTPPort), 1)
	e.config = filepath.Join(e.dir, "config.yaml")
	if err := os.WriteFile(e.config, []byte(cfg), 0o644); err != nil {
		t.Fatal(err)
	}
	return e
}

// kill -9 of `digest send` in the middle of 3,000 subscribers, then
// `digest send` again at once, with the bundled config: the second run
// sends what was pending, waits for the dead run's claims to run out
// (mail.claim_lease, 15 s: nobody renews them) and sends those too.
// Everyone has exactly one copy, apart from at most one per connection
// (a message the relay accepted in the instant before the kill). How long
// that takes is logged, not asserted (a loaded machine is slow, not wrong);
// the second run's deadline only catches a run that waits for ever.
func TestKillSendThenSendAgain(t *testing.T) {
	if testing.Short() {
		t.Skip("slow: 3,000 messages through Mailpit")
	}
	t.Parallel()
	const (
		readers     = 3000
		connections = 4 // the bundled config's mail.connections
	)
	ctx := context.Background()
	bin := cliBinary(t)
	e := bundledEnv(t)
	importReaders(t, e, readers)

	first := startChild(t, bin, e.config, "send")
	e.mp.WaitCount(t, readers/4, 120*time.Second)
	if err := first.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	killed := time.Now()
	_ = first.wait(t, 10*time.Second)
	atKill := e.mp.Count(t)
	if atKill >= readers {
		t.Fatalf("the send finished before the kill (%d messages)", atKill)
	}

	second := startChild(t, bin, e.config, "send")
	if err := second.wait(t, 5*time.Minute); err != nil {
		t.Fatalf("second send: %v\n%s", err, second.out)
	}
	done := time.Since(killed)
	time.Sleep(200 * time.Millisecond) // let Mailpit store what it accepted
	st := openStoreOf(t, e)
	qs, _ := st.QueueStats(ctx, 1)
	addrs, extra, dups := duplicates(t, e)
	rss := second.rssMB()
	t.Logf("killed at %d messages; the second send finished %.1f s after the kill: reached %d, lost %d, duplicated %d %v, queue %+v, peak RSS %.0f MB\n%s",
		atKill, done.Seconds(), addrs, readers-addrs, extra, dups, qs, rss, second.out)
	if !strings.Contains(second.out.String(), "resumed unfinished issue #1") {
		t.Errorf("the second send did not resume issue #1:\n%s", second.out)
	}
	if addrs != readers || qs != (digest.QueueStats{Sent: readers}) {
		t.Errorf("%d of %d readers got the issue; queue %+v", addrs, readers, qs)
	}
	if extra > connections {
		t.Errorf("%d duplicates, at most %d (one per connection) allowed", extra, connections)
	}
	if n, _ := st.NextIssueNumber(ctx); n != 2 {
		t.Errorf("next issue number %d: the second send built another issue", n)
	}
}

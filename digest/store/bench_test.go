package store

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"os"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/weeklywrap/digest/digest"
	"github.com/weeklywrap/digest/internal/pgtest"
)

var benchStores = []struct {
	name string
	open opener
}{
	{"sqlite", openSQLiteTest},
	{"postgres", openPostgresTest},
}

// bulkConfirmed adds n confirmed subscribers in one transaction, so that a
// benchmark's set-up does not wait for n commits.
func bulkConfirmed(b *testing.B, st digest.Store, n int) {
	b.Helper()
	s := st.(*db)
	ctx := context.Background()
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		ins, err := tx.PrepareContext(ctx, s.d.q(`INSERT INTO subscribers (email, status, created_at) VALUES (?, ?, ?)`))
		if err != nil {
			return err
		}
		defer ins.Close()
		for i := range n {
			if _, err := ins.ExecContext(ctx, fmt.Sprintf("b%07d@example.org", i), string(digest.StatusConfirmed), s.d.t(time.Now())); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		b.Fatalf("bulk subscribers: %v", err)
	}
}

// BenchmarkCreateIssue measures building the queue of one issue for a list
// of 10,000 confirmed subscribers.
func BenchmarkCreateIssue(b *testing.B) {
	const subscribers = 10_000
	for _, bs := range benchStores {
		b.Run(bs.name, func(b *testing.B) {
			s := bs.open(b)
			bulkConfirmed(b, s, subscribers)
			ctx := context.Background()
			n := 0
			for b.Loop() {
				n++
				_, created, err := s.CreateIssue(ctx, digest.StoredIssue{Issue: digest.Issue{Slot: slot(n)}}, []string{fmt.Sprint(n)})
				if err != nil || !created {
					b.Fatalf("create %d: %v %v", n, created, err)
				}
			}
			b.ReportMetric(float64(n*subscribers)/b.Elapsed().Seconds(), "deliveries/s")
		})
	}
}

// BenchmarkClaimMark measures the worker's loop over the store: claim a
// batch, mark each delivery sent.
func BenchmarkClaimMark(b *testing.B) {
	const batch = 50
	for _, bs := range benchStores {
		b.Run(bs.name, func(b *testing.B) {
			s := bs.open(b)
			bulkConfirmed(b, s, 2_000)
			ctx := context.Background()
			issue, rows := 0, 0
			for b.Loop() {
				ds, err := s.ClaimDeliveries(ctx, "test", issue, batch, time.Minute)
				if err != nil {
					b.Fatal(err)
				}
				if len(ds) == 0 {
					b.StopTimer()
					issue = mustCreate(b, s, issue+1).Number
					b.StartTimer()
					continue
				}
				for _, d := range ds {
					if err := s.MarkSent(ctx, d.ID, "<m@x>"); err != nil {
						b.Fatal(err)
					}
				}
				rows += len(ds)
			}
			b.ReportMetric(float64(rows)/b.Elapsed().Seconds(), "rows/s")
		})
	}
}

// BenchmarkDrainParallel drains one issue of 2,000 deliveries with 8
// workers claiming and marking at once, as a mailer with concurrency does;
// on PostgreSQL their commits share WAL flushes.
func BenchmarkDrainParallel(b *testing.B) {
	const (
		subscribers = 2_000
		workers     = 8
		batch       = 25
	)
	for _, bs := range benchStores {
		b.Run(bs.name, func(b *testing.B) {
			s := bs.open(b)
			bulkConfirmed(b, s, subscribers)
			ctx := context.Background()
			issue, rows := 0, 0
			for b.Loop() {
				b.StopTimer()
				issue = mustCreate(b, s, issue+1).Number
				b.StartTimer()
				var (
					wg   sync.WaitGroup
					mu   sync.Mutex
					errs []error
				)
				for range workers {
					wg.Go(func() {
						for {
							ds, err := s.ClaimDeliveries(ctx, "test", issue, batch, time.Minute)
							for _, d := range ds {
								if err == nil {
									err = s.MarkSent(ctx, d.ID, "<m@x>")
								}
							}
							mu.Lock()
							rows += len(ds)
							if err != nil {
								errs = append(errs, err)
							}
							mu.Unlock()
							if err != nil || len(ds) == 0 {
								return
							}
						}
					})
				}
				wg.Wait()
				if len(errs) > 0 {
					b.Fatal(errs[0])
				}
			}
			b.ReportMetric(float64(rows)/b.Elapsed().Seconds(), "rows/s")
		})
	}
}

// BenchmarkSendPath runs the store's part of a bulk send as the mailer
// does it with 4 connections: claim 64 deliveries, read their subscribers
// in one query, mark them sent 4 at a time (one transaction per round of
// the connections, see mailer's recorder). One op is one claim; the
// metrics are per delivery: cpu-µs/delivery is this process's CPU (all of
// SQLite's work, the client's for PostgreSQL), pg-µs/delivery that of the
// PostgreSQL server's backends serving the benchmark, when they run on
// this machine (Linux).
func BenchmarkSendPath(b *testing.B) {
	const (
		subscribers = 4_000
		claim       = 64
		markBatch   = 4
	)
	for _, bs := range []struct {
		name string
		open opener
	}{
		{"sqlite", openSQLiteTest},
		{"postgres", openPostgresBench},
	} {
		b.Run(bs.name, func(b *testing.B) {
			s := bs.open(b)
			bulkConfirmed(b, s, subscribers)
			ctx := context.Background()
			m := newCPUMeter(b, s.(*db))
			issue, rows := 0, 0
			marks := make([]digest.SentMark, 0, markBatch)
			ids := make([]int64, 0, claim)
			m.start()
			for b.Loop() {
				ds, err := s.ClaimDeliveries(ctx, "test", issue, claim, time.Minute)
				if err != nil {
					b.Fatal(err)
				}
				if len(ds) == 0 {
					b.StopTimer()
					m.stop()
					issue = mustCreate(b, s, issue+1).Number
					m.start()
					b.StartTimer()
					continue
				}
				ids = ids[:0]
				for _, d := range ds {
					ids = append(ids, d.SubscriberID)
				}
				if subs, err := s.SubscribersByID(ctx, ids); err != nil || len(subs) != len(ds) {
					b.Fatalf("subscribers: %d of %d, %v", len(subs), len(ds), err)
				}
				for i := 0; i < len(ds); i += markBatch {
					marks = marks[:0]
					for _, d := range ds[i:min(i+markBatch, len(ds))] {
						marks = append(marks, digest.SentMark{ID: d.ID, MessageID: fmt.Sprintf("<%d@x>", d.ID)})
					}
					if missing, err := s.MarkSentMany(ctx, marks); err != nil || len(missing) > 0 {
						b.Fatalf("mark: missing %v, %v", missing, err)
					}
				}
				rows += len(ds)
			}
			m.stop()
			m.report(rows)
		})
	}
}

// openPostgresBench opens a store on a fresh schema whose connections
// carry the schema's name as application_name, so that cpuMeter can find
// the server processes that serve this benchmark and no one else.
func openPostgresBench(t testing.TB) digest.Store {
	t.Helper()
	u, err := url.Parse(pgtest.Schema(t))
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set("application_name", q.Get("search_path"))
	u.RawQuery = q.Encode()
	s, err := Open(context.Background(), u.String())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// cpuMeter adds up the CPU time of this process and, for PostgreSQL on
// this machine, of the server processes behind the store's connections,
// over the spans between start and stop.
type cpuMeter struct {
	b           *testing.B
	s           *db
	app         string // application_name of the store's connections
	self, srv   time.Duration
	self0, srv0 time.Duration
	srvOK       bool
}

func newCPUMeter(b *testing.B, s *db) *cpuMeter {
	m := &cpuMeter{b: b, s: s}
	if s.d.postgres {
		if err := s.r.QueryRow(`SELECT current_setting('application_name')`).Scan(&m.app); err != nil {
			b.Fatalf("application name: %v", err)
		}
		_, m.srvOK = m.server()
	}
	return m
}

func (m *cpuMeter) start() {
	m.srv0, _ = m.server() // before, so the look-up is not counted
	m.self0 = m.process()
}

func (m *cpuMeter) stop() {
	m.self += m.process() - m.self0
	srv, _ := m.server()
	m.srv += srv - m.srv0
}

func (m *cpuMeter) process() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		m.b.Fatalf("getrusage: %v", err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// server is the CPU time of the backends serving the store's connections
// so far, read from /proc; false when it cannot be known (a remote server,
// no /proc). Backends live as long as their pooled connection, which the
// benchmark's few connections do.
func (m *cpuMeter) server() (time.Duration, bool) {
	if m.app == "" {
		return 0, false
	}
	rows, err := m.s.r.Query(`SELECT pid FROM pg_stat_activity WHERE application_name = $1`, m.app)
	if err != nil {
		m.b.Fatalf("backends: %v", err)
	}
	defer rows.Close()
	var total time.Duration
	for rows.Next() {
		var pid int
		if err := rows.Scan(&pid); err != nil {
			m.b.Fatalf("backends: %v", err)
		}
		stat, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
		if err != nil {
			return 0, false
		}
		// utime and stime are fields 14 and 15, counted after the command
		// name in parentheses, in clock ticks (100 a second on Linux).
		_, rest, _ := strings.Cut(string(stat), ") ")
		f := strings.Fields(rest)
		if len(f) < 13 {
			return 0, false
		}
		for _, v := range f[11:13] {
			ticks, err := strconv.ParseInt(v, 10, 64)
			if err != nil {
				return 0, false
			}
			total += time.Duration(ticks) * 10 * time.Millisecond
		}
	}
	if err := rows.Err(); err != nil {
		m.b.Fatalf("backends: %v", err)
	}
	return total, true
}

func (m *cpuMeter) report(deliveries int) {
	if deliveries == 0 {
		return
	}
	m.b.ReportMetric(float64(m.self.Microseconds())/float64(deliveries), "cpu-µs/delivery")
	if m.srvOK {
		m.b.ReportMetric(float64(m.srv.Microseconds())/float64(deliveries), "pg-µs/delivery")
	}
}

package store

import (
	"context"
	"database/sql"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/weeklywrap/digest/digest"
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

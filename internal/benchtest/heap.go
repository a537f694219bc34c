package benchtest

import (
	"runtime"
	"time"
)

// PeakHeap collects garbage, then samples the heap in use every interval
// until the returned stop is called; stop returns the most it saw, in
// bytes. Benchmarks report it to show that memory stays flat as the work
// grows.
func PeakHeap(every time.Duration) (stop func() uint64) {
	runtime.GC()
	done := make(chan struct{})
	result := make(chan uint64)
	go func() {
		var peak uint64
		var ms runtime.MemStats
		for {
			runtime.ReadMemStats(&ms)
			peak = max(peak, ms.HeapInuse)
			select {
			case <-done:
				result <- peak
				return
			case <-time.After(every):
			}
		}
	}()
	return func() uint64 {
		close(done)
		return <-result
	}
}

//go:build unix

// Package benchtest holds what the benchmarks share: the process's CPU
// time, so that they can report cost per core on a machine that other
// work shares (wall time alone says little there), and the 1,000
// generated feeds that the fetcher, parser and whole-build benchmarks run on.
package benchtest

import (
	"syscall"
	"time"
)

// CPUTime is the process's user+system CPU time.
func CPUTime() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

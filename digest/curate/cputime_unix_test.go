//go:build unix

package curate

import (
	"syscall"
	"time"
)

// cpuTime is the process's user+system CPU time, so the benchmark can
// report cost per core even when the machine is shared.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

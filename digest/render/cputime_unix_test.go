//go:build unix

package render

import (
	"syscall"
	"time"
)

// cpuTime is the CPU time (user and system) this process has used. On a
// shared machine msgs per CPU second says more than msgs per wall second.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

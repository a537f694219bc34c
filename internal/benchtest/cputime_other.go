//go:build !unix

// Package benchtest holds what the benchmarks share: the process's CPU
// time, so that they can report cost per core on a machine that other
// work shares (wall time alone says little there), and the 1,000
// generated feeds that the fetcher, parser and whole-build benchmarks run on.
package benchtest

import "time"

// CPUTime is 0 where getrusage is missing; benchmarks then report no
// per-core figures.
func CPUTime() time.Duration { return 0 }

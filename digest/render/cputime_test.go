package render

import (
	"time"

	"github.com/weeklywrap/digest/internal/benchtest"
)

func cpuTime() time.Duration { return benchtest.CPUTime() }

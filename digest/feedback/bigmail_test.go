package feedback

import (
	"context"
	"os"
	"path/filepath"
	"runtime"
	"testing"
)

// A message far larger than any report (a 1 GB file in the bounce
// maildir, sparse here) is read no further than a report can be long,
// and the pass goes on.
func TestHugeMaildirMessageIsNotReadWhole(t *testing.T) {
	st := testStore(t, "full@example.net", "slow@example.net")
	sentTo(t, st, "slow@example.net", "12.a1b2c3@example.org")
	dir := t.TempDir()
	for _, sub := range []string{"new", "cur", "tmp"} {
		os.Mkdir(filepath.Join(dir, sub), 0o700)
	}
	big := filepath.Join(dir, "new", "1.huge")
	f, err := os.Create(big)
	if err != nil {
		t.Fatal(err)
	}
	f.WriteString("Content-Type: multipart/report; report-type=delivery-status; boundary=b\r\n\r\n--b\r\n")
	if err := f.Truncate(1 << 30); err != nil {
		t.Fatal(err)
	}
	f.Close()
	os.WriteFile(filepath.Join(dir, "new", "2.dsn"), fixture(t, "dsn-delayed.eml"), 0o600)
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	stats, err := (&Reader{Store: st}).ReadMaildir(context.Background(), dir)
	runtime.ReadMemStats(&after)
	if err != nil {
		t.Fatal(err)
	}
	if stats.Messages != 2 || stats.Recorded != 1 {
		t.Errorf("stats %+v, want both messages read and the DSN recorded", stats)
	}
	if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 200<<20 {
		t.Errorf("reading the maildir allocated %d MB for a 1 GB message", alloc>>20)
	}
}

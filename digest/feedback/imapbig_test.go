package feedback

import (
	"bytes"
	"context"
	"net"
	"runtime"
	"strconv"
	"testing"
)

// A message far larger than any report in the IMAP folder (80 MB) is
// fetched no further than a report can be long, and the pass goes on.
func TestIMAPHugeMessageIsFetchedInPart(t *testing.T) {
	d := startDovecot(t)
	st := testStore(t, "slow@example.net")
	sentTo(t, st, "slow@example.net", "12.a1b2c3@example.org")
	huge := append([]byte("Subject: attachment\r\nContent-Type: text/plain\r\n\r\n"), bytes.Repeat([]byte("0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\r\n"), 80<<20/66)...)
	d.append(t, huge)
	huge = nil
	d.append(t, fixture(t, "dsn-delayed.eml"))
	host, portText, _ := net.SplitHostPort(d.addr)
	port, _ := strconv.Atoi(portText)
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	stats, err := (&Reader{Store: st}).ReadIMAP(context.Background(), IMAPConfig{Host: host, Port: port, TLS: "none", Username: d.user, Password: d.pass})
	runtime.ReadMemStats(&after)
	if err != nil {
		t.Fatal(err)
	}
	if stats.Messages != 2 || stats.Recorded != 1 {
		t.Errorf("stats %+v, want both messages read and the DSN recorded", stats)
	}
	alloc := after.TotalAlloc - before.TotalAlloc
	t.Logf("%d MB allocated", alloc>>20)
	if alloc > 60<<20 {
		t.Errorf("reading the folder allocated %d MB for an 80 MB message", alloc>>20)
	}
}

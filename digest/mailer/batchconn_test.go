package mailer

import (
	"bytes"
	"context"
	"io"
	"net"
	"testing"
	"time"
)

// loopback returns a batchedConn dialled to a listener on 127.0.0.1 and
// the listener's side of the connection.
func loopback(t *testing.T) (*batchedConn, net.Conn) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	accepted := make(chan net.Conn, 1)
	go func() {
		c, err := ln.Accept()
		if err == nil {
			accepted <- c
		}
		close(accepted)
	}()
	c, err := dialBatched(context.Background(), "tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	peer := <-accepted
	if peer == nil {
		t.Fatal("accept failed")
	}
	t.Cleanup(func() { c.Close(); peer.Close() })
	return c.(*batchedConn), peer
}

// readAvailable reads what the peer has received within d.
func readAvailable(t *testing.T, peer net.Conn, d time.Duration) []byte {
	t.Helper()
	var got []byte
	buf := make([]byte, 1<<16)
	_ = peer.SetReadDeadline(time.Now().Add(d))
	for {
		n, err := peer.Read(buf)
		got = append(got, buf[:n]...)
		if err != nil {
			return got
		}
	}
}

// Writes are held until the client reads (a reply), then leave together,
// in order; nothing written is lost.
func TestBatchedConnWritesOnRead(t *testing.T) {
	c, peer := loopback(t)
	for _, s := range []string{"MAIL FROM:<a@example.org>\r\n", "header\r\n", "body\r\n"} {
		if _, err := c.Write([]byte(s)); err != nil {
			t.Fatal(err)
		}
	}
	if got := readAvailable(t, peer, 100*time.Millisecond); len(got) != 0 {
		t.Fatalf("the peer got %q before the client read", got)
	}
	if _, err := peer.Write([]byte("250 ok\r\n")); err != nil {
		t.Fatal(err)
	}
	reply := make([]byte, 8)
	if _, err := io.ReadFull(c, reply); err != nil || string(reply) != "250 ok\r\n" {
		t.Fatalf("read %q, %v", reply, err)
	}
	_ = c.Close() // nothing held now: the peer reads all, then the end
	if got := readAvailable(t, peer, 5*time.Second); string(got) != "MAIL FROM:<a@example.org>\r\nheader\r\nbody\r\n" {
		t.Errorf("the peer got %q", got)
	}
}

// More than the limit goes out as it comes, whole and in order.
func TestBatchedConnFlushesAtItsLimit(t *testing.T) {
	c, peer := loopback(t)
	want := bytes.Repeat([]byte("0123456789abcdef"), 3*batchLimit/16+7)
	done := make(chan []byte)
	go func() { done <- readAvailable(t, peer, 10*time.Second) }()
	for p := want; len(p) > 0; {
		n := min(len(p), 4096)
		if _, err := c.Write(p[:n]); err != nil {
			t.Fatal(err)
		}
		p = p[n:]
	}
	_ = c.SetReadDeadline(time.Now().Add(10 * time.Millisecond))
	_, _ = c.Read(make([]byte, 1)) // flushes the rest; no reply comes
	_ = c.Close()
	if got := <-done; !bytes.Equal(got, want) {
		t.Errorf("the peer got %d bytes, want %d in order", len(got), len(want))
	}
}

// A connection closed while holding a message drops it: a message
// abandoned before its final dot must not reach the relay, not even in
// part.
func TestBatchedConnCloseDropsWhatItHolds(t *testing.T) {
	c, peer := loopback(t)
	if _, err := c.Write([]byte("DATA content without its end")); err != nil {
		t.Fatal(err)
	}
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
	if got := readAvailable(t, peer, time.Second); len(got) != 0 {
		t.Errorf("the peer got %q from a connection closed before its flush", got)
	}
}

// A failed flush is returned by the read that caused it and by every
// later call, so the client sees a broken connection, not a reply.
func TestBatchedConnReportsAFailedFlush(t *testing.T) {
	c, peer := loopback(t)
	_ = c.Conn.Close() // the socket under the batching: every write fails
	_ = peer
	if _, err := c.Write([]byte("RCPT TO:<b@example.org>\r\n")); err != nil {
		t.Fatalf("a held write failed early: %v", err)
	}
	if _, err := c.Read(make([]byte, 8)); err == nil {
		t.Fatal("read after a failed flush succeeded")
	}
	if _, err := c.Write([]byte("x")); err == nil {
		t.Error("write after a failed flush succeeded")
	}
}

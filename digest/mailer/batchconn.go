package mailer

import (
	"context"
	"net"
	"sync"
)

// batchedConn holds what the SMTP client writes until it next reads. The
// client never waits for a reply before it has written the whole command,
// or the whole message and its final dot, so nothing waits on the holding;
// but a message then leaves in one or two large writes instead of one per
// 4 KiB of the client's buffer, each a system call and a wake-up of the
// relay's reader. A write that fails shows up on that next read, as no
// reply: the message was not accepted, which is how Sender treats it.
type batchedConn struct {
	net.Conn
	mu  sync.Mutex
	buf []byte
	err error // a failed flush, returned by every later Read and Write
}

// batchLimit is the most held before a flush: more than a typical issue,
// so that one message is one write.
const batchLimit = 64 << 10

// dialBatched is a DialContextFunc for go-mail whose connections are
// batchedConns; where ctx carries a dialedConn (see Sender.dial), the
// connection is left there, so Sender can flush it.
func dialBatched(ctx context.Context, network, addr string) (net.Conn, error) {
	var d net.Dialer
	c, err := d.DialContext(ctx, network, addr)
	if err != nil {
		return nil, err
	}
	bc := &batchedConn{Conn: c}
	if dc, ok := ctx.Value(dialedKey{}).(*dialedConn); ok {
		dc.batch = bc
	}
	return bc, nil
}

// dialedKey is the context key of a dialedConn.
type dialedKey struct{}

// dialedConn receives the batchedConn a dial made.
type dialedConn struct{ batch *batchedConn }

// flush sends what is held now.
func (c *batchedConn) flush() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.flushLocked()
}

func (c *batchedConn) Write(p []byte) (int, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.err != nil {
		return 0, c.err
	}
	if len(c.buf)+len(p) > batchLimit {
		if err := c.flushLocked(); err != nil {
			return 0, err
		}
		if len(p) > batchLimit {
			n, err := c.Conn.Write(p)
			c.err = err
			return n, err
		}
	}
	if c.buf == nil {
		c.buf = make([]byte, 0, batchLimit)
	}
	c.buf = append(c.buf, p...)
	return len(p), nil
}

func (c *batchedConn) Read(p []byte) (int, error) {
	c.mu.Lock()
	err := c.flushLocked()
	c.mu.Unlock()
	if err != nil {
		return 0, err
	}
	return c.Conn.Read(p)
}

func (c *batchedConn) flushLocked() error {
	if c.err != nil || len(c.buf) == 0 {
		return c.err
	}
	_, c.err = c.Conn.Write(c.buf)
	c.buf = c.buf[:0]
	return c.err
}

// Close drops what is held: a connection closed while it holds anything
// is abandoning a message before its end, which must not reach the relay.
func (c *batchedConn) Close() error {
	c.mu.Lock()
	c.buf = nil
	c.mu.Unlock()
	return c.Conn.Close()
}

package mailer

import (
	"io"
	"net"
	"sync"
	"testing"
	"time"

	"github.com/weeklywrap/digest/internal/mailpittest"
)

// testConfig is a Config that sends to mp without TLS.
func testConfig(mp *mailpittest.Server) Config {
	return Config{
		Servers:     []Server{{Host: mp.SMTPHost, Port: mp.SMTPPort, TLS: "none", Timeout: 10 * time.Second}},
		From:        "The Weekly Wrap <wrap@example.org>",
		ReplyTo:     "Editors <editors@example.org>",
		Domain:      "example.org",
		Connections: 2,
	}
}

// proxy forwards TCP to target and counts connections, so tests can see
// how many SMTP sessions the Sender opened and can cut them all.
type proxy struct {
	ln     net.Listener
	target string
	mu     sync.Mutex
	accept int
	conns  []net.Conn
}

func startProxy(tb testing.TB, target string) *proxy {
	tb.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatalf("proxy listen: %v", err)
	}
	p := &proxy{ln: ln, target: target}
	tb.Cleanup(func() { ln.Close(); p.cut() })
	go p.serve()
	return p
}

func (p *proxy) port() int { return p.ln.Addr().(*net.TCPAddr).Port }

func (p *proxy) serve() {
	for {
		c, err := p.ln.Accept()
		if err != nil {
			return
		}
		up, err := net.Dial("tcp", p.target)
		if err != nil {
			c.Close()
			continue
		}
		p.mu.Lock()
		p.accept++
		p.conns = append(p.conns, c, up)
		p.mu.Unlock()
		go func() { _, _ = io.Copy(up, c); up.Close() }()
		go func() { _, _ = io.Copy(c, up); c.Close() }()
	}
}

// accepted returns how many connections were made through the proxy.
func (p *proxy) accepted() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.accept
}

// cut drops every open connection, as a relay restarting would.
func (p *proxy) cut() {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, c := range p.conns {
		c.Close()
	}
	p.conns = nil
}

// setChaos sets one of Mailpit's chaos triggers ("Sender", "Recipient")
// and resets the others; Mailpit must run with --enable-chaos.
func setChaos(tb testing.TB, mp *mailpittest.Server, trigger string, code, probability int) {
	tb.Helper()
	mp.SetChaos(tb, trigger, code, probability)
}

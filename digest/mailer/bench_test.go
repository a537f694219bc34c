package mailer

import (
	"context"
	"fmt"
	"io"
	"net"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	gosmtp "github.com/emersion/go-smtp"
	"github.com/wneessen/go-mail"
)

// discard is an SMTP server that accepts and drops every message.
type discard struct{ n atomic.Int64 }

func (d *discard) NewSession(*gosmtp.Conn) (gosmtp.Session, error) { return discardSession{d}, nil }

type discardSession struct{ d *discard }

func (discardSession) Reset()                                 {}
func (discardSession) Logout() error                          { return nil }
func (discardSession) Mail(string, *gosmtp.MailOptions) error { return nil }
func (discardSession) Rcpt(string, *gosmtp.RcptOptions) error { return nil }
func (s discardSession) Data(r io.Reader) error {
	if _, err := io.Copy(io.Discard, r); err != nil {
		return err
	}
	s.d.n.Add(1)
	return nil
}

func startDiscard(tb testing.TB) (*discard, int) {
	tb.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	d := &discard{}
	srv := gosmtp.NewServer(d)
	srv.Domain = "localhost"
	srv.AllowInsecureAuth = true
	srv.MaxMessageBytes = 10 << 20
	srv.ReadTimeout, srv.WriteTimeout = 30*time.Second, 30*time.Second
	go srv.Serve(ln)
	tb.Cleanup(func() { srv.Close() })
	return d, ln.Addr().(*net.TCPAddr).Port
}

// newsletter is a message of a realistic size: ~30 KB of HTML and ~8 KB
// of text, with a {{name}} placeholder to personalize.
func newsletter() Message {
	var h, t strings.Builder
	h.WriteString("<html><body><h1>The Weekly Wrap</h1><p>Hello {{name}},</p>")
	t.WriteString("The Weekly Wrap\n\nHello {{name}},\n\n")
	for i := range 40 {
		fmt.Fprintf(&h, `<h2><a href="https://example.org/story/%d?utm_source=wrap">Story number %d about things</a></h2>`, i, i)
		h.WriteString(`<p style="margin:0 0 12px;color:#333;font-family:Georgia,serif">` +
			strings.Repeat("A summary sentence of the article, taken from its text. ", 10) + "</p>")
		fmt.Fprintf(&t, "%d. Story number %d about things\nhttps://example.org/story/%d\n", i, i, i)
		t.WriteString(strings.Repeat("A summary sentence. ", 8) + "\n\n")
	}
	h.WriteString("</body></html>")
	return Message{Subject: "The Weekly Wrap #7 for {{name}}", HTML: h.String(), Text: t.String()}
}

func personalize(tpl Message, i int) Message {
	name := fmt.Sprintf("Reader %d", i)
	return Message{
		To: fmt.Sprintf("r%d@example.net", i), ToName: name,
		Subject:        strings.ReplaceAll(tpl.Subject, "{{name}}", name),
		HTML:           strings.ReplaceAll(tpl.HTML, "{{name}}", name),
		Text:           strings.ReplaceAll(tpl.Text, "{{name}}", name),
		UnsubscribeURL: fmt.Sprintf("https://example.org/unsubscribe/%d", i),
		Headers:        map[string]string{"X-Digest-Issue": "7"},
	}
}

const benchConns = 4

// BenchmarkSend compares, in one run, raw go-mail sending one pre-rendered
// message over 4 connections with Sender sending personalized messages
// (compose included) over its pool of 4. Run with -benchtime=10000x.
func BenchmarkSend(b *testing.B) {
	tpl := newsletter()
	b.Run("raw", func(b *testing.B) {
		d, port := startDiscard(b)
		cfg := Config{From: "The Weekly Wrap <wrap@example.org>"}
		var wg sync.WaitGroup
		var next atomic.Int64
		b.ResetTimer()
		start := time.Now()
		for range benchConns {
			wg.Add(1)
			go func() {
				defer wg.Done()
				c, err := mail.NewClient("127.0.0.1", mail.WithPort(port), mail.WithTLSPolicy(mail.NoTLS),
					mail.WithoutNoop(), mail.WithoutRset())
				if err != nil {
					b.Error(err)
					return
				}
				if err := c.DialWithContext(context.Background()); err != nil {
					b.Error(err)
					return
				}
				defer c.Close()
				msg, _, err := Compose(cfg, personalize(tpl, 0))
				if err != nil {
					b.Error(err)
					return
				}
				for next.Add(1) <= int64(b.N) {
					if err := c.Send(msg); err != nil {
						b.Error(err)
						return
					}
				}
			}()
		}
		wg.Wait()
		b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "msgs/s")
		if got := d.n.Load(); got != int64(b.N) {
			b.Errorf("server got %d messages, want %d", got, b.N)
		}
	})
	b.Run("sender", func(b *testing.B) {
		d, port := startDiscard(b)
		s, err := NewSender(Config{
			Servers:     []Server{{Host: "127.0.0.1", Port: port, TLS: "none"}},
			From:        "The Weekly Wrap <wrap@example.org>",
			Connections: benchConns,
		})
		if err != nil {
			b.Fatal(err)
		}
		defer s.Close()
		var wg sync.WaitGroup
		var next atomic.Int64
		b.ResetTimer()
		start := time.Now()
		for range benchConns {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := next.Add(1); i <= int64(b.N); i = next.Add(1) {
					if _, err := s.Send(context.Background(), personalize(tpl, int(i))); err != nil {
						b.Error(err)
						return
					}
				}
			}()
		}
		wg.Wait()
		b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "msgs/s")
		if got := d.n.Load(); got != int64(b.N) {
			b.Errorf("server got %d messages, want %d", got, b.N)
		}
	})
}

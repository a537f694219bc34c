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
	"github.com/weeklywrap/digest/digest"
	"github.com/weeklywrap/digest/internal/benchtest"
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
	for _, raw := range []struct {
		name string
		opts []mail.Option
	}{
		// The same protocol as Sender: no NOOP before, no RSET after each message.
		{"raw", []mail.Option{mail.WithoutNoop(), mail.WithoutRset()}},
		// go-mail's defaults, for scale: two more round trips per message.
		{"raw-defaults", nil},
	} {
		b.Run(raw.name, func(b *testing.B) { benchRaw(b, tpl, raw.opts) })
	}
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

// benchRaw sends one pre-rendered message with plain go-mail clients, one
// per connection.
func benchRaw(b *testing.B, tpl Message, opts []mail.Option) {
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
			c, err := mail.NewClient("127.0.0.1", append([]mail.Option{mail.WithPort(port), mail.WithTLSPolicy(mail.NoTLS)}, opts...)...)
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
}

// BenchmarkDeliver runs the whole worker over a real SQLite store: claim,
// subscriber lookup, render (string replacement), send over 4 connections,
// and one store write per message. Run with -benchtime=10000x.
func BenchmarkDeliver(b *testing.B) {
	ctx := context.Background()
	_, port := startDiscard(b)
	st := openStore(b)
	for i := range b.N {
		if _, err := st.AddSubscriber(ctx, digest.Subscriber{
			Email: fmt.Sprintf("r%d@example.net", i), Name: fmt.Sprintf("Reader %d", i), Status: digest.StatusConfirmed,
		}); err != nil {
			b.Fatal(err)
		}
	}
	n := newIssue(b, st, 0)
	cfg := Config{
		Servers:     []Server{{Host: "127.0.0.1", Port: port, TLS: "none"}},
		From:        "The Weekly Wrap <wrap@example.org>",
		Connections: benchConns,
	}
	snd, err := NewSender(cfg)
	if err != nil {
		b.Fatal(err)
	}
	defer snd.Close()
	tpl := newsletter()
	render := func(_ context.Context, sub digest.Subscriber) (Message, error) {
		m := personalize(tpl, int(sub.ID))
		m.To, m.ToName = sub.Email, sub.Name
		return m, nil
	}

	// Peak heap while sending: it must stay flat as the list grows, since
	// deliveries are claimed in batches and never all loaded at once.
	stopPeak := benchtest.PeakHeap(20 * time.Millisecond)
	b.ResetTimer()
	start := time.Now()
	stats, err := Deliver(ctx, st, snd, n, render, cfg, nil)
	elapsed := time.Since(start)
	b.StopTimer()
	peak := stopPeak()
	if err != nil || stats.Sent != b.N {
		b.Fatalf("Deliver: %+v, %v; want %d sent", stats, err, b.N)
	}
	b.ReportMetric(float64(b.N)/elapsed.Seconds(), "msgs/s")
	b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MB")
}

// BenchmarkSendRatio measures the same thing as BenchmarkSend, but
// alternates raw go-mail and Sender in chunks of 250 messages so both see
// the same machine load; on a shared machine that makes the ratio far
// steadier than two sub-benchmarks run minutes apart.
func BenchmarkSendRatio(b *testing.B) {
	tpl := newsletter()
	cfg := Config{From: "The Weekly Wrap <wrap@example.org>"}
	dRaw, rawPort := startDiscard(b)
	dSnd, sndPort := startDiscard(b)

	clients := make([]*mail.Client, benchConns)
	msgs := make([]*mail.Msg, benchConns)
	for i := range clients {
		c, err := mail.NewClient("127.0.0.1", mail.WithPort(rawPort), mail.WithTLSPolicy(mail.NoTLS),
			mail.WithoutNoop(), mail.WithoutRset())
		if err != nil {
			b.Fatal(err)
		}
		if err := c.DialWithContext(context.Background()); err != nil {
			b.Fatal(err)
		}
		defer c.Close()
		clients[i] = c
		if msgs[i], _, err = Compose(cfg, personalize(tpl, 0)); err != nil {
			b.Fatal(err)
		}
	}
	cfg.Servers = []Server{{Host: "127.0.0.1", Port: sndPort, TLS: "none"}}
	cfg.Connections = benchConns
	snd, err := NewSender(cfg)
	if err != nil {
		b.Fatal(err)
	}
	defer snd.Close()

	// parallel runs f(worker, i) for i in [from, to) on benchConns goroutines.
	parallel := func(from, to int, f func(w, i int) error) time.Duration {
		start := time.Now()
		var wg sync.WaitGroup
		var next atomic.Int64
		next.Store(int64(from))
		for w := range benchConns {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := int(next.Add(1)) - 1; i < to; i = int(next.Add(1)) - 1 {
					if err := f(w, i); err != nil {
						b.Error(err)
						return
					}
				}
			}()
		}
		wg.Wait()
		return time.Since(start)
	}
	raw := func(w, _ int) error { return clients[w].Send(msgs[w]) }
	send := func(_, i int) error {
		_, err := snd.Send(context.Background(), personalize(tpl, i))
		return err
	}

	const chunk = 250
	var rawTime, sndTime time.Duration
	b.ResetTimer()
	for from, round := 0, 0; from < b.N; from, round = from+chunk, round+1 {
		to := min(from+chunk, b.N)
		if round%2 == 0 {
			rawTime += parallel(from, to, raw)
			sndTime += parallel(from, to, send)
		} else {
			sndTime += parallel(from, to, send)
			rawTime += parallel(from, to, raw)
		}
	}
	b.StopTimer()
	if dRaw.n.Load() != int64(b.N) || dSnd.n.Load() != int64(b.N) {
		b.Fatalf("servers got %d and %d messages, want %d each", dRaw.n.Load(), dSnd.n.Load(), b.N)
	}
	b.ReportMetric(float64(b.N)/rawTime.Seconds(), "raw-msgs/s")
	b.ReportMetric(float64(b.N)/sndTime.Seconds(), "sender-msgs/s")
	b.ReportMetric(100*rawTime.Seconds()/sndTime.Seconds(), "%-of-raw")
}

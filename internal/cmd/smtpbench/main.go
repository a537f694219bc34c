// Command smtpbench is the yardstick of digest's send benchmarks: a
// discard SMTP sink, and raw go-mail sending one pre-rendered message many
// times, each a process of its own so that a benchmark compares processes
// with processes.
//
//	smtpbench sink -addr 127.0.0.1:2525 [-keep FILE] [-refuse]   accept and drop every message (keep the first in FILE; or refuse them all)
//	smtpbench raw -addr 127.0.0.1:2525 -conns 4 -n 100000 -eml FILE
//
// raw prints "N messages in S seconds" when done; sink prints its count on
// SIGTERM or SIGINT.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"os/signal"
	"strconv"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	gosmtp "github.com/emersion/go-smtp"
	"github.com/wneessen/go-mail"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: smtpbench sink|raw [flags]")
		os.Exit(2)
	}
	var err error
	switch os.Args[1] {
	case "sink":
		err = sink(os.Args[2:])
	case "raw":
		err = raw(os.Args[2:])
	default:
		err = fmt.Errorf("unknown command %q: use sink or raw", os.Args[1])
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "smtpbench:", err)
		os.Exit(1)
	}
}

type backend struct {
	n      atomic.Int64
	keep   string
	refuse bool
	once   sync.Once
}

func (b *backend) NewSession(*gosmtp.Conn) (gosmtp.Session, error) { return session{b}, nil }

type session struct{ b *backend }

func (session) Reset()        {}
func (session) Logout() error { return nil }
func (s session) Mail(string, *gosmtp.MailOptions) error {
	if s.b.refuse {
		return &gosmtp.SMTPError{Code: 451, EnhancedCode: gosmtp.EnhancedCode{4, 7, 1}, Message: "try again later"}
	}
	return nil
}
func (session) Rcpt(string, *gosmtp.RcptOptions) error { return nil }
func (s session) Data(r io.Reader) error {
	first := false
	if s.b.keep != "" {
		s.b.once.Do(func() { first = true })
	}
	if first {
		data, err := io.ReadAll(r)
		if err != nil {
			return err
		}
		if err := os.WriteFile(s.b.keep, data, 0o644); err != nil {
			return err
		}
	} else if _, err := io.Copy(io.Discard, r); err != nil {
		return err
	}
	s.b.n.Add(1)
	return nil
}

func sink(args []string) error {
	fs := flag.NewFlagSet("sink", flag.ExitOnError)
	addr := fs.String("addr", "127.0.0.1:2525", "address to listen on")
	keep := fs.String("keep", "", "write the first message received to this file")
	ready := fs.String("ready", "", "write the port listened on to this file once listening")
	refuse := fs.Bool("refuse", false, "answer 451 to every MAIL FROM (a relay that throttles)")
	_ = fs.Parse(args)
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	if *ready != "" {
		port := strconv.Itoa(ln.Addr().(*net.TCPAddr).Port)
		if err := os.WriteFile(*ready, []byte(port), 0o644); err != nil {
			return err
		}
	}
	b := &backend{keep: *keep, refuse: *refuse}
	srv := gosmtp.NewServer(b)
	srv.Domain = "localhost"
	srv.MaxMessageBytes = 10 << 20
	srv.ReadTimeout, srv.WriteTimeout = time.Minute, time.Minute
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	go func() {
		<-ctx.Done()
		srv.Close()
	}()
	if err := srv.Serve(ln); err != nil && ctx.Err() == nil {
		return err
	}
	fmt.Printf("%d messages received\n", b.n.Load())
	return nil
}

func raw(args []string) error {
	fs := flag.NewFlagSet("raw", flag.ExitOnError)
	addr := fs.String("addr", "127.0.0.1:2525", "the sink's address")
	conns := fs.Int("conns", 4, "connections, each sending in turn")
	n := fs.Int("n", 1000, "messages in all")
	eml := fs.String("eml", "", "the message to send (RFC 5322 file)")
	_ = fs.Parse(args)
	host, portS, err := net.SplitHostPort(*addr)
	if err != nil {
		return err
	}
	port, err := strconv.Atoi(portS)
	if err != nil {
		return err
	}
	data, err := os.ReadFile(*eml)
	if err != nil {
		return err
	}
	var next atomic.Int64
	var wg sync.WaitGroup
	errs := make(chan error, *conns)
	start := time.Now()
	for range *conns {
		// Pre-rendered: parsed once per connection, sent as it is.
		msg, err := mail.EMLToMsgFromString(string(data))
		if err != nil {
			return fmt.Errorf("%s: %w", *eml, err)
		}
		c, err := mail.NewClient(host, mail.WithPort(port), mail.WithTLSPolicy(mail.NoTLS),
			mail.WithoutNoop(), mail.WithoutRset())
		if err != nil {
			return err
		}
		wg.Go(func() {
			if err := c.DialWithContext(context.Background()); err != nil {
				errs <- err
				return
			}
			defer c.Close()
			for next.Add(1) <= int64(*n) {
				if err := c.Send(msg); err != nil {
					errs <- err
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	if err := <-errs; err != nil {
		return err
	}
	fmt.Printf("%d messages in %.3f seconds\n", *n, time.Since(start).Seconds())
	return nil
}

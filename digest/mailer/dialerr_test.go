package mailer

import (
	"context"
	"net"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/weeklywrap/digest/internal/mailpittest"
)

// TestConnectErrorsSayWhatToDo connects to real listeners set up wrong the
// usual ways: each error names the address once and says what to try.
func TestConnectErrorsSayWhatToDo(t *testing.T) {
	// A port where nothing listens: bind one, then free it.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed := ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	mp := mailpittest.Start(t)

	tests := []struct {
		name string
		srv  Server
		want string
	}{
		{"nothing listening", Server{Host: "127.0.0.1", Port: closed, TLS: "none"},
			"connection refused: is an SMTP server (e.g. Mailpit) running on 127.0.0.1:" + itoa(closed) + "?"},
		{"starttls to a plain server", Server{Host: mp.SMTPHost, Port: mp.SMTPPort, TLS: "starttls"},
			"does not offer STARTTLS (tls: starttls); a local server such as Mailpit speaks plain SMTP: set tls: none"},
		{"implicit tls to a plain server", Server{Host: mp.SMTPHost, Port: mp.SMTPPort, TLS: "tls"},
			"does not speak TLS from the first byte (tls: tls); use tls: starttls (port 587), or tls: none for a local server"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cfg := testConfig(mp)
			tc.srv.Timeout = 5 * time.Second
			cfg.Servers = []Server{tc.srv}
			s := newTestSender(t, cfg)
			err := s.Check(context.Background())
			if err == nil {
				t.Fatal("Check succeeded")
			}
			msg := err.Error()
			t.Log(msg)
			if !strings.Contains(msg, tc.want) {
				t.Errorf("error %q\nlacks %q", msg, tc.want)
			}
			addr := net.JoinHostPort(tc.srv.Host, itoa(tc.srv.Port))
			if n := strings.Count(msg, addr); n > 2 || (n == 2 && !strings.Contains(tc.want, addr)) {
				t.Errorf("error names %s %d times: %q", addr, n, msg)
			}
			if strings.Contains(msg, "dial tcp") {
				t.Errorf("error repeats the dialer's own wording: %q", msg)
			}
			if !IsRelayRefusal(err) {
				t.Errorf("a failed connect is not a relay refusal: %v", err)
			}
			// The same explanation reaches Send.
			if _, err := s.Send(context.Background(), Message{To: "a@example.net", Subject: "s", Text: "t"}); err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("Send: %v", err)
			}
		})
	}

	// A working relay: Check connects and the connection serves the next message.
	s := newTestSender(t, testConfig(mp))
	if err := s.Check(context.Background()); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Send(context.Background(), Message{To: "a@example.net", Subject: "s", Text: "t"}); err != nil {
		t.Fatal(err)
	}

	// Two relays, both down: each named once, in order.
	cfg := testConfig(mp)
	cfg.Servers = []Server{{Host: "127.0.0.1", Port: closed, TLS: "none", Timeout: 5 * time.Second},
		{Host: mp.SMTPHost, Port: mp.SMTPPort, TLS: "tls", Timeout: 5 * time.Second}}
	err = newTestSender(t, cfg).Check(context.Background())
	if err == nil || !strings.HasPrefix(err.Error(), "smtp: connect: 127.0.0.1:"+itoa(closed)+": connection refused") ||
		!strings.Contains(err.Error(), "; "+net.JoinHostPort(mp.SMTPHost, itoa(mp.SMTPPort))+": the server does not speak TLS") {
		t.Errorf("two relays: %v", err)
	}
}

func itoa(n int) string { return strconv.Itoa(n) }

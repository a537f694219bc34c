package mailer

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/weeklywrap/digest/internal/mailpittest"
)

func newTestSender(tb testing.TB, cfg Config) *Sender {
	tb.Helper()
	s, err := NewSender(cfg)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { s.Close() })
	return s
}

func TestSendToMailpit(t *testing.T) {
	mp := mailpittest.Start(t)
	s := newTestSender(t, testConfig(mp))
	m := Message{
		To: "ada@example.net", ToName: "Ada Lovelace",
		Subject:        "The Weekly Wrap #7 — Café edition",
		Text:           "Plain body, line one.\n\nhttps://example.org/issue/7",
		HTML:           `<html><body><h1>Issue 7</h1><p>HTML body</p></body></html>`,
		UnsubscribeURL: "https://example.org/unsubscribe?t=abc123",
		Headers:        map[string]string{"X-Digest-Issue": "7"},
	}
	id, err := s.Send(context.Background(), m)
	if err != nil {
		t.Fatal(err)
	}
	if mp.WaitCount(t, 1, 5*time.Second) != 1 {
		t.Fatal("Mailpit did not receive the message")
	}
	got := mp.Message(t, mp.Messages(t)[0].ID)
	checks := []struct{ what, got, want string }{
		{"Subject", got.Subject, m.Subject},
		{"MessageID", got.MessageID, id},
		{"From.Address", got.From.Address, "wrap@example.org"},
		{"From.Name", got.From.Name, "The Weekly Wrap"},
		{"To", fmt.Sprint(got.To), "[{Ada Lovelace ada@example.net}]"},
		{"ReplyTo", fmt.Sprint(got.ReplyTo), "[{Editors editors@example.org}]"},
		{"ListUnsubscribe.HeaderPost", got.ListUnsubscribe.HeaderPost, "List-Unsubscribe=One-Click"},
		{"ListUnsubscribe.Links", fmt.Sprint(got.ListUnsubscribe.Links), "[" + m.UnsubscribeURL + "]"},
		{"ListUnsubscribe.Errors", got.ListUnsubscribe.Errors, ""},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("%s = %q, want %q", c.what, c.got, c.want)
		}
	}
	if !strings.HasSuffix(id, "@example.org") {
		t.Errorf("Message-ID %q not on example.org", id)
	}
	if !strings.Contains(got.Text, "Plain body, line one.") {
		t.Errorf("text part = %q", got.Text)
	}
	if !strings.Contains(got.HTML, "<h1>Issue 7</h1>") {
		t.Errorf("HTML part = %q", got.HTML)
	}
	h := mp.Headers(t, got.ID)
	if v := h["List-Id"]; len(v) != 1 || v[0] != "<list.example.org>" {
		t.Errorf("List-Id = %q", v)
	}
	if v := h["X-Digest-Issue"]; len(v) != 1 || v[0] != "7" {
		t.Errorf("X-Digest-Issue = %q", v)
	}
	if v := h["Content-Type"]; len(v) != 1 || !strings.HasPrefix(v[0], "multipart/alternative") {
		t.Errorf("Content-Type = %q", v)
	}
}

func TestSendRejectsInjectionBeforeSMTP(t *testing.T) {
	mp := mailpittest.Start(t)
	s := newTestSender(t, testConfig(mp))
	for _, m := range []Message{
		{To: "a@example.net", Subject: "x\r\nBcc: victim@example.com", Text: "t"},
		{To: "a@example.net", ToName: "A\nBcc: victim@example.com", Subject: "x", Text: "t"},
		{To: "a@example.net\r\nBcc: victim@example.com", Subject: "x", Text: "t"},
	} {
		if _, err := s.Send(context.Background(), m); err == nil {
			t.Errorf("Send(To %q, ToName %q, Subject %q) accepted header injection", m.To, m.ToName, m.Subject)
		}
	}
	if n := mp.Count(t); n != 0 {
		t.Errorf("Mailpit received %d messages", n)
	}
}

func TestSendReusesConnections(t *testing.T) {
	mp := mailpittest.Start(t)
	px := startProxy(t, mp.SMTPAddr())
	cfg := testConfig(mp)
	cfg.Servers[0].Port = px.port()
	cfg.Connections = 3
	s := newTestSender(t, cfg)

	const n = 60
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for w := 0; w < 6; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w; i < n; i += 6 {
				_, err := s.Send(context.Background(), Message{To: fmt.Sprintf("r%d@example.net", i), Subject: "s", Text: "t"})
				errs <- err
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	if got := mp.WaitCount(t, n, 5*time.Second); got != n {
		t.Errorf("Mailpit holds %d messages, want %d", got, n)
	}
	if c := px.accepted(); c < 1 || c > cfg.Connections {
		t.Errorf("%d SMTP connections for %d messages, want 1..%d", c, n, cfg.Connections)
	}

	// The relay drops every connection (a restart); the pool must notice
	// and reconnect instead of failing the next messages.
	px.cut()
	for i := 0; i < 5; i++ {
		if _, err := s.Send(context.Background(), Message{To: "after@example.net", Subject: "s", Text: "t"}); err != nil {
			t.Fatalf("send after the relay dropped connections: %v", err)
		}
	}
	if got := mp.WaitCount(t, n+5, 5*time.Second); got != n+5 {
		t.Errorf("Mailpit holds %d messages, want %d", got, n+5)
	}
}

func TestSendFailsOver(t *testing.T) {
	mp := mailpittest.Start(t)
	// A port with nothing listening: connection refused at once.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	dead := ln.Addr().(*net.TCPAddr).Port
	ln.Close()

	cfg := testConfig(mp)
	cfg.Servers = append([]Server{{Host: "127.0.0.1", Port: dead, TLS: "none", Timeout: 2 * time.Second}}, cfg.Servers...)
	s := newTestSender(t, cfg)
	if _, err := s.Send(context.Background(), Message{To: "a@example.net", Subject: "s", Text: "t"}); err != nil {
		t.Fatalf("no failover to the second server: %v", err)
	}
	if mp.WaitCount(t, 1, 5*time.Second) != 1 {
		t.Error("second server did not receive the message")
	}

	cfg.Servers = cfg.Servers[:1]
	s2 := newTestSender(t, cfg)
	_, err = s2.Send(context.Background(), Message{To: "a@example.net", Subject: "s", Text: "t"})
	var se *Error
	if !errors.As(err, &se) || se.Stage != StageConnect || IsPermanent(err) {
		t.Errorf("all servers down: err = %v, want a temporary connect *Error", err)
	}
}

func TestSendPermanentAndTemporary(t *testing.T) {
	mp := mailpittest.Start(t, "--enable-chaos", "--smtp-allowed-recipients", `@ok\.example$`)
	s := newTestSender(t, testConfig(mp))
	send := func(to string) error {
		_, err := s.Send(context.Background(), Message{To: to, Subject: "s", Text: "t"})
		return err
	}

	setChaos(t, mp, "Recipient", 451, 100)
	err := send("a@ok.example")
	if err == nil || IsPermanent(err) || replyCode(err) != 451 {
		t.Errorf("chaos 451: err = %v, want temporary 451", err)
	}
	setChaos(t, mp, "Recipient", 451, 0)

	err = send("nobody@bad.example")
	var se *Error
	if !errors.As(err, &se) || !IsPermanent(err) || se.Code != 550 || se.Stage != StageRcpt || !IsRecipientRejected(err) {
		t.Errorf("unknown recipient: err = %v, want permanent 550 at rcpt", err)
	}
	// The same connection is still good after both refusals.
	if err := send("b@ok.example"); err != nil {
		t.Fatalf("send after refusals: %v", err)
	}
	if got := mp.WaitCount(t, 1, 5*time.Second); got != 1 {
		t.Errorf("Mailpit holds %d messages, want 1", got)
	}
}

func TestIsPermanent(t *testing.T) {
	tests := []struct {
		err  error
		want bool
	}{
		{&Error{Stage: StageRcpt, Code: 550, Err: errors.New("550 user unknown")}, true},
		{fmt.Errorf("wrapped: %w", &Error{Stage: StageData, Code: 554, Err: errors.New("554 rejected")}), true},
		{&Error{Stage: StageRcpt, Code: 451, Err: errors.New("451 try later")}, false},
		{&Error{Stage: StageConnect, Err: context.DeadlineExceeded}, false},
		{errors.New("connection reset"), false},
		{nil, false},
	}
	for _, tt := range tests {
		if got := IsPermanent(tt.err); got != tt.want {
			t.Errorf("IsPermanent(%v) = %v, want %v", tt.err, got, tt.want)
		}
	}
}

func TestSendReplacesStaleConnections(t *testing.T) {
	mp := mailpittest.Start(t)
	px := startProxy(t, mp.SMTPAddr())
	cfg := testConfig(mp)
	cfg.Servers[0].Port = px.port()
	s := newTestSender(t, cfg)
	s.maxIdle = time.Nanosecond // every pooled connection is stale at once
	for i := range 3 {
		if _, err := s.Send(context.Background(), Message{To: "a@example.net", Subject: "s", Text: "t"}); err != nil {
			t.Fatal(err)
		}
		if got := px.accepted(); got != i+1 {
			t.Errorf("after message %d: %d connections, want a fresh one each time", i+1, got)
		}
	}
}

func TestIsRecipientRejected(t *testing.T) {
	tests := []struct {
		err  *Error
		want bool
	}{
		{&Error{Stage: StageRcpt, Code: 550, Enhanced: "5.1.1"}, true},
		{&Error{Stage: StageRcpt, Code: 553}, true},
		{&Error{Stage: StageRcpt, Code: 450, Enhanced: "4.2.1"}, false},
		{&Error{Stage: StageData, Code: 550, Enhanced: "5.1.1"}, true},
		{&Error{Stage: StageData, Code: 554, Enhanced: "5.7.1"}, false}, // spam verdict
		{&Error{Stage: StageData, Code: 552, Enhanced: "5.3.4"}, false}, // too big
		{&Error{Stage: StageMail, Code: 550, Enhanced: "5.7.1"}, false}, // sender refused
		{&Error{Stage: StageConnect, Code: 535}, false},                 // bad password
	}
	for _, tt := range tests {
		tt.err.Err = errors.New("reply")
		if got := IsRecipientRejected(tt.err); got != tt.want {
			t.Errorf("IsRecipientRejected(%s %d %s) = %v, want %v", tt.err.Stage, tt.err.Code, tt.err.Enhanced, got, tt.want)
		}
	}
}

func TestSendRestsAFailedServer(t *testing.T) {
	mp := mailpittest.Start(t)
	// A primary that accepts and hangs up at once, counting attempts.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	var mu sync.Mutex
	attempts := 0
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			attempts++
			mu.Unlock()
			c.Close()
		}
	}()
	cfg := testConfig(mp)
	cfg.Servers = append([]Server{{Host: "127.0.0.1", Port: ln.Addr().(*net.TCPAddr).Port, TLS: "none", Timeout: 2 * time.Second}}, cfg.Servers...)
	s := newTestSender(t, cfg)
	s.maxIdle = time.Nanosecond // dial for every message
	for range 4 {
		if _, err := s.Send(context.Background(), Message{To: "a@example.net", Subject: "s", Text: "t"}); err != nil {
			t.Fatal(err)
		}
	}
	mu.Lock()
	defer mu.Unlock()
	if attempts != 1 {
		t.Errorf("broken primary tried %d times in a row, want once and then rested", attempts)
	}
	if got := mp.WaitCount(t, 4, 5*time.Second); got != 4 {
		t.Errorf("secondary got %d messages, want 4", got)
	}
}

package mailer

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"net"
	"strings"
	"sync"
	"testing"
	"time"
)

// scriptedRelay is an SMTP server on 127.0.0.1 that answers DATA and the
// final dot as told: the refusals Mailpit cannot make. It accepts every
// other command.
type scriptedRelay struct {
	ln              net.Listener
	dataReply       string
	dotReply        string
	mu              sync.Mutex
	conns, endsSeen int
}

func startScriptedRelay(t *testing.T, dataReply, dotReply string) *scriptedRelay {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	f := &scriptedRelay{ln: ln, dataReply: dataReply, dotReply: dotReply}
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			f.mu.Lock()
			f.conns++
			f.mu.Unlock()
			go f.serve(c)
		}
	}()
	t.Cleanup(func() { ln.Close() })
	return f
}

func (f *scriptedRelay) serve(c net.Conn) {
	defer c.Close()
	r := bufio.NewReader(c)
	fmt.Fprint(c, "220 scripted\r\n")
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			return
		}
		switch strings.ToUpper(strings.Fields(line + " x")[0]) {
		case "EHLO":
			fmt.Fprint(c, "250-scripted\r\n250-ENHANCEDSTATUSCODES\r\n250 8BITMIME\r\n")
		case "DATA":
			fmt.Fprint(c, f.dataReply)
			if !strings.HasPrefix(f.dataReply, "354") {
				continue
			}
			for {
				l, err := r.ReadString('\n')
				if err != nil {
					return
				}
				if l == ".\r\n" {
					break
				}
			}
			f.mu.Lock()
			f.endsSeen++
			f.mu.Unlock()
			fmt.Fprint(c, f.dotReply)
		case "QUIT":
			fmt.Fprint(c, "221 bye\r\n")
			return
		default:
			fmt.Fprint(c, "250 2.0.0 ok\r\n")
		}
	}
}

func (f *scriptedRelay) counts() (conns, ends int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.conns, f.endsSeen
}

func (f *scriptedRelay) config() Config {
	cfg := baseConfig()
	cfg.Servers = []Server{{Host: "127.0.0.1", Port: f.ln.Addr().(*net.TCPAddr).Port, TLS: "none", Timeout: 3 * time.Second}}
	cfg.Connections = 1
	return cfg
}

// Refusals at DATA and after the final dot, and replies that are no
// refusal at all, come out of the encoded path as out of go-mail's: the
// same stage, code and enhanced status, the same verdicts, and the
// connection reused or replaced alike.
func TestEncodedDataRepliesAreGoMails(t *testing.T) {
	for _, tc := range []struct{ name, data, dot string }{
		{"dot 550 5.1.1", "354 go\r\n", "550 5.1.1 no such user\r\n"},
		{"dot 554 5.7.1", "354 go\r\n", "554 5.7.1 spam\r\n"},
		{"dot 451", "354 go\r\n", "451 4.3.0 later\r\n"},
		{"data 554", "554 5.5.1 no valid recipients\r\n", ""},
		{"data answered 250", "250 2.0.0 what\r\n", ""},
		{"dot answered 251", "354 go\r\n", "251 2.1.5 forwarded\r\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var outcomes [2]string
			for i, encoded := range []bool{false, true} {
				f := startScriptedRelay(t, tc.data, tc.dot)
				s := newTestSender(t, f.config())
				m := baseMessage()
				if encoded {
					m = withQP(m)
				}
				_, err := s.Send(context.Background(), m)
				var e *Error
				if !errors.As(err, &e) {
					t.Fatalf("encoded %v: err = %v, want an *Error", encoded, err)
				}
				_, _ = s.Send(context.Background(), baseMessage()) // on the same connection, or a new one
				conns, _ := f.counts()
				outcomes[i] = fmt.Sprintf("stage %s code %d enhanced %q permanent %v rejected %v relay %v; connections %d",
					e.Stage, e.Code, e.Enhanced, IsPermanent(err), IsRecipientRejected(err), IsRelayRefusal(err), conns)
			}
			if outcomes[0] != outcomes[1] {
				t.Errorf("go-mail: %s\nencoded: %s", outcomes[0], outcomes[1])
			}
		})
	}
}

// A relay out of step has a reply waiting before the message ends; the
// final dot still leaves at once rather than being held until the
// connection next reads.
func TestEncodedFinalDotLeavesBeforeItsReply(t *testing.T) {
	f := startScriptedRelay(t, "354 go\r\n250 2.0.0 early\r\n", "250 2.0.0 ok\r\n")
	s := newTestSender(t, f.config())
	if _, err := s.Send(context.Background(), withQP(baseMessage())); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(5 * time.Second)
	for _, ends := f.counts(); ends == 0; _, ends = f.counts() {
		if time.Now().After(deadline) {
			t.Fatal("the relay never got the final dot of a message reported sent")
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// Only a message whose every part comes encoded takes the encoded path,
// so it never drops a part go-mail would send.
func TestMessageEncodedNeedsEveryPart(t *testing.T) {
	full := withQP(baseMessage())
	htmlOnlyQP := baseMessage()
	htmlOnlyQP.WriteHTMLQP = full.WriteHTMLQP
	textOnly := withQP(Message{Text: "t"})
	for _, tc := range []struct {
		name string
		m    Message
		want bool
	}{{"both encoded", full, true}, {"text part not encoded", htmlOnlyQP, false}, {"plain", baseMessage(), false}, {"text only, encoded", textOnly, true}} {
		if got := tc.m.encoded(); got != tc.want {
			t.Errorf("%s: encoded() = %v, want %v", tc.name, got, tc.want)
		}
	}
}

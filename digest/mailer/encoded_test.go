package mailer

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"io"
	"math/rand/v2"
	"mime/quotedprintable"
	"net/textproto"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/weeklywrap/digest/digest"
	"github.com/weeklywrap/digest/internal/mailpittest"
)

// withQP gives m encoded parts that are its HTML and Text, each encoded in
// one piece as go-mail encodes a part.
func withQP(m Message) Message {
	enc := func(s string) func(io.Writer) (int64, error) {
		if s == "" {
			return nil
		}
		return func(w io.Writer) (int64, error) {
			var b bytes.Buffer
			qw := quotedprintable.NewWriter(&b)
			_, _ = io.WriteString(qw, s)
			_ = qw.Close()
			return b.WriteTo(w)
		}
	}
	m.WriteHTMLQP, m.WriteTextQP = enc(m.HTML), enc(m.Text)
	return m
}

// encodedRenderer is renderer with encoded parts, as the bulk send makes
// its messages.
func encodedRenderer(n int) MessageFunc {
	r := renderer(n)
	return func(ctx context.Context, sub digest.Subscriber) (Message, error) {
		m, err := r(ctx, sub)
		return withQP(m), err
	}
}

var perMessage = regexp.MustCompile(`(?m)^(Date|Message-ID): .*\r\n|boundary=\w+|--\w{20,}`)

// normalize blanks what a message draws per message and sorts its header
// fields (go-mail writes the List-* ones in map order), folded lines
// kept with their field.
func normalize(msg string) string {
	msg = perMessage.ReplaceAllString(msg, "<$1>")
	head, body, _ := strings.Cut(msg, "\r\n\r\n")
	var fields []string
	for _, line := range strings.Split(head, "\r\n") {
		if strings.HasPrefix(line, " ") && len(fields) > 0 {
			fields[len(fields)-1] += "\r\n" + line
			continue
		}
		fields = append(fields, line)
	}
	slices.Sort(fields)
	return strings.Join(fields, "\r\n") + "\r\n\r\n" + body
}

// An encodedMsg is the message go-mail writes, byte for byte but for the
// values drawn per message (date, Message-ID, boundary), in each shape a
// message takes: both parts, text only, HTML only. Only the writing of the
// parts moved out of go-mail.
func TestEncodedMessageIsGoMails(t *testing.T) {
	html := "<p>" + strings.Repeat("Grüße aus Köln — a=b ", 300) + "</p>\n<p>.leading dot</p>"
	text := strings.Repeat("Zürich, 5 °C.  \n", 200)
	for _, shape := range []struct{ name, html, text string }{
		{"both", html, text}, {"text only", "", text}, {"html only", html, ""},
	} {
		t.Run(shape.name, func(t *testing.T) {
			m := baseMessage()
			m.HTML, m.Text = shape.html, shape.text
			m.Headers = map[string]string{"X-Digest-Issue": "7"}
			gm, _, err := compose(baseConfig(), m, nil)
			if err != nil {
				t.Fatal(err)
			}
			var want bytes.Buffer
			if _, err := gm.WriteTo(&want); err != nil {
				t.Fatal(err)
			}
			ends := 0
			em, _, err := composeEncoded(baseConfig(), withQP(m), func() error { ends++; return nil })
			if err != nil {
				t.Fatal(err)
			}
			var got bytes.Buffer
			if err := em.writeTo(&got); err != nil {
				t.Fatal(err)
			}
			w, g := normalize(want.String()), normalize(got.String())
			if g != w {
				t.Errorf("the encoded message differs from go-mail's:\n--- go-mail\n%.900s\n--- encoded\n%.900s", w, g)
			}
			if ends != 1 {
				t.Errorf("end called %d times, want once, after the content", ends)
			}
			if em.from != "<wrap@example.org>" || em.to != "<ada@example.net>" {
				t.Errorf("envelope %q -> %q", em.from, em.to)
			}
		})
	}
}

// A failing end abandons the message: writeTo returns its error.
func TestEncodedMessageEndFails(t *testing.T) {
	boom := errors.New("boom")
	em, _, err := composeEncoded(baseConfig(), withQP(baseMessage()), func() error { return boom })
	if err != nil {
		t.Fatal(err)
	}
	if err := em.writeTo(io.Discard); !errors.Is(err, boom) {
		t.Errorf("writeTo = %v, want end's error", err)
	}
}

// The relay's refusals come out of the encoded path exactly as out of
// go-mail's: same stage, code and enhanced status, so the same outcome
// (retry, bounce, relay refusal) follows.
func TestEncodedSendErrorsAreGoMails(t *testing.T) {
	mp := mailpittest.Start(t, "--enable-chaos", "--smtp-allowed-recipients", `@ok\.example$`)
	s := newTestSender(t, testConfig(mp))
	send := func(m Message, to string) error {
		m.To = to
		_, err := s.Send(context.Background(), m)
		return err
	}
	type outcome struct {
		stage, enhanced                string
		code                           int
		permanent, rejected, relayside bool
	}
	of := func(err error) outcome {
		var e *Error
		if !errors.As(err, &e) {
			t.Fatalf("err = %v, want an *Error", err)
		}
		return outcome{e.Stage, e.Enhanced, e.Code, IsPermanent(err), IsRecipientRejected(err), IsRelayRefusal(err)}
	}
	plain := Message{Subject: "s", Text: "t", HTML: "<p>t</p>"}
	for _, tc := range []struct {
		name, trigger, to string
		code              int
	}{
		{"sender throttled", "Sender", "a@ok.example", 451},
		{"sender blocked", "Sender", "a@ok.example", 554},
		{"recipient deferred", "Recipient", "a@ok.example", 451},
		{"recipient unknown", "", "nobody@bad.example", 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if tc.trigger != "" {
				setChaos(t, mp, tc.trigger, tc.code, 100)
				defer setChaos(t, mp, tc.trigger, tc.code, 0)
			}
			want := of(send(plain, tc.to))
			got := of(send(withQP(plain), tc.to))
			if got != want {
				t.Errorf("encoded: %+v; go-mail: %+v", got, want)
			}
		})
	}
	// Both paths still send on the same connections afterwards.
	if err := send(withQP(plain), "b@ok.example"); err != nil {
		t.Fatal(err)
	}
	if got := mp.WaitCount(t, 1, 5*time.Second); got != 1 {
		t.Errorf("Mailpit holds %d messages, want 1", got)
	}
}

// What a reader gets from an encoded message is its HTML and text as
// rendered: Mailpit, a real mail parser, decodes them back.
func TestEncodedMessageReachesMailpit(t *testing.T) {
	mp := mailpittest.Start(t)
	s := newTestSender(t, testConfig(mp))
	m := baseMessage()
	m.HTML = "<p>" + strings.Repeat("Grüße — ", 200) + "</p>"
	m.Text = strings.Repeat("Zürich, 5 °C.\n", 50)
	if _, err := s.Send(context.Background(), withQP(m)); err != nil {
		t.Fatal(err)
	}
	mp.WaitCount(t, 1, 5*time.Second)
	got := mp.Message(t, mp.Messages(t)[0].ID)
	if strings.TrimSpace(got.HTML) != strings.TrimSpace(m.HTML) {
		t.Errorf("HTML differs: %.200q", got.HTML)
	}
	if norm := strings.ReplaceAll(got.Text, "\r\n", "\n"); strings.TrimSpace(norm) != strings.TrimSpace(m.Text) {
		t.Errorf("text differs: %.200q", got.Text)
	}
	if got.Subject != m.Subject || len(got.To) != 1 || got.To[0].Address != m.To || got.ListUnsubscribe.Header == "" {
		t.Errorf("headers: %+v", got)
	}
}

// dotWriter writes what textproto's DotWriter writes, whatever the
// content and however it is cut into writes: dots at line starts doubled,
// bare LFs made CRLF, a CR at the end of one write and its LF at the
// start of the next kept one line end, and the final dot on a line of its
// own. (CR CR LF is left out: textproto turns it into CR CR CR LF.)
func TestDotWriterIsTextprotos(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	alphabet := []string{"a", "b", ".", "..", "\r\n", "\n", "\r", " ", "=2E"}
	inputs := []string{"", ".", "\r\n", ".\r\n.", "a\r", "a\n.b\n", "..\r\n..\r\n"}
	for range 2000 {
		var b strings.Builder
		for range rng.IntN(40) {
			b.WriteString(alphabet[rng.IntN(len(alphabet))])
		}
		inputs = append(inputs, b.String())
	}
	for _, in := range inputs {
		if strings.Contains(in, "\r\r") {
			continue
		}
		var want bytes.Buffer
		tw := textproto.NewWriter(bufio.NewWriter(&want)).DotWriter()
		_, _ = io.WriteString(tw, in)
		_ = tw.Close()

		var got bytes.Buffer
		bw := bufio.NewWriter(&got)
		dw := &dotWriter{w: bw}
		for rest := in; len(rest) > 0; {
			k := 1 + rng.IntN(len(rest))
			if _, err := io.WriteString(dw, rest[:k]); err != nil {
				t.Fatal(err)
			}
			rest = rest[k:]
		}
		if err := dw.close(); err != nil {
			t.Fatal(err)
		}
		if got.String() != want.String() {
			t.Fatalf("content %q: wrote %q, textproto writes %q", in, got.String(), want.String())
		}
	}
}

package mailer

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"net/textproto"
	"regexp"

	"github.com/wneessen/go-mail"
	"github.com/wneessen/go-mail/smtp"
)

// outgoing is a composed message as Sender sends it: a go-mail Msg, or an
// encodedMsg.
type outgoing interface {
	// sendOn makes one attempt over c: MAIL, RCPT, DATA, the content and
	// the final dot.
	sendOn(c *conn) error
	// delivered reports whether the last attempt's final reply accepted
	// the message.
	delivered() bool
}

// goMailMsg sends a go-mail Msg the way go-mail does.
type goMailMsg struct {
	msg      *mail.Msg
	flushErr error
}

func (g *goMailMsg) sendOn(c *conn) error {
	g.flushErr = nil
	if err := c.relay.client.SendWithSMTPClient(c.smtp, g.msg); err != nil {
		return err
	}
	// go-mail read a reply after the final dot, which flushes what the
	// connection holds, unless that reply was already buffered (a relay
	// out of step): then the dot goes out here, and if it cannot, the
	// message was not sent.
	if err := c.flush(); err != nil {
		g.flushErr = err
		return &Error{Server: c.relay.addr, Stage: StageData, Err: err}
	}
	return nil
}

func (g *goMailMsg) delivered() bool { return g.msg.IsDelivered() && g.flushErr == nil }

// encodedMsg is a message whose parts come already quoted-printable
// encoded (Message.WriteHTMLQP and WriteTextQP): go-mail writes its
// headers, from the Msg composeHead built, and the parts go to the relay as
// they are, framed as go-mail frames them (multipart/alternative, text
// first). go-mail's Msg would encode every copy again, which costs a send
// more than anything else it does per message; the bulk send's parts are
// one rendering encoded once, with only each reader's values encoded per
// message.
type encodedMsg struct {
	head       *mail.Msg // the headers; no parts
	from, to   string    // the envelope, as go-mail takes it from head
	text, html func(io.Writer) (int64, error)
	end        func() error // before the final dot, as in compose
	sent       bool
}

// composeEncoded is compose for a message with encoded parts.
func composeEncoded(cfg Config, m Message, end func() error) (*encodedMsg, string, error) {
	head, id, err := composeHead(cfg, m)
	if err != nil {
		return nil, "", err
	}
	from, err := head.GetSender(false)
	if err != nil {
		return nil, "", fmt.Errorf("mailer: envelope sender: %w", err)
	}
	rcpts, err := head.GetRecipients()
	if err != nil || len(rcpts) != 1 {
		return nil, "", fmt.Errorf("mailer: envelope recipient of %q: %w", m.To, err)
	}
	e := &encodedMsg{head: head, from: from, to: rcpts[0], end: end}
	// The parts go-mail would send: those the message has.
	hasHTML, hasText := m.parts()
	if hasHTML {
		e.html = m.WriteHTMLQP
	}
	if hasText {
		e.text = m.WriteTextQP
	}
	return e, id, nil
}

func (e *encodedMsg) delivered() bool { return e.sent }

// partHeader is the header go-mail gives a quoted-printable text part.
func partHeader(contentType mail.ContentType) textproto.MIMEHeader {
	return textproto.MIMEHeader{
		"Content-Transfer-Encoding": {string(mail.EncodingQP)},
		"Content-Type":              {string(contentType) + "; charset=" + string(mail.CharsetUTF8)},
	}
}

// writeTo writes the message, then calls end: everything but the final
// dot is then written.
func (e *encodedMsg) writeTo(w io.Writer) error {
	if _, err := e.head.WriteTo(w); err != nil {
		return fmt.Errorf("headers: %w", err)
	}
	var err error
	switch {
	case e.text != nil && e.html != nil:
		mw := multipart.NewWriter(w)
		if _, err = io.WriteString(w, "Content-Type: multipart/alternative;\r\n boundary="+mw.Boundary()+"\r\n\r\n"); err != nil {
			break
		}
		for _, p := range []struct {
			ct    mail.ContentType
			write func(io.Writer) (int64, error)
		}{{mail.TypeTextPlain, e.text}, {mail.TypeTextHTML, e.html}} {
			var pw io.Writer
			if pw, err = mw.CreatePart(partHeader(p.ct)); err != nil {
				break
			}
			if _, err = p.write(pw); err != nil {
				break
			}
		}
		if err == nil {
			err = mw.Close()
		}
	default:
		ct, write := mail.TypeTextPlain, e.text
		if write == nil {
			ct, write = mail.TypeTextHTML, e.html
		}
		h := partHeader(ct)
		if _, err = io.WriteString(w, "Content-Transfer-Encoding: "+h.Get("Content-Transfer-Encoding")+"\r\nContent-Type: "+h.Get("Content-Type")+"\r\n\r\n"); err == nil {
			_, err = write(w)
		}
	}
	if err != nil {
		return fmt.Errorf("content: %w", err)
	}
	if e.end != nil {
		return e.end()
	}
	return nil
}

// errNoConnection is a pooled connection found closed before use.
var errNoConnection = errors.New("no active connection")

// sendOn is go-mail's sendSingleMsg for an encodedMsg, with its errors as
// classify would make them of go-mail's: a failed content write or end
// leaves the connection inside DATA with no reply (Code 0), so Sender
// closes it without the final dot and nothing is accepted.
func (e *encodedMsg) sendOn(c *conn) error {
	e.sent = false
	sc := c.smtp
	fail := func(stage string, err error) error {
		// Only a 4xx or 5xx is a refusal, as go-mail reads replies; any
		// other reply leaves the session in a state nobody knows, and Code
		// 0 has Sender close the connection.
		code := replyCode(err)
		if code < 400 || code > 599 {
			code = 0
		}
		return &Error{Server: c.relay.addr, Stage: stage, Code: code, Enhanced: enhancedCode(sc, err), Err: err}
	}
	// A failure between DATA's 354 and the final reply leaves the session
	// inside DATA whatever the error says: no reply (Code 0), so the
	// connection is closed, never reused.
	broken := func(err error) error {
		return &Error{Server: c.relay.addr, Stage: StageData, Err: err}
	}
	// go-mail checks the connection and extends its deadline per message.
	if !sc.HasConnection() {
		return fail(StageMail, errNoConnection)
	}
	if err := sc.UpdateDeadline(c.relay.timeout); err != nil {
		return fail(StageMail, err)
	}
	if err := sc.Mail(e.from); err != nil {
		_ = sc.Reset()
		return fail(StageMail, err)
	}
	if err := sc.Rcpt(e.to); err != nil {
		_ = sc.Reset()
		return fail(StageRcpt, err)
	}
	if err := replyTo(sc.Text, 354, "DATA"); err != nil {
		return fail(StageData, err)
	}
	dw := &dotWriter{w: sc.Text.W}
	if err := e.writeTo(dw); err != nil {
		return broken(err)
	}
	if err := dw.close(); err != nil {
		return broken(err)
	}
	// The final dot goes out now, not when the reply is read: a reply
	// already buffered (a relay out of step) would otherwise be taken for
	// this message's while its end is still held.
	if err := c.flush(); err != nil {
		return broken(err)
	}
	if _, _, err := sc.Text.ReadResponse(250); err != nil {
		return fail(StageData, err)
	}
	e.sent = true
	return nil
}

// replyTo sends cmd and reads its reply, as go-mail's client does.
func replyTo(t *textproto.Conn, code int, cmd string) error {
	id, err := t.Cmd("%s", cmd)
	if err != nil {
		return err
	}
	t.StartResponse(id)
	defer t.EndResponse(id)
	_, _, err = t.ReadResponse(code)
	return err
}

// dotWriter is the content of DATA as textproto's DotWriter writes it
// (RFC 5321 4.5.2: a dot at the start of a line doubled, every line
// ending in CRLF, the end marked by a line holding a dot), but a run of
// bytes at a time: textproto's goes byte by byte through the buffer, and
// for a message of tens of KB that was a fifth of a send's CPU, more than
// anything digest itself did per message.
type dotWriter struct {
	w         *bufio.Writer
	lineStart bool // the next byte starts a line
	cr        bool // the last byte written was CR
	begun     bool
}

func (d *dotWriter) Write(p []byte) (int, error) {
	n := len(p)
	if n > 0 && !d.begun {
		d.begun, d.lineStart = true, true
	}
	for len(p) > 0 {
		if d.lineStart && p[0] == '.' {
			_ = d.w.WriteByte('.')
		}
		d.lineStart = false
		i := bytes.IndexByte(p, '\n')
		run := p
		if i >= 0 {
			run = p[:i]
		}
		if len(run) > 0 {
			_, _ = d.w.Write(run)
			d.cr = run[len(run)-1] == '\r'
		}
		if i < 0 {
			break
		}
		if !d.cr {
			_ = d.w.WriteByte('\r') // a bare LF ends its line as CRLF
		}
		_ = d.w.WriteByte('\n')
		d.lineStart, d.cr = true, false
		p = p[i+1:]
	}
	// bufio.Writer keeps its first error and returns it from every call.
	if _, err := d.w.Write(nil); err != nil {
		return 0, err
	}
	return n, nil
}

// close ends the content: the line it is in, then the final dot, and
// sends it all. Only then can the relay accept the message.
func (d *dotWriter) close() error {
	if !d.lineStart || !d.begun {
		if !d.cr {
			_ = d.w.WriteByte('\r')
		}
		_ = d.w.WriteByte('\n')
	}
	_, _ = d.w.WriteString(".\r\n")
	return d.w.Flush()
}

// enhancedStatus finds an RFC 3463 status code in a reply.
var enhancedStatus = regexp.MustCompile(`\b[245]\.\d{1,3}\.\d{1,3}\b`)

// enhancedCode is the reply's RFC 3463 status where the server says it
// sends them (ENHANCEDSTATUSCODES), as go-mail reads it.
func enhancedCode(sc *smtp.Client, err error) string {
	var te *textproto.Error
	if !errors.As(err, &te) {
		return ""
	}
	if ok, _ := sc.Extension("ENHANCEDSTATUSCODES"); !ok {
		return ""
	}
	return enhancedStatus.FindString(te.Msg)
}

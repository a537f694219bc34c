package mailer

import (
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
type goMailMsg struct{ msg *mail.Msg }

func (g goMailMsg) sendOn(c *conn) error { return c.relay.client.SendWithSMTPClient(c.smtp, g.msg) }
func (g goMailMsg) delivered() bool      { return g.msg.IsDelivered() }

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
	return &encodedMsg{head: head, from: from, to: rcpts[0], text: m.WriteTextQP, html: m.WriteHTMLQP, end: end}, id, nil
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
		return &Error{Server: c.relay.addr, Stage: stage, Code: replyCode(err), Enhanced: enhancedCode(sc, err), Err: err}
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
	w, err := sc.Data()
	if err != nil {
		return fail(StageData, err)
	}
	if err := e.writeTo(w); err != nil {
		return fail(StageData, err)
	}
	if err := w.Close(); err != nil {
		return fail(StageData, err)
	}
	e.sent = true
	return nil
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

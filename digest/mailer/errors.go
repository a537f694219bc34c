package mailer

import (
	"errors"
	"fmt"
	"net/textproto"
	"strings"

	"github.com/wneessen/go-mail"
)

// Stages of an SMTP transaction at which a send can fail.
const (
	StageConnect = "connect" // dial, EHLO, STARTTLS, AUTH
	StageMail    = "mail"    // MAIL FROM: the sender was refused
	StageRcpt    = "rcpt"    // RCPT TO: the recipient was refused
	StageData    = "data"    // DATA, the content, or the final reply
)

// Error is a failed send: where it failed and the server's reply code, 0
// when no reply was received (timeouts, dropped connections).
type Error struct {
	Server string // host:port
	Stage  string
	Code   int
	// Enhanced is the RFC 3463 status ("5.1.1") when the server sent one.
	Enhanced string
	Err      error
}

func (e *Error) Error() string {
	if e.Server == "" {
		return fmt.Sprintf("smtp: %s: %v", e.Stage, e.Err)
	}
	return fmt.Sprintf("smtp %s: %s: %v", e.Server, e.Stage, e.Err)
}

func (e *Error) Unwrap() error { return e.Err }

// IsPermanent reports whether err is an SMTP 5xx reply: sending the same
// message again will fail again. Temporary replies (4xx), timeouts and
// connection errors are not permanent.
func IsPermanent(err error) bool {
	c := replyCode(err)
	return c >= 500 && c <= 599
}

// IsRecipientRejected reports whether err is a permanent refusal of the
// recipient's address (a hard bounce): a 5xx to RCPT TO, or after DATA an
// RFC 3463 address status (5.1.x). A 5xx for the content or for policy
// (5.7.x spam, 5.3.4 size) is not held against the subscriber, since every
// copy of the issue would get it.
func IsRecipientRejected(err error) bool {
	var e *Error
	if !errors.As(err, &e) || !IsPermanent(err) {
		return false
	}
	return e.Stage == StageRcpt || (e.Stage == StageData && strings.HasPrefix(e.Enhanced, "5.1."))
}

// IsRelayRefusal reports whether err is the relay refusing the session or
// the sender rather than the recipient: no connection, a refused EHLO,
// STARTTLS or AUTH, or any reply but success to MAIL FROM (a 451
// throttle, a 554 policy block). Such an error says nothing about the
// address: it must never count against it, and every message would get it
// alike. Sender already tried each configured relay before returning it.
func IsRelayRefusal(err error) bool {
	var e *Error
	return errors.As(err, &e) && (e.Stage == StageConnect || e.Stage == StageMail)
}

// replyCode digs the SMTP reply code out of err, 0 if there is none.
func replyCode(err error) int {
	var e *Error
	if errors.As(err, &e) && e.Code != 0 {
		return e.Code
	}
	var te *textproto.Error
	if errors.As(err, &te) {
		return te.Code
	}
	var se *mail.SendError
	if errors.As(err, &se) {
		return se.ErrorCode()
	}
	return 0
}

// classify turns go-mail's error into an *Error.
func classify(server string, err error) *Error {
	var own *Error
	if errors.As(err, &own) {
		return own // an encodedMsg's, already classified
	}
	e := &Error{Server: server, Stage: StageData, Code: replyCode(err), Err: err}
	var se *mail.SendError
	if errors.As(err, &se) {
		e.Enhanced = se.EnhancedStatusCode()
		switch se.Reason {
		case mail.ErrConnCheck, mail.ErrSMTPMailFrom:
			e.Stage = StageMail
		case mail.ErrSMTPRcptTo:
			e.Stage = StageRcpt
		}
	}
	return e
}

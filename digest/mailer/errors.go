package mailer

import (
	"errors"
	"fmt"
	"net/textproto"

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
	Err    error
}

func (e *Error) Error() string {
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
// recipient or of the message for that recipient (a hard bounce), rather
// than of the sender or the connection.
func IsRecipientRejected(err error) bool {
	var e *Error
	return errors.As(err, &e) && IsPermanent(err) && (e.Stage == StageRcpt || e.Stage == StageData)
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
	e := &Error{Server: server, Stage: StageData, Code: replyCode(err), Err: err}
	var se *mail.SendError
	if errors.As(err, &se) {
		switch se.Reason {
		case mail.ErrConnCheck, mail.ErrSMTPMailFrom:
			e.Stage = StageMail
		case mail.ErrSMTPRcptTo:
			e.Stage = StageRcpt
		}
	}
	return e
}

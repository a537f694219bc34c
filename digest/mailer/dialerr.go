package mailer

import (
	"context"
	"crypto/tls"
	"errors"
	"net"
	"os"
	"strings"
	"syscall"
)

// dialError is a failed connection to one relay, said once and with what
// to do: the layers below (go-mail, net) each repeat the address.
type dialError struct {
	addr string
	msg  string
	err  error
}

func (d *dialError) Error() string { return d.msg }
func (d *dialError) Unwrap() error { return d.err }

// dialErrors is every relay's failure when all of them failed.
type dialErrors []error

func (ds dialErrors) Error() string {
	parts := make([]string, len(ds))
	for i, e := range ds {
		if d, ok := e.(*dialError); ok {
			parts[i] = d.addr + ": " + d.msg
		} else {
			parts[i] = e.Error()
		}
	}
	return strings.Join(parts, "; ")
}

func (ds dialErrors) Unwrap() []error { return ds }

// explainDial turns a failed connect, EHLO, STARTTLS or AUTH into one
// sentence naming the cause and, where there is one, the usual fix.
func explainDial(r *relay, err error) error {
	d := &dialError{addr: r.addr, err: err}
	var opErr *net.OpError
	var dnsErr *net.DNSError
	var recErr tls.RecordHeaderError
	var certErr *tls.CertificateVerificationError
	low := strings.ToLower(err.Error())
	switch {
	case errors.Is(err, syscall.ECONNREFUSED):
		d.msg = "connection refused: is an SMTP server (e.g. Mailpit) running on " + r.addr + "?"
	case errors.As(err, &dnsErr):
		d.msg = "no such host " + dnsErr.Name + ": check smtp.host"
	case errors.Is(err, context.DeadlineExceeded) || errors.Is(err, os.ErrDeadlineExceeded):
		d.msg = "no answer from " + r.addr + " in time: check smtp.host and smtp.port, and that a firewall lets the connection through"
	case strings.Contains(low, "starttls") && (strings.Contains(low, "not supported") || strings.Contains(low, "not support")):
		d.msg = "the server does not offer STARTTLS (tls: starttls); a local server such as Mailpit speaks plain SMTP: set tls: none for it"
	case errors.As(err, &recErr) || strings.Contains(low, "first record does not look like a tls handshake"):
		if r.tls == "tls" {
			d.msg = "the server does not speak TLS from the first byte (tls: tls); use tls: starttls (port 587), or tls: none for a local server such as Mailpit"
		} else {
			d.msg = "the TLS handshake failed: the server answered in plain text; set tls: none for a local server such as Mailpit"
		}
	case errors.As(err, &certErr):
		d.msg = "the server's TLS certificate is not valid for " + r.host + ": " + certErr.Err.Error()
	case strings.Contains(low, "auth") && (strings.Contains(low, "535") || strings.Contains(low, "credentials") || strings.Contains(low, "authentication")):
		d.msg = "the server refused the login: check smtp.username and smtp.password (" + lastPart(err) + ")"
	case errors.As(err, &opErr):
		d.msg = lastPart(err)
	default:
		d.msg = err.Error()
	}
	return d
}

// lastPart drops the "dial tcp 1.2.3.4:25: " style prefixes that repeat
// what the caller says already.
func lastPart(err error) string {
	var opErr *net.OpError
	if errors.As(err, &opErr) && opErr.Err != nil {
		return opErr.Err.Error()
	}
	return err.Error()
}

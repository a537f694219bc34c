// Package mailer turns a rendered issue into MIME messages and sends them
// over SMTP.
//
// Compose builds one multipart/alternative (text, then HTML) message with
// the headers bulk mail needs: a Message-ID on the list's domain, List-Id
// (RFC 2919) and one-click List-Unsubscribe (RFC 2369, RFC 8058), signed
// with DKIM (RFC 6376) when a key is configured. Header values that come
// from input never carry CR, LF or NUL: such input is refused with an error
// naming the field.
//
// Sender keeps a pool of SMTP connections (STARTTLS, implicit TLS, or plain
// by explicit choice), each reused for many messages; it replaces dropped or
// stale connections, fails over across servers in order, and paces sending
// to the configured rate limits. Its errors say at which SMTP stage a send
// failed and with which reply code (see Error, IsPermanent,
// IsRecipientRejected).
//
// Deliver is the delivery worker: it claims an issue's queued deliveries
// from the store, sends them in parallel, and records each outcome (sent;
// retry later after a temporary failure; failed after a permanent refusal,
// counting a hard bounce) right after the attempt, so a crash repeats at
// most the messages in flight.
package mailer

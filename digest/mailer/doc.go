// Package mailer turns a rendered issue into MIME messages and sends them
// over SMTP.
//
// Compose builds one multipart/alternative (text and HTML) message with the
// list headers bulk mail needs: Message-ID on the list's domain, List-Id
// (RFC 2919) and one-click List-Unsubscribe (RFC 2369, RFC 8058). Header
// values that come from input never carry CR or LF.
//
// Sender keeps a small pool of SMTP connections, each reused for many
// messages, reconnects after failures, fails over across servers in order,
// and paces sending to the configured rate limits.
//
// Deliver is the delivery worker: it claims an issue's queued deliveries
// from the store, sends them in parallel, and records each outcome (sent,
// retry later after a temporary 4xx, failed after a permanent 5xx) right
// after the attempt, so a crash repeats at most the messages in flight.
package mailer

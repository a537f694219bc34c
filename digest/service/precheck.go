package service

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/weeklywrap/digest/digest"
	"github.com/weeklywrap/digest/digest/mailcheck"
	"github.com/weeklywrap/digest/digest/mailer"
	"github.com/weeklywrap/digest/digest/render"
)

// checkSubscriber stands for every subscriber in the pre-send checks: a
// subscriber with an ID gets signed personal links and the one-click
// unsubscribe headers, as every real one does.
var checkSubscriber = digest.Subscriber{ID: 1, Email: "reader@example.org", Name: "Reader"}

// Precheck composes issue n as a subscriber will receive it and runs the
// pre-send checks over the whole message (see mailcheck).
func (s *Service) Precheck(p *render.Prepared, n int) (mailcheck.Report, error) {
	m, _, err := mailer.Compose(s.Mail, s.Message(p, n, checkSubscriber))
	if err != nil {
		return mailcheck.Report{}, fmt.Errorf("pre-send checks: compose: %w", err)
	}
	var buf bytes.Buffer
	if _, err := m.WriteTo(&buf); err != nil {
		return mailcheck.Report{}, fmt.Errorf("pre-send checks: write message: %w", err)
	}
	return mailcheck.Check(buf.Bytes())
}

// ErrChecksFailed marks an issue refused by the pre-send checks.
var ErrChecksFailed = fmt.Errorf("failed the pre-send checks")

// enforceChecks runs the pre-send checks on issue n, logs every finding
// and, unless mail.checks is warn, refuses an issue that failed one.
func (s *Service) enforceChecks(p *render.Prepared, n int) error {
	rep, err := s.Precheck(p, n)
	if err != nil {
		return err
	}
	for _, f := range rep.Findings {
		if f.Severity == mailcheck.Fail {
			s.Log.Error("pre-send check failed", "issue", n, "check", f.Check, "finding", f.Msg)
		} else {
			s.Log.Warn("pre-send check", "issue", n, "check", f.Check, "finding", f.Msg)
		}
	}
	if !rep.Failed() || s.Cfg.Mail.Checks == "warn" {
		return nil
	}
	var b strings.Builder
	for _, f := range rep.Failures() {
		fmt.Fprintf(&b, "\n  %s: %s", f.Check, f.Msg)
	}
	return fmt.Errorf("issue #%d %w, so it was not sent:%s\nfix the templates (templates_dir, try digest preview) or set mail.checks: warn to send it anyway",
		n, ErrChecksFailed, b.String())
}

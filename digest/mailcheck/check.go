// Package mailcheck looks at a composed newsletter message the way the
// inboxes will, before it is sent: the size of its HTML against Gmail's
// clipping, text and link contrast in light and dark mode, links that only
// work as absolute URLs, a plain-text part that says what the HTML says,
// and the one-click unsubscribe of RFC 8058. The bundled templates pass
// every check; an operator's own templates (templates_dir) may not, and
// the findings say what to fix.
//
// A Finding is a warning (worth fixing, the message still reads) or a
// failure (readers lose something: a clipped message, unreadable text,
// broken links, no plain text or no unsubscribe).
package mailcheck

import (
	"bytes"
	"fmt"
	"strings"
)

// GmailClip is the size of HTML above which Gmail shows "[Message
// clipped]" and hides the rest, the footer with the unsubscribe link
// included.
const GmailClip = 102 * 1024

// sizeWarn leaves room for what personalization and later edits add.
const sizeWarn = 92 * 1024

// Contrast thresholds from WCAG 2.x: AA asks 4.5:1 for body text and 3:1
// for large text; below 3:1 even a heading is hard to read, which is where
// a check fails.
const (
	AANormal = 4.5
	AALarge  = 3.0
	minRatio = 3.0
)

// Severity says how bad a finding is.
type Severity int

const (
	// Warn marks something worth fixing; the message still serves readers.
	Warn Severity = iota + 1
	// Fail marks something that costs readers: send refuses it unless told otherwise.
	Fail
)

func (s Severity) String() string {
	if s == Fail {
		return "failed"
	}
	return "warning"
}

// Finding is one problem.
type Finding struct {
	Check    string // size, contrast, links, text, unsubscribe
	Severity Severity
	Msg      string
}

func (f Finding) String() string {
	return fmt.Sprintf("%s: %s: %s", f.Severity, f.Check, f.Msg)
}

// Report is what Check found, with the measures behind it.
type Report struct {
	Findings  []Finding
	HTMLBytes int
	// Lowest contrast of any visible text in each mode (0 with no text).
	LightContrast, DarkContrast float64
}

// Failed reports whether any check failed.
func (r Report) Failed() bool {
	for _, f := range r.Findings {
		if f.Severity == Fail {
			return true
		}
	}
	return false
}

// Failures returns the failed findings.
func (r Report) Failures() []Finding {
	var out []Finding
	for _, f := range r.Findings {
		if f.Severity == Fail {
			out = append(out, f)
		}
	}
	return out
}

func (r *Report) add(check string, sev Severity, format string, args ...any) {
	r.Findings = append(r.Findings, Finding{Check: check, Severity: sev, Msg: fmt.Sprintf(format, args...)})
}

// Check parses a whole RFC 5322 message (as written to issue.eml or sent
// over SMTP) and checks it.
func Check(raw []byte) (Report, error) {
	p, err := parseMessage(bytes.NewReader(raw))
	if err != nil {
		return Report{}, fmt.Errorf("mailcheck: %w", err)
	}
	return CheckParts(p), nil
}

// CheckParts checks a message already split into its parts.
func CheckParts(p Parts) Report {
	var r Report
	r.HTMLBytes = len(p.HTML)
	switch {
	case p.HTML == "":
		r.add("size", Fail, "the message has no HTML part")
	case len(p.HTML) > GmailClip:
		r.add("size", Fail, "the HTML is %s, over Gmail's %s limit: Gmail clips it and hides the rest, the unsubscribe link included; shorten the template or lower curate.max",
			kb(len(p.HTML)), kb(GmailClip))
	case len(p.HTML) > sizeWarn:
		r.add("size", Warn, "the HTML is %s, close to Gmail's %s clipping limit", kb(len(p.HTML)), kb(GmailClip))
	}
	if p.HTML == "" {
		checkText(&r, nil, p)
		checkUnsubscribe(&r, nil, p)
		return r
	}
	doc := parseHTML(p.HTML)
	checkContrast(&r, doc)
	checkLinks(&r, doc, p.ListUnsubscribe)
	checkText(&r, doc, p)
	checkUnsubscribe(&r, doc, p)
	return r
}

func kb(n int) string { return fmt.Sprintf("%.1f KB", float64(n)/1024) }

// excerpt shortens s for a message.
func excerpt(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > 40 {
		return string(r[:40]) + "…"
	}
	return s
}

// list names up to three items and how many more there are.
func list(items []string) string {
	q := make([]string, 0, 3)
	for i, s := range items {
		if i == 3 {
			break
		}
		q = append(q, fmt.Sprintf("%q", s))
	}
	out := strings.Join(q, ", ")
	if len(items) > 3 {
		out += fmt.Sprintf(" and %d more", len(items)-3)
	}
	return out
}

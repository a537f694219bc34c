package feedback

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/mail"
	"net/textproto"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/emersion/go-message"

	"github.com/weeklywrap/digest/digest"
)

// ErrNotReport is returned by ParseReport for mail that is neither a DSN
// nor an ARF report (an auto-reply, a person's answer): it is left alone.
var ErrNotReport = errors.New("feedback: not a delivery status notification or feedback report")

// maxReport bounds what is read of one report; the reports themselves are
// small, and the returned message they quote is not needed whole.
const maxReport = 10 << 20

// ParseReport reads one mail message and returns the bounces in it if it
// is an RFC 3464 delivery status notification (multipart/report;
// report-type=delivery-status), or the complaint if it is an RFC 5965
// ARF report (report-type=feedback-report).
//
// A DSN recipient whose Action is failed with a 5.x.x Status is a hard
// bounce, except for statuses about the message or the receiver's policy
// rather than the address (5.2.2 mailbox full, 5.3.4 too big, 5.7.x
// policy, spam or authentication), which like delayed and 4.x.x ones are
// soft. ARF reports of type abuse, fraud, virus or other are complaints;
// not-spam and auth-failure (DMARC failure reports) are no complaint.
//
// Event ids are the report's Message-ID (or, without one, a hash of the
// report) and the recipient, so a report read twice counts once.
func ParseReport(r io.Reader) ([]digest.Feedback, error) {
	data, err := io.ReadAll(io.LimitReader(r, maxReport))
	if err != nil {
		return nil, fmt.Errorf("feedback: read report: %w", err)
	}
	e, err := message.Read(bytes.NewReader(data))
	if err != nil && !message.IsUnknownCharset(err) && !message.IsUnknownEncoding(err) {
		return nil, fmt.Errorf("feedback: parse report: %w", err)
	}
	ct, params, err := e.Header.ContentType()
	if err != nil || !strings.EqualFold(ct, "multipart/report") {
		return nil, ErrNotReport
	}
	id := strings.Trim(e.Header.Get("Message-Id"), "<> ")
	if id == "" {
		sum := sha256.Sum256(data)
		id = "sha256:" + hex.EncodeToString(sum[:12])
	}
	at, _ := mail.ParseDate(e.Header.Get("Date"))
	mr := e.MultipartReader()
	if mr == nil {
		return nil, ErrNotReport
	}
	var (
		status, feedback []byte
		original         textproto.MIMEHeader
	)
	for {
		p, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil && !message.IsUnknownCharset(err) && !message.IsUnknownEncoding(err) {
			return nil, fmt.Errorf("feedback: report %s: %w", id, err)
		}
		pct, _, _ := p.Header.ContentType()
		switch strings.ToLower(pct) {
		case "message/delivery-status", "message/global-delivery-status":
			status, err = io.ReadAll(p.Body)
		case "message/feedback-report":
			feedback, err = io.ReadAll(p.Body)
		case "message/rfc822", "text/rfc822-headers", "message/rfc822-headers", "message/global", "message/global-headers":
			original, err = readHeader(p.Body)
		}
		if err != nil {
			return nil, fmt.Errorf("feedback: report %s: %s part: %w", id, pct, err)
		}
	}
	var events []digest.Feedback
	switch strings.ToLower(params["report-type"]) {
	case "delivery-status":
		if status == nil {
			return nil, fmt.Errorf("feedback: DSN %s has no message/delivery-status part", id)
		}
		events, err = parseDSN(id, at, status)
	case "feedback-report":
		if feedback == nil {
			return nil, fmt.Errorf("feedback: ARF report %s has no message/feedback-report part", id)
		}
		events, err = parseARF(id, at, feedback, original)
	default:
		return nil, ErrNotReport
	}
	// The returned message's Message-ID ties the report to a message
	// the list sent (checked by the mailbox reader); one longer than any
	// the list writes cannot be one.
	var returned string
	if original != nil {
		returned = strings.Trim(strings.TrimSpace(original.Get("Message-Id")), "<>")
	}
	if len(returned) > maxEventID {
		returned = ""
	}
	for i := range events {
		events[i].MessageID = returned
		events[i].EventID = boundID(events[i].EventID)
		events[i].Detail = clip(events[i].Detail, maxDetail)
	}
	return events, err
}

// maxEventID and maxDetail bound what a report, which anyone can mail,
// puts in the store. An event id is a key in a unique index, and
// PostgreSQL refuses a key over 2704 bytes: one report with a long
// Message-ID failed every pass over the mailbox, so no report after it
// was ever read. A diagnostic of 200 KB was kept whole.
const (
	maxEventID = 200
	maxDetail  = 500
)

// boundID keeps a long event id as a hash of it, so a repeat still
// matches.
func boundID(id string) string {
	if len(id) <= maxEventID {
		return id
	}
	sum := sha256.Sum256([]byte(id))
	return "sha256:" + hex.EncodeToString(sum[:16])
}

// clip shortens s to at most n bytes on a character boundary, marking the cut.
func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	s = s[:n-len("…")]
	for len(s) > 0 && !utf8.RuneStart(s[len(s)-1]) {
		s = s[:len(s)-1]
	}
	if len(s) > 0 && s[len(s)-1] >= utf8.RuneSelf {
		s = s[:len(s)-1] // the first byte of a character whose rest was cut
	}
	return s + "…"
}

// readHeader reads a header block (a returned message's, or the fields of
// a report part); a missing blank line at the end is no error.
func readHeader(r io.Reader) (textproto.MIMEHeader, error) {
	h, err := textproto.NewReader(bufio.NewReader(io.LimitReader(r, 1<<20))).ReadMIMEHeader()
	if err != nil && !errors.Is(err, io.EOF) && !errors.Is(err, io.ErrUnexpectedEOF) {
		return h, err
	}
	return h, nil
}

// fieldGroups splits a delivery-status body into its field groups: the
// per-message fields, then one group per recipient.
func fieldGroups(body []byte) ([]textproto.MIMEHeader, error) {
	body = bytes.ReplaceAll(body, []byte("\r\n"), []byte("\n"))
	var out []textproto.MIMEHeader
	for _, block := range bytes.Split(body, []byte("\n\n")) {
		if len(bytes.TrimSpace(block)) == 0 {
			continue
		}
		h, err := readHeader(bytes.NewReader(append(bytes.TrimLeft(block, "\n"), '\n', '\n')))
		if err != nil {
			return nil, err
		}
		out = append(out, h)
	}
	return out, nil
}

// typedAddress reads "rfc822; user@example.org" (RFC 3464's address-type
// and address), or a bare address.
func typedAddress(v string) string {
	if typ, addr, ok := strings.Cut(v, ";"); ok {
		if !strings.EqualFold(strings.TrimSpace(typ), "rfc822") && !strings.EqualFold(strings.TrimSpace(typ), "utf-8") {
			return ""
		}
		v = addr
	}
	v = strings.Trim(strings.TrimSpace(v), "<>")
	if a, err := mail.ParseAddress(v); err == nil {
		return a.Address
	}
	if strings.Count(v, "@") == 1 && !strings.ContainsAny(v, " \t\r\n,") {
		return v
	}
	return ""
}

// softPermanent are 5.x.x statuses that say nothing against the address.
func softPermanent(status string) bool {
	return status == "5.2.2" || status == "5.3.4" || strings.HasPrefix(status, "5.7.")
}

func parseDSN(id string, at time.Time, body []byte) ([]digest.Feedback, error) {
	groups, err := fieldGroups(body)
	if err != nil {
		return nil, fmt.Errorf("feedback: DSN %s: %w", id, err)
	}
	var out []digest.Feedback
	for _, g := range groups {
		rcpt := typedAddress(g.Get("Final-Recipient"))
		if rcpt == "" {
			rcpt = typedAddress(g.Get("Original-Recipient"))
		}
		if rcpt == "" {
			continue // the per-message group, or a recipient we cannot read
		}
		action := strings.ToLower(strings.TrimSpace(g.Get("Action")))
		status := strings.TrimSpace(strings.Fields(g.Get("Status") + " ")[0])
		var kind digest.FeedbackKind
		switch {
		case action == "failed" && strings.HasPrefix(status, "5.") && !softPermanent(status):
			kind = digest.FeedbackHardBounce
		case action == "failed" || action == "delayed":
			kind = digest.FeedbackSoftBounce
		default:
			continue // delivered, relayed, expanded: good news
		}
		detail := strings.TrimSpace(action + " " + status + " " + g.Get("Diagnostic-Code"))
		out = append(out, digest.Feedback{Source: "dsn", EventID: id + "/" + strings.ToLower(rcpt), Kind: kind,
			Email: rcpt, Detail: detail, At: at})
	}
	if len(out) == 0 && len(groups) == 0 {
		return nil, fmt.Errorf("feedback: DSN %s: empty delivery-status part", id)
	}
	return out, nil
}

func parseARF(id string, at time.Time, body []byte, original textproto.MIMEHeader) ([]digest.Feedback, error) {
	groups, err := fieldGroups(body)
	if err != nil || len(groups) == 0 {
		return nil, fmt.Errorf("feedback: ARF report %s: unreadable feedback-report part: %v", id, err)
	}
	f := groups[0]
	typ := strings.ToLower(strings.TrimSpace(f.Get("Feedback-Type")))
	switch typ {
	case "abuse", "fraud", "virus", "other":
	case "":
		return nil, fmt.Errorf("feedback: ARF report %s has no Feedback-Type", id)
	default:
		return nil, nil // not-spam, auth-failure: no complaint about the list
	}
	// Original-Rcpt-To names the complainer; many receivers redact it, and
	// then the returned message's To does.
	var rcpts []string
	for _, v := range f.Values("Original-Rcpt-To") {
		if a := typedAddress(v); a != "" {
			rcpts = append(rcpts, a)
		}
	}
	if len(rcpts) == 0 && original != nil {
		if list, err := mail.ParseAddressList(decodeHeader(original.Get("To"))); err == nil {
			for _, a := range list {
				rcpts = append(rcpts, a.Address)
			}
		}
	}
	if len(rcpts) == 0 {
		return nil, fmt.Errorf("feedback: ARF report %s names no recipient (no Original-Rcpt-To, no returned To)", id)
	}
	if arrival, err := mail.ParseDate(f.Get("Arrival-Date")); err == nil && at.IsZero() {
		at = arrival
	}
	var out []digest.Feedback
	for _, r := range rcpts {
		out = append(out, digest.Feedback{Source: "arf", EventID: id + "/" + strings.ToLower(r), Kind: digest.FeedbackComplaint,
			Email: r, Detail: strings.TrimSpace(typ + " " + f.Get("User-Agent")), At: at})
	}
	return out, nil
}

// decodeHeader decodes RFC 2047 words, which a To may carry.
func decodeHeader(v string) string {
	d, err := new(mime.WordDecoder).DecodeHeader(v)
	if err != nil {
		return v
	}
	return d
}

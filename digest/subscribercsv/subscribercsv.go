// Package subscribercsv reads and writes the subscriber list as CSV, the
// format `digest subscribers import` takes and `export` writes: a header row
// naming the columns (email, name, status, topics separated by ";"), then
// one subscriber a row. It touches no store, so the CLI only stores and
// prints what it returns.
package subscribercsv

import (
	"encoding/csv"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/weeklywrap/digest/digest"
)

// Row is one data row of an import: the subscriber it asks for, or why it
// cannot be taken. Line is the row's line in the file, for messages.
type Row struct {
	Line       int
	Subscriber digest.Subscriber
	Err        error // the row is bad and is skipped; the rest still count
}

// Options says how rows become subscribers.
type Options struct {
	// Confirmed says the list's consent was already given: rows are
	// imported as confirmed at Now (a row's own status column may still
	// say pending, unsubscribed or suppressed). Without it, rows are
	// pending, and a "confirmed" status column is ignored, since the
	// file alone cannot vouch for consent.
	Confirmed bool
	Now       time.Time
}

// Read reads the whole CSV. A missing or unreadable header row, or one
// without an "email" column, is an error for the file; a bad row (broken
// CSV, a bad address) is a Row with Err, in file order among the others.
func Read(r io.Reader, opt Options) ([]Row, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	cr.TrimLeadingSpace = true
	head, err := cr.Read()
	if err != nil {
		return nil, fmt.Errorf("header row: %w", err)
	}
	col := map[string]int{}
	for i, h := range head {
		col[strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))] = i
	}
	if _, ok := col["email"]; !ok {
		return nil, fmt.Errorf("the header row needs an \"email\" column (got %q)", head)
	}
	get := func(rec []string, k string) string {
		if i, ok := col[k]; ok && i < len(rec) {
			return strings.TrimSpace(rec[i])
		}
		return ""
	}
	var rows []Row
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			return rows, nil
		}
		line, _ := cr.FieldPos(0)
		if err != nil {
			rows = append(rows, Row{Line: line, Err: err})
			continue
		}
		email, err := digest.NormalizeEmail(get(rec, "email"))
		if err != nil {
			rows = append(rows, Row{Line: line, Err: fmt.Errorf("%q: %w", get(rec, "email"), err)})
			continue
		}
		s := digest.Subscriber{Email: email, Name: digest.CleanName(get(rec, "name")), Status: digest.StatusPending}
		if opt.Confirmed {
			s.Status, s.ConfirmedAt = digest.StatusConfirmed, opt.Now
		}
		if v := digest.SubscriberStatus(get(rec, "status")); v.Valid() && (v != digest.StatusConfirmed || opt.Confirmed) {
			s.Status = v
		}
		if t := get(rec, "topics"); t != "" {
			for _, x := range strings.Split(t, ";") {
				if x = strings.TrimSpace(x); x != "" {
					s.Topics = append(s.Topics, x)
				}
			}
		}
		rows = append(rows, Row{Line: line, Subscriber: s})
	}
}

// Header is the export's header row; Read takes it back.
func Header() []string { return []string{"email", "name", "status", "topics", "created"} }

// Record is one subscriber as an export row, in Header's order.
func Record(s digest.Subscriber) []string {
	return []string{s.Email, s.Name, string(s.Status), strings.Join(s.Topics, ";"), rfc3339(s.CreatedAt)}
}

func rfc3339(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}

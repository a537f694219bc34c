package subscribercsv

import (
	"bytes"
	"encoding/csv"
	"strings"
	"testing"
	"time"

	"github.com/weeklywrap/digest/digest"
)

func TestRead(t *testing.T) {
	now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	in := "\ufeffEmail , Name,status,topics\n" +
		"ann@example.org,Ann,,go; rust ;\n" +
		"BOB@Example.org,\"Bob, Jr.\",confirmed\n" +
		"not-an-address,Nobody\n" +
		"cy@example.org,Cy,unsubscribed\n" +
		"dee@example.org,\"Dee\n"
	rows, err := Read(strings.NewReader(in), Options{Now: now})
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 5 {
		t.Fatalf("%d rows, want 5: %+v", len(rows), rows)
	}
	ann := rows[0].Subscriber
	if rows[0].Err != nil || rows[0].Line != 2 || ann.Email != "ann@example.org" || ann.Name != "Ann" ||
		ann.Status != digest.StatusPending || !ann.ConfirmedAt.IsZero() || strings.Join(ann.Topics, "|") != "go|rust" {
		t.Errorf("row 2: %+v", rows[0])
	}
	// Without Options.Confirmed the file cannot vouch for consent.
	if bob := rows[1].Subscriber; bob.Email != "bob@example.org" || bob.Name != "Bob, Jr." || bob.Status != digest.StatusPending {
		t.Errorf("row 3: %+v", rows[1])
	}
	if rows[2].Err == nil || rows[2].Line != 4 || !strings.Contains(rows[2].Err.Error(), `"not-an-address"`) {
		t.Errorf("row 4 should be bad, naming the address: %+v", rows[2])
	}
	if rows[3].Subscriber.Status != digest.StatusUnsubscribed {
		t.Errorf("row 5 keeps its status column: %+v", rows[3])
	}
	if rows[4].Err == nil || rows[4].Line != 6 {
		t.Errorf("an unclosed quote is a bad row at its line: %+v", rows[4])
	}

	rows, err = Read(strings.NewReader("email,status\nann@example.org,\nbob@example.org,pending\n"), Options{Confirmed: true, Now: now})
	if err != nil {
		t.Fatal(err)
	}
	if s := rows[0].Subscriber; s.Status != digest.StatusConfirmed || !s.ConfirmedAt.Equal(now) {
		t.Errorf("Confirmed: %+v", s)
	}
	if s := rows[1].Subscriber; s.Status != digest.StatusPending {
		t.Errorf("a pending status column wins over Confirmed: %+v", s)
	}
}

func TestReadHeader(t *testing.T) {
	for in, want := range map[string]string{
		"":                      "header row: EOF",
		"name,topics\nAnn,go\n": `the header row needs an "email" column (got ["name" "topics"])`,
		"\"email\n":             "header row: ",
	} {
		_, err := Read(strings.NewReader(in), Options{})
		if err == nil || !strings.HasPrefix(err.Error(), want) {
			t.Errorf("%q: got %v, want %q…", in, err, want)
		}
	}
}

func TestExportReadsBack(t *testing.T) {
	created := time.Date(2026, 1, 5, 8, 30, 0, 0, time.UTC)
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	_ = w.Write(Header())
	_ = w.Write(Record(digest.Subscriber{Email: "ann@example.org", Name: "Ann, A.", Status: digest.StatusUnsubscribed, Topics: []string{"go", "rust"}, CreatedAt: created}))
	w.Flush()
	if want := "email,name,status,topics,created\nann@example.org,\"Ann, A.\",unsubscribed,go;rust,2026-01-05T08:30:00Z\n"; buf.String() != want {
		t.Errorf("export:\n%s\nwant\n%s", buf.String(), want)
	}
	rows, err := Read(&buf, Options{})
	if err != nil || len(rows) != 1 {
		t.Fatalf("%v %+v", err, rows)
	}
	if s := rows[0].Subscriber; s.Email != "ann@example.org" || s.Name != "Ann, A." || s.Status != digest.StatusUnsubscribed || strings.Join(s.Topics, ";") != "go;rust" {
		t.Errorf("read back: %+v", s)
	}
}

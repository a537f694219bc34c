package feedback

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode"

	"github.com/weeklywrap/digest/digest"
	"github.com/weeklywrap/digest/digest/store"
	"github.com/weeklywrap/digest/internal/pgtest"
)

// hostileDSN is a well-formed DSN whose own Message-ID and
// Diagnostic-Code are as long and as dirty as a sender likes.
func hostileDSN(msgID, diag, rcpt string) []byte {
	return []byte("From: MAILER-DAEMON@mx.example.net\r\nTo: bounces@example.org\r\nMessage-ID: <" + msgID + ">\r\n" +
		"Date: Sat, 5 Dec 2026 10:02:10 +0000\r\nMIME-Version: 1.0\r\n" +
		"Content-Type: multipart/report; report-type=delivery-status; boundary=\"b\"\r\n\r\n" +
		"--b\r\nContent-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; mx.example.net\r\n\r\n" +
		"Final-Recipient: rfc822; " + rcpt + "\r\nAction: failed\r\nStatus: 4.2.2\r\nDiagnostic-Code: smtp; " + diag + "\r\n\r\n" +
		"--b\r\nContent-Type: text/rfc822-headers\r\n\r\nTo: " + rcpt + "\r\nMessage-ID: <sent-" + rcpt + ">\r\n\r\n--b--\r\n")
}

// What a report says for the operator is kept short and free of control
// characters (terminal escapes, newlines) before it reaches the log and
// the store.
func TestReportDetailIsClipped(t *testing.T) {
	diag := "452 mailbox full " + strings.Repeat("la la land\r\n ", 20000)
	ev, err := ParseReport(strings.NewReader(string(hostileDSN("d1@mx.example.net", diag, "a@example.net"))))
	if err != nil || len(ev) != 1 {
		t.Fatalf("%d events, %.200v", len(ev), err)
	}
	d := ev[0].Detail
	if len(d) > 1024 || strings.IndexFunc(d, unicode.IsControl) >= 0 {
		t.Errorf("detail of %d bytes, control characters at %d: %.80q", len(d), strings.IndexFunc(d, unicode.IsControl), d)
	}
	if !strings.Contains(d, "452") || !strings.Contains(d, "full") {
		t.Errorf("detail %.80q lost what the report said", d)
	}
}

// One report with a Message-ID longer than PostgreSQL's index can hold
// is skipped, and the reports after it in the mailbox are still read, on
// every pass.
func TestLongReportIDDoesNotBlockMailbox(t *testing.T) {
	ctx := context.Background()
	st, err := store.Open(ctx, pgtest.Schema(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	for _, e := range []string{"a@example.net", "b@example.net"} {
		if _, err := st.AddSubscriber(ctx, digest.Subscriber{Email: e, Status: digest.StatusConfirmed}); err != nil {
			t.Fatal(err)
		}
	}
	sentTo(t, st, "a@example.net", "sent-a@example.net")
	sentTo(t, st, "b@example.net", "sent-b@example.net")
	dir := t.TempDir()
	for _, sub := range []string{"new", "cur", "tmp"} {
		os.Mkdir(filepath.Join(dir, sub), 0o700)
	}
	os.WriteFile(filepath.Join(dir, "new", "1.long"), hostileDSN(randomID(t, 8000)+"@x", "452 full", "a@example.net"), 0o600)
	os.WriteFile(filepath.Join(dir, "new", "2.fine"), hostileDSN("fine@mx.example.net", "452 full", "b@example.net"), 0o600)
	rd := &Reader{Store: st}
	for pass := 1; pass <= 2; pass++ {
		stats, err := rd.ReadMaildir(ctx, dir)
		if err != nil {
			t.Fatalf("pass %d: %v (stats %+v)", pass, err, stats)
		}
	}
	if got := counts(t, st); got["dsn/soft_bounce"] < 1 {
		t.Errorf("counts %v: the report after the long one was never recorded", got)
	}
	if n, _ := os.ReadDir(filepath.Join(dir, "new")); len(n) != 0 {
		t.Errorf("%d messages still unread after two passes", len(n))
	}
}

func randomID(t *testing.T, n int) string {
	b := make([]byte, n/2)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	return hex.EncodeToString(b)
}

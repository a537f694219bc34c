package feedback

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/weeklywrap/digest/digest"
)

// forgedDSN is a delivery status notification anyone can mail to the
// bounce mailbox: it names subscribers as failed recipients of a message
// the list never sent (its returned headers, if any, carry a Message-ID
// the store has no record of).
func forgedDSN(id string, rcpts ...string) []byte {
	var groups strings.Builder
	for _, r := range rcpts {
		fmt.Fprintf(&groups, "\r\nFinal-Recipient: rfc822; %s\r\nAction: failed\r\nStatus: 5.1.1\r\nDiagnostic-Code: smtp; 550 5.1.1 no such user\r\n", r)
	}
	return []byte("From: Mail Delivery System <MAILER-DAEMON@attacker.example>\r\nTo: bounces@example.org\r\n" +
		"Subject: Undelivered Mail Returned to Sender\r\nMessage-ID: <" + id + "@attacker.example>\r\nDate: Sat, 5 Dec 2026 10:02:10 +0000\r\n" +
		"MIME-Version: 1.0\r\nContent-Type: multipart/report; report-type=delivery-status; boundary=\"b\"\r\n\r\n" +
		"--b\r\nContent-Type: text/plain\r\n\r\nundeliverable\r\n" +
		"--b\r\nContent-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; attacker.example\r\n" + groups.String() +
		"\r\n--b\r\nContent-Type: text/rfc822-headers\r\n\r\nFrom: The Weekly Wrap <wrap@example.org>\r\nMessage-ID: <never-sent-" + id + "@example.org>\r\n\r\n--b--\r\n")
}

// Anyone who can mail the bounce mailbox must not be able to take
// subscribers off the list: a DSN or ARF report is acted on only when it
// is about a message the list sent to that address.
func TestForgedReportsSuppressNobody(t *testing.T) {
	victims := []string{"alice@example.net", "bob@example.net"}
	for i := range 48 {
		victims = append(victims, fmt.Sprintf("reader%02d@example.net", i))
	}
	st := testStore(t, victims...)
	dir := t.TempDir()
	for _, sub := range []string{"new", "cur", "tmp"} {
		os.Mkdir(filepath.Join(dir, sub), 0o700)
	}
	// One forged DSN per victim, and one naming fifty at once.
	os.WriteFile(filepath.Join(dir, "new", "1.forged"), forgedDSN("f1", "alice@example.net"), 0o600)
	os.WriteFile(filepath.Join(dir, "new", "2.forged"), forgedDSN("f2", victims[2:]...), 0o600)
	// A forged ARF complaint naming bob.
	arf := strings.Replace(string(fixture(t, "arf.eml")), "Version: 1\r\n", "Version: 1\r\nOriginal-Rcpt-To: <bob@example.net>\r\n", 1)
	os.WriteFile(filepath.Join(dir, "new", "3.forged"), []byte(arf), 0o600)
	if _, err := (&Reader{Store: st}).ReadMaildir(context.Background(), dir); err != nil {
		t.Fatal(err)
	}
	suppressed := 0
	for _, v := range victims {
		if status(t, st, v) != digest.StatusConfirmed {
			suppressed++
		}
	}
	if suppressed > 0 {
		t.Errorf("forged reports about messages the list never sent suppressed %d of %d subscribers", suppressed, len(victims))
	}
}

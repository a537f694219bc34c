package main

import (
	"regexp"
	"strings"
	"testing"
	"time"
)

// The confirmation mail carries the newsletter's masthead and a button
// (a coloured cell with the confirm link), with the address as plain text
// beneath for clients that draw neither; the text part has the link too.
func TestConfirmationMailHasMastheadAndButton(t *testing.T) {
	e, base, _ := noticeSite(t)
	subscribe(t, base, "newcomer@example.org")
	if n := e.mp.WaitCount(t, 1, 20*time.Second); n != 1 {
		t.Fatalf("Mailpit holds %d messages, want the one confirmation", n)
	}
	m := e.mp.Message(t, e.mp.Messages(t)[0].ID)
	if !strings.HasPrefix(m.Subject, "Confirm your subscription to ") {
		t.Fatalf("subject %q", m.Subject)
	}
	title := strings.TrimPrefix(m.Subject, "Confirm your subscription to ")
	if !strings.Contains(m.HTML, "<strong>"+title+"</strong>") {
		t.Errorf("no masthead with %q in the HTML part", title)
	}
	button := regexp.MustCompile(`<td align="center" bgcolor="#[0-9a-f]{6}"[^>]*><a [^>]*href="(http[^"]+/confirm/[^"]+)"[^>]*><strong>Confirm my subscription to ` + regexp.QuoteMeta(title) + `</strong></a></td>`)
	b := button.FindStringSubmatch(m.HTML)
	if b == nil {
		t.Fatalf("no confirm button in the HTML part:\n%s", m.HTML)
	}
	if strings.Count(m.HTML, b[1]) != 3 { // the button, the fallback link's href and its text
		t.Errorf("the confirm link appears %d times in the HTML part, want 3", strings.Count(m.HTML, b[1]))
	}
	if !strings.Contains(m.Text, b[1]) {
		t.Errorf("the text part lacks the confirm link %s", b[1])
	}
	if strings.Contains(m.Text, "{{") || strings.Contains(m.HTML, "{{") {
		t.Errorf("a template action leaked into the mail")
	}
	var hc struct{ Total struct{ Supported float64 } }
	e.mp.GetJSON(t, "/api/v1/message/"+m.ID+"/html-check", &hc)
	t.Logf("confirmation mail: html-check supported %.2f%%, %d bytes", hc.Total.Supported, len(m.HTML))
	if hc.Total.Supported < 96 {
		t.Errorf("html-check supported %.2f%% < 96%% (a short mail: the body and <style> weigh more)", hc.Total.Supported)
	}
}

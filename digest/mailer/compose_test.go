package mailer

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/weeklywrap/digest/digest"
)

func baseConfig() Config {
	return Config{From: "The Weekly Wrap <wrap@example.org>", Domain: "example.org"}
}

func baseMessage() Message {
	return Message{
		To: "ada@example.net", ToName: "Ada Lovelace", Subject: "The Weekly Wrap #7",
		Text: "Hello", HTML: "<p>Hello</p>", UnsubscribeURL: "https://example.org/u/tok",
	}
}

func TestComposeRejectsBadInput(t *testing.T) {
	tests := []struct {
		name  string
		edit  func(*Config, *Message)
		field string // must appear in the error
	}{
		{"CRLF in subject", func(_ *Config, m *Message) { m.Subject = "Hi\r\nBcc: evil@example.com" }, "Subject"},
		{"LF in subject", func(_ *Config, m *Message) { m.Subject = "Hi\nX: y" }, "Subject"},
		{"CR in name", func(_ *Config, m *Message) { m.ToName = "Ada\rBcc: evil@example.com" }, "ToName"},
		{"LF in address", func(_ *Config, m *Message) { m.To = "ada@example.net\nBcc: evil@example.com" }, "To"},
		{"NUL in address", func(_ *Config, m *Message) { m.To = "ada@example.net\x00" }, "To"},
		{"not an address", func(_ *Config, m *Message) { m.To = "ada at example" }, "To"},
		{"empty address", func(_ *Config, m *Message) { m.To = "" }, "To"},
		{"LF in unsubscribe URL", func(_ *Config, m *Message) { m.UnsubscribeURL = "https://example.org/u\nX: y" }, "UnsubscribeURL"},
		{"mailto unsubscribe", func(_ *Config, m *Message) { m.UnsubscribeURL = "mailto:u@example.org" }, "UnsubscribeURL"},
		{"huge unsubscribe URL", func(_ *Config, m *Message) { m.UnsubscribeURL = "https://example.org/" + strings.Repeat("a", 1000) }, "UnsubscribeURL"},
		{"relative unsubscribe", func(_ *Config, m *Message) { m.UnsubscribeURL = "/u/tok" }, "UnsubscribeURL"},
		{"CRLF in extra header", func(_ *Config, m *Message) { m.Headers = map[string]string{"X-Issue": "7\r\nBcc: e@example.com"} }, "X-Issue"},
		{"colon in header name", func(_ *Config, m *Message) { m.Headers = map[string]string{"X-A: b\r\nBcc": "x"} }, "header name"},
		{"reserved header", func(_ *Config, m *Message) { m.Headers = map[string]string{"from": "x@example.com"} }, "from"},
		{"no body", func(_ *Config, m *Message) { m.Text, m.HTML = "", "" }, "neither Text nor HTML"},
		{"LF in From", func(c *Config, _ *Message) { c.From = "Wrap\n <wrap@example.org>" }, "From"},
		{"bad ReplyTo", func(c *Config, _ *Message) { c.ReplyTo = "nobody" }, "ReplyTo"},
		{"LF in ListID", func(c *Config, _ *Message) { c.ListID = "<a.b>\nX: y" }, "ListID"},
		{"bad Domain", func(c *Config, _ *Message) { c.Domain = "a b" }, "Domain"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg, m := baseConfig(), baseMessage()
			tt.edit(&cfg, &m)
			_, _, err := Compose(cfg, m)
			if err == nil {
				t.Fatal("Compose accepted it")
			}
			if !errors.Is(err, digest.ErrInvalid) {
				t.Errorf("error %v does not wrap digest.ErrInvalid", err)
			}
			if !strings.Contains(err.Error(), tt.field) {
				t.Errorf("error %q does not name %q", err, tt.field)
			}
		})
	}
}

func TestComposeHeaders(t *testing.T) {
	cfg, m := baseConfig(), baseMessage()
	m.Subject = "Café — news"
	m.ToName = "Ada \"the Countess\" Lovelace"
	m.Headers = map[string]string{"X-Digest-Issue": "7"}
	msg, id, err := Compose(cfg, m)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasSuffix(id, "@example.org") || strings.ContainsAny(id, "<>") {
		t.Errorf("Message-ID %q: want bare id on example.org", id)
	}
	var buf bytes.Buffer
	if _, err := msg.WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	raw := buf.String()
	for _, want := range []string{
		"Message-ID: <" + id + ">\r\n",
		"List-Id: <list.example.org>\r\n",
		"List-Unsubscribe: <https://example.org/u/tok>\r\n",
		"List-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n",
		"X-Digest-Issue: 7\r\n",
		"Content-Type: multipart/alternative",
		"Content-Type: text/plain; charset=UTF-8",
		"Content-Type: text/html; charset=UTF-8",
	} {
		if !strings.Contains(raw, want) {
			t.Errorf("message lacks %q:\n%s", want, raw)
		}
	}
	if strings.Index(raw, "text/plain") > strings.Index(raw, "text/html") {
		t.Error("text part must come before the HTML part (the last alternative is preferred)")
	}
	if strings.Contains(raw, "Café") {
		t.Error("non-ASCII subject was not encoded")
	}
	_, id2, _ := Compose(cfg, m)
	if id2 == id {
		t.Error("two messages got the same Message-ID")
	}
}

func TestComposeDefaults(t *testing.T) {
	cfg := Config{From: "wrap@news.example.com"}
	msg, id, err := Compose(cfg, Message{To: "a@example.net", Subject: "s", Text: "t"})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasSuffix(id, "@news.example.com") {
		t.Errorf("Message-ID %q not on From's domain", id)
	}
	var buf bytes.Buffer
	if _, err := msg.WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	raw := buf.String()
	if !strings.Contains(raw, "List-Id: <list.news.example.com>\r\n") {
		t.Errorf("List-Id not defaulted from From:\n%s", raw)
	}
	if strings.Contains(raw, "List-Unsubscribe") {
		t.Errorf("List-Unsubscribe without a URL:\n%s", raw)
	}
	if strings.Contains(raw, "multipart") {
		t.Errorf("text-only message is multipart:\n%s", raw)
	}
}

// TestComposeStreamedParts: a message whose parts are written by WriteHTML
// and WriteText (the bulk send's way) is the message HTML and Text make,
// byte for byte after the per-message Message-ID, date and boundary; the
// HTML is longer than the copy buffer and not ASCII, so the pieces cross
// its edges and the encoder's.
func TestComposeStreamedParts(t *testing.T) {
	html := "<p>" + strings.Repeat("Grüße aus Köln — ", 700) + "</p>"
	text := strings.Repeat("Zürich, 5 °C. ", 500)
	body := func(m Message) string {
		t.Helper()
		msg, _, err := Compose(baseConfig(), m)
		if err != nil {
			t.Fatal(err)
		}
		var buf bytes.Buffer
		if _, err := msg.WriteTo(&buf); err != nil {
			t.Fatal(err)
		}
		head, rest, _ := strings.Cut(buf.String(), "\r\n\r\n")
		_, b, ok := strings.Cut(head, "boundary=")
		if !ok {
			t.Fatalf("not multipart:\n%s", head)
		}
		return strings.ReplaceAll(rest, strings.Fields(b)[0], "BOUNDARY")
	}
	m := baseMessage()
	m.HTML, m.Text = html, text
	want := body(m)
	calls := 0
	m.HTML, m.Text = "", ""
	m.WriteHTML = func(w io.Writer) (int64, error) {
		calls++
		// In pieces, as render.Prepared writes a personalized rendering.
		n1, _ := io.WriteString(w, html[:5000])
		n2, err := io.WriteString(w, html[5000:])
		return int64(n1 + n2), err
	}
	m.WriteText = func(w io.Writer) (int64, error) {
		n, err := io.WriteString(w, text)
		return int64(n), err
	}
	if got := body(m); got != want {
		t.Errorf("streamed parts differ from the strings' (%d bytes, want %d)", len(got), len(want))
	}
	if calls != 1 {
		t.Errorf("WriteHTML called %d times for one message, want 1", calls)
	}
	if !strings.Contains(want, "Gr=C3=BC=C3=9Fe") {
		t.Error("the HTML part is not quoted-printable, so this test checks less than it says")
	}
}

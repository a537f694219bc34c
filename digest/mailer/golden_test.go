package mailer

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"testing"
)

var update = flag.Bool("update", false, "update golden files")

// Values that differ on every run: replaced before comparing.
var (
	dateLine   = regexp.MustCompile(`(?m)^Date: .*\r$`)
	messageID  = regexp.MustCompile(`<[a-z2-7]{32}@example\.org>`)
	boundaryID = regexp.MustCompile(`[0-9a-f]{60,64}`)
)

// TestComposeGolden pins the whole MIME source of a composed message, so a
// go-mail upgrade or a change here that alters what subscribers receive
// shows up in review.
func TestComposeGolden(t *testing.T) {
	cfg := Config{
		From: "The Weekly Wrap <wrap@example.org>", ReplyTo: "editors@example.org",
		Domain: "example.org", ListID: "The Weekly Wrap <wrap.example.org>",
	}
	m := Message{
		To: "ada@example.net", ToName: "Ada Lovelace",
		Subject:        "The Weekly Wrap #7: Café, ünïcode and a long subject line that has to be folded somewhere",
		Text:           "Hello Ada,\n\nThis week: one story.\n\nhttps://example.org/7\n",
		HTML:           "<html><body><p>Hello Ada,</p><p>This week: <a href=\"https://example.org/7\">one story</a>.</p></body></html>",
		UnsubscribeURL: "https://example.org/unsubscribe?t=tok123",
		Headers:        map[string]string{"X-Digest-Issue": "7"},
	}
	msg, _, err := Compose(cfg, m)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if _, err := msg.WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	got := dateLine.ReplaceAll(buf.Bytes(), []byte("Date: DATE\r"))
	got = messageID.ReplaceAll(got, []byte("<ID@example.org>"))
	got = boundaryID.ReplaceAll(got, []byte("BOUNDARY"))
	got = sortListHeaders(got)

	path := filepath.Join("testdata", "compose.golden.eml")
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("composed message differs from %s (run with -update if intended):\n%s", path, got)
	}
}

// sortListHeaders orders the List-* lines, which go-mail writes in map
// order (they are preformatted headers, kept out of its sorted set).
func sortListHeaders(b []byte) []byte {
	lines := bytes.Split(b, []byte("\n"))
	for i := 0; i < len(lines); {
		j := i
		for j < len(lines) && bytes.HasPrefix(lines[j], []byte("List-")) {
			j++
		}
		slices.SortFunc(lines[i:j], bytes.Compare)
		i = j + 1
	}
	return bytes.Join(lines, []byte("\n"))
}

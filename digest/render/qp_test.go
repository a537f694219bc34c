package render

import (
	"io"
	"mime/quotedprintable"
	"strings"
	"testing"
)

// checkQP fails t unless enc is valid quoted-printable (printable ASCII,
// CRLF line ends, lines of at most 76 characters, none ending in white
// space) that decodes to want with its line breaks as CRLF.
func checkQP(t *testing.T, part, enc, want string) {
	t.Helper()
	for i, line := range strings.Split(enc, "\r\n") {
		if len(line) > 76 {
			t.Errorf("%s: line %d has %d characters, more than 76: %q", part, i+1, len(line), line)
		}
		if strings.HasSuffix(line, " ") || strings.HasSuffix(line, "\t") {
			t.Errorf("%s: line %d ends in white space, which transport may strip: %q", part, i+1, line)
		}
		for _, c := range []byte(line) {
			if c < ' ' || c > '~' {
				t.Fatalf("%s: line %d has byte %#x, not printable ASCII: %q", part, i+1, c, line)
			}
		}
	}
	if strings.Contains(strings.ReplaceAll(enc, "\r\n", ""), "\n") {
		t.Errorf("%s: a bare LF in the encoded part", part)
	}
	got, err := io.ReadAll(quotedprintable.NewReader(strings.NewReader(enc)))
	if err != nil {
		t.Fatalf("%s: does not decode: %v", part, err)
	}
	if want = strings.ReplaceAll(want, "\n", "\r\n"); string(got) != want {
		t.Errorf("%s: decodes to %d bytes that differ from the rendering's %d", part, len(got), len(want))
	}
}

// The encoded parts a bulk send writes are the personalized renderings:
// the issue's text is encoded once and each reader's values per message,
// joined wherever they fall, at line ends or inside lines, whatever the
// values hold (white space at their ends, "=", text longer than a line,
// no ASCII at all), and for every combination of values present.
func TestWriteQPDecodesToTheRendering(t *testing.T) {
	p := prepare(t, fixedIssue())
	long := strings.Repeat("Ünïcödé ", 30)
	cases := []Personal{
		fullPersonal,
		{},
		{Name: "Ann "},
		{Name: " =Ann= ", Email: "a=b@example.com"},
		{Name: long, Email: "z@example.com", UnsubscribeURL: "https://u.example/" + strings.Repeat("x", 300), PreferencesURL: "https://p.example/?q=" + strings.Repeat("é", 40)},
		{Name: "日本語の名前", PreferencesURL: "https://p.example/p"},
		{Email: "only@example.com", UnsubscribeURL: "https://u.example/u\t"},
	}
	for i, pe := range cases {
		var hq, tq strings.Builder
		if _, err := p.WriteHTMLQP(&hq, pe); err != nil {
			t.Fatal(err)
		}
		if _, err := p.WriteTextQP(&tq, pe); err != nil {
			t.Fatal(err)
		}
		checkQP(t, "html "+string(rune('a'+i)), hq.String(), p.HTML(pe))
		checkQP(t, "text "+string(rune('a'+i)), tq.String(), p.Text(pe))
	}
	// Once encoded, the issue's text is reused, not encoded again.
	var a, b strings.Builder
	_, _ = p.WriteHTMLQP(&a, fullPersonal)
	_, _ = p.WriteHTMLQP(&b, fullPersonal)
	if a.String() != b.String() {
		t.Error("two writes for the same reader differ")
	}
}

// The returned count is what was written, as io.WriterTo counts.
func TestWriteQPCountsItsBytes(t *testing.T) {
	p := prepare(t, fixedIssue())
	var w strings.Builder
	n, err := p.WriteTextQP(&w, fullPersonal)
	if err != nil || n != int64(w.Len()) {
		t.Errorf("WriteTextQP = %d, %v; wrote %d bytes", n, err, w.Len())
	}
}

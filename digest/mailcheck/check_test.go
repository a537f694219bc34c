package mailcheck

import (
	"strings"
	"testing"
)

const unsub = "https://news.example.org/u/tok"

// page wraps body in a minimal valid newsletter with head and footer.
func page(style, body string) string {
	return `<!DOCTYPE html><html><head><meta name="color-scheme" content="light dark"><style>` + style + `</style></head>
<body bgcolor="#ffffff" style="color:#1f2328"><h1>The Wrap</h1>` + body +
		`<p><a href="` + unsub + `" style="color:#0a58ca">Unsubscribe</a></p></body></html>`
}

func good(html string) Parts {
	return Parts{HTML: html, Text: "THE WRAP\n\nA story\nhttps://example.org/a\n\nUnsubscribe: " + unsub,
		ListUnsubscribe: "<" + unsub + ">", ListUnsubscribePost: "List-Unsubscribe=One-Click"}
}

const darkRules = `@media (prefers-color-scheme: dark){.bg{background-color:#161b22 !important}.tx{color:#e6edf3 !important}.ln{color:#79b8ff !important}}`

func TestChecks(t *testing.T) {
	story := `<h2 class="tx">A story</h2><p><a class="ln" href="https://example.org/a" style="color:#0a58ca">Read</a></p>`
	tests := []struct {
		name  string
		parts Parts
		want  map[string]Severity // check → worst severity expected; others must be absent
	}{
		{"good", good(page(darkRules, `<div class="bg tx">`+story+`</div>`)), nil},
		{"light grey on white", good(page("", `<p style="color:#eeeeee">Faint text</p>`+story)), map[string]Severity{"contrast": Fail}},
		{"mid grey is a warning", good(page("", `<p style="color:#808080">Grey text</p>`+story)), map[string]Severity{"contrast": Warn}},
		{"large text at 3.5:1 passes", good(page("", `<h2 style="color:#808080">A story</h2><p><a href="https://example.org/a" style="color:#0a58ca">x</a></p>`)), nil},
		{"dark mode only", good(page(`@media (prefers-color-scheme: dark){.bg{background-color:#0d1117 !important}}`,
			`<div class="bg"><p style="color:#1f2328">Dark on dark</p>`+story+`</div>`)), map[string]Severity{"contrast": Fail}},
		{"sheet beats inline only with important", good(page(`.soft{color:#eeeeee}`, `<p class="soft" style="color:#1f2328">Fine</p>`+story)), nil},
		{"important sheet rule wins", good(page(`p.soft{color:#f5f5f5 !important}`, `<p class="soft" style="color:#1f2328">Washed</p>`+story)), map[string]Severity{"contrast": Fail}},
		{"bgcolor attribute", good(page("", `<table><tr><td bgcolor="#111111"><span style="color:#222">Hidden in the dark</span></td></tr></table>`+story)), map[string]Severity{"contrast": Fail}},
		{"hidden preheader ignored", good(page("", `<div style="display:none;color:#fff">preheader</div>`+story)), nil},
		{"relative link", good(page("", story+`<a href="/issues/3" style="color:#0a58ca">Archive</a>`)), map[string]Severity{"links": Fail}},
		{"relative image", good(page("", story+`<img src="logo.png" alt="">`)), map[string]Severity{"links": Fail}},
		{"javascript link", good(page("", story+`<a href="javascript:alert(1)" style="color:#0a58ca">x</a>`)), map[string]Severity{"links": Fail}},
		{"fragment link", good(page("", story+`<a href="#top" style="color:#0a58ca">Top</a>`)), map[string]Severity{"links": Warn}},
		{"120 KB", good(page("", story+"<!--"+strings.Repeat("x", 120*1024)+"-->")), map[string]Severity{"size": Fail}},
		{"95 KB", good(page("", story+"<!--"+strings.Repeat("x", 95*1024)+"-->")), map[string]Severity{"size": Warn}},
		{"no text part", func() Parts { p := good(page("", story)); p.Text = " \n"; return p }(), map[string]Severity{"text": Fail, "unsubscribe": Warn}},
		{"text lacks a story", func() Parts {
			p := good(page("", story+`<h2>Second story</h2>`))
			return p
		}(), map[string]Severity{"text": Warn}},
		{"text unrelated", func() Parts {
			p := good(page("", story))
			p.Text = "Something else entirely. " + unsub
			return p
		}(), map[string]Severity{"text": Fail}},
		{"no one-click headers", func() Parts {
			p := good(page("", story))
			p.ListUnsubscribe, p.ListUnsubscribePost = "", ""
			return p
		}(), map[string]Severity{"unsubscribe": Fail}},
		{"no visible unsubscribe", func() Parts {
			p := good(strings.Replace(page("", story), unsub, "https://news.example.org/other", 1))
			return p
		}(), map[string]Severity{"unsubscribe": Fail, "text": Warn}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rep := CheckParts(tc.parts)
			got := map[string]Severity{}
			for _, f := range rep.Findings {
				got[f.Check] = max(got[f.Check], f.Severity)
				t.Log(f)
			}
			for c, s := range tc.want {
				if got[c] != s {
					t.Errorf("%s: got %v, want %v", c, got[c], s)
				}
			}
			for c, s := range got {
				if _, ok := tc.want[c]; !ok {
					t.Errorf("unexpected %s finding (%v)", c, s)
				}
			}
			if rep.Failed() != (len(rep.Failures()) > 0) {
				t.Errorf("Failed and Failures disagree")
			}
		})
	}
}

func TestContrastRatio(t *testing.T) {
	for _, tc := range []struct {
		a, b string
		want float64
	}{{"#000", "#fff", 21}, {"#777777", "#ffffff", 4.48}, {"rgb(238, 238, 238)", "white", 1.16}, {"#1f2328", "#ffffff", 15.8}} {
		a, _, ok1 := ParseColor(tc.a)
		b, _, ok2 := ParseColor(tc.b)
		if !ok1 || !ok2 {
			t.Fatalf("parse %s %s", tc.a, tc.b)
		}
		if got := Contrast(a, b); got < tc.want-0.05 || got > tc.want+0.05 {
			t.Errorf("%s on %s: %.2f, want %.2f", tc.a, tc.b, got, tc.want)
		}
	}
}

// TestCheckRawMessage reads the parts out of a MIME message as sent.
func TestCheckRawMessage(t *testing.T) {
	html := page("", `<h2>A story</h2><p style="color:#eeeeee"><a href="https://example.org/a" style="color:#eeeeee">Faint</a></p>`)
	raw := "From: a@example.org\r\nTo: b@example.org\r\nSubject: x\r\nMIME-Version: 1.0\r\n" +
		"List-Unsubscribe: <" + unsub + ">\r\nList-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n" +
		"Content-Type: multipart/alternative; boundary=BB\r\n\r\n" +
		"--BB\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n" +
		"THE WRAP\r\nA story https://example.org/a\r\n" + unsub + "\r\n" +
		"--BB\r\nContent-Type: text/html; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n" +
		strings.ReplaceAll(strings.ReplaceAll(html, "=", "=3D"), "\n", "\r\n") + "\r\n--BB--\r\n"
	rep, err := Check([]byte(raw))
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Findings) != 2 || rep.Findings[0].Check != "contrast" || rep.Findings[1].Check != "contrast" || !rep.Failed() {
		t.Fatalf("findings: %v", rep.Findings)
	}
	if !strings.Contains(rep.Findings[0].Msg, "#eeeeee on #ffffff") {
		t.Errorf("finding does not name the colours: %s", rep.Findings[0].Msg)
	}
}

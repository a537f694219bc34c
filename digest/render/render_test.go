package render

import (
	"flag"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"testing/fstest"
	"unicode/utf8"

	"github.com/weeklywrap/digest/digest"
	"github.com/weeklywrap/digest/digest/mailcheck"
	"github.com/weeklywrap/digest/templates"
)

var update = flag.Bool("update", false, "update golden files")

var placeholder = regexp.MustCompile(`wwp[0-9a-f]{16}f[0-9]`)

func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update)", err)
	}
	if got != string(want) {
		t.Errorf("%s differs from the rendering; run go test -update and review the diff", path)
	}
}

func TestGolden(t *testing.T) {
	r := newRenderer(t, "https://wrap.example.com/")
	p, err := r.Prepare(fixedIssue())
	if err != nil {
		t.Fatal(err)
	}
	golden(t, "issue.golden.html", p.HTML(fullPersonal))
	golden(t, "issue.golden.txt", p.Text(fullPersonal))
	golden(t, "web.golden.html", p.HTML(Personal{}))
	if got, want := p.Subject(), "The Weekly Wrap #12: Russia and China Propose UN Resolution on “Information Security”"; got != want {
		t.Errorf("subject = %q, want %q", got, want)
	}
}

func TestPersonalization(t *testing.T) {
	p := prepare(t, fixedIssue())
	tests := []struct {
		name     string
		pe       Personal
		html     []string // must appear in the HTML part
		notHTML  []string
		text     []string
		notInAny []string
	}{
		{
			name: "full",
			pe:   fullPersonal,
			html: []string{">Hi Ann,<", `href="https://wrap.example.com/unsubscribe?t=abc123&amp;s=1"`, "ann@example.com",
				`href="https://wrap.example.com/preferences?t=abc123"`, `href="https://wrap.example.com/issues/12"`},
			text: []string{"\nHi Ann,\n", "\nhttps://wrap.example.com/unsubscribe?t=abc123&s=1\n", "\nann@example.com\n"},
		},
		{
			name:    "web version",
			pe:      Personal{},
			html:    []string{"web version", `href="https://wrap.example.com/"`},
			notHTML: []string{"Hi ", "Unsubscribe", "receiving this email"},
			text:    []string{"web version"},
		},
		{
			name:    "no name",
			pe:      Personal{Email: "bo@example.com", UnsubscribeURL: "https://u.example/x"},
			html:    []string{"bo@example.com", `href="https://u.example/x"`},
			notHTML: []string{"Hi ", "preferences"},
		},
		{
			name:     "hostile values",
			pe:       Personal{Name: "<script>alert(1)</script>\r\nBcc: x", Email: "a\"b@example.com", UnsubscribeURL: "javascript:alert(1)", PreferencesURL: "https://x.example/p?a=\"><b>"},
			html:     []string{"Hi &lt;script&gt;alert(1)&lt;/script&gt; Bcc: x,", `a&#34;b@example.com`, `href="#"`, `href="https://x.example/p?a=%22%3E%3Cb%3E"`},
			notHTML:  []string{"<script>alert"},
			text:     []string{"\nHi <script>alert(1)</script> Bcc: x,\n", "\n#\n"},
			notInAny: []string{"javascript:", "\r"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h, x := p.HTML(tc.pe), p.Text(tc.pe)
			for _, s := range tc.html {
				if !strings.Contains(h, s) {
					t.Errorf("HTML lacks %q", s)
				}
			}
			for _, s := range tc.notHTML {
				if strings.Contains(h, s) {
					t.Errorf("HTML has %q", s)
				}
			}
			for _, s := range tc.text {
				if !strings.Contains(x, s) {
					t.Errorf("text lacks %q", s)
				}
			}
			for _, s := range tc.notInAny {
				if strings.Contains(h, s) || strings.Contains(x, s) {
					t.Errorf("output has %q", s)
				}
			}
			var hb, tb strings.Builder
			if _, err := p.WriteHTML(&hb, tc.pe); err != nil || hb.String() != h {
				t.Errorf("WriteHTML differs from HTML (err %v)", err)
			}
			if _, err := p.WriteText(&tb, tc.pe); err != nil || tb.String() != x {
				t.Errorf("WriteText differs from Text (err %v)", err)
			}
			if placeholder.MatchString(h) || placeholder.MatchString(x) {
				t.Errorf("a placeholder is left in the output")
			}
			var hq, tq strings.Builder
			if _, err := p.WriteHTMLQP(&hq, tc.pe); err != nil {
				t.Fatal(err)
			}
			if _, err := p.WriteTextQP(&tq, tc.pe); err != nil {
				t.Fatal(err)
			}
			checkQP(t, "html", hq.String(), h)
			checkQP(t, "text", tq.String(), x)
		})
	}
}

func TestEscaping(t *testing.T) {
	is := fixedIssue()
	const xss = `<script>alert("x")</script><img src=x onerror=alert(1)>`
	is.Intro = xss + " intro."
	is.Top[0].Article.Title = "Title " + xss
	is.Top[0].Article.Author = xss
	is.Top[0].Article.URL = "javascript:alert(1)"
	is.Top[1].Article.SiteName = xss
	is.Sections[1].Entries[0].Article.URL = "https://x.example/a\nInjected line"
	is.Top[1].Article.Summary = []string{xss}
	is.Top[0].AlsoCoveredBy = []digest.Source{{Name: xss}}
	is.MostDiscussed[0].Highlight.Author = xss
	is.MostDiscussed[0].Highlight.Text = xss
	is.Sections[0].Name = xss
	// Lead images are untrusted URLs: another scheme is dropped, quotes and
	// spaces are encoded, the alt text is escaped.
	is.Top[0].Article.Image = &digest.Image{URL: "javascript:alert(1)//x.jpg", Width: 10, Height: 10}
	is.Top[1].Article.Image = &digest.Image{URL: `https://x.example/i.jpg" onerror="alert(1)`, Alt: xss}
	is.Sections[0].Entries[0].Article.Image = &digest.Image{URL: "data:image/png;base64,AAAA"}
	const forged = "wwp0123456789abcdeff2"
	is.Top[1].Article.Title = forged
	p := prepare(t, is)
	h := p.HTML(fullPersonal)
	for _, bad := range []string{"<script", "<img src=x", "javascript:", `onerror="`, "data:image"} {
		if strings.Contains(strings.ToLower(h), strings.ToLower(bad)) {
			t.Errorf("HTML carries %q unescaped", bad)
		}
	}
	if n := strings.Count(h, "<img "); n != 1 {
		t.Errorf("%d images, want 1 (the one https lead image)", n)
	}
	if !strings.Contains(h, `src="https://x.example/i.jpg%22%20onerror=%22alert%281%29"`) && !strings.Contains(h, `src="https://x.example/i.jpg%22%20onerror=%22alert(1)"`) {
		t.Errorf("the image URL was not encoded as expected")
	}
	if x := p.Text(fullPersonal); !strings.Contains(x, "https://x.example/a%0AInjected%20line") || strings.Contains(x, "\nInjected") {
		t.Errorf("a URL with a line break was not encoded in the text part")
	}
	if !strings.Contains(h, ">"+forged+"<") {
		t.Errorf("a title that looks like a placeholder was changed")
	}
	if n := strings.Count(h, "&lt;script&gt;"); n < 8 {
		t.Errorf("escaped payload appears %d times, want at least 8", n)
	}
	if strings.Contains(p.Subject(), "\n") || strings.Contains(p.Subject(), "\r") {
		t.Errorf("subject has a line break: %q", p.Subject())
	}
}

func TestTextWidth(t *testing.T) {
	r := newRenderer(t, "https://wrap.example.com")
	for name, is := range map[string]*digest.Issue{"fixed": fixedIssue(), "big": bigIssue(30)} {
		is.Top[0].Article.Title = strings.Repeat("Supercalifragilistic ", 9) + "https://example.com/" + strings.Repeat("long-path-", 12)
		p, err := r.Prepare(is)
		if err != nil {
			t.Fatal(err)
		}
		for i, line := range strings.Split(p.Text(fullPersonal), "\n") {
			if n := utf8.RuneCountInString(line); n > 78 && !strings.Contains(line, "://") {
				t.Errorf("%s: line %d has %d columns: %q", name, i+1, n, line)
			}
			if strings.HasSuffix(line, " ") {
				t.Errorf("%s: line %d ends in a space: %q", name, i+1, line)
			}
		}
	}
}

func TestSize(t *testing.T) {
	r := newRenderer(t, "https://wrap.example.com")
	p, err := r.Prepare(bigIssue(30))
	if err != nil {
		t.Fatal(err)
	}
	h := p.HTML(fullPersonal)
	if len(h) > mailcheck.GmailClip {
		t.Errorf("30-story HTML is %d bytes, over 102 KB", len(h))
	}
	if n := strings.Count(h, "<img "); n != 3 {
		t.Errorf("%d lead images, want 3: the size is measured with images on", n)
	}
	t.Logf("30-story issue: HTML %d bytes, text %d bytes, %d images", len(h), len(p.Text(fullPersonal)), strings.Count(h, "<img "))
	// Labels run longer in other languages.
	for _, lang := range []string{"de", "fr", "es"} {
		nl := testNewsletter("https://wrap.example.com")
		nl.Lang = lang
		if n := len(prepareWith(t, nl, bigIssue(30)).HTML(fullPersonal)); n > mailcheck.GmailClip {
			t.Errorf("30-story HTML in %s is %d bytes, over 102 KB", lang, n)
		} else {
			t.Logf("30-story issue in %s: HTML %d bytes", lang, n)
		}
	}
}

func TestSubject(t *testing.T) {
	long := strings.Repeat("word ", 60)
	tests := []struct {
		name, tmpl, title, issueSubject, want string
	}{
		{"default", "", "Hello world", "", "The Weekly Wrap #12: Hello world"},
		{"crlf", "", "Hello\r\nBcc: evil@example.com", "", "The Weekly Wrap #12: Hello Bcc: evil@example.com"},
		{"issue subject kept", "", "Hello", "Our pick\nof the week", "Our pick of the week"},
		{"custom", "{{.Newsletter.Title}}, {{.Date}} ({{.Count}} stories)", "x", "ignored", "The Weekly Wrap, 22 November 2026 (7 stories)"},
		{"empty title", "", " ", "", "The Weekly Wrap #12"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			nl := testNewsletter("https://wrap.example.com")
			nl.SubjectTemplate = tc.tmpl
			r, err := New(nl, templates.FS)
			if err != nil {
				t.Fatal(err)
			}
			is := fixedIssue()
			is.Top[0].Article.Title = tc.title
			is.Subject = tc.issueSubject
			got, err := r.Subject(is)
			if err != nil {
				t.Fatal(err)
			}
			if got != tc.want {
				t.Errorf("Subject = %q, want %q", got, tc.want)
			}
		})
	}
	t.Run("long", func(t *testing.T) {
		r := newRenderer(t, "")
		is := fixedIssue()
		is.Top[0].Article.Title = long
		got, _ := r.Subject(is)
		if n := utf8.RuneCountInString(got); n > 150 || !strings.HasSuffix(got, "…") {
			t.Errorf("long subject: %d runes: %q", n, got)
		}
	})
}

func TestNewErrors(t *testing.T) {
	good := func() fstest.MapFS {
		m := fstest.MapFS{}
		for _, n := range []string{"email/issue.html.tmpl", "email/issue.txt.tmpl"} {
			b, err := templates.FS.ReadFile(n)
			if err != nil {
				t.Fatal(err)
			}
			m[n] = &fstest.MapFile{Data: b}
		}
		return m
	}
	tests := []struct {
		name   string
		edit   func(fstest.MapFS)
		nl     func(*Newsletter)
		errHas string
	}{
		{"broken html", func(m fstest.MapFS) { m["email/issue.html.tmpl"].Data = []byte("{{if}}") }, nil, "issue.html.tmpl"},
		{"broken text", func(m fstest.MapFS) { m["email/issue.txt.tmpl"].Data = []byte("{{.Foo") }, nil, "issue.txt.tmpl"},
		{"missing text", func(m fstest.MapFS) { delete(m, "email/issue.txt.tmpl") }, nil, "txt.tmpl"},
		{"bad subject", nil, func(nl *Newsletter) { nl.SubjectTemplate = "{{.Nope" }, "subject template"},
		{"no title", nil, func(nl *Newsletter) { nl.Title = " " }, "title"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m := good()
			if tc.edit != nil {
				tc.edit(m)
			}
			nl := testNewsletter("")
			if tc.nl != nil {
				tc.nl(&nl)
			}
			_, err := New(nl, m)
			if err == nil || !strings.Contains(err.Error(), tc.errHas) {
				t.Errorf("New error = %v, want one naming %q", err, tc.errHas)
			}
		})
	}
}

func TestOverlay(t *testing.T) {
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "email"), 0o755); err != nil {
		t.Fatal(err)
	}
	const custom = "CUSTOM {{.Newsletter.Title}} #{{.Number}} {{.Personal.Name}}\n"
	if err := os.WriteFile(filepath.Join(dir, "email", "issue.txt.tmpl"), []byte(custom), 0o644); err != nil {
		t.Fatal(err)
	}
	r, err := New(testNewsletter("https://wrap.example.com"), templates.Overlay(dir, templates.FS))
	if err != nil {
		t.Fatal(err)
	}
	p, err := r.Prepare(fixedIssue())
	if err != nil {
		t.Fatal(err)
	}
	if got, want := p.Text(fullPersonal), "CUSTOM The Weekly Wrap #12 Ann\n"; got != want {
		t.Errorf("overridden text = %q, want %q", got, want)
	}
	if !strings.Contains(p.HTML(fullPersonal), "Top stories") {
		t.Errorf("HTML template not taken from the base")
	}

	// A file only the operator has is listed too, so partials work.
	if err := os.WriteFile(filepath.Join(dir, "email", "extra.txt.tmpl"), []byte(`{{define "sig"}}-- the editors{{end}}`), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "email", "issue.txt.tmpl"), []byte(`#{{.Number}} {{template "sig"}}`), 0o644); err != nil {
		t.Fatal(err)
	}
	r, err = New(testNewsletter(""), templates.Overlay(dir, templates.FS))
	if err != nil {
		t.Fatal(err)
	}
	if p, err = r.Prepare(fixedIssue()); err != nil {
		t.Fatal(err)
	}
	if got, want := p.Text(Personal{}), "#12 -- the editors"; got != want {
		t.Errorf("text with operator's partial = %q, want %q", got, want)
	}

	// A templates_dir that does not exist leaves the defaults.
	if _, err := New(testNewsletter(""), templates.Overlay(filepath.Join(dir, "missing"), templates.FS)); err != nil {
		t.Errorf("missing templates_dir: %v", err)
	}
}

// TestConcurrent shares one Prepared between goroutines, as the delivery
// worker does; run with -race.
func TestConcurrent(t *testing.T) {
	p := prepare(t, fixedIssue())
	want := p.HTML(fullPersonal)
	// The encoded parts are made on first use: the goroutines race for it.
	fresh := prepare(t, fixedIssue())
	var wantQP strings.Builder
	_, _ = prepare(t, fixedIssue()).WriteHTMLQP(&wantQP, fullPersonal)
	errs := make(chan string, 8)
	for range 8 {
		go func() {
			got, encodedOK := "", true
			for range 50 {
				got = p.HTML(fullPersonal)
				_ = p.Text(Personal{Name: "x"})
				var qp strings.Builder
				_, _ = fresh.WriteHTMLQP(&qp, fullPersonal)
				_, _ = fresh.WriteTextQP(io.Discard, Personal{Name: "x"})
				encodedOK = encodedOK && qp.String() == wantQP.String()
			}
			if got != want || !encodedOK {
				got = "differs"
			}
			errs <- got
		}()
	}
	for range 8 {
		if got := <-errs; got != want {
			t.Fatal("concurrent HTML or encoded HTML differs")
		}
	}
}

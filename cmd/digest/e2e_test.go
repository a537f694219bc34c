package main

import (
	"bytes"
	"context"
	"fmt"
	"html"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"text/template"
	"time"

	"github.com/weeklywrap/digest/internal/mailpittest"
	"github.com/weeklywrap/digest/internal/pgtest"
)

// testEnv is a project folder of its own: a config pointing at copies of
// the bundled seeds and sample feeds, a SQLite file, and (optionally) a
// real Mailpit.
type testEnv struct {
	dir    string
	config string
	seeds  string
	mp     *mailpittest.Server
}

var configTmpl = template.Must(template.New("c").Parse(`
newsletter:
  title: The Weekly Wrap
  base_url: http://digest.test
  postal_address: "1 Test Street"
schedule: "{{.Schedule}}"
store: {{.Dir}}/digest.db
secret: test-secret-0123456789abcdef
out_dir: {{.Dir}}/out
sources:
  seeds: {{.Dir}}/seeds
  timeout: {{.Timeout}}
  max_bytes: 2000000
  feeds:
    - name: Net Policy Notes
      url: {{.Root}}/seeds/feeds/netpolicy.xml
    - name: Open Source Weekly Notes
      url: {{.Root}}/seeds/feeds/opensource.atom
    - name: Community Radio
      url: {{.Root}}/seeds/feeds/community.json
{{range .ExtraFeeds}}    - name: {{.}}
      url: {{.}}
{{end}}smtp:
  - host: 127.0.0.1
    port: {{.SMTPPort}}
    tls: none
mail:
  from: "The Weekly Wrap <wrap@example.org>"
  domain: example.org
  connections: 2
  per_second: {{.PerSecond}}
log:
  level: warn
`))

type envOpts struct {
	Mailpit    bool
	Schedule   string
	PerSecond  float64
	ExtraFeeds []string
	Timeout    string
}

// repoRoot is the repository's root, for its seeds, feeds and templates.
func repoRoot(t testing.TB) string {
	t.Helper()
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	return root
}

// bundledTemplate is the bundled email template, for tests that edit it.
func bundledTemplate(t testing.TB) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(repoRoot(t), "templates", "email", "issue.html.tmpl"))
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

func newEnv(t testing.TB, o envOpts) *testEnv {
	t.Helper()
	root := repoRoot(t)
	var err error
	e := &testEnv{dir: t.TempDir()}
	e.seeds = filepath.Join(e.dir, "seeds")
	if err := os.MkdirAll(e.seeds, 0o755); err != nil {
		t.Fatal(err)
	}
	entries, _ := os.ReadDir(filepath.Join(root, "seeds"))
	for _, en := range entries {
		if en.IsDir() {
			continue
		}
		data, err := os.ReadFile(filepath.Join(root, "seeds", en.Name()))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(e.seeds, en.Name()), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	port := 1
	if o.Mailpit {
		e.mp = mailpittest.Start(t)
		port = e.mp.SMTPPort
	}
	if o.Schedule == "" {
		o.Schedule = "0 7 * * MON"
	}
	if o.Timeout == "" {
		o.Timeout = "30s"
	}
	var buf bytes.Buffer
	err = configTmpl.Execute(&buf, map[string]any{"Dir": e.dir, "Root": root, "SMTPPort": port,
		"Schedule": o.Schedule, "PerSecond": o.PerSecond, "ExtraFeeds": o.ExtraFeeds, "Timeout": o.Timeout})
	if err != nil {
		t.Fatal(err)
	}
	e.config = filepath.Join(e.dir, "config.yaml")
	if err := os.WriteFile(e.config, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return e
}

// run executes the CLI in-process and returns stdout and stderr.
func (e *testEnv) run(t *testing.T, args ...string) (string, string, error) {
	t.Helper()
	root, a := newRoot()
	defer a.Close()
	var out, errb bytes.Buffer
	root.SetOut(&out)
	root.SetErr(&errb)
	root.SetArgs(append([]string{"--config", e.config}, args...))
	err := root.ExecuteContext(context.Background())
	return out.String(), errb.String(), err
}

func (e *testEnv) mustRun(t *testing.T, args ...string) string {
	t.Helper()
	out, errOut, err := e.run(t, args...)
	if err != nil {
		t.Fatalf("digest %s: %v\nstdout: %s\nstderr: %s", strings.Join(args, " "), err, out, errOut)
	}
	return out
}

// editConfig rewrites the env's config file with edit.
func (e *testEnv) editConfig(t testing.TB, edit func(config string) string) {
	t.Helper()
	text, err := os.ReadFile(e.config)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(e.config, []byte(edit(string(text))), 0o644); err != nil {
		t.Fatal(err)
	}
}

// usePostgres points the env's config at a fresh PostgreSQL schema (see
// pgtest) instead of its SQLite file, and returns the schema's URL.
func (e *testEnv) usePostgres(t testing.TB) string {
	t.Helper()
	dsn := pgtest.Schema(t)
	e.editConfig(t, func(c string) string {
		return strings.Replace(c, "store: "+e.dir+"/digest.db", "store: \""+dsn+"\"", 1)
	})
	return dsn
}

func (e *testEnv) addSeed(t *testing.T, name, text string) {
	t.Helper()
	if err := os.WriteFile(filepath.Join(e.seeds, name), []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}

const seedTitle = "Russia and China Propose UN General Assembly Resolution on “Information Security”"

var feedTitles = []string{
	"Regional registries agree on a shared abuse-reporting format",
	"A maintainers' guide to saying no",
	"What forty volunteers learned running a city-wide mesh network",
}

func TestPreviewWritesTheThreeFiles(t *testing.T) {
	e := newEnv(t, envOpts{ExtraFeeds: []string{"http://127.0.0.1:1/unreachable.xml"}})
	e.addSeed(t, "zz_empty.txt", "  \n")
	out := e.mustRun(t, "preview")
	for _, f := range []string{"issue.html", "issue.txt", "issue.eml"} {
		if !strings.Contains(out, filepath.Join(e.dir, "out", f)) {
			t.Errorf("preview output does not name %s:\n%s", f, out)
		}
	}
	if !strings.Contains(out, "issue #1") || !strings.Contains(out, "2 errors") || !strings.Contains(out, "unreachable.xml") ||
		!strings.Contains(out, "zz_empty.txt: file is empty") {
		t.Errorf("summary line should give the issue number and list the broken feed:\n%s", out)
	}
	read := func(name string) string {
		b, err := os.ReadFile(filepath.Join(e.dir, "out", name))
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	html, text, eml := read("issue.html"), read("issue.txt"), read("issue.eml")
	for name, body := range map[string]string{"html": html, "text": text} {
		body = norm(body)
		for _, want := range append([]string{seedTitle, "Milton Mueller", "2 comments"}, feedTitles...) {
			if !strings.Contains(body, norm(want)) {
				t.Errorf("issue.%s lacks %q", name, want)
			}
		}
	}
	// The seed's summary: its first body sentence or another of its sentences must be there.
	if flat := strings.Join(strings.Fields(text), " "); !strings.Contains(flat, "Information Security") || !strings.Contains(flat, "code of conduct") {
		t.Errorf("issue.txt lacks the seed's summary")
	}
	for _, want := range []string{"multipart/alternative", "List-Unsubscribe:", "List-Unsubscribe-Post: List-Unsubscribe=One-Click", "Subject: The Weekly Wrap #1:"} {
		if !strings.Contains(eml, want) {
			t.Errorf("issue.eml lacks %q", want)
		}
	}
	// Preview stores nothing: the next preview is still issue #1.
	if out2 := e.mustRun(t, "preview"); !strings.Contains(out2, "issue #1") {
		t.Errorf("second preview is not issue #1 again: %s", out2)
	}
}

func TestInvalidConfigFailsBeforeDoingAnything(t *testing.T) {
	e := newEnv(t, envOpts{})
	data, _ := os.ReadFile(e.config)
	bad := strings.Replace(string(data), "connections: 2", "connections: 0", 1)
	if err := os.WriteFile(e.config, []byte(bad), 0o644); err != nil {
		t.Fatal(err)
	}
	_, _, err := e.run(t, "preview")
	if err == nil || !strings.Contains(err.Error(), "mail.connections") || !strings.Contains(err.Error(), "config.yaml:") || !strings.Contains(err.Error(), "1 to 64") {
		t.Fatalf("err = %v; want the file, line, key and what is allowed", err)
	}
	if _, err := os.Stat(filepath.Join(e.dir, "digest.db")); !os.IsNotExist(err) {
		t.Errorf("a store was created despite the invalid config")
	}
}

// unsubscribeVia posts the RFC 8058 one-click body to the URL from a
// List-Unsubscribe header, against the real web handler.
func unsubscribeVia(t *testing.T, e *testEnv, header string) {
	t.Helper()
	link := strings.Trim(strings.SplitN(header, ",", 2)[0], " <>")
	u, err := url.Parse(link)
	if err != nil || u.Host != "digest.test" {
		t.Fatalf("List-Unsubscribe %q does not point at base_url", header)
	}
	srv := newWebServer(t, e)
	resp, err := http.Post(srv.URL+u.Path, "application/x-www-form-urlencoded", strings.NewReader("List-Unsubscribe=One-Click"))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("one-click POST %s: status %d", u.Path, resp.StatusCode)
	}
}

func newWebServer(t *testing.T, e *testEnv) *httptest.Server {
	t.Helper()
	a := &app{configPath: e.config}
	t.Cleanup(a.Close)
	h, err := a.webHandler(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv
}

func TestSendThroughMailpitAndOneClickUnsubscribe(t *testing.T) {
	e := newEnv(t, envOpts{Mailpit: true, Schedule: offSchedule()})
	e.mustRun(t, "subscribers", "add", "ann@example.org", "bob@example.org", "cy@example.org", "--name", "Reader")
	e.mustRun(t, "subscribers", "remove", "cy@example.org")
	if _, errOut, err := e.run(t, "subscribers", "add", "not-an-address"); err == nil || !strings.Contains(errOut, "not-an-address") {
		t.Errorf("invalid address accepted or not named: %v %s", err, errOut)
	}
	out := e.mustRun(t, "send")
	if !strings.Contains(out, "2 sent") {
		t.Fatalf("send output: %s", out)
	}
	msgs := e.mp.Messages(t)
	if len(msgs) != 2 {
		t.Fatalf("Mailpit holds %d messages, want 2 (ann, bob; not the unsubscribed cy)", len(msgs))
	}
	got := map[string]string{}
	for _, s := range msgs {
		m := e.mp.Message(t, s.ID)
		got[m.To[0].Address] = m.ID
		if !strings.HasPrefix(m.Subject, "The Weekly Wrap #1: ") {
			t.Errorf("subject = %q", m.Subject)
		}
		if !strings.Contains(m.HTML, "Milton Mueller") || !strings.Contains(m.Text, "Milton Mueller") {
			t.Errorf("message to %s lacks the HTML or the text part", m.To[0].Address)
		}
		if m.ListUnsubscribe.HeaderPost != "List-Unsubscribe=One-Click" || len(m.ListUnsubscribe.Links) == 0 || m.ListUnsubscribe.Errors != "" {
			t.Errorf("List-Unsubscribe as parsed by Mailpit: %+v", m.ListUnsubscribe)
		}
		if !strings.HasSuffix(m.MessageID, "@example.org") {
			t.Errorf("Message-ID %q is not on the newsletter's domain", m.MessageID)
		}
	}
	if got["ann@example.org"] == "" || got["bob@example.org"] == "" || got["cy@example.org"] != "" {
		t.Fatalf("recipients = %v", got)
	}
	raw := string(e.mp.Raw(t, got["ann@example.org"]))
	if !strings.Contains(raw, "multipart/alternative") || !strings.Contains(raw, "List-Id:") {
		t.Errorf("raw message lacks multipart/alternative or List-Id")
	}
	if st := e.mustRun(t, "status"); !strings.Contains(st, "#1") || !strings.Contains(st, "2 sent, 0 failed, 0 pending") || !strings.Contains(st, "2 confirmed") {
		t.Errorf("status:\n%s", st)
	}
	// Sending again builds nothing new: every article was used by issue #1.
	if out := e.mustRun(t, "send"); !strings.Contains(out, "no articles") {
		t.Errorf("second send: %s", out)
	}
	if n := e.mp.Count(t); n != 2 {
		t.Errorf("after a second send Mailpit holds %d messages, want still 2", n)
	}

	ann := e.mp.Message(t, got["ann@example.org"])
	unsubscribeVia(t, e, ann.ListUnsubscribe.Header)
	list := e.mustRun(t, "subscribers", "list")
	if !strings.Contains(list, "ann@example.org") || !regexpMatch(`ann@example.org\s+unsubscribed`, list) {
		t.Errorf("ann not unsubscribed:\n%s", list)
	}
	e.addSeed(t, "010_new.md", "---\ntitle: A fresh note for issue two\nauthor: Ed\n---\n\nThis is new this week. It has two sentences.\n")
	if out := e.mustRun(t, "send"); !strings.Contains(out, "#2") || !strings.Contains(out, "1 sent") {
		t.Fatalf("issue #2 send: %s", out)
	}
	msgs = e.mp.Messages(t)
	if len(msgs) != 3 {
		t.Fatalf("Mailpit holds %d messages, want 3", len(msgs))
	}
	for _, s := range msgs {
		if strings.Contains(s.Subject, "#2") && s.To[0].Address != "bob@example.org" {
			t.Errorf("issue #2 went to %s after they unsubscribed", s.To[0].Address)
		}
	}
}

// offSchedule is a schedule whose last slot was three days ago: each send
// in a test that sends issue after issue builds an off-schedule issue of
// its own, whatever the weekday the test runs on (a send within a day
// after a scheduled slot builds that slot's issue, once).
func offSchedule() string {
	d := time.Now().AddDate(0, 0, -3)
	return fmt.Sprintf("0 7 %d %d *", d.Day(), int(d.Month()))
}

func regexpMatch(pattern, s string) bool { return regexp.MustCompile(pattern).MatchString(s) }

// norm makes rendered text comparable: entities decoded, apostrophes
// plain, runs of white space (line wraps included) one space.
func norm(s string) string {
	s = strings.ReplaceAll(html.UnescapeString(s), "\u00a0", " ")
	s = strings.ReplaceAll(s, "’", "'")
	return strings.Join(strings.Fields(s), " ")
}

// Feed content is untrusted: nothing from it may reach the email or the
// web page as live markup, and nothing may reach a header with CR/LF.
func TestHostileFeedContentIsNeutralized(t *testing.T) {
	hostile, err := filepath.Abs(filepath.Join("testdata", "hostile.xml"))
	if err != nil {
		t.Fatal(err)
	}
	e := newEnv(t, envOpts{ExtraFeeds: []string{hostile}})
	e.mustRun(t, "preview")
	for _, name := range []string{"issue.html", "issue.eml"} {
		b, err := os.ReadFile(filepath.Join(e.dir, "out", name))
		if err != nil {
			t.Fatal(err)
		}
		low := strings.ToLower(string(b))
		for _, bad := range []string{"<script", "onerror=", "onclick=", "javascript:", "<iframe", "<img"} {
			if strings.Contains(low, bad) {
				i := strings.Index(low, bad)
				t.Errorf("%s contains %q: …%s…", name, bad, string(b[max(0, i-80):min(len(b), i+80)]))
			}
		}
	}
	text, _ := os.ReadFile(filepath.Join(e.dir, "out", "issue.txt"))
	page, _ := os.ReadFile(filepath.Join(e.dir, "out", "issue.html"))
	if !strings.Contains(string(page), "Breaking:") {
		t.Errorf("the hostile title should appear, defused, in issue.html")
	}
	if !strings.Contains(string(text), "payload inside its text") {
		t.Errorf("the hostile item's harmless text should still be there")
	}
}

func readOut(t *testing.T, e *testEnv, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(e.dir, "out", name))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// A base_url written with a trailing slash gives the preview's links one
// slash, as the links of a real send do.
func TestPreviewLinksWithATrailingSlashBaseURL(t *testing.T) {
	e := newEnv(t, envOpts{})
	data, err := os.ReadFile(e.config)
	if err != nil {
		t.Fatal(err)
	}
	cfg := strings.Replace(string(data), "base_url: http://digest.test\n", "base_url: http://digest.test/\n", 1)
	if cfg == string(data) {
		t.Fatal("the test config has no base_url line to change")
	}
	if err := os.WriteFile(e.config, []byte(cfg), 0o644); err != nil {
		t.Fatal(err)
	}
	e.mustRun(t, "preview")
	for _, name := range []string{"issue.eml", "issue.html", "issue.txt"} {
		b, err := os.ReadFile(filepath.Join(e.dir, "out", name))
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(string(b), "digest.test//") {
			t.Errorf("%s has a doubled slash after base_url", name)
		}
		if name == "issue.eml" && !strings.Contains(string(b), "http://digest.test/unsubscribe") {
			t.Errorf("issue.eml lacks the unsubscribe link http://digest.test/unsubscribe")
		}
	}
}

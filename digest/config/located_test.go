package config

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// lineOf is the 1-based line of the first line of text holding s.
func lineOf(t *testing.T, text, s string) int {
	t.Helper()
	for i, l := range strings.Split(text, "\n") {
		if strings.Contains(l, s) {
			return i + 1
		}
	}
	t.Fatalf("%q not in the config", s)
	return 0
}

// TestTypeErrorsInTheCommentedFile edits the bundled config.yaml, whose
// comments make the re-encoded lines differ from the file's: each error
// names the file's own line and the key written there, and an unknown key
// gets the nearest known one.
func TestTypeErrorsInTheCommentedFile(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("..", "..", "config.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	text := string(data)
	for _, r := range [][2]string{
		{"    port: 1025", "    port: abc"},
		{"  connections: 4 ", "  connections: four "},
		{"  per_hour: 0", "  per_huor: 0"},
		{"  welcome_email:", "  welcome_emial:"},
	} {
		if !strings.Contains(text, r[0]) {
			t.Fatalf("config.yaml no longer holds %q; update this test", r[0])
		}
		text = strings.Replace(text, r[0], r[1], 1)
	}
	_, err = Parse("config.yaml", []byte(text), env(nil))
	var es Errors
	if !errors.As(err, &es) {
		t.Fatalf("err = %v, want located errors", err)
	}
	want := []struct {
		line int
		key  string
		msg  string
	}{
		{lineOf(t, text, "port: abc"), "smtp[0].port", `"abc" is not allowed here; write a whole number`},
		{lineOf(t, text, "connections: four"), "mail.connections", `"four" is not allowed here; write a whole number`},
		{lineOf(t, text, "per_huor"), "mail.per_huor", "unknown key; did you mean per_hour?"},
		{lineOf(t, text, "welcome_emial"), "web.welcome_emial", "unknown key; did you mean welcome_email?"},
	}
	got := map[int]*Error{}
	for _, e := range es {
		got[e.Line] = e
	}
	for _, w := range want {
		e := got[w.line]
		if e == nil {
			t.Errorf("no error on line %d (%s); got:\n%v", w.line, w.key, err)
			continue
		}
		if w.key != "" && e.Key != w.key || !strings.Contains(e.Msg, w.msg) {
			t.Errorf("line %d: %s: %s; want key %s and %q", w.line, e.Key, e.Msg, w.key, w.msg)
		}
	}
}

func TestSuggestNearestKey(t *testing.T) {
	for path, want := range map[string]string{
		"mail.per_huor":             "; did you mean per_hour?",
		"shedule":                   "; did you mean schedule?",
		"smtp[1].passwrod":          "; did you mean password?",
		"sources.feeds[0].fulltext": "; did you mean full_text?",
		"newsletter.colour":         "",
		"nothing.here":              "",
	} {
		if got := suggest(path); got != want {
			t.Errorf("suggest(%q) = %q, want %q", path, got, want)
		}
	}
}

func TestCheckFilesNamesAMissingFeedFile(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "here.xml"), []byte("<rss/>"), 0o644); err != nil {
		t.Fatal(err)
	}
	yml := "sources:\n  feeds:\n    - name: here\n      url: here.xml\n    - name: gone\n      url: feeds/gone.xml\n    - name: web\n      url: https://example.org/feed\n"
	cfg, err := Parse(filepath.Join(dir, "config.yaml"), []byte(yml), env(nil))
	if err != nil {
		t.Fatal(err)
	}
	es := cfg.CheckFiles()
	if len(es) != 1 || es[0].Key != "sources.feeds[1].url" || es[0].Line != 6 || !strings.Contains(es[0].Msg, "no such file") ||
		!strings.Contains(es[0].Msg, filepath.Join(dir, "feeds", "gone.xml")) {
		t.Fatalf("CheckFiles = %v", es)
	}
}

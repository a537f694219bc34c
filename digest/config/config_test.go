package config

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func env(m map[string]string) func(string) (string, bool) {
	return func(k string) (string, bool) { v, ok := m[k]; return v, ok }
}

func TestBundledConfigIsValid(t *testing.T) {
	cfg, err := Load(filepath.Join("..", "..", "config.yaml"))
	if err != nil {
		t.Fatalf("bundled config.yaml: %v", err)
	}
	if cfg.Schedule != "0 7 * * MON" {
		t.Errorf("schedule = %q, want the documented default", cfg.Schedule)
	}
	if len(cfg.Sources.Feeds) == 0 {
		t.Error("bundled config lists no feeds")
	}
}

func TestErrorsNameKeyAndLine(t *testing.T) {
	tests := []struct {
		name, yaml, key string
		line            int
		want            string
	}{
		{"bad timezone", "timezone: Mars/Base\n", "timezone", 1, "IANA"},
		{"bad cron", "title: x\n", "", 1, "unknown key"},
		{"bad schedule", "schedule: \"every monday\"\n", "schedule", 1, "cron"},
		{"bad port", "smtp:\n  - host: a\n    port: 0\n", "smtp[0].port", 3, "1-65535"},
		{"bad tls", "smtp:\n  - host: a\n    port: 25\n    tls: maybe\n", "smtp[0].tls", 4, "starttls, tls or none"},
		{"bad feed url", "sources:\n  feeds:\n    - name: x\n      url: ftp://x/y\n", "sources.feeds[0].url", 4, "http"},
		{"bad from", "mail:\n  from: not an address\n", "mail.from", 2, "not an address"},
		{"bad catch_up", "catch_up: later\n", "catch_up", 1, "send_late or skip"},
		{"missing templates_dir", "templates_dir: no-such-folder\n", "templates_dir", 1, "not a folder"},
		{"type error", "curate:\n  top: many\n", "curate.top", 2, "write a whole number"},
		{"duration", "sources:\n  timeout: soon\n", "sources.timeout", 2, "duration such as 30s"},
		{"blank pin", "curate:\n  pinned: [a.txt, \"  \"]\n", "curate.pinned[1]", 2, "seed file's name"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse("c.yaml", []byte(tt.yaml), env(nil))
			var es Errors
			if !errors.As(err, &es) || len(es) == 0 {
				t.Fatalf("err = %v, want config.Errors", err)
			}
			e := es[0]
			if tt.key != "" && e.Key != tt.key {
				t.Errorf("key = %q, want %q (%v)", e.Key, tt.key, e)
			}
			if e.Line != tt.line {
				t.Errorf("line = %d, want %d (%v)", e.Line, tt.line, e)
			}
			if !strings.Contains(e.Error(), tt.want) || !strings.HasPrefix(e.Error(), "c.yaml:") {
				t.Errorf("error %q should start with the file and mention %q", e.Error(), tt.want)
			}
		})
	}
}

func TestEnvExpansion(t *testing.T) {
	y := "smtp:\n  - host: mail.example.org\n    port: 587\n    password: ${SMTP_PASS}\n    username: ${SMTP_USER:-digest}\n"
	cfg, err := Parse("c.yaml", []byte(y), env(map[string]string{"SMTP_PASS": "s3cret"}))
	if err != nil {
		t.Fatal(err)
	}
	if got := cfg.SMTP[0].Password; got != "s3cret" {
		t.Errorf("password = %q", got)
	}
	if got := cfg.SMTP[0].Username; got != "digest" {
		t.Errorf("username default = %q", got)
	}
	_, err = Parse("c.yaml", []byte(y), env(nil))
	if err == nil || !strings.Contains(err.Error(), "SMTP_PASS is not set") || !strings.Contains(err.Error(), "c.yaml:4") {
		t.Errorf("missing variable error = %v", err)
	}
}

func TestDefaultsAndResolve(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "config.yaml")
	if err := os.WriteFile(p, []byte("# empty\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	cfg, err := Load(p)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Location.String() != "UTC" || cfg.Curate.Top != 3 || cfg.Summary.Sentences != 3 {
		t.Errorf("defaults not applied: %+v", cfg)
	}
	if got := cfg.Resolve("seeds"); got != filepath.Join(dir, "seeds") {
		t.Errorf("Resolve = %q", got)
	}
	if got := cfg.Resolve("https://x/feed"); got != "https://x/feed" {
		t.Errorf("Resolve URL = %q", got)
	}
}

func TestPinned(t *testing.T) {
	cfg, err := Parse("c.yaml", []byte("curate:\n  pinned: [000_un.txt, \"https://news.example/a\"]\n"), env(nil))
	if err != nil {
		t.Fatal(err)
	}
	if got := cfg.Curate.Pinned; len(got) != 2 || got[0] != "000_un.txt" || got[1] != "https://news.example/a" {
		t.Errorf("pinned = %q", got)
	}
}

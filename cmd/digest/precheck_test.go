package main

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/weeklywrap/digest/digest"
)

// TestPreSendChecksOnCustomTemplates gives templates_dir an issue template
// with one fault at a time: preview warns about it, send (and send --to)
// refuses it and sends nothing, and mail.checks: warn lets it through.
func TestPreSendChecksOnCustomTemplates(t *testing.T) {
	bundled := bundledTemplate(t)
	tests := []struct {
		name, check, says string
		edit              func(string) string
	}{
		{"low contrast", "contrast", "#eeeeee on #", func(s string) string {
			return strings.ReplaceAll(s, "color:#1f2328", "color:#eeeeee")
		}},
		{"relative link", "links", `"/issues/1"`, func(s string) string {
			return strings.Replace(s, `href="{{.WebURL}}"`, `href="/issues/{{.Number}}"`, 1)
		}},
		{"120 KB of HTML", "size", "over Gmail's 102.0 KB limit", func(s string) string {
			return strings.Replace(s, "</body>", `<div style="display:none">{{range 1200}}`+strings.Repeat("padding ", 13)+`{{end}}</div></body>`, 1)
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t, envOpts{Mailpit: true})
			tdir := filepath.Join(e.dir, "tmpl")
			if err := os.MkdirAll(filepath.Join(tdir, "email"), 0o755); err != nil {
				t.Fatal(err)
			}
			custom := tc.edit(bundled)
			if custom == bundled {
				t.Fatal("the edit changed nothing; the bundled template moved on, update this test")
			}
			if err := os.WriteFile(filepath.Join(tdir, "email", "issue.html.tmpl"), []byte(custom), 0o644); err != nil {
				t.Fatal(err)
			}
			cfg, _ := os.ReadFile(e.config)
			cfg = append(cfg, []byte("templates_dir: "+tdir+"\n")...)
			if err := os.WriteFile(e.config, cfg, 0o644); err != nil {
				t.Fatal(err)
			}
			e.mustRun(t, "subscribers", "add", "ann@example.org")

			out := e.mustRun(t, "preview")
			if !strings.Contains(out, "check failed: "+tc.check+":") || !strings.Contains(out, tc.says) || !strings.Contains(out, "send would refuse this issue") {
				t.Errorf("preview does not warn about the %s:\n%s", tc.check, out)
			}
			for _, args := range [][]string{{"send"}, {"send", "--to", "me@example.org"}} {
				out, _, err := e.run(t, args...)
				if err == nil || !strings.Contains(err.Error(), "failed the pre-send checks") || !strings.Contains(err.Error(), tc.check+": ") ||
					!strings.Contains(err.Error(), "mail.checks: warn") {
					t.Errorf("%s: err = %v (stdout %s); want a refusal naming the %s check and the override", strings.Join(args, " "), err, out, tc.check)
				}
			}
			if n := e.mp.Count(t); n != 0 {
				t.Fatalf("a refused issue reached Mailpit: %d messages", n)
			}
			if st := e.mustRun(t, "status"); strings.Contains(st, "#1") {
				t.Errorf("a refused issue was stored:\n%s", st)
			}

			cfg = []byte(strings.Replace(string(cfg), "  connections: 2\n", "  connections: 2\n  checks: warn\n", 1))
			if err := os.WriteFile(e.config, cfg, 0o644); err != nil {
				t.Fatal(err)
			}
			if out := e.mustRun(t, "preview"); !strings.Contains(out, "check failed: "+tc.check) || !strings.Contains(out, "anyway (mail.checks: warn)") {
				t.Errorf("preview under mail.checks: warn:\n%s", out)
			}
			if out := e.mustRun(t, "send"); !strings.Contains(out, "1 sent") {
				t.Errorf("send under mail.checks: warn: %s", out)
			}
			if n := e.mp.Count(t); n != 1 {
				t.Errorf("Mailpit holds %d messages after the override, want 1", n)
			}
		})
	}
}

// TestDaemonRefusesAnIssueThatFailsTheChecks: the daemon's slot run stores
// no issue from a template with #eee text, logs why, and sends it once
// mail.checks is warn.
func TestDaemonRefusesAnIssueThatFailsTheChecks(t *testing.T) {
	bundled := bundledTemplate(t)
	e := newEnv(t, envOpts{Mailpit: true})
	tdir := filepath.Join(e.dir, "tmpl", "email")
	if err := os.MkdirAll(tdir, 0o755); err != nil {
		t.Fatal(err)
	}
	faint := strings.ReplaceAll(bundled, "color:#1f2328", "color:#eeeeee")
	if err := os.WriteFile(filepath.Join(tdir, "issue.html.tmpl"), []byte(faint), 0o644); err != nil {
		t.Fatal(err)
	}
	e.appendConfig(t, "templates_dir: "+filepath.Dir(tdir)+"\n")
	e.mustRun(t, "subscribers", "add", "ann@example.org")
	slot := time.Date(2026, 3, 23, 7, 0, 0, 0, time.UTC)

	d := startClocked(t, e, slot)
	if _, err := d.svc.RunSlot(context.Background(), slot); err == nil || !strings.Contains(err.Error(), "failed the pre-send checks") {
		t.Fatalf("slot run: %v", err)
	}
	if !strings.Contains(d.logs.String(), `msg="pre-send check failed"`) || !strings.Contains(d.logs.String(), "check=contrast") {
		t.Errorf("the log does not say which check failed:\n%s", d.logs)
	}
	if _, err := d.svc.Store.IssueBySlot(context.Background(), slot); !errors.Is(err, digest.ErrNotFound) {
		t.Errorf("a refused issue was stored (err %v)", err)
	}

	cfg, _ := os.ReadFile(e.config)
	if err := os.WriteFile(e.config, []byte(strings.Replace(string(cfg), "  connections: 2\n", "  connections: 2\n  checks: warn\n", 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	w := startClocked(t, e, slot)
	run, err := w.svc.RunSlot(context.Background(), slot)
	if err != nil || !run.Created || run.Stats.Sent != 1 {
		t.Fatalf("slot run under mail.checks: warn: %+v, %v", run, err)
	}
	if !strings.Contains(w.logs.String(), `msg="pre-send check failed"`) {
		t.Errorf("under warn the findings are still logged:\n%s", w.logs)
	}
}

// A stray ';' in a custom template's <style> (the parser the checks used
// never returned on one) neither hangs nor fails the checks: send
// delivers the issue.
func TestStraySemicolonInTemplateStyleSends(t *testing.T) {
	bundled := bundledTemplate(t)
	custom := strings.Replace(bundled, "</head>", "<style>.footer-note{color:#1f2328};</style></head>", 1)
	if custom == bundled {
		t.Fatal("the bundled template has no </head>; update this test")
	}
	e := newEnv(t, envOpts{Mailpit: true})
	tdir := filepath.Join(e.dir, "tmpl")
	if err := os.MkdirAll(filepath.Join(tdir, "email"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(tdir, "email", "issue.html.tmpl"), []byte(custom), 0o644); err != nil {
		t.Fatal(err)
	}
	cfg, _ := os.ReadFile(e.config)
	if err := os.WriteFile(e.config, append(cfg, []byte("templates_dir: "+tdir+"\n")...), 0o644); err != nil {
		t.Fatal(err)
	}
	e.mustRun(t, "subscribers", "add", "ann@example.org")
	done := make(chan string, 1)
	go func() {
		out, _, err := e.run(t, "send")
		if err != nil {
			out += "\nerror: " + err.Error()
		}
		done <- out
	}()
	select {
	case out := <-done:
		if !strings.Contains(out, "1 sent") {
			t.Errorf("send: %s", out)
		}
	case <-time.After(2 * time.Minute):
		t.Fatal("digest send did not end within two minutes")
	}
}

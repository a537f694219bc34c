package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/weeklywrap/digest/digest/config"
)

// TestFeedsImportThousand runs the real command as a process: a
// 1,000-outline OPML file adds 1,000 feeds, a second import adds none, and
// every comment of the config survives.
func TestFeedsImportThousand(t *testing.T) {
	e := newEnv(t, envOpts{})
	// A config with comments where an operator would write them.
	data, err := os.ReadFile(e.config)
	if err != nil {
		t.Fatal(err)
	}
	commented := "# my newsletter   (aligned   comment)\n" + strings.Replace(string(data),
		"  feeds:\n", "  feeds:          # the list\n    # a comment before the first feed\n", 1) + "# trailing note\n"
	if err := os.WriteFile(e.config, []byte(commented), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(e.config, 0o600); err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?><opml version="2.0"><head><title>Reader export</title></head><body>`)
	for folder := 0; folder < 10; folder++ {
		fmt.Fprintf(&b, `<outline text="Folder %d">`, folder)
		for i := 0; i < 100; i++ {
			n := folder*100 + i
			fmt.Fprintf(&b, `<outline type="rss" text="Feed &amp; %d" xmlUrl="https://h%d.example/feed-%d.xml" htmlUrl="https://h%d.example/"/>`, n, n%20, n, n%20)
		}
		b.WriteString(`</outline>`)
	}
	b.WriteString(`<outline text="Not http" xmlUrl="feed://x.example/rss"/></body></opml>`)
	opml := filepath.Join(e.dir, "export.opml")
	if err := os.WriteFile(opml, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	run := func() string {
		t.Helper()
		cmd := exec.Command(cliBinary(t), "--config", e.config, "feeds", "import", opml)
		cmd.Env = append(os.Environ(), runMainEnv+"=1")
		start := time.Now()
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("digest feeds import: %v\n%s", err, out)
		}
		t.Logf("digest feeds import of 1,000 outlines: %v wall, %v CPU", time.Since(start).Round(time.Millisecond),
			(cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()).Round(time.Millisecond))
		return string(out)
	}
	out := run()
	if !strings.Contains(out, "added 1000 of 1001 feeds") || !strings.Contains(out, `added "Feed & 999" https://h19.example/feed-999.xml`) ||
		!strings.Contains(out, `skipped "Not http"`) {
		t.Errorf("first import output:\n%s", lastLines(out, 5))
	}
	cfg, err := config.Load(e.config)
	if err != nil {
		t.Fatalf("the config does not load after the import: %v", err)
	}
	if len(cfg.Sources.Feeds) != 1003 {
		t.Fatalf("%d feeds configured, want 3 + 1000", len(cfg.Sources.Feeds))
	}
	if f := cfg.Sources.Feeds[3+250]; f.Name != "Feed & 250" || len(f.Categories) != 1 || f.Categories[0] != "Folder 2" {
		t.Errorf("feed 250 read back as %+v", f)
	}
	after, _ := os.ReadFile(e.config)
	for _, c := range []string{"# my newsletter   (aligned   comment)\n", "  feeds:          # the list\n", "    # a comment before the first feed\n", "# trailing note\n"} {
		if !strings.Contains(string(after), c) {
			t.Errorf("comment %q did not survive", c)
		}
	}
	if st, _ := os.Stat(e.config); st.Mode().Perm() != 0o600 {
		t.Errorf("mode became %v", st.Mode().Perm())
	}
	out = run()
	if !strings.Contains(out, "added 0 of 1001 feeds") || !strings.Contains(out, "1000 were configured already") {
		t.Errorf("second import output:\n%s", lastLines(out, 3))
	}
	if again, _ := os.ReadFile(e.config); string(again) != string(after) {
		t.Errorf("the second import changed the config")
	}
	e.mustRun(t, "config", "check")
}

func lastLines(s string, n int) string {
	l := strings.Split(strings.TrimSpace(s), "\n")
	if len(l) > n {
		l = l[len(l)-n:]
	}
	return strings.Join(l, "\n")
}

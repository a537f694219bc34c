package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestExtractErrorsNameThePathOnce: a missing file, a folder and a file
// that is no feed each get one line naming the path once, with the reason.
func TestExtractErrorsNameThePathOnce(t *testing.T) {
	e := newEnv(t, envOpts{})
	notFeed := filepath.Join(e.dir, "broken.xml")
	if err := os.WriteFile(notFeed, []byte("garbage"), 0o644); err != nil {
		t.Fatal(err)
	}
	for path, reason := range map[string]string{
		filepath.Join(e.dir, "missing.txt"): "no such file",
		e.seeds:                             "is a directory",
		notFeed:                             "not a feed",
	} {
		_, errOut, err := e.run(t, "extract", path)
		if err == nil {
			t.Errorf("%s: exit status 0", path)
		}
		if n := strings.Count(errOut, path); n != 1 || !strings.Contains(errOut, reason) || strings.Count(strings.TrimSpace(errOut), "\n") != 0 {
			t.Errorf("stderr names %s %d times (want once, with %q): %q", path, n, reason, errOut)
		}
		if base := filepath.Base(path); strings.Count(errOut, base) != 1 {
			t.Errorf("stderr repeats %s: %q", base, errOut)
		}
	}
}

// TestCountsAgreeWithTheirNouns: one of a thing is not "1 things".
func TestCountsAgreeWithTheirNouns(t *testing.T) {
	e := newEnv(t, envOpts{})
	e.mustRun(t, "subscribers", "add", "ann@example.org")
	_, errOut, err := e.run(t, "subscribers", "list")
	if err != nil || strings.TrimSpace(errOut) != "1 subscriber" {
		t.Errorf("subscribers list: %v, stderr %q; want \"1 subscriber\"", err, errOut)
	}
	e.addSeed(t, "zz_empty.txt", " \n")
	out := e.mustRun(t, "preview")
	if !strings.Contains(out, "1 error") || strings.Contains(out, "1 errors") {
		t.Errorf("preview with one broken seed: %s", out)
	}
	if strings.Count(strings.TrimSpace(out), "\n") != 1 { // the summary line and the one error
		t.Errorf("preview prints more than its summary and the error:\n%s", out)
	}
	for _, tc := range []struct {
		n    int
		want string
	}{{0, "0 errors"}, {1, "1 error"}, {2, "2 errors"}} {
		if got := plural(tc.n, "error", "errors"); got != tc.want {
			t.Errorf("plural(%d) = %q", tc.n, got)
		}
	}
}

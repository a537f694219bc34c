package main

import (
	"os"
	"strings"
	"testing"
)

// TestConfigCheckFailsOnAMissingFeedFile: config check names the missing
// local feed file with its line; preview still builds from the rest.
func TestConfigCheckFailsOnAMissingFeedFile(t *testing.T) {
	e := newEnv(t, envOpts{})
	data, _ := os.ReadFile(e.config)
	cfg := strings.Replace(string(data), "/seeds/feeds/netpolicy.xml", "/seeds/feeds/missing.xml", 1)
	if cfg == string(data) {
		t.Fatal("config unchanged")
	}
	if err := os.WriteFile(e.config, []byte(cfg), 0o644); err != nil {
		t.Fatal(err)
	}
	_, _, err := e.run(t, "config", "check")
	if err == nil || !strings.Contains(err.Error(), "config.yaml:") || !strings.Contains(err.Error(), "sources.feeds[0].url") ||
		!strings.Contains(err.Error(), "missing.xml\": no such file") {
		t.Fatalf("config check: %v", err)
	}
	out := e.mustRun(t, "preview")
	if !strings.Contains(out, "issue #1") || !strings.Contains(out, "missing.xml") {
		t.Errorf("preview with a missing feed file: %s", out)
	}
}

package main

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// An OpenAI-compatible endpoint in summary.llm writes the summaries; when it
// is slow, the issue still builds with extractive ones, quickly.
func TestLLMSummariesAndFallback(t *testing.T) {
	titleRe := regexp.MustCompile(`Title: (.*)\n`)
	var calls atomic.Int32
	var slow atomic.Bool
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		var req struct {
			Messages []struct{ Content string } `json:"messages"`
		}
		_ = json.NewDecoder(r.Body).Decode(&req)
		if slow.Load() {
			time.Sleep(2 * time.Second)
		}
		m := titleRe.FindStringSubmatch(req.Messages[len(req.Messages)-1].Content)
		answer := "In short: " + m[1] + "." // grounded: the title's words are the article's
		_ = json.NewEncoder(w).Encode(map[string]any{"choices": []any{map[string]any{"message": map[string]string{"role": "assistant", "content": answer}}}})
	}))
	defer srv.Close()
	e := newEnv(t, envOpts{})
	data, _ := os.ReadFile(e.config)
	cfg := strings.Replace(string(data), "log:\n", "summary:\n  llm:\n    url: "+srv.URL+"/v1\n    model: test\n    timeout: 500ms\nlog:\n", 1)
	if err := os.WriteFile(e.config, []byte(cfg), 0o644); err != nil {
		t.Fatal(err)
	}
	e.mustRun(t, "preview")
	text := norm(readOut(t, e, "issue.txt"))
	if !strings.Contains(text, "In short: Small networks, big lessons.") {
		t.Errorf("the LLM's summary is not in the issue")
	}
	slow.Store(true)
	calls.Store(0)
	start := time.Now()
	e.mustRun(t, "preview")
	took := time.Since(start)
	text = norm(readOut(t, e, "issue.txt"))
	if strings.Contains(text, "In short:") || !strings.Contains(text, "Community networks rarely make headlines") {
		t.Errorf("a timed-out endpoint should leave the extractive summaries")
	}
	if n := calls.Load(); n != 1 || took > 10*time.Second {
		t.Errorf("after a timeout the build kept calling the endpoint: %d calls, %s", n, took)
	}
}

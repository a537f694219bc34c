package llm

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

var article = []string{
	"The five regional internet registries have agreed on a common format for reporting network abuse.",
	"Operators who run networks in several regions had to report one incident three or four times. The new format is a small JSON document.",
	"The registries said the format would be optional for the first year.",
}

// fakeLLM speaks the OpenAI chat completions API with a fixed answer.
func fakeLLM(t *testing.T, status int, answer string, delay time.Duration) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/v1/chat/completions" || r.Method != http.MethodPost {
			http.NotFound(w, r)
			return
		}
		var req chatRequest
		if err := json.NewDecoder(r.Body).Decode(&req); err != nil || req.Model != "test-model" || len(req.Messages) != 2 ||
			!strings.Contains(req.Messages[1].Content, "regional internet registries") {
			http.Error(w, "bad request", http.StatusBadRequest)
			return
		}
		select {
		case <-time.After(delay):
		case <-r.Context().Done():
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		_ = json.NewEncoder(w).Encode(map[string]any{"choices": []any{map[string]any{"message": map[string]string{"role": "assistant", "content": answer}}}})
	}))
	t.Cleanup(srv.Close)
	return srv
}

func TestSummarize(t *testing.T) {
	grounded := "The regional internet registries agreed on a common format for reporting network abuse. It is optional for the first year."
	tests := []struct {
		name    string
		status  int
		answer  string
		delay   time.Duration
		wantErr error
	}{
		{"grounded answer", 200, grounded, 0, nil},
		{"timeout", 200, grounded, 2 * time.Second, context.DeadlineExceeded},
		{"http error", 500, grounded, 0, nil},
		{"ungrounded", 200, "Hackers stole millions from banks in Europe yesterday, police said, arresting twelve suspects.", 0, ErrUngrounded},
		{"empty", 200, "   ", 0, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := fakeLLM(t, tt.status, tt.answer, tt.delay)
			c := New(Config{URL: srv.URL + "/v1", Model: "test-model", Timeout: 300 * time.Millisecond}, srv.Client())
			got, err := c.Summarize(context.Background(), "Registries agree on abuse format", article, 40)
			if tt.name == "grounded answer" {
				if err != nil || len(got) != 2 || !strings.HasPrefix(got[0], "The regional") {
					t.Fatalf("got %q, %v", got, err)
				}
				return
			}
			if err == nil {
				t.Fatalf("got %q, want an error so the caller falls back", got)
			}
			if tt.wantErr != nil && !errors.Is(err, tt.wantErr) {
				t.Errorf("err = %v, want %v", err, tt.wantErr)
			}
		})
	}
}

func TestGrounding(t *testing.T) {
	src := strings.Join(article, " ")
	if g := Grounding("Registries agreed on a format for abuse reports.", src); g < 0.8 {
		t.Errorf("paraphrase grounding = %.2f", g)
	}
	if g := Grounding("Aliens landed in Paris and demanded cheese.", src); g > 0.2 {
		t.Errorf("invention grounding = %.2f", g)
	}
}

package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// slowLLM is an OpenAI-compatible endpoint that takes delay over each
// summary, as a local model does, and answers nothing until gate is
// closed: it makes a build last as long as the test needs.
func slowLLM(t *testing.T, delay time.Duration, gate <-chan struct{}) (*httptest.Server, *atomic.Int32) {
	t.Helper()
	titleRe := regexp.MustCompile(`Title: (.*)\n`)
	var calls atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		var req struct {
			Messages []struct{ Content string } `json:"messages"`
		}
		_ = json.NewDecoder(r.Body).Decode(&req)
		<-gate
		time.Sleep(delay)
		answer := "In short."
		if m := titleRe.FindStringSubmatch(req.Messages[len(req.Messages)-1].Content); m != nil {
			answer = "In short: " + m[1] + "."
		}
		_ = json.NewEncoder(w).Encode(map[string]any{"choices": []any{map[string]any{"message": map[string]string{"role": "assistant", "content": answer}}}})
	}))
	t.Cleanup(srv.Close)
	return srv, &calls
}

// Two `digest send` runs overlapping during the build (seconds, with
// summary.llm) store one issue, not two: the second waits for the first's
// build, then helps send the issue it stored. Every reader gets one copy,
// and the stored number and subject agree. On SQLite and PostgreSQL.
func TestOverlappingSendsStoreOneIssue(t *testing.T) {
	if testing.Short() {
		t.Skip("slow: two builds of seconds each")
	}
	for _, db := range []string{"sqlite", "postgres"} {
		t.Run(db, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			gate := make(chan struct{})
			llm, calls := slowLLM(t, 100*time.Millisecond, gate)
			threeDaysAgo := time.Now().UTC().AddDate(0, 0, -3)
			e := newEnv(t, envOpts{Mailpit: true,
				// The last slot is three days back: each send builds an
				// issue of its own, at its own second, rather than the
				// scheduled slot's.
				Schedule: fmt.Sprintf("0 7 %d %d *", threeDaysAgo.Day(), threeDaysAgo.Month())})
			e.editConfig(t, func(c string) string {
				c = strings.Replace(c, "log:\n", "summary:\n  llm:\n    url: "+llm.URL+"/v1\n    model: test\n    timeout: 60s\nlog:\n", 1)
				return strings.Replace(c, "level: warn", "level: info", 1)
			})
			if db == "postgres" {
				e.usePostgres(t)
			}
			addrs := addReaders(t, e, 20)
			bin := cliBinary(t)

			// The first run's build is held at its first summary until the
			// second run has come as far as building too.
			first := startChild(t, bin, e.config, "send")
			waitFor(t, "the first build to start", 30*time.Second, func() bool { return calls.Load() > 0 })
			second := startChild(t, bin, e.config, "send")
			start := time.Now()
			deadline := time.Now().Add(30 * time.Second)
			for !strings.Contains(second.out.String(), "holds the lease") && calls.Load() == 1 && time.Now().Before(deadline) {
				time.Sleep(20 * time.Millisecond)
			}
			close(gate)
			for i, c := range []*child{first, second} {
				if err := c.wait(t, 120*time.Second); err != nil {
					t.Fatalf("send %d: %v\n%s", i+1, err, c.out)
				}
			}
			took := time.Since(start)

			a := &app{configPath: e.config}
			defer a.Close()
			st, err := a.openStore(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if n, _ := st.NextIssueNumber(ctx); n != 2 {
				t.Errorf("the overlapping sends stored %d issues, want 1", n-1)
			}
			issues, err := st.ListIssues(ctx, 10)
			if err != nil {
				t.Fatal(err)
			}
			for _, is := range issues {
				if !strings.Contains(is.Subject, fmt.Sprintf("#%d:", is.Number)) {
					t.Errorf("issue #%d is stored with the subject %q", is.Number, is.Subject)
				}
			}
			e.mp.WaitCount(t, len(addrs), 10*time.Second)
			time.Sleep(200 * time.Millisecond)
			checkIssues(t, e, addrs, 1)
			per := subjectsByAddress(t, e)
			extra := 0
			for _, subj := range per {
				extra += len(subj) - 1
			}
			t.Logf("%s: both sends done %.1f s after the second started; issues stored %d; reached %d of %d, lost %d, duplicated %d; peak RSS %.0f and %.0f MB",
				db, took.Seconds(), len(issues), len(per), len(addrs), len(addrs)-len(per), extra, first.rssMB(), second.rssMB())
			if !strings.Contains(second.out.String(), "issue #1") {
				t.Errorf("the second send did not send issue #1:\n%s", second.out)
			}
		})
	}
}

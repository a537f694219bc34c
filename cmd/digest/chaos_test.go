package main

import (
	"context"
	"fmt"
	"io"
	"net/http/httptest"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/weeklywrap/digest/internal/mailpittest"
)

// metricValue reads one sample from the Prometheus text format.
func metricValue(t *testing.T, body, name string) float64 {
	t.Helper()
	m := regexp.MustCompile(`(?m)^` + regexp.QuoteMeta(name) + ` ([0-9.e+]+)$`).FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("metric %s not found", name)
	}
	v, _ := strconv.ParseFloat(m[1], 64)
	return v
}

// A flaky relay (Mailpit's chaos: 451 for 30% of recipients) and addresses
// it refuses for good (550): every subscriber ends sent or failed for good,
// none is lost, none gets two copies, and the retries show in /metrics.
func TestChaosRelayEveryoneEndsSentOrFailed(t *testing.T) {
	if testing.Short() {
		t.Skip("slow: retries through a flaky relay")
	}
	e := newEnv(t, envOpts{})
	e.mp = mailpittest.Start(t, "--enable-chaos", "--smtp-allowed-recipients", `@ok\.example$`)
	text, _ := os.ReadFile(e.config)
	cfg := strings.Replace(string(text), "port: 1\n", fmt.Sprintf("port: %d\n", e.mp.SMTPPort), 1)
	if err := os.WriteFile(e.config, []byte(cfg), 0o644); err != nil {
		t.Fatal(err)
	}
	var good []string
	for i := 0; i < 40; i++ {
		good = append(good, fmt.Sprintf("r%02d@ok.example", i))
	}
	e.mustRun(t, append([]string{"subscribers", "add"}, good...)...)
	e.mustRun(t, "subscribers", "add", "gone1@bad.example", "gone2@bad.example")

	a := &app{configPath: e.config}
	defer a.Close()
	ctx := context.Background()
	svc, err := a.service(ctx)
	if err != nil {
		t.Fatal(err)
	}
	svc.Mail.RetryBase = 20 * time.Millisecond // the default waits a minute
	e.mp.SetChaos(t, "Recipient", 451, 30)
	st, err := svc.EnsureIssue(ctx, time.Now().UTC().Truncate(time.Second))
	if err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(60 * time.Second)
	for {
		if _, err := svc.Deliver(ctx, st.Number); err != nil {
			t.Fatal(err)
		}
		qs, err := svc.Store.QueueStats(ctx, st.Number)
		if err != nil {
			t.Fatal(err)
		}
		if qs.Pending+qs.Sending == 0 {
			if qs.Sent != len(good) || qs.Failed != 2 {
				t.Errorf("queue = %+v; want %d sent and the 2 refused addresses failed", qs, len(good))
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("queue never drained: %+v", qs)
		}
		time.Sleep(30 * time.Millisecond)
	}
	per := map[string]int{}
	for _, m := range e.mp.Messages(t) {
		for _, to := range m.To {
			per[to.Address]++
		}
	}
	for _, addr := range good {
		if per[addr] != 1 {
			t.Errorf("%s got %d copies, want 1", addr, per[addr])
		}
	}
	if per["gone1@bad.example"]+per["gone2@bad.example"] != 0 {
		t.Errorf("refused addresses got mail")
	}
	srv := httptest.NewServer(svc.Metrics.Handler())
	defer srv.Close()
	resp, err := srv.Client().Get(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	retried := metricValue(t, string(body), `digest_messages_total{result="retried"}`)
	sent := metricValue(t, string(body), `digest_messages_total{result="sent"}`)
	failed := metricValue(t, string(body), `digest_messages_total{result="failed"}`)
	t.Logf("metrics: sent %.0f, failed %.0f, retried %.0f", sent, failed, retried)
	if retried == 0 || sent != float64(len(good)) || failed != 2 {
		t.Errorf("metrics: sent %.0f, failed %.0f, retried %.0f; want %d, 2 and some retries", sent, failed, retried, len(good))
	}
	if n := metricValue(t, string(body), "digest_smtp_send_seconds_count"); n < float64(len(good)) {
		t.Errorf("SMTP latency observed %.0f times, want at least %d", n, len(good))
	}
}

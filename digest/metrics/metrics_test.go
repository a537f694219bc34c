package metrics

import (
	"io"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

func TestMetricsAreServed(t *testing.T) {
	m := New()
	m.Feed("ok")
	m.Feed("failed")
	m.Built(12, 1500*time.Millisecond)
	m.Messages(10, 1, 3)
	m.Queue(5)
	m.SMTP(20 * time.Millisecond)
	rec := httptest.NewRecorder()
	m.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	body, _ := io.ReadAll(rec.Body)
	for _, want := range []string{
		`digest_feeds_fetched_total{result="failed"} 1`,
		`digest_issue_articles 12`,
		`digest_messages_total{result="retried"} 3`,
		`digest_messages_total{result="sent"} 10`,
		`digest_queue_depth 5`,
		`digest_issue_build_seconds_count 1`,
		`digest_smtp_send_seconds_count 1`,
		`go_goroutines`,
	} {
		if !strings.Contains(string(body), want) {
			t.Errorf("metrics lack %q", want)
		}
	}
	var nilM *Metrics
	nilM.Feed("ok") // a nil Metrics records nothing and does not panic
}

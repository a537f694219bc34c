package feedback

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"testing"
)

// lockedBuffer is a log sink the server's goroutines may share.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

// An unsigned request refused for its topic or type leaves a short log
// line, not the megabytes of text it carried.
func TestRefusedWebhookLogIsBounded(t *testing.T) {
	var logs lockedBuffer
	h, err := New(Options{Store: testStore(t), Log: slog.New(slog.NewTextHandler(&logs, nil)),
		SES: SES{TopicARNs: []string{topic}}})
	if err != nil {
		t.Fatal(err)
	}
	u := serve(t, h) + "/webhooks/ses"
	huge := strings.Repeat("arn:aws:sns:", 1<<18) // 3 MB
	for _, m := range []map[string]string{{"Type": "Notification", "TopicArn": huge}, {"Type": huge, "TopicArn": topic}} {
		body, _ := json.Marshal(m)
		if code := post(t, u, body, map[string]string{"x-amz-sns-message-type": "Notification"}); code == http.StatusNoContent {
			t.Fatalf("an unsigned request was taken")
		}
	}
	logs.mu.Lock()
	defer logs.mu.Unlock()
	for _, line := range strings.Split(logs.b.String(), "\n") {
		if len(line) > 2048 {
			t.Errorf("a refused request logged a line of %d bytes: %.120s…", len(line), line)
		}
	}
}

package feedback

import (
	"encoding/json"
	"log/slog"
	"net/http"
	"strings"
	"testing"

	"github.com/weeklywrap/digest/internal/logtest"
)

// An unsigned request refused for its topic or type leaves a short log
// line, not the megabytes of text it carried.
func TestRefusedWebhookLogIsBounded(t *testing.T) {
	var logs logtest.Buffer
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
	for _, line := range strings.Split(logs.String(), "\n") {
		if len(line) > 2048 {
			t.Errorf("a refused request logged a line of %d bytes: %.120s…", len(line), line)
		}
	}
}

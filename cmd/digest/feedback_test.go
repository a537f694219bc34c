package main

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/weeklywrap/digest/digest"
)

// `digest serve` with feedback.mailgun set: a signed permanent failure
// suppresses the reader at once, a temporary one counts, a forged request
// is refused, and `digest status` and /metrics say so.
func TestFeedbackWebhookThroughServe(t *testing.T) {
	e := newEnv(t, envOpts{})
	e.mustRun(t, "subscribers", "add", "gone@example.org", "full@example.org", "fine@example.org")
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	const key = "key-0f1e2d3c4b5a69788796a5b4c3d2e1f0"
	e.appendConfig(t, "listen: "+addr+"\nfeedback:\n  mailgun:\n    signing_key: "+key+"\n")
	srv := startChild(t, cliBinary(t), e.config, "serve")
	base := "http://" + addr
	waitFor(t, "serve to listen", 30*time.Second, func() bool {
		resp, err := http.Get(base + "/healthz")
		if err == nil {
			resp.Body.Close()
		}
		return err == nil
	})
	hook := func(signKey, token, event, severity, email string) int {
		stamp := fmt.Sprint(time.Now().Unix())
		mac := hmac.New(sha256.New, []byte(signKey))
		mac.Write([]byte(stamp + token))
		body := `{"signature":{"timestamp":"` + stamp + `","token":"` + token + `","signature":"` + hex.EncodeToString(mac.Sum(nil)) + `"},` +
			`"event-data":{"id":"` + token[:10] + `","timestamp":` + stamp + `.5,"event":"` + event + `","severity":"` + severity +
			`","reason":"bounce","recipient":"` + email + `","delivery-status":{"code":550,"description":"No such mailbox"}}}`
		resp, err := http.Post(base+"/webhooks/mailgun", "application/json", bytes.NewReader([]byte(body)))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	if code := hook(key, strings.Repeat("a", 50), "failed", "permanent", "gone@example.org"); code != http.StatusNoContent {
		t.Fatalf("signed permanent failure: %d\n%s", code, srv.out)
	}
	if code := hook(key, strings.Repeat("b", 50), "failed", "temporary", "full@example.org"); code != http.StatusNoContent {
		t.Fatalf("signed temporary failure: %d", code)
	}
	if code := hook("key-forged", strings.Repeat("c", 50), "failed", "permanent", "fine@example.org"); code != http.StatusForbidden {
		t.Fatalf("forged: %d, want 403", code)
	}
	resp, err := http.Get(base + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	metrics, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	for _, want := range []string{
		`digest_feedback_events_total{kind="hard_bounce",result="recorded",source="mailgun"} 1`,
		`digest_feedback_events_total{kind="soft_bounce",result="recorded",source="mailgun"} 1`,
		`digest_webhook_refused_total{provider="mailgun",reason="bad_signature"} 1`,
	} {
		if !strings.Contains(string(metrics), want) {
			t.Errorf("/metrics lacks %s", want)
		}
	}
	srv.cmd.Process.Signal(syscall.SIGTERM)
	if err := srv.wait(t, 60*time.Second); err != nil {
		t.Fatalf("serve: %v\n%s", err, srv.out)
	}
	status := e.mustRun(t, "status")
	if !strings.Contains(status, "2 confirmed, 0 pending, 0 unsubscribed, 1 suppressed") ||
		!strings.Contains(status, "1 hard bounce (suppressed), 1 soft bounce, 0 complaints (suppressed) reported in the last 30 days: mailgun 2") {
		t.Errorf("status:\n%s", status)
	}
	list := e.mustRun(t, "subscribers", "list")
	if !regexpMatch(`gone@example.org\s.*suppressed`, list) || !regexpMatch(`full@example.org\s.*confirmed`, list) {
		t.Errorf("subscribers:\n%s", list)
	}
}

// `digest feedback read` takes a DSN and an ARF report from a maildir:
// both addresses are suppressed, and status counts them.
func TestFeedbackReadMaildir(t *testing.T) {
	e := newEnv(t, envOpts{})
	e.mustRun(t, "subscribers", "add", "gone@example.net", "angry@example.net", "fine@example.net")
	dir := filepath.Join(e.dir, "bounces")
	for _, sub := range []string{"new", "cur", "tmp"} {
		if err := os.MkdirAll(filepath.Join(dir, sub), 0o700); err != nil {
			t.Fatal(err)
		}
	}
	var b0 []byte // the DSN, copied below into a forged one
	for i, f := range []string{"dsn-hard.eml", "arf.eml", "autoreply.eml"} {
		b, err := os.ReadFile(filepath.Join("..", "..", "digest", "feedback", "testdata", f))
		if err != nil {
			t.Fatal(err)
		}
		b = bytes.ReplaceAll(b, []byte("\n"), []byte("\r\n"))
		if i == 0 {
			b0 = b
		}
		os.WriteFile(filepath.Join(dir, "new", fmt.Sprintf("1764928930.M%dP1.host", i)), b, 0o600)
	}
	if _, _, err := e.run(t, "feedback", "read"); err == nil || !strings.Contains(err.Error(), "feedback.mailbox.maildir") {
		t.Errorf("no mailbox configured: %v", err)
	}
	e.appendConfig(t, "feedback:\n  mailbox:\n    maildir: bounces\n")
	// The reports are about messages the list sent (as notices here);
	// one about a message it never sent is ignored.
	st := openStoreOf(t, e)
	for _, m := range [][2]string{{"gone@example.net", "12.abcdef@example.org"}, {"full@example.net", "12.abcdef@example.org"},
		{"angry@example.net", "12.fedcba@example.org"}} {
		n, _, err := st.EnqueueNotice(context.Background(), digest.Notice{Kind: "test", To: m[0], Subject: "A notice", Text: "Hi"}, 0)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := st.ClaimNotices(context.Background(), "test", 10, time.Minute); err != nil {
			t.Fatal(err)
		}
		if err := st.MarkNoticeSent(context.Background(), n.ID, m[1]); err != nil {
			t.Fatal(err)
		}
	}
	// A forged copy of the DSN: its own id, fine@ for gone@, and a
	// returned Message-ID the list never wrote.
	forged := strings.NewReplacer("gone@example.net", "fine@example.net", "20261205100210.4F1A2", "forged.1",
		"12.abcdef@example.org", "12.forged@example.org").Replace(string(b0))
	os.WriteFile(filepath.Join(dir, "new", "1764928931.M9P1.host"), []byte(forged), 0o600)
	out := e.mustRun(t, "feedback", "read")
	if !strings.Contains(out, "4 messages, 3 reports: 3 events recorded, 0 seen before, 0 unreadable, 2 not about mail this list sent") {
		t.Errorf("feedback read: %s", out)
	}
	if out := e.mustRun(t, "feedback", "read"); !strings.Contains(out, "0 messages") {
		t.Errorf("second read: %s", out)
	}
	status := e.mustRun(t, "status")
	if !strings.Contains(status, "1 confirmed, 0 pending, 0 unsubscribed, 2 suppressed") ||
		!strings.Contains(status, "1 hard bounce (suppressed), 1 soft bounce, 1 complaint (suppressed)") {
		t.Errorf("status:\n%s", status)
	}
}

package web

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/weeklywrap/digest/digest"
	"github.com/weeklywrap/digest/digest/store"
	"github.com/weeklywrap/digest/digest/token"
	"github.com/weeklywrap/digest/templates"
)

// recorder is a Notifier that keeps what it was asked to send; the real
// one (service.Notices, its outbox and its one-per-address allowance) is
// tested end to end with Mailpit in cmd/digest. Here the question is what
// the site decides to send.
type recorder struct {
	mu       sync.Mutex
	confirms []string
	welcomes []string
}

func (r *recorder) Confirm(_ context.Context, sub digest.Subscriber, link string) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.confirms = append(r.confirms, sub.Email+" "+link)
	return nil
}
func (r *recorder) Welcome(_ context.Context, sub digest.Subscriber, prefs, unsub string) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.welcomes = append(r.welcomes, sub.Email+" "+prefs+" "+unsub)
	return nil
}

func (r *recorder) count() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.confirms)
}

func newSite(tb testing.TB, perIP int) (*Server, *httptest.Server, digest.Store, *recorder) {
	tb.Helper()
	st, err := store.Open(context.Background(), filepath.Join(tb.TempDir(), "site.db"))
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { st.Close() })
	tokens, _ := token.NewSigner("site-test-secret-0123456789")
	rec := &recorder{}
	s, err := New(Options{Store: st, Tokens: tokens, Site: Site{Title: "The Weekly Wrap", BaseURL: "http://wrap.test"},
		Templates: templates.FS, Log: slog.New(slog.NewTextHandler(io.Discard, nil)), Notifier: rec,
		Topics: []string{"Security", "Open Source"}, IPPerMinute: perIP})
	if err != nil {
		tb.Fatal(err)
	}
	srv := httptest.NewServer(s.Handler())
	tb.Cleanup(srv.Close)
	return s, srv, st, rec
}

func postForm(tb testing.TB, u string, v url.Values) (int, string) {
	tb.Helper()
	resp, err := http.PostForm(u, v)
	if err != nil {
		tb.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func TestSubscribeRateLimitPerIP(t *testing.T) {
	s, srv, _, _ := newSite(t, 5)
	codes := map[int]int{}
	for i := 0; i < 8; i++ {
		code, _ := postForm(t, srv.URL+"/subscribe", url.Values{"email": {fmt.Sprintf("r%d@example.org", i)}})
		codes[code]++
	}
	s.Wait()
	if codes[200] != 5 || codes[429] != 3 {
		t.Errorf("statuses = %v, want 5×200 then 3×429", codes)
	}
}

func TestSubscribeAnswersTheSameForKnownAndUnknownAddresses(t *testing.T) {
	s, srv, st, rec := newSite(t, 1000)
	if _, err := st.AddSubscriber(context.Background(), digest.Subscriber{Email: "known@example.org", Status: digest.StatusConfirmed}); err != nil {
		t.Fatal(err)
	}
	c1, b1 := postForm(t, srv.URL+"/subscribe", url.Values{"email": {"known@example.org"}})
	c2, b2 := postForm(t, srv.URL+"/subscribe", url.Values{"email": {"fresh@example.org"}})
	s.Wait()
	if c1 != c2 || strings.ReplaceAll(b1, "known@", "X@") != strings.ReplaceAll(b2, "fresh@", "X@") {
		t.Errorf("responses differ between a subscribed and a new address:\n%s\n---\n%s", b1, b2)
	}
	if n := rec.count(); n != 1 || !strings.HasPrefix(rec.confirms[0], "fresh@example.org http://wrap.test/confirm/") {
		t.Errorf("confirmations = %v; want only the new address", rec.confirms)
	}
}

func TestHeaderInjectionAndXSSAreRefused(t *testing.T) {
	s, srv, st, rec := newSite(t, 1000)
	for _, email := range []string{"a@example.org\r\nBcc: x@evil.example", "a@example.org\nSubject: hi", "<script>@x.org", "a@example.org, b@example.org"} {
		code, body := postForm(t, srv.URL+"/subscribe", url.Values{"email": {email}})
		if code != http.StatusBadRequest || strings.Contains(body, "<script>@") {
			t.Errorf("email %q: status %d (want 400) or unescaped echo", email, code)
		}
	}
	code, _ := postForm(t, srv.URL+"/subscribe", url.Values{"email": {"ok@example.org"}, "name": {"Eve\r\nBcc: x@evil.example <script>alert(1)</script>"}})
	s.Wait()
	if code != 200 || rec.count() != 1 {
		t.Fatalf("valid subscribe: %d, %d confirmations", code, rec.count())
	}
	sub, err := st.SubscriberByEmail(context.Background(), "ok@example.org")
	if err != nil {
		t.Fatal(err)
	}
	if strings.ContainsAny(sub.Name, "\r\n") {
		t.Errorf("stored name keeps CR/LF: %q", sub.Name)
	}
	prefs := "/preferences/" + s.Tokens.Sign(token.Preferences, sub.ID, time.Time{})
	_, body, _ := get(t, srv.URL+prefs)
	if strings.Contains(body, "<script>alert(1)</script>") || !strings.Contains(body, "&lt;script&gt;") {
		t.Errorf("the name is not escaped on the preferences page")
	}
}

func TestConfirmTokens(t *testing.T) {
	s, srv, st, rec := newSite(t, 1000)
	sub, _ := st.AddSubscriber(context.Background(), digest.Subscriber{Email: "p@example.org", Status: digest.StatusPending})
	expired := s.Tokens.Sign(token.Confirm, sub.ID, time.Now().Add(-time.Minute))
	if code, _, _ := get(t, srv.URL+"/confirm/"+expired); code != http.StatusGone {
		t.Errorf("expired token: %d, want 410", code)
	}
	forged, _ := token.NewSigner("someone-elses-secret-0123")
	if code, _, _ := get(t, srv.URL+"/confirm/"+forged.Sign(token.Confirm, sub.ID, time.Now().Add(time.Hour))); code != http.StatusBadRequest {
		t.Errorf("forged token: %d, want 400", code)
	}
	if got, _ := st.Subscriber(context.Background(), sub.ID); got.Status != digest.StatusPending {
		t.Errorf("bad tokens changed the status to %s", got.Status)
	}
	good := s.Tokens.Sign(token.Confirm, sub.ID, time.Now().Add(time.Hour))
	s.Welcome = true
	for i := 0; i < 2; i++ { // confirming twice welcomes once
		if code, body, _ := get(t, srv.URL+"/confirm/"+good); code != 200 || !strings.Contains(body, "Welcome") {
			t.Errorf("good token: %d", code)
		}
	}
	s.Wait()
	if len(rec.welcomes) != 1 || !strings.Contains(rec.welcomes[0], "/preferences/") || !strings.Contains(rec.welcomes[0], "/unsubscribe/") {
		t.Errorf("welcomes = %v, want one with both links", rec.welcomes)
	}
	if got, _ := st.Subscriber(context.Background(), sub.ID); got.Status != digest.StatusConfirmed {
		t.Errorf("after confirm: %s", got.Status)
	}
}

func TestCrossOriginPostIsRefused(t *testing.T) {
	s, srv, _, rec := newSite(t, 1000)
	req, _ := http.NewRequest(http.MethodPost, srv.URL+"/subscribe", strings.NewReader("email=x%40example.org"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	req.Header.Set("Origin", "https://evil.example")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	s.Wait()
	if resp.StatusCode != http.StatusForbidden || rec.count() != 0 {
		t.Errorf("cross-site POST: status %d, %d confirmations; want 403 and none", resp.StatusCode, rec.count())
	}
}

// BenchmarkSubscribe measures POST /subscribe on SQLite with 16 concurrent
// clients, each a new address, and reports requests/s and latency.
func BenchmarkSubscribe(b *testing.B) {
	s, srv, _, _ := newSite(b, 1<<30)
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}}
	var next atomic.Int64
	lat := make([]time.Duration, b.N)
	b.ResetTimer()
	start := time.Now()
	var wg sync.WaitGroup
	for w := 0; w < 16; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1)) - 1
				if i >= b.N {
					return
				}
				t0 := time.Now()
				resp, err := client.PostForm(srv.URL+"/subscribe", url.Values{"email": {fmt.Sprintf("bench%d@example.org", i)}})
				if err != nil {
					b.Error(err)
					return
				}
				_, _ = io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				if resp.StatusCode != 200 {
					b.Errorf("status %d", resp.StatusCode)
					return
				}
				lat[i] = time.Since(t0)
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	b.StopTimer()
	s.Wait()
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	b.ReportMetric(float64(b.N)/elapsed.Seconds(), "req/s")
	b.ReportMetric(float64(lat[b.N*50/100].Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(lat[b.N*99/100].Microseconds())/1000, "p99-ms")
}

func TestSuppressedStaysSuppressed(t *testing.T) {
	s, srv, st, _ := newSite(t, 1000)
	ctx := context.Background()
	sub, _ := st.AddSubscriber(ctx, digest.Subscriber{Email: "bounced@example.org", Status: digest.StatusSuppressed})
	if code, body, _ := get(t, srv.URL+"/confirm/"+s.Tokens.Sign(token.Confirm, sub.ID, time.Now().Add(time.Hour))); code != 200 || !strings.Contains(body, "bounced") {
		t.Errorf("confirm of a suppressed address: %d", code)
	}
	resp, err := http.Post(srv.URL+"/unsubscribe/"+s.Tokens.Sign(token.Unsubscribe, sub.ID, time.Time{}), "application/x-www-form-urlencoded", strings.NewReader("List-Unsubscribe=One-Click"))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	postForm(t, srv.URL+"/resubscribe/"+s.Tokens.Sign(token.Preferences, sub.ID, time.Time{}), nil)
	if got, _ := st.Subscriber(ctx, sub.ID); got.Status != digest.StatusSuppressed {
		t.Errorf("status = %s after confirm, unsubscribe and resubscribe; want suppressed", got.Status)
	}
}

func TestRateLimitBehindATrustedProxy(t *testing.T) {
	post := func(srv string, xff string) int {
		req, _ := http.NewRequest(http.MethodPost, srv+"/subscribe", strings.NewReader("email=x%40example.org"))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		if xff != "" {
			req.Header.Set("X-Forwarded-For", xff)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	// Untrusted: the header is ignored, everyone shares the peer's bucket.
	s, srv, _, _ := newSite(t, 2)
	codes := []int{post(srv.URL, "203.0.113.1"), post(srv.URL, "203.0.113.2"), post(srv.URL, "203.0.113.3")}
	s.Wait()
	if codes[2] != http.StatusTooManyRequests {
		t.Errorf("without trusted proxies X-Forwarded-For must not split the limit: %v", codes)
	}
	// Trusted: each client behind the proxy has its own bucket, and a
	// spoofed left-most hop does not help.
	s2, err := New(Options{Store: s.Store, Tokens: s.Tokens, Site: s.Site, Templates: templates.FS, Log: s.Log,
		Notifier: &recorder{}, IPPerMinute: 2, TrustedProxies: []string{"127.0.0.1"}})
	if err != nil {
		t.Fatal(err)
	}
	srv2 := httptest.NewServer(s2.Handler())
	defer srv2.Close()
	codes = []int{post(srv2.URL, "203.0.113.1"), post(srv2.URL, "203.0.113.2"), post(srv2.URL, "203.0.113.3"),
		post(srv2.URL, "198.51.100.9, 203.0.113.1"), post(srv2.URL, "10.0.0.1, 203.0.113.1")}
	s2.Wait()
	if codes[0] != 200 || codes[1] != 200 || codes[2] != 200 || codes[3] != 200 || codes[4] != http.StatusTooManyRequests {
		t.Errorf("behind a trusted proxy: %v; want 4×200 then 429 for 203.0.113.1's third request", codes)
	}
	if _, err := New(Options{Store: s.Store, Tokens: s.Tokens, Templates: templates.FS, TrustedProxies: []string{"not-an-ip"}}); err == nil {
		t.Error("a bad trusted proxy was accepted")
	}
}

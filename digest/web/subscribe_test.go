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
	"github.com/weeklywrap/digest/internal/logtest"
	"github.com/weeklywrap/digest/templates"
)

// recorder is a Notifier that keeps what it was asked to send; the real
// one (service.Notices, its outbox and its one-per-address allowance) is
// tested end to end with Mailpit in cmd/digest. Here the question is what
// the site decides to send.
type recorder struct {
	mu       sync.Mutex
	confirms []string
	names    []string // the subscriber's Name as the confirmation got it
	welcomes []string
}

func (r *recorder) Confirm(_ context.Context, sub digest.Subscriber, link string) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.confirms = append(r.confirms, sub.Email+" "+link)
	r.names = append(r.names, sub.Name)
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
	s, srv := serve(tb, Options{Store: st, Tokens: tokens, Site: Site{Title: "The Weekly Wrap", BaseURL: "http://wrap.test"},
		Notifier: rec, Topics: []string{"Security", "Open Source"}, IPPerMinute: perIP})
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
	ctx := context.Background()
	sub, _ := st.AddSubscriber(ctx, digest.Subscriber{Email: "p@example.org", Status: digest.StatusPending})
	expired := s.Tokens.SignBound(token.Confirm, sub.ID, sub.Version, time.Now().Add(-time.Minute))
	if code, _, _ := get(t, srv.URL+"/confirm/"+expired); code != http.StatusGone {
		t.Errorf("expired token: %d, want 410", code)
	}
	forged, _ := token.NewSigner("someone-elses-secret-0123")
	if code, _, _ := get(t, srv.URL+"/confirm/"+forged.SignBound(token.Confirm, sub.ID, sub.Version, time.Now().Add(time.Hour))); code != http.StatusBadRequest {
		t.Errorf("forged token: %d, want 400", code)
	}
	if code, _, _ := get(t, srv.URL+"/confirm/"+s.Tokens.Sign(token.Confirm, sub.ID, time.Now().Add(time.Hour))); code != http.StatusBadRequest {
		t.Errorf("a token not bound to the subscriber's version: %d, want 400", code)
	}
	if got, _ := st.Subscriber(ctx, sub.ID); got.Status != digest.StatusPending {
		t.Errorf("bad tokens changed the status to %s", got.Status)
	}
	good := s.Tokens.SignBound(token.Confirm, sub.ID, sub.Version, time.Now().Add(time.Hour))
	// Opening the link (as a mail scanner would) only shows the button.
	for range 3 {
		code, body, _ := get(t, srv.URL+"/confirm/"+good)
		if code != 200 || !strings.Contains(body, `method="post"`) || !strings.Contains(body, "p@example.org") {
			t.Fatalf("GET confirm: %d\n%s", code, body)
		}
	}
	if got, _ := st.Subscriber(ctx, sub.ID); got.Status != digest.StatusPending {
		t.Fatalf("GET confirmed the address: %s", got.Status)
	}
	s.Welcome = true
	for i := 0; i < 2; i++ { // confirming twice welcomes once
		if code, body := postForm(t, srv.URL+"/confirm/"+good, nil); code != 200 || !strings.Contains(body, "Welcome") {
			t.Errorf("POST good token: %d", code)
		}
	}
	s.Wait()
	if len(rec.welcomes) != 1 || !strings.Contains(rec.welcomes[0], "/preferences/") || !strings.Contains(rec.welcomes[0], "/unsubscribe/") {
		t.Errorf("welcomes = %v, want one with both links", rec.welcomes)
	}
	if got, _ := st.Subscriber(ctx, sub.ID); got.Status != digest.StatusConfirmed {
		t.Errorf("after confirm: %s", got.Status)
	}
	// Once they unsubscribe, the old link confirms nothing, GET or POST.
	if code, _ := postForm(t, srv.URL+"/unsubscribe/"+s.Tokens.Sign(token.Unsubscribe, sub.ID, time.Time{}), nil); code != 200 {
		t.Fatalf("unsubscribe: %d", code)
	}
	if code, body, _ := get(t, srv.URL+"/confirm/"+good); code != http.StatusGone || strings.Contains(body, `method="post"`) {
		t.Errorf("GET of an old confirm link after unsubscribing: %d\n%s", code, body)
	}
	if code, body := postForm(t, srv.URL+"/confirm/"+good, nil); code != http.StatusGone || !strings.Contains(body, "no longer works") {
		t.Errorf("POST of an old confirm link after unsubscribing: %d\n%s", code, body)
	}
	if got, _ := st.Subscriber(ctx, sub.ID); got.Status != digest.StatusUnsubscribed {
		t.Errorf("an old confirm link resubscribed them: %s", got.Status)
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
	link := srv.URL + "/confirm/" + s.Tokens.SignBound(token.Confirm, sub.ID, sub.Version, time.Now().Add(time.Hour))
	if code, body, _ := get(t, link); code != 200 || !strings.Contains(body, "bounced") {
		t.Errorf("confirm page of a suppressed address: %d", code)
	}
	if code, body := postForm(t, link, nil); code != 200 || !strings.Contains(body, "bounced") {
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
		return statusAs(t, http.MethodPost, srv+"/subscribe", xff, "email=x%40example.org")
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
	s2, srv2 := serve(t, Options{Store: s.Store, Tokens: s.Tokens, Site: s.Site, Log: s.Log,
		Notifier: &recorder{}, IPPerMinute: 2, TrustedProxies: []string{"127.0.0.1"}})
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

// postAs sends a subscribe request as the client X-Forwarded-For names.
func postAs(tb testing.TB, srv, xff, email string) int {
	tb.Helper()
	return statusAs(tb, http.MethodPost, srv+"/subscribe", xff,
		url.Values{"email": {email}, "name": {"Claim your prize: http://spam.example/x"}}.Encode())
}

// statusAs sends a request as the client X-Forwarded-For names (none
// where xff is empty), with the url-encoded form where it is not empty,
// and returns the answer's status.
func statusAs(tb testing.TB, method, target, xff, form string) int {
	tb.Helper()
	var body io.Reader
	if form != "" {
		body = strings.NewReader(form)
	}
	req, _ := http.NewRequest(method, target, body)
	if form != "" {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	if xff != "" {
		req.Header.Set("X-Forwarded-For", xff)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		tb.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

// 50 addresses of one IPv6 /64 are one client; another /64 is another.
func TestIPv6ClientsCountBySlash64(t *testing.T) {
	_, srv0, st, _ := newSite(t, 10)
	srv0.Close()
	rec := &recorder{}
	tokens, _ := token.NewSigner("site-test-secret-0123456789")
	s, srv := serve(t, Options{Store: st, Tokens: tokens, Site: Site{Title: "W", BaseURL: "http://wrap.test"}, Notifier: rec, IPPerMinute: 10, TrustedProxies: []string{"127.0.0.1"}})
	codes := map[int]int{}
	for i := 1; i <= 50; i++ {
		codes[postAs(t, srv.URL, fmt.Sprintf("2001:db8:1:2::%x", i), fmt.Sprintf("v6-%d@example.org", i))]++
	}
	other := postAs(t, srv.URL, "2001:db8:1:3::1", "other@example.org")
	mapped := []int{postAs(t, srv.URL, "::ffff:198.51.100.7", "m1@example.org"), postAs(t, srv.URL, "198.51.100.7", "m2@example.org")}
	s.Wait()
	if codes[200] != 10 || codes[429] != 40 || other != 200 {
		t.Errorf("50 requests from one /64: %v, another /64: %d; want 10×200, 40×429, then 200", codes, other)
	}
	if mapped[0] != 200 || mapped[1] != 200 {
		t.Errorf("an IPv4-mapped address and its IPv4 form: %v", mapped)
	}
	for _, key := range []struct{ in, want string }{
		{"2001:db8:1:2::1", "2001:db8:1:2::/64"}, {"2001:db8:1:2:ffff:ffff:ffff:ffff", "2001:db8:1:2::/64"},
		{"fe80::1%eth0", "fe80::/64"}, {"::ffff:192.0.2.1", "192.0.2.1"}, {"192.0.2.1", "192.0.2.1"}, {"junk", "junk"},
	} {
		if got := clientKey(key.in); got != key.want {
			t.Errorf("clientKey(%q) = %q, want %q", key.in, got, key.want)
		}
	}
}

// However many clients ask, confirmations stop at the global cap; a
// request over it is told to come back, and the name typed into the form
// never reaches the confirmation.
func TestConfirmationsStopAtTheGlobalCap(t *testing.T) {
	_, srv0, st, _ := newSite(t, 10)
	srv0.Close()
	rec := &recorder{}
	tokens, _ := token.NewSigner("site-test-secret-0123456789")
	var logs logtest.Buffer
	s, srv := serve(t, Options{Store: st, Tokens: tokens, Site: Site{Title: "W", BaseURL: "http://wrap.test"}, Log: slog.New(slog.NewTextHandler(&logs, nil)), Notifier: rec, TrustedProxies: []string{"127.0.0.1"}, ConfirmPerMinute: 5})
	codes := map[int]int{}
	start := time.Now()
	for i := range 40 {
		codes[postAs(t, srv.URL, fmt.Sprintf("203.0.113.%d", i+1), fmt.Sprintf("cap-%d@example.org", i))]++
	}
	s.Wait()
	allowed := 5 + int(time.Since(start).Minutes()*5) + 1
	if n := rec.count(); n < 5 || n > allowed || codes[503] < 40-allowed {
		t.Errorf("40 clients: %d confirmations, statuses %v; want 5 to %d, the rest 503", n, codes, allowed)
	}
	for _, name := range rec.names {
		if name != "" {
			t.Errorf("the confirmation got the form's name %q", name)
		}
	}
	// An attack must not flood the log: one warning a minute, with a count.
	if n := strings.Count(logs.String(), "confirmation cap reached"); n < 1 || n > 1+int(time.Since(start).Minutes()) {
		t.Errorf("%d cap warnings logged for %d refusals; want one a minute:\n%s", n, codes[503], logs.String())
	}
}

// Repeated requests for one address take one place in the global cap, so
// hammering one victim does not shut the form for everyone else.
func TestRepeatsForOneAddressSpendOnePlace(t *testing.T) {
	_, srv0, st, _ := newSite(t, 10)
	srv0.Close()
	tokens, _ := token.NewSigner("site-test-secret-0123456789")
	s, srv := serve(t, Options{Store: st, Tokens: tokens, Site: Site{Title: "W", BaseURL: "http://wrap.test"}, Notifier: &recorder{}, TrustedProxies: []string{"127.0.0.1"}, ConfirmPerMinute: 2})
	for i := range 20 {
		if code := postAs(t, srv.URL, fmt.Sprintf("198.51.100.%d", i+1), "victim@example.org"); code != 200 {
			t.Fatalf("repeat %d for one address: %d", i, code)
		}
	}
	if code := postAs(t, srv.URL, "198.51.100.99", "fresh@example.org"); code != 200 {
		t.Errorf("after 20 requests for one address, another address got %d", code)
	}
	if code := postAs(t, srv.URL, "198.51.100.98", "third@example.org"); code != http.StatusServiceUnavailable {
		t.Errorf("the third distinct address within the minute (cap 2) got %d, want 503", code)
	}
	s.Wait()
}

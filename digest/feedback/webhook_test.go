package feedback

import (
	"bytes"
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/hmac"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"math/big"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/weeklywrap/digest/digest"
	"github.com/weeklywrap/digest/digest/store"
)

// testStore is a real SQLite store with subscribers for the addresses.
func testStore(t *testing.T, emails ...string) digest.Store {
	t.Helper()
	st, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "feedback.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	for _, e := range emails {
		if _, err := st.AddSubscriber(context.Background(), digest.Subscriber{Email: e, Status: digest.StatusConfirmed}); err != nil {
			t.Fatal(err)
		}
	}
	return st
}

func status(t *testing.T, st digest.Store, email string) digest.SubscriberStatus {
	t.Helper()
	s, err := st.SubscriberByEmail(context.Background(), email)
	if err != nil {
		t.Fatal(err)
	}
	return s.Status
}

// checkStatuses fails t for each address whose status is not the one
// want gives it.
func checkStatuses(t *testing.T, st digest.Store, want map[string]digest.SubscriberStatus) {
	t.Helper()
	for email, w := range want {
		if s := status(t, st, email); s != w {
			t.Errorf("%s: %s, want %s", email, s, w)
		}
	}
}

// checkCounts fails t unless the recorded events, counted by source and
// kind, are want.
func checkCounts(t *testing.T, st digest.Store, want map[string]int) {
	t.Helper()
	if got := counts(t, st); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("events %v, want %v", got, want)
	}
}

func counts(t *testing.T, st digest.Store) map[string]int {
	t.Helper()
	cs, err := st.FeedbackCounts(context.Background(), time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]int{}
	for _, c := range cs {
		out[c.Source+"/"+string(c.Kind)] = c.N
	}
	return out
}

// serve runs h on a real listener, as `digest serve` mounts it.
func serve(t *testing.T, h *Handler) string {
	t.Helper()
	mux := http.NewServeMux()
	mux.Handle("/webhooks/{provider}", h)
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv.URL
}

func post(t *testing.T, u string, body []byte, hdr map[string]string) int {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, u, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

type refusals struct {
	mu sync.Mutex
	m  map[string]int
}

func (r *refusals) add(provider, reason string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.m == nil {
		r.m = map[string]int{}
	}
	r.m[provider+"/"+reason]++
}

func (r *refusals) get(k string) int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.m[k]
}

// snsSigner plays SNS: an RSA key, its certificate served over HTTPS by
// a local TLS server, and the subscription links it hands out.
type snsSigner struct {
	key       *rsa.PrivateKey
	srv       *httptest.Server
	certURL   string
	mu        sync.Mutex
	confirmed []string
	certGets  int
}

func newSNSSigner(t *testing.T) *snsSigner {
	t.Helper()
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "sns.us-east-1.amazonaws.com"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour)}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	certPEM := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
	s := &snsSigner{key: key}
	s.srv = httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		defer s.mu.Unlock()
		switch {
		case strings.HasSuffix(r.URL.Path, ".pem"):
			s.certGets++
			w.Write(certPEM)
		case r.URL.Query().Get("Action") == "ConfirmSubscription":
			s.confirmed = append(s.confirmed, r.URL.Query().Get("Token"))
			fmt.Fprint(w, "<ConfirmSubscriptionResponse/>")
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(s.srv.Close)
	s.certURL = s.srv.URL + "/SimpleNotificationService-9c6465fa7f48f5cacd23014631ec1136.pem"
	return s
}

const topic = "arn:aws:sns:us-east-1:123456789012:digest-feedback"

// sign fills Signature for m as SNS does, with SHA1 (version 1) or SHA256
// (version 2).
func (s *snsSigner) sign(t *testing.T, m map[string]string) []byte {
	t.Helper()
	sm := snsMessage{Type: m["Type"], MessageId: m["MessageId"], Token: m["Token"], TopicArn: m["TopicArn"],
		Message: m["Message"], Timestamp: m["Timestamp"], SubscribeURL: m["SubscribeURL"]}
	if subj, ok := m["Subject"]; ok {
		sm.Subject = &subj
	}
	text, err := sm.stringToSign()
	if err != nil {
		t.Fatal(err)
	}
	var sig []byte
	if m["SignatureVersion"] == "1" {
		h := sha1.Sum([]byte(text))
		sig, err = rsa.SignPKCS1v15(rand.Reader, s.key, crypto.SHA1, h[:])
	} else {
		h := sha256.Sum256([]byte(text))
		sig, err = rsa.SignPKCS1v15(rand.Reader, s.key, crypto.SHA256, h[:])
	}
	if err != nil {
		t.Fatal(err)
	}
	m["Signature"] = base64.StdEncoding.EncodeToString(sig)
	if _, ok := m["SigningCertURL"]; !ok {
		m["SigningCertURL"] = s.certURL
	}
	b, _ := json.Marshal(m)
	return b
}

// sesBounce is an SES bounce notification as its documentation shows one.
func sesBounce(bounceType, email, status string) string {
	return `{"notificationType":"Bounce","bounce":{"feedbackId":"0100015f-1234","bounceType":"` + bounceType +
		`","bounceSubType":"General","bouncedRecipients":[{"emailAddress":"` + email +
		`","action":"failed","status":"` + status + `","diagnosticCode":"smtp; 550 ` + status + ` user unknown"}],` +
		`"timestamp":"2026-12-05T14:59:38.237Z","remoteMtaIp":"127.0.2.0","reportingMTA":"dsn; a8-70.smtp-out.amazonses.com"},` +
		`"mail":{"timestamp":"2026-12-05T14:59:37.000Z","source":"wrap@example.org","messageId":"0100015f-abcd",` +
		`"destination":["` + email + `"],"headersTruncated":false}}`
}

func TestSESThroughSNS(t *testing.T) {
	st := testStore(t, "gone@example.org", "angry@example.org", "full@example.org", "other@example.org")
	sns := newSNSSigner(t)
	now := time.Now().UTC()
	var ref refusals
	h, err := New(Options{Store: st, OnRefused: ref.add, SES: SES{TopicARNs: []string{topic}, AutoConfirm: true,
		Client: sns.srv.Client(), CertHost: func(host string) bool { return host == "127.0.0.1" }}})
	if err != nil {
		t.Fatal(err)
	}
	u := serve(t, h) + "/webhooks/ses"
	note := func(id, msg, version string) map[string]string {
		return map[string]string{"Type": "Notification", "MessageId": id, "TopicArn": topic, "Message": msg,
			"Timestamp": now.Format("2006-01-02T15:04:05.000Z"), "SignatureVersion": version,
			"UnsubscribeURL": sns.srv.URL + "/?Action=Unsubscribe"}
	}
	hdr := map[string]string{"x-amz-sns-message-type": "Notification"}

	// A permanent bounce, signed with version 1: suppressed at once.
	if code := post(t, u, sns.sign(t, note("m-1", sesBounce("Permanent", "gone@example.org", "5.1.1"), "1")), hdr); code != http.StatusNoContent {
		t.Fatalf("permanent bounce: %d", code)
	}
	if s := status(t, st, "gone@example.org"); s != digest.StatusSuppressed {
		t.Errorf("after a permanent bounce: %s, want suppressed", s)
	}
	// A complaint, version 2, with a Subject (which is then signed too).
	complaint := `{"notificationType":"Complaint","complaint":{"feedbackId":"0100015f-5678","complaintSubType":null,` +
		`"complainedRecipients":[{"emailAddress":"angry@example.org"}],"timestamp":"2026-12-05T15:00:01.000Z",` +
		`"userAgent":"Mozilla/5.0","complaintFeedbackType":"abuse","arrivalDate":"2026-12-05T14:59:59.000Z"},` +
		`"mail":{"timestamp":"2026-12-05T14:59:37.000Z","source":"wrap@example.org","messageId":"0100015f-abce","destination":["angry@example.org"]}}`
	m := note("m-2", complaint, "2")
	m["Subject"] = "Amazon SES Email Event Notification"
	if code := post(t, u, sns.sign(t, m), hdr); code != http.StatusNoContent {
		t.Fatalf("complaint: %d", code)
	}
	if s := status(t, st, "angry@example.org"); s != digest.StatusSuppressed {
		t.Errorf("after a complaint: %s, want suppressed", s)
	}
	// A transient bounce counts and suppresses nothing.
	transient := sns.sign(t, note("m-3", sesBounce("Transient", "full@example.org", "4.2.2"), "2"))
	if code := post(t, u, transient, hdr); code != http.StatusNoContent {
		t.Fatalf("transient bounce: %d", code)
	}
	// The same message again (a replay, or SNS retrying): recorded once.
	if code := post(t, u, transient, hdr); code != http.StatusNoContent {
		t.Fatalf("replayed transient bounce: %d", code)
	}
	if s := status(t, st, "full@example.org"); s != digest.StatusConfirmed {
		t.Errorf("after a transient bounce: %s, want confirmed", s)
	}

	// Forgeries, each refused and acting on nobody.
	forged := map[string]func() []byte{
		"other address after signing": func() []byte {
			var v map[string]string
			json.Unmarshal(sns.sign(t, note("f-1", sesBounce("Permanent", "full@example.org", "5.1.1"), "2")), &v)
			v["Message"] = sesBounce("Permanent", "other@example.org", "5.1.1")
			b, _ := json.Marshal(v)
			return b
		},
		"certificate over http": func() []byte {
			m := note("f-2", sesBounce("Permanent", "other@example.org", "5.1.1"), "2")
			m["SigningCertURL"] = strings.Replace(sns.certURL, "https://", "http://", 1)
			return sns.sign(t, m)
		},
		"certificate on another host": func() []byte {
			m := note("f-3", sesBounce("Permanent", "other@example.org", "5.1.1"), "2")
			m["SigningCertURL"] = strings.Replace(sns.certURL, "127.0.0.1", "localhost", 1)
			return sns.sign(t, m)
		},
		"unknown signature version": func() []byte {
			m := note("f-4", sesBounce("Permanent", "other@example.org", "5.1.1"), "3")
			b := sns.sign(t, m)
			return b
		},
	}
	for name, body := range forged {
		if code := post(t, u, body(), hdr); code != http.StatusForbidden {
			t.Errorf("%s: %d, want 403", name, code)
		}
	}
	// Another topic, signed properly: refused.
	other := note("f-5", sesBounce("Permanent", "other@example.org", "5.1.1"), "2")
	other["TopicArn"] = "arn:aws:sns:us-east-1:999999999999:someone-else"
	if code := post(t, u, sns.sign(t, other), hdr); code != http.StatusForbidden {
		t.Errorf("another topic: %d, want 403", code)
	}
	// A properly signed message two hours old: a replay beyond MaxAge.
	old := note("f-6", sesBounce("Permanent", "other@example.org", "5.1.1"), "2")
	old["Timestamp"] = now.Add(-2 * time.Hour).Format("2006-01-02T15:04:05.000Z")
	if code := post(t, u, sns.sign(t, old), hdr); code != http.StatusForbidden {
		t.Errorf("a two-hour-old message: %d, want 403", code)
	}
	if s := status(t, st, "other@example.org"); s != digest.StatusConfirmed {
		t.Errorf("after forged messages: %s, want confirmed", s)
	}
	if n := ref.get("ses/bad_signature"); n != 4 {
		t.Errorf("%d refused for their signature, want 4", n)
	}
	if ref.get("ses/unknown_topic") != 1 || ref.get("ses/stale") != 1 {
		t.Errorf("refusals %v", ref.m)
	}

	// A subscription confirmation is followed on the SNS host.
	sub := map[string]string{"Type": "SubscriptionConfirmation", "MessageId": "s-1", "Token": "tok-123", "TopicArn": topic,
		"Message":      "You have chosen to subscribe to the topic " + topic + ".",
		"SubscribeURL": sns.srv.URL + "/?Action=ConfirmSubscription&TopicArn=" + url.QueryEscape(topic) + "&Token=tok-123",
		"Timestamp":    now.Format("2006-01-02T15:04:05.000Z"), "SignatureVersion": "1"}
	if code := post(t, u, sns.sign(t, sub), map[string]string{"x-amz-sns-message-type": "SubscriptionConfirmation"}); code != http.StatusNoContent {
		t.Fatalf("subscription confirmation: %d", code)
	}
	sns.mu.Lock()
	if len(sns.confirmed) != 1 || sns.confirmed[0] != "tok-123" {
		t.Errorf("subscriptions confirmed: %v", sns.confirmed)
	}
	if sns.certGets != 1 {
		t.Errorf("the certificate was fetched %d times, want once (cached)", sns.certGets)
	}
	sns.mu.Unlock()

	checkCounts(t, st, map[string]int{"ses/hard_bounce": 1, "ses/complaint": 1, "ses/soft_bounce": 1})
}

// The default certificate host check takes SNS's hosts and nothing else.
func TestSNSCertHost(t *testing.T) {
	for host, ok := range map[string]bool{
		"sns.us-east-1.amazonaws.com": true, "sns.eu-central-1.amazonaws.com": true, "sns.cn-north-1.amazonaws.com.cn": true,
		"sns.us-east-1.amazonaws.com.evil.example": false, "evil-sns.us-east-1.amazonaws.com": false,
		"s3.amazonaws.com": false, "sns.amazonaws.com": false, "127.0.0.1": false,
	} {
		if snsHost.MatchString(host) != ok {
			t.Errorf("%s: allowed %v, want %v", host, !ok, ok)
		}
	}
}

func TestPostmark(t *testing.T) {
	st := testStore(t, "gone@example.org", "angry@example.org", "full@example.org")
	var ref refusals
	h, err := New(Options{Store: st, OnRefused: ref.add, Postmark: Postmark{Username: "postmark", Password: "s3cret-webhook-pass"}})
	if err != nil {
		t.Fatal(err)
	}
	base := serve(t, h)
	withAuth := func(user, pass string) string {
		u, _ := url.Parse(base + "/webhooks/postmark")
		u.User = url.UserPassword(user, pass)
		return u.String()
	}
	// Postmark's bounce webhook body, as its documentation shows it.
	bounce := func(id int, typ string, code int, email string) []byte {
		return []byte(fmt.Sprintf(`{"RecordType":"Bounce","MessageStream":"broadcast","ID":%d,"Type":"%s","TypeCode":%d,`+
			`"Name":"Hard bounce","Tag":"","MessageID":"883953f4-6105-42a2-a16a-77a8eac79483","Metadata":{},"ServerID":23,`+
			`"Description":"The server was unable to deliver your message (ex: unknown user, mailbox not found).",`+
			`"Details":"smtp;550 5.1.1 The email account that you tried to reach does not exist.","Email":"%s",`+
			`"From":"wrap@example.org","BouncedAt":"2026-12-05T16:33:54.9070259Z","DumpAvailable":true,"Inactive":true,`+
			`"CanActivate":true,"Subject":"The Weekly Wrap #12","Content":""}`, id, typ, code, email))
	}
	good := withAuth("postmark", "s3cret-webhook-pass")
	if code := post(t, withAuth("postmark", "guess"), bounce(1, "HardBounce", 1, "gone@example.org"), nil); code != http.StatusUnauthorized {
		t.Errorf("wrong password: %d, want 401", code)
	}
	if code := post(t, base+"/webhooks/postmark", bounce(1, "HardBounce", 1, "gone@example.org"), nil); code != http.StatusUnauthorized {
		t.Errorf("no credentials: %d, want 401", code)
	}
	if s := status(t, st, "gone@example.org"); s != digest.StatusConfirmed {
		t.Fatalf("after refused requests: %s", s)
	}
	for _, b := range [][]byte{bounce(1, "HardBounce", 1, "gone@example.org"), bounce(2, "SoftBounce", 4096, "full@example.org"),
		bounce(2, "SoftBounce", 4096, "full@example.org"),
		[]byte(`{"RecordType":"SpamComplaint","MessageStream":"broadcast","ID":3,"Type":"SpamComplaint","TypeCode":512,` +
			`"Name":"Spam complaint","Tag":"","MessageID":"00000000-0000-0000-0000-000000000000","ServerID":1234,` +
			`"Description":"The subscriber explicitly marked this message as spam.","Details":"Test spam complaint details",` +
			`"Email":"angry@example.org","From":"wrap@example.org","BouncedAt":"2026-12-05T16:33:54.9070259Z","DumpAvailable":true,` +
			`"Inactive":true,"CanActivate":false,"Subject":"The Weekly Wrap #12"}`),
		[]byte(`{"RecordType":"Delivery","ServerID":23,"MessageStream":"broadcast","MessageID":"883953f4","Recipient":"full@example.org","DeliveredAt":"2026-12-05T16:33:54Z"}`),
	} {
		if code := post(t, good, b, nil); code != http.StatusNoContent {
			t.Errorf("%.60s: %d", b, code)
		}
	}
	if s := status(t, st, "gone@example.org"); s != digest.StatusSuppressed {
		t.Errorf("hard bounce: %s", s)
	}
	if s := status(t, st, "angry@example.org"); s != digest.StatusSuppressed {
		t.Errorf("complaint: %s", s)
	}
	if s := status(t, st, "full@example.org"); s != digest.StatusConfirmed {
		t.Errorf("soft bounce: %s", s)
	}
	checkCounts(t, st, map[string]int{"postmark/complaint": 1, "postmark/hard_bounce": 1, "postmark/soft_bounce": 1})
	if ref.get("postmark/bad_signature") != 2 {
		t.Errorf("refusals %v", ref.m)
	}
}

// mailgunBody is a Mailgun webhook as its documentation shows one,
// signed with key (or not, when key is empty).
func mailgunBody(key string, ts time.Time, token, event, severity, email string) []byte {
	stamp := fmt.Sprint(ts.Unix())
	mac := hmac.New(sha256.New, []byte(key))
	mac.Write([]byte(stamp + token))
	return []byte(`{"signature":{"timestamp":"` + stamp + `","token":"` + token + `","signature":"` + hex.EncodeToString(mac.Sum(nil)) + `"},` +
		`"event-data":{"id":"G9Bn5sl1TC6nu79C8C0bwg","timestamp":` + fmt.Sprintf("%.6f", float64(ts.UnixMicro())/1e6) + `,"log-level":"error",` +
		`"event":"` + event + `","severity":"` + severity + `","reason":"bounce","recipient":"` + email + `","recipient-domain":"example.org",` +
		`"envelope":{"sender":"wrap@example.org","transport":"smtp","targets":"` + email + `"},` +
		`"delivery-status":{"attempt-no":1,"message":"","code":550,"description":"No such mailbox","session-seconds":0.1},` +
		`"message":{"headers":{"to":"` + email + `","message-id":"20261205.1@example.org","from":"wrap@example.org","subject":"The Weekly Wrap #12"},"size":111}}}`)
}

func TestMailgun(t *testing.T) {
	st := testStore(t, "gone@example.org", "angry@example.org", "full@example.org", "other@example.org")
	const key = "key-3ax6xnjp29jd6fds4gc373sgvjxteol0"
	var ref refusals
	h, err := New(Options{Store: st, OnRefused: ref.add, Mailgun: Mailgun{SigningKey: key}})
	if err != nil {
		t.Fatal(err)
	}
	u := serve(t, h) + "/webhooks/mailgun"
	now := time.Now()
	tok := func(i int) string { return fmt.Sprintf("%050d", i) }
	for _, b := range [][]byte{
		mailgunBody(key, now, tok(1), "failed", "permanent", "gone@example.org"),
		mailgunBody(key, now, tok(2), "failed", "temporary", "full@example.org"),
		mailgunBody(key, now, tok(3), "complained", "", "angry@example.org"),
		mailgunBody(key, now, tok(4), "delivered", "", "other@example.org"),
	} {
		if code := post(t, u, b, nil); code != http.StatusNoContent {
			t.Errorf("%d for %.200s", code, b)
		}
	}
	// Forged: the wrong key; a stale timestamp; a captured signature (its
	// token used) replayed with another recipient.
	if code := post(t, u, mailgunBody("key-wrong", now, tok(5), "failed", "permanent", "other@example.org"), nil); code != http.StatusForbidden {
		t.Errorf("wrong key: %d, want 403", code)
	}
	if code := post(t, u, mailgunBody(key, now.Add(-3*time.Hour), tok(6), "failed", "permanent", "other@example.org"), nil); code != http.StatusForbidden {
		t.Errorf("stale: %d, want 403", code)
	}
	if code := post(t, u, mailgunBody(key, now, tok(1), "failed", "permanent", "other@example.org"), nil); code != http.StatusNoContent {
		t.Errorf("replayed token: %d", code)
	}
	if s := status(t, st, "other@example.org"); s != digest.StatusConfirmed {
		t.Errorf("after forgeries and a replay: %s, want confirmed", s)
	}
	checkStatuses(t, st, map[string]digest.SubscriberStatus{"gone@example.org": digest.StatusSuppressed,
		"angry@example.org": digest.StatusSuppressed, "full@example.org": digest.StatusConfirmed})
	checkCounts(t, st, map[string]int{"mailgun/complaint": 1, "mailgun/hard_bounce": 1, "mailgun/soft_bounce": 1})
	if ref.get("mailgun/bad_signature") != 1 || ref.get("mailgun/stale") != 1 {
		t.Errorf("refusals %v", ref.m)
	}
}

func TestSendGrid(t *testing.T) {
	st := testStore(t, "gone@example.org", "angry@example.org", "full@example.org", "blocked@example.org", "other@example.org")
	priv, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	der, _ := x509.MarshalPKIXPublicKey(&priv.PublicKey)
	var ref refusals
	h, err := New(Options{Store: st, OnRefused: ref.add, SendGrid: SendGrid{PublicKey: base64.StdEncoding.EncodeToString(der)}})
	if err != nil {
		t.Fatal(err)
	}
	u := serve(t, h) + "/webhooks/sendgrid"
	sign := func(ts time.Time, body []byte) map[string]string {
		stamp := fmt.Sprint(ts.Unix())
		sum := sha256.Sum256(append([]byte(stamp), body...))
		sig, err := ecdsa.SignASN1(rand.Reader, priv, sum[:])
		if err != nil {
			t.Fatal(err)
		}
		return map[string]string{sendgridSignatureHeader: base64.StdEncoding.EncodeToString(sig), sendgridTimestampHeader: stamp}
	}
	now := time.Now()
	// A batch as SendGrid's event webhook reference shows its events.
	batch := []byte(fmt.Sprintf(`[
{"email":"gone@example.org","timestamp":%[1]d,"smtp-id":"<14c5d75ce93.dfd.64b469@ismtpd-555>","event":"bounce","category":["digest"],
 "sg_event_id":"6g4ZI7SA-xmRDv57GoPIPw==","sg_message_id":"14c5d75ce93.dfd.64b469.filter0001.16648.5515E0B88.0","reason":"500 unknown recipient",
 "status":"5.0.0","type":"bounce","bounce_classification":"Invalid Address"},
{"email":"blocked@example.org","timestamp":%[1]d,"event":"bounce","sg_event_id":"b2","sg_message_id":"m2","reason":"550 blocked","status":"5.7.1","type":"blocked"},
{"email":"full@example.org","timestamp":%[1]d,"event":"deferred","sg_event_id":"d3","sg_message_id":"m3","response":"400 try again later","attempt":"5"},
{"email":"angry@example.org","timestamp":%[1]d,"event":"spamreport","sg_event_id":"s4","sg_message_id":"m4"},
{"email":"other@example.org","timestamp":%[1]d,"event":"delivered","sg_event_id":"x5","sg_message_id":"m5","response":"250 OK"},
{"email":"other@example.org","timestamp":%[1]d,"event":"open","sg_event_id":"x6","sg_message_id":"m5","useragent":"Mozilla/4.0","ip":"255.255.255.255"}
]`, now.Unix()))
	hdr := sign(now, batch)
	if code := post(t, u, batch, hdr); code != http.StatusNoContent {
		t.Fatalf("signed batch: %d", code)
	}
	// The same batch again: nothing new.
	if code := post(t, u, batch, hdr); code != http.StatusNoContent {
		t.Fatalf("replayed batch: %d", code)
	}
	// Forged: the body changed after signing, a header missing, an old
	// timestamp signed properly.
	evil := bytes.Replace(batch, []byte("blocked@example.org"), []byte("other@example.org"), 1)
	evil = bytes.Replace(evil, []byte(`"sg_event_id":"b2"`), []byte(`"sg_event_id":"b9"`), 1)
	if code := post(t, u, evil, hdr); code != http.StatusForbidden {
		t.Errorf("body changed after signing: %d, want 403", code)
	}
	if code := post(t, u, evil, map[string]string{sendgridTimestampHeader: hdr[sendgridTimestampHeader]}); code != http.StatusForbidden {
		t.Errorf("no signature: %d, want 403", code)
	}
	if code := post(t, u, evil, sign(now.Add(-2*time.Hour), evil)); code != http.StatusForbidden {
		t.Errorf("two hours old: %d, want 403", code)
	}
	checkStatuses(t, st, map[string]digest.SubscriberStatus{"gone@example.org": digest.StatusSuppressed,
		"angry@example.org": digest.StatusSuppressed, "full@example.org": digest.StatusConfirmed,
		"blocked@example.org": digest.StatusConfirmed, "other@example.org": digest.StatusConfirmed})
	checkCounts(t, st, map[string]int{"sendgrid/complaint": 1, "sendgrid/hard_bounce": 1, "sendgrid/soft_bounce": 2})
	if ref.get("sendgrid/bad_signature") != 2 || ref.get("sendgrid/stale") != 1 {
		t.Errorf("refusals %v", ref.m)
	}
	if _, err := New(Options{Store: st, SendGrid: SendGrid{PublicKey: "not a key"}}); err == nil || !strings.Contains(err.Error(), "feedback.sendgrid.public_key") {
		t.Errorf("a bad key: %v", err)
	}
}

// Providers left unconfigured have no endpoint; GET is refused.
func TestWebhookRoutes(t *testing.T) {
	st := testStore(t)
	h, err := New(Options{Store: st, Mailgun: Mailgun{SigningKey: "k"}})
	if err != nil {
		t.Fatal(err)
	}
	base := serve(t, h)
	if code := post(t, base+"/webhooks/sendgrid", []byte("[]"), nil); code != http.StatusNotFound {
		t.Errorf("unconfigured provider: %d, want 404", code)
	}
	resp, err := http.Get(base + "/webhooks/mailgun")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("GET: %d, want 405", resp.StatusCode)
	}
	if got := h.Enabled(); fmt.Sprint(got) != "[mailgun]" {
		t.Errorf("enabled %v", got)
	}
}

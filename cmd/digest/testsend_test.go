package main

import (
	"context"
	"errors"
	"io"
	"net/http"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/weeklywrap/digest/digest"
)

func get(t *testing.T, method, u string) (int, string) {
	t.Helper()
	var body io.Reader
	if method == http.MethodPost {
		body = strings.NewReader("List-Unsubscribe=One-Click")
	}
	req, _ := http.NewRequest(method, u, body)
	if body != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

var (
	viewLink  = regexp.MustCompile(`href="([^"]+)"[^>]*>View this issue in your browser`)
	prefsLine = regexp.MustCompile(`Manage your preferences:\r?\n(\S+)`)
	unsubLine = regexp.MustCompile(`Unsubscribe:\r?\n(\S+)`)
)

// headerNames lists the headers of a message that are not about the
// recipient or the moment (To, Date, Message-ID and the like).
func headerNames(h map[string][]string) []string {
	var out []string
	for k := range h {
		switch k {
		case "To", "Date", "Message-Id", "Message-ID", "Received", "Return-Path":
			continue
		}
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// `send --to` mails what subscribers will get: the same subject and
// headers, List-Unsubscribe included, and links that work: "view in
// browser" shows the copy, preferences and unsubscribe say they belong to
// a test and change nothing. No issue is stored, nobody is added.
func TestTestSendIsAFaithfulCopy(t *testing.T) {
	e, base, a := siteEnv(t)
	ctx := context.Background()
	start := time.Now()
	c := startChild(t, cliBinary(t), e.config, "send", "--to", "Tess Ter <Tester@Example.org>")
	if err := c.wait(t, 120*time.Second); err != nil || !strings.Contains(c.out.String(), "sent a test of issue #1") {
		t.Fatalf("send --to: %v\n%s", err, c.out)
	}
	took := time.Since(start)
	if n := e.mp.WaitCount(t, 1, 10*time.Second); n != 1 {
		t.Fatalf("Mailpit holds %d messages", n)
	}
	test := e.mp.Message(t, e.mp.Messages(t)[0].ID)
	th := headerNames(e.mp.Headers(t, test.ID))
	if test.To[0].Address != "tester@example.org" || test.To[0].Name != "Tess Ter" {
		t.Errorf("to %+v", test.To)
	}
	lu := test.ListUnsubscribe
	if lu.HeaderPost != "List-Unsubscribe=One-Click" || len(lu.Links) != 1 || lu.Errors != "" || !strings.HasPrefix(lu.Links[0], base+"/test/") {
		t.Errorf("List-Unsubscribe of the test: %+v", lu)
	}

	m := viewLink.FindStringSubmatch(test.HTML)
	if m == nil {
		t.Fatal("no view-in-browser link in the HTML part")
	}
	code, page := get(t, http.MethodGet, strings.ReplaceAll(m[1], "&amp;", "&"))
	if code != 200 || !strings.Contains(page, "Test copy") || !strings.Contains(norm(page), norm(seedTitle)) {
		t.Errorf("view in browser %s: %d; want the copy, marked as a test", m[1], code)
	}
	prefs, unsub := prefsLine.FindStringSubmatch(test.Text), unsubLine.FindStringSubmatch(test.Text)
	if prefs == nil || unsub == nil {
		t.Fatalf("text part lacks the preferences or unsubscribe link:\n%s", test.Text)
	}
	if len(lu.Links) == 0 || unsub[1] != lu.Links[0] {
		t.Errorf("unsubscribe link %s differs from List-Unsubscribe %v", unsub[1], lu.Links)
	}
	for _, c := range []struct{ method, url, want string }{
		{http.MethodGet, prefs[1], "preferences"},
		{http.MethodGet, unsub[1], "unsubscribes them"},
		{http.MethodPost, unsub[1], "nothing was changed"}, // RFC 8058 one-click, as a mail provider posts it
	} {
		code, page := get(t, c.method, c.url)
		if code != 200 || !strings.Contains(page, "test message") || !strings.Contains(page, c.want) {
			t.Errorf("%s %s: %d; want a page saying it belongs to a test:\n%s", c.method, c.url, code, page)
		}
	}
	if code, _ := get(t, http.MethodGet, base+"/test/0123456789abcdef0123456789abcdef/preferences"); code != http.StatusNotFound {
		t.Errorf("an unknown test key: status %d, want 404", code)
	}

	st, err := a.openStore(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if n, _ := st.NextIssueNumber(ctx); n != 1 {
		t.Errorf("the test send stored an issue (next number %d)", n)
	}
	if _, err := st.SubscriberByEmail(ctx, "tester@example.org"); !errors.Is(err, digest.ErrNotFound) {
		t.Errorf("the test address was added to the list: %v", err)
	}

	t.Logf("send --to in %.1f s (the issue built included), peak RSS %.0f MB; view, preferences, unsubscribe and one-click links answered", took.Seconds(), c.rssMB())

	// The real send: the subscriber's copy has the same subject and headers.
	e.mp.DeleteAll(t)
	e.mustRun(t, "subscribers", "add", "reader@example.org")
	e.mustRun(t, "send")
	if n := e.mp.WaitCount(t, 1, 10*time.Second); n != 1 {
		t.Fatalf("issue: Mailpit holds %d messages", n)
	}
	real := e.mp.Message(t, e.mp.Messages(t)[0].ID)
	if real.Subject != test.Subject {
		t.Errorf("subject %q, the test had %q", real.Subject, test.Subject)
	}
	rh := headerNames(e.mp.Headers(t, real.ID))
	if strings.Join(rh, ",") != strings.Join(th, ",") {
		t.Errorf("headers differ:\nsubscriber: %v\ntest:       %v", rh, th)
	}
}

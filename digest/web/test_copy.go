package web

import (
	"net/http"
	"strings"

	"github.com/weeklywrap/digest/digest/route"
)

// The pages the links of a test send (`digest send --to`) lead to, under
// /test/{key}/: the key names a copy kept in the store for 30 days. They
// belong to no subscriber, so they change nothing and say so.

// testBanner is put at the top of a test copy's page.
const testBanner = `<div role="note" style="font-family:sans-serif;font-size:14px;background:#fff8c5;color:#1f2328;border-bottom:1px solid #d4a72c;padding:10px 16px;text-align:center">` +
	`Test copy, sent with <code>digest send --to</code>. Subscribers get this issue once it is sent; its number may still change.</div>`

// showTestCopy is the test copy's "view in browser" page.
func (s *Server) showTestCopy(w http.ResponseWriter, r *http.Request) {
	html, err := s.Store.TestCopy(r.Context(), r.PathValue("key"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	// After the opening body tag, or first when the template has none.
	at := 0
	if i := strings.Index(strings.ToLower(html), "<body"); i >= 0 {
		if j := strings.IndexByte(html[i:], '>'); j >= 0 {
			at = i + j + 1
		}
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	_, _ = w.Write([]byte(html[:at] + testBanner + html[at:]))
}

// showTestLink answers the preferences and unsubscribe links of a test
// copy (GET, and the one-click POST) without changing anything.
func (s *Server) showTestLink(w http.ResponseWriter, r *http.Request) {
	if _, err := s.Store.TestCopy(r.Context(), r.PathValue("key")); err != nil {
		s.fail(w, r, err)
		return
	}
	what := "This link comes from a test message (sent with digest send --to), which belongs to no subscriber: nothing was changed. "
	if strings.HasSuffix(r.URL.Path, route.Preferences) {
		what += "In a subscriber's copy this link opens their preferences: name, topics, pause."
	} else {
		what += "In a subscriber's copy this link unsubscribes them, with one click from the mail program or with the button on this page."
	}
	s.render(w, http.StatusOK, "message", page{Title: "Test message", Message: what, Link: route.Home, LinkText: "Go to the home page"})
}

// testHome sends the test copy's "subscribe" link to the real home page.
func (s *Server) testHome(w http.ResponseWriter, r *http.Request) {
	http.Redirect(w, r, route.Home, http.StatusSeeOther)
}

package render

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/wneessen/go-mail"

	"github.com/weeklywrap/digest/internal/mailpittest"
)

// TestMailpit sends the 30-story issue, lead images on, through a real Mailpit and asks its
// HTML check (caniemail data) and link check about it. Links point at a
// local server, so the link check needs --allow-internal-http-requests.
func TestMailpit(t *testing.T) {
	if testing.Short() {
		t.Skip("starts Mailpit")
	}
	mp := mailpittest.Start(t, "--allow-internal-http-requests")
	site := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintln(w, "ok")
	}))
	defer site.Close()

	is := bigIssue(30)
	for i := range is.Top {
		a := &is.Top[i].Article
		a.URL = localURL(t, site.URL, a.URL)
		if a.Image == nil {
			t.Fatalf("top story %d has no lead image: the check must see images on", i)
		}
		a.Image.URL = localURL(t, site.URL, a.Image.URL)
	}
	for s := range is.Sections {
		for i := range is.Sections[s].Entries {
			a := &is.Sections[s].Entries[i].Article
			a.URL = localURL(t, site.URL, a.URL)
		}
	}
	for i := range is.MostDiscussed {
		is.MostDiscussed[i].Article.URL = localURL(t, site.URL, is.MostDiscussed[i].Article.URL)
	}
	r := newRenderer(t, site.URL)
	p, err := r.Prepare(is)
	if err != nil {
		t.Fatal(err)
	}
	pe := Personal{
		Name:           "Ann",
		Email:          "ann@example.com",
		UnsubscribeURL: site.URL + "/unsubscribe?t=abc",
		PreferencesURL: site.URL + "/preferences?t=abc",
	}

	m := mail.NewMsg()
	if err := m.From("wrap@example.com"); err != nil {
		t.Fatal(err)
	}
	if err := m.To(pe.Email); err != nil {
		t.Fatal(err)
	}
	m.Subject(p.Subject())
	m.SetBodyString(mail.TypeTextPlain, p.Text(pe))
	m.AddAlternativeString(mail.TypeTextHTML, p.HTML(pe))
	c, err := mail.NewClient(mp.SMTPHost, mail.WithPort(mp.SMTPPort), mail.WithTLSPolicy(mail.NoTLS))
	if err != nil {
		t.Fatal(err)
	}
	if err := c.DialAndSend(m); err != nil {
		t.Fatalf("send: %v", err)
	}
	if n := mp.WaitCount(t, 1, 10*time.Second); n != 1 {
		t.Fatalf("mailpit holds %d messages, want 1", n)
	}
	id := mp.Messages(t)[0].ID
	got := mp.Message(t, id)
	if got.Subject != p.Subject() {
		t.Errorf("subject in Mailpit = %q, want %q", got.Subject, p.Subject())
	}
	// Mail travels with CRLF line ends.
	if !strings.Contains(strings.ReplaceAll(got.Text, "\r\n", "\n"), "\nHi Ann,\n") || !strings.Contains(got.HTML, "Hi Ann,") {
		t.Errorf("Mailpit's copy lacks the greeting in one of the parts")
	}

	var hc struct {
		Total struct {
			Nodes, Tests                    int
			Supported, Partial, Unsupported float64
		}
		Warnings []struct {
			Slug, Title string
			Score       struct {
				Found                           int
				Supported, Partial, Unsupported float64
			}
		}
	}
	mp.GetJSON(t, "/api/v1/message/"+id+"/html-check", &hc)
	t.Logf("html-check: supported %.2f%%, partial %.2f%%, unsupported %.2f%%, %d nodes",
		hc.Total.Supported, hc.Total.Partial, hc.Total.Unsupported, hc.Total.Nodes)
	for _, w := range hc.Warnings {
		t.Logf("  %-28s found %3d  partial %5.1f%%  unsupported %5.1f%%", w.Slug, w.Score.Found, w.Score.Partial, w.Score.Unsupported)
	}
	if hc.Total.Supported < 97 {
		t.Errorf("html-check Total.Supported = %.2f%%, want at least 97%%", hc.Total.Supported)
	}

	var lc struct {
		Errors int
		Links  []struct {
			URL        string
			StatusCode int
			Status     string
		}
	}
	mp.GetJSON(t, "/api/v1/message/"+id+"/link-check", &lc)
	if lc.Errors != 0 {
		for _, l := range lc.Links {
			if l.StatusCode != 200 {
				t.Logf("  %d %s %s", l.StatusCode, l.Status, l.URL)
			}
		}
		t.Errorf("link-check found %d broken links", lc.Errors)
	}
	if want := len(p.variants[15].html.lits); len(lc.Links) < 30 {
		t.Errorf("link-check saw %d links, want at least 30 (%d)", len(lc.Links), want)
	}
	t.Logf("link-check: %d links, %d errors", len(lc.Links), lc.Errors)
}

// localURL moves an article URL onto the local test server, keeping its path.
func localURL(t *testing.T, base, raw string) string {
	t.Helper()
	u, err := url.Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	return base + u.Path + "?src=" + strconv.Quote(u.Host)[1:len(u.Host)+1]
}

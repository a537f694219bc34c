package feed

import (
	"context"
	"net/http"
	"os"
	"path/filepath"
	"testing"
	"time"
)

func TestFreshnessHeaders(t *testing.T) {
	now := time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)
	for _, c := range []struct {
		v    string
		want time.Duration
	}{
		{"120", 2 * time.Minute},
		{"Thu, 26 Nov 2026 12:30:00 GMT", 30 * time.Minute},
		{"99999999", maxFresh},
		{"-5", 0},
		{"soon", 0},
	} {
		if got := retryAfter(c.v, now); got != c.want {
			t.Errorf("retryAfter(%q) = %v, want %v", c.v, got, c.want)
		}
	}
	for _, c := range []struct {
		v    string
		want time.Duration
	}{
		{"public, max-age=600", 10 * time.Minute},
		{"max-age=60, s-maxage=300", 5 * time.Minute},
		{"no-cache, max-age=600", 0},
		{"max-age=31536000", maxFresh},
		{"", 0},
	} {
		h := http.Header{}
		h.Set("Cache-Control", c.v)
		if got := maxAge(h); got != c.want {
			t.Errorf("maxAge(%q) = %v, want %v", c.v, got, c.want)
		}
	}
}

func TestSharedLinkOutsideWindow(t *testing.T) {
	doc := `<rss version="2.0"><channel><title>S</title>
<item><guid>new</guid><link>https://site.example/x</link><pubDate>Mon, 23 Nov 2026 10:00:00 GMT</pubDate></item>
<item><guid>old</guid><link>https://site.example/x</link><pubDate>Mon, 02 Nov 2026 10:00:00 GMT</pubDate></item>
</channel></rss>`
	path := filepath.Join(t.TempDir(), "feed.xml")
	if err := os.WriteFile(path, []byte(doc), 0o644); err != nil {
		t.Fatal(err)
	}
	until := time.Date(2026, 11, 26, 0, 0, 0, 0, time.UTC)
	r := NewFetcher(testLimits(), nil, nil).Fetch(context.Background(), Options{Name: "w", URL: path}, until.AddDate(0, 0, -7), until)
	if r.Err != nil || len(r.Articles) != 1 || r.Articles[0].ID != path+"#new" {
		t.Errorf("got %v %+v; want only the new item, identified by its GUID since the old one shares its link", r.Err, r.Articles)
	}
}

package main

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// A feed item's lead image (media:content) goes all the way into the
// email beside its story when that story leads the issue; with
// newsletter.images false the email has no image at all.
func TestLeadImageReachesTheEmail(t *testing.T) {
	pub := time.Now().Add(-2 * time.Hour).UTC().Format(time.RFC1123Z)
	rss := fmt.Sprintf(`<?xml version="1.0"?>
<rss version="2.0" xmlns:media="http://search.yahoo.com/mrss/"><channel><title>Harbour News</title><link>https://pics.example.org/</link>
<item><title>The ferries now run every half hour</title><link>https://pics.example.org/ferry</link><pubDate>%s</pubDate>
<description>The three councils agreed to share their ferries after a long dispute about costs. The first joint timetable starts in spring, with crossings every half hour at peak times.</description>
<media:content url="https://cdn.example.org/ferry.jpg" medium="image" width="1200" height="900"><media:title>A ferry at dawn</media:title></media:content></item>
</channel></rss>`, pub)
	feed := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/rss+xml")
		_, _ = w.Write([]byte(rss))
	}))
	defer feed.Close()
	e := newEnv(t, envOpts{ExtraFeeds: []string{feed.URL + "/feed.xml"}})
	cfg, err := os.ReadFile(e.config)
	if err != nil {
		t.Fatal(err)
	}
	cfg = append(cfg, "curate:\n  pinned: [\"https://pics.example.org/ferry\"]\n"...)
	if err := os.WriteFile(e.config, cfg, 0o644); err != nil {
		t.Fatal(err)
	}
	issueHTML := func() string {
		e.mustRun(t, "preview")
		b, err := os.ReadFile(filepath.Join(e.dir, "out", "issue.html"))
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	h := issueHTML()
	if want := `<img src="https://cdn.example.org/ferry.jpg" width="120" height="90" alt="A ferry at dawn"`; !strings.Contains(h, want) {
		t.Fatalf("the email lacks the feed's lead image %s", want)
	}
	if n := strings.Count(h, "<img "); n != 1 {
		t.Errorf("%d images, want 1: only the story whose feed names one", n)
	}
	off := strings.Replace(string(cfg), "newsletter:\n", "newsletter:\n  images: false\n", 1)
	if err := os.WriteFile(e.config, []byte(off), 0o644); err != nil {
		t.Fatal(err)
	}
	if h := issueHTML(); strings.Contains(h, "<img") || !strings.Contains(h, "The ferries now run every half hour") {
		t.Errorf("with images: false the email still has an image, or lost the story")
	}
}

package web

import (
	"context"
	"path/filepath"
	"regexp"
	"testing"
	"time"

	"github.com/weeklywrap/digest/digest/store"
	"github.com/weeklywrap/digest/digest/token"
)

// A site with no issue yet serves a feed updated now, not in 1970.
func TestEmptyFeedIsUpdatedNow(t *testing.T) {
	st, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "empty.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	tokens, _ := token.NewSigner("empty-feed-secret-0123456789")
	_, srv := serve(t, Options{Store: st, Tokens: tokens, Site: Site{Title: "W", BaseURL: "http://wrap.test"}})
	before := time.Now().UTC().Add(-time.Second)
	_, body, _ := get(t, srv.URL+"/feed.xml")
	m := regexp.MustCompile(`<updated>([^<]+)</updated>`).FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("feed has no <updated>:\n%s", body)
	}
	u, err := time.Parse(time.RFC3339, m[1])
	if err != nil || u.Before(before) || u.After(time.Now().Add(time.Second)) {
		t.Errorf("empty feed updated %q, want about now", m[1])
	}
}

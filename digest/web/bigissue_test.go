package web

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/weeklywrap/digest/digest"
	"github.com/weeklywrap/digest/digest/store"
	"github.com/weeklywrap/digest/digest/token"
)

// bigIssue is what curation makes of a 90,000-item feed: 30 stories shown,
// the rest left out with a reason.
func bigIssue(slot time.Time) digest.StoredIssue {
	is := digest.Issue{Slot: slot, WindowEnd: slot, Subject: "Wrap #1: the big week", Intro: "A week of many stories.", BuiltAt: slot}
	for i := range 90_000 {
		e := digest.Entry{Article: digest.Article{ID: fmt.Sprint(i), Title: fmt.Sprintf("Story %d", i), URL: fmt.Sprintf("http://b.example/%d", i),
			Paragraphs: []string{fmt.Sprintf("Word %d.", i%97)}}, Score: 1 / float64(i+1), Why: "below the cut of 30 stories"}
		if i < 30 {
			is.Top = append(is.Top, e)
		} else {
			is.Skipped = append(is.Skipped, e)
		}
	}
	return digest.StoredIssue{Issue: is, HTML: "<html><body>the big week</body></html>"}
}

// TestListingPagesReadOnlyWhatTheyList stores an issue built from a
// 90,000-item feed. The store keeps what the issue shows, not the 89,970
// stories left out, and the listing pages (/, /issues, /feed.xml) read
// only the columns they list: they work even when the issue's data cannot
// be decoded at all.
func TestListingPagesReadOnlyWhatTheyList(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "big.db")
	st, err := store.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	slot := time.Date(2026, 11, 23, 7, 0, 0, 0, time.UTC)
	if _, _, err := st.CreateIssue(ctx, bigIssue(slot), nil); err != nil {
		t.Fatal(err)
	}
	raw, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	var size int
	if err := raw.QueryRow(`SELECT length(data) FROM issues WHERE number = 1`).Scan(&size); err != nil {
		t.Fatal(err)
	}
	t.Logf("stored issue data: %d bytes", size)
	if size > 100_000 {
		t.Errorf("the stored issue holds %d bytes: the stories left out were kept", size)
	}
	got, err := st.IssueByNumber(ctx, 1)
	if err != nil || len(got.Skipped) != 0 || len(got.Top) != 30 {
		t.Fatalf("stored issue: %d shown, %d skipped, %v", len(got.Top), len(got.Skipped), err)
	}

	if _, err := raw.Exec(`UPDATE issues SET data = '{not json' WHERE number = 1`); err != nil {
		t.Fatal(err)
	}
	tokens, _ := token.NewSigner("big-issue-secret-0123456789")
	_, srv := serve(t, Options{Store: st, Tokens: tokens, Site: Site{Title: "W", BaseURL: "http://wrap.test"}})
	for _, page := range []string{"/", "/issues", "/feed.xml"} {
		if code, body, _ := get(t, srv.URL+page); code != 200 || !strings.Contains(body, "the big week") {
			t.Errorf("GET %s with the issue's data undecodable: %d", page, code)
		}
	}
	if _, body, _ := get(t, srv.URL+"/feed.xml"); !strings.Contains(body, "A week of many stories.") || !strings.Contains(body, "2026-11-23T07:00:00Z") {
		t.Errorf("feed.xml lacks the intro or the build time:\n%s", body)
	}
}

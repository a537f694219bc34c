package feed

import (
	"context"
	"os"
	"reflect"
	"testing"
	"time"

	"github.com/weeklywrap/digest/digest"
)

func TestCachedDocReuse(t *testing.T) {
	now := time.Date(2026, 11, 23, 7, 0, 0, 0, time.UTC)
	sp := span{since: now.AddDate(0, 0, -7), until: now, tooLate: now.Add(FutureSlack)}
	key := docKey(Options{Name: "n", URL: "https://a.example/feed"}, sp)
	doc := &document{title: "T", articles: []digest.Article{{ID: "x"}}, future: 1, firstFuture: now.Add(48 * time.Hour)}
	c := newCachedDoc(key, "10@1", sp, doc)
	later := sp
	later.tooLate = sp.tooLate.Add(time.Hour)
	tooLater := sp
	tooLater.tooLate = now.Add(72 * time.Hour)
	earlier := sp
	earlier.tooLate = sp.tooLate.Add(-time.Hour)
	for _, tc := range []struct {
		name       string
		key, stamp string
		sp         span
		want       bool
	}{
		{"same body, options and window", key, "10@1", sp, true},
		{"later fetch, future items still future", key, "10@1", later, true},
		{"a future item is due now", key, "10@1", tooLater, false},
		{"clock went back", key, "10@1", earlier, false},
		{"body replaced", key, "11@2", sp, false},
		{"no body", key, "", sp, false},
		{"other window", docKey(Options{Name: "n", URL: "https://a.example/feed"}, span{since: sp.until, until: sp.until.AddDate(0, 0, 7)}), "10@1", sp, false},
		{"other options", docKey(Options{Name: "m", URL: "https://a.example/feed"}, sp), "10@1", sp, false},
	} {
		got := c.reuse(tc.key, tc.stamp, tc.sp)
		if (got != nil) != tc.want {
			t.Errorf("%s: reused %v, want %v", tc.name, got != nil, tc.want)
		}
		if got != nil && (got.title != "T" || len(got.articles) != 1 || got.future != 1) {
			t.Errorf("%s: reused %+v", tc.name, got)
		}
	}
}

// A 304 reuses the last parse of an unchanged body for the same window,
// and parses again when the stored body changed.
func TestNotModifiedReusesParse(t *testing.T) {
	srv := newHostile(t)
	ctx := context.Background()
	o := Options{Name: "good", URL: srv.URL + "/ok.xml"}
	cache := DirCache{Dir: t.TempDir()}
	states := newMemStates()
	fetch := func() Result {
		f := NewFetcher(testLimits(), states, nil).WithCache(cache)
		return f.Fetch(ctx, o, time.Time{}, time.Time{})
	}
	first := fetch()
	if first.Status != 200 || len(first.Articles) != 2 {
		t.Fatalf("first fetch: status %d, %d articles, err %v", first.Status, len(first.Articles), first.Err)
	}
	if _, err := os.Stat(cache.docPath(o.URL)); err != nil {
		t.Fatalf("no parse outcome kept after a 200: %v", err)
	}
	again := fetch()
	if again.Status != 304 || again.Title != first.Title || !again.Newest.Equal(first.Newest) ||
		!reflect.DeepEqual(again.Articles, first.Articles) {
		t.Fatalf("304 from the kept parse differs from the 200:\n%+v\n%+v", again, first)
	}

	// A planted outcome with the right key and stamp is what a 304 returns.
	sp := span{}
	planted := &document{title: "Planted", articles: []digest.Article{{ID: "p", Title: "planted"}}}
	if err := cache.storeDoc(o.URL, newCachedDoc(docKey(o, sp), cache.bodyStamp(o.URL), sp, planted)); err != nil {
		t.Fatal(err)
	}
	if r := fetch(); r.Status != 304 || len(r.Articles) != 1 || r.Articles[0].Title != "planted" {
		t.Fatalf("304 did not reuse the kept parse: status %d, %+v", r.Status, r.Articles)
	} else if r.Articles[0].Categories == nil {
		t.Error("reused article lost its (empty) category list")
	}

	// A new body invalidates it: the 304 parses the stored body again.
	time.Sleep(10 * time.Millisecond) // a distinct modification time
	one := rssDoc("Good", [2]string{"z", "Mon, 02 Nov 2026 09:00:00 GMT"})
	if err := cache.StoreBody(o.URL, []byte(one), "application/rss+xml"); err != nil {
		t.Fatal(err)
	}
	if r := fetch(); r.Status != 304 || len(r.Articles) != 1 || r.Articles[0].Title != "Item z" {
		t.Fatalf("304 after the body changed: status %d, %+v", r.Status, r.Articles)
	}
}

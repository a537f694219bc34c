package feed

import (
	"bytes"
	"context"
	"os"
	"reflect"
	"testing"
	"time"

	"github.com/weeklywrap/digest/digest"
	"github.com/weeklywrap/digest/digest/source/feedparse"
)

func TestCachedDocReuse(t *testing.T) {
	now := time.Date(2026, 11, 23, 7, 0, 0, 0, time.UTC)
	sp := feedparse.Span{Since: now.AddDate(0, 0, -7), Until: now, TooLate: now.Add(FutureSlack)}
	key := docKey(Options{Name: "n", URL: "https://a.example/feed"}, sp)
	doc := &feedparse.Document{Title: "T", Articles: []digest.Article{{ID: "x"}}, Future: 1, FirstFuture: now.Add(48 * time.Hour)}
	c := newCachedDoc(key, sp, doc)
	later := sp
	later.TooLate = sp.TooLate.Add(time.Hour)
	tooLater := sp
	tooLater.TooLate = now.Add(72 * time.Hour)
	earlier := sp
	earlier.TooLate = sp.TooLate.Add(-time.Hour)
	for _, tc := range []struct {
		name string
		key  string
		sp   feedparse.Span
		want bool
	}{
		{"same options and window", key, sp, true},
		{"later fetch, future items still future", key, later, true},
		{"a future item is due now", key, tooLater, false},
		{"clock went back", key, earlier, false},
		{"other window", docKey(Options{Name: "n", URL: "https://a.example/feed"}, feedparse.Span{Since: sp.Until, Until: sp.Until.AddDate(0, 0, 7)}), sp, false},
		{"other options", docKey(Options{Name: "m", URL: "https://a.example/feed"}, sp), sp, false},
	} {
		got := c.reuse(tc.key, tc.sp)
		if (got != nil) != tc.want {
			t.Errorf("%s: reused %v, want %v", tc.name, got != nil, tc.want)
		}
		if got != nil && (got.Title != "T" || len(got.Articles) != 1 || got.Future != 1) {
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
	if d, err := cache.loadDoc(o.URL); err != nil || d == nil || len(d.Articles) != 2 {
		t.Fatalf("no parse kept with the body after a 200: %+v, %v", d, err)
	}
	again := fetch()
	if again.Status != 304 || again.Title != first.Title || !again.Newest.Equal(first.Newest) ||
		!reflect.DeepEqual(again.Articles, first.Articles) {
		t.Fatalf("304 from the kept parse differs from the 200:\n%+v\n%+v", again, first)
	}

	// A planted outcome with the right key and stamp is what a 304 returns.
	sp := feedparse.Span{}
	planted := &feedparse.Document{Title: "Planted", Articles: []digest.Article{{ID: "p", Title: "planted"}}}
	body, ct, _, _ := cache.LoadBody(o.URL)
	if err := cache.storeBodyDoc(o.URL, body, ct, newCachedDoc(docKey(o, sp), sp, planted)); err != nil {
		t.Fatal(err)
	}
	if b2, ct2, ok, err := cache.LoadBody(o.URL); !ok || err != nil || !bytes.Equal(b2, body) || ct2 != ct {
		t.Fatalf("body read back with a kept parse: %q %q %v %v", b2, ct2, ok, err)
	}
	if r := fetch(); r.Status != 304 || len(r.Articles) != 1 || r.Articles[0].Title != "planted" {
		t.Fatalf("304 did not reuse the kept parse: status %d, %+v", r.Status, r.Articles)
	} else if r.Articles[0].Categories == nil {
		t.Error("reused article lost its (empty) category list")
	}

	// A new body drops it: the 304 parses the stored body again.
	one := rssDoc("Good", [2]string{"z", "Mon, 02 Nov 2026 09:00:00 GMT"})
	if err := cache.StoreBody(o.URL, []byte(one), "application/rss+xml"); err != nil {
		t.Fatal(err)
	}
	if r := fetch(); r.Status != 304 || len(r.Articles) != 1 || r.Articles[0].Title != "Item z" {
		t.Fatalf("304 after the body changed: status %d, %+v", r.Status, r.Articles)
	}
}

// Cache files written before the kept parse existed still give their body.
func TestDirCacheFirstFormat(t *testing.T) {
	cache := DirCache{Dir: t.TempDir()}
	url := "https://a.example/feed"
	body := rssDoc("Old", [2]string{"a", ""})
	if err := os.WriteFile(cache.path(url), []byte(url+"\napplication/rss+xml\n"+body), 0o644); err != nil {
		t.Fatal(err)
	}
	got, ct, ok, err := cache.LoadBody(url)
	if !ok || err != nil || string(got) != body || ct != "application/rss+xml" {
		t.Errorf("LoadBody: %q %q %v %v", got, ct, ok, err)
	}
	if d, err := cache.loadDoc(url); d != nil || err != nil {
		t.Errorf("loadDoc of a first-format file: %+v, %v; want none", d, err)
	}
	if !cache.hasBody(url) || cache.hasBody(url+"x") {
		t.Error("hasBody wrong")
	}
}

// Check on a 304 takes the feed's figures from the parse kept in the
// cache, whatever window that parse was for, and parses nothing: a planted
// outcome with another window's key is what it reports.
func TestCheckOnNotModifiedParsesNothing(t *testing.T) {
	srv := newHostile(t)
	ctx := context.Background()
	o := Options{Name: "good", URL: srv.URL + "/ok.xml"}
	cache := DirCache{Dir: t.TempDir()}
	states := newMemStates()
	newFetcher := func() *Fetcher { return NewFetcher(testLimits(), states, nil).WithCache(cache) }
	first := newFetcher().Check(ctx, o)
	if first.Status != 200 || first.Items != 2 || first.Articles != nil {
		t.Fatalf("first check: status %d, %d items, %d articles, err %v; want 200, 2 items and no articles kept",
			first.Status, first.Items, len(first.Articles), first.Err)
	}
	now := time.Now()
	sp := feedparse.Span{Since: now.AddDate(0, 0, -7), Until: now, TooLate: now.Add(FutureSlack)}
	planted := &feedparse.Document{Title: "Planted", Items: 41, Newest: now.Add(-time.Hour)}
	body, ct, _, _ := cache.LoadBody(o.URL)
	if err := cache.storeBodyDoc(o.URL, body, ct, newCachedDoc(docKey(o, sp), sp, planted)); err != nil {
		t.Fatal(err)
	}
	again := newFetcher().Check(ctx, o)
	if again.Status != 304 || again.Title != "Planted" || again.Items != 41 || !again.Newest.Equal(planted.Newest) {
		t.Fatalf("check on 304: status %d, title %q, %d items, newest %v; want the planted figures without a parse",
			again.Status, again.Title, again.Items, again.Newest)
	}
	// A fetch for articles still parses for its own window.
	if r := newFetcher().Fetch(ctx, o, time.Time{}, time.Time{}); r.Status != 304 || len(r.Articles) != 2 {
		t.Errorf("fetch after the check: status %d, %d articles; want 304 and the feed's 2", r.Status, len(r.Articles))
	}
}

// FetchAll over a store that reads and writes states in bulk reads them
// once before and writes them once after, never one per feed, and the
// second run still sends the validators (all 304).
func TestFetchAllSavesStatesTogether(t *testing.T) {
	srv := newHostile(t)
	ctx := context.Background()
	feeds := []Options{{Name: "a", URL: srv.URL + "/ok.xml"}, {Name: "b", URL: srv.URL + "/ok.xml?b"}}
	states := &batchMemStates{memStates: newMemStates()}
	cache := DirCache{Dir: t.TempDir()}
	for run, want := range []int{200, 304} {
		rs := NewFetcher(testLimits(), states, nil).WithCache(cache).FetchAll(ctx, feeds, time.Time{}, time.Time{}, nil)
		for _, r := range rs {
			if r.Err != nil || r.StateErr != nil || r.Status != want || len(r.Articles) != 2 {
				t.Fatalf("run %d, %s: status %d, %d articles, %v, %v; want %d", run, r.Feed.Name, r.Status, len(r.Articles), r.Err, r.StateErr, want)
			}
		}
	}
	if states.single != 0 || states.bulkReads != 2 || states.bulkWrites != 2 {
		t.Errorf("%d single reads or writes, %d bulk reads, %d bulk writes; want 0, 2, 2", states.single, states.bulkReads, states.bulkWrites)
	}
}

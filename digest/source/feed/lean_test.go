package feed

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/mmcdole/gofeed"
)

func TestDeclareUTF8(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{`<?xml version="1.0" encoding="ISO-8859-1"?><rss/>`, `<?xml version="1.0" encoding="utf-8"?><rss/>`},
		{` <?xml version='1.0' encoding='windows-1252' ?><feed/>`, ` <?xml version='1.0' encoding="utf-8" ?><feed/>`},
		{`<?xml version="1.0" encoding="UTF-8"?><rss/>`, `<?xml version="1.0" encoding="UTF-8"?><rss/>`},
		{`<?xml version="1.0"?><rss/>`, `<?xml version="1.0"?><rss/>`},
		{`<rss encoding="latin1"/>`, `<rss encoding="latin1"/>`},
		{``, ``},
	} {
		if got := string(declareUTF8([]byte(tc.in))); got != tc.want {
			t.Errorf("declareUTF8(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// The root is found past the first kilobytes too, as gofeed alone finds it.
func TestDetectTypeLongPrologue(t *testing.T) {
	long := "<!-- " + strings.Repeat("padding ", 5000) + "-->"
	for _, tc := range []struct {
		name, doc string
		want      gofeed.FeedType
	}{
		{"rss", `<?xml version="1.0"?><rss version="2.0"><channel/></rss>`, gofeed.FeedTypeRSS},
		{"atom after a long comment", `<?xml version="1.0"?>` + long + `<feed xmlns="http://www.w3.org/2005/Atom"/>`, gofeed.FeedTypeAtom},
		{"rss with a long channel", `<rss version="2.0"><channel><title>` + strings.Repeat("x", 40000) + `</title></channel></rss>`, gofeed.FeedTypeRSS},
		{"html after a long comment", long + `<html><body/></html>`, gofeed.FeedTypeUnknown},
		{"json", `{"version": "https://jsonfeed.org/version/1.1", "items": []}`, gofeed.FeedTypeJSON},
	} {
		if got := detectType([]byte(tc.doc)); got != tc.want {
			t.Errorf("%s: type %v, want %v", tc.name, got, tc.want)
		}
	}
}

// Every body's place is given back, whatever became of the fetch: a leak
// would stall the fetcher once the places run out.
func TestBodyPlacesReturned(t *testing.T) {
	srv := newHostile(t)
	ctx := context.Background()
	f := NewFetcher(testLimits(), newMemStates(), nil).WithCache(DirCache{Dir: t.TempDir()})
	var feeds []Options
	for _, p := range []string{"/ok.xml", "/gzip.xml", "/bomb.gz", "/endless", "/loop", "/invalid.xml",
		"/page.html", "/500", "/404", "/429", "/flaky", "/trickle", "/ok.xml"} {
		feeds = append(feeds, Options{Name: p, URL: srv.URL + p})
	}
	for run := 0; run < 2; run++ { // the second run meets 304s and cached parses
		res := f.FetchAll(ctx, feeds, time.Time{}, time.Time{}, nil)
		if res[0].Err != nil || len(res[0].Articles) != 2 {
			t.Fatalf("run %d: ok.xml: %v, %d articles", run, res[0].Err, len(res[0].Articles))
		}
		if n := len(f.bodies); n != 0 {
			t.Fatalf("run %d: %d body places still taken after FetchAll", run, n)
		}
	}
	if cap(f.bodies) < testLimits().Global {
		t.Errorf("%d body places for %d connections", cap(f.bodies), testLimits().Global)
	}
}

func TestReadBody(t *testing.T) {
	for _, tc := range []struct {
		name    string
		body    string
		length  int64
		want    string
		wantErr bool
	}{
		{"announced", "hello", 5, "hello", false},
		{"unannounced", "hello", -1, "hello", false},
		{"longer than announced", "hello world", 5, "hello world", false},
		{"cut short", "hel", 5, "hel", true},
		{"over the cap, unannounced", strings.Repeat("x", 20), -1, strings.Repeat("x", 11), false},
	} {
		got, err := readBody(strings.NewReader(tc.body), tc.length, 10)
		if string(got) != tc.want || (err != nil) != tc.wantErr {
			t.Errorf("%s: %q, %v; want %q, error %v", tc.name, got, err, tc.want, tc.wantErr)
		}
	}
}

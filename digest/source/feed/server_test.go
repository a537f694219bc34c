package feed

import (
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/weeklywrap/digest/digest"
)

// rssDoc builds a small RSS 2.0 feed; items are (guid, pubDate) pairs, an
// empty date leaving pubDate out.
func rssDoc(title string, items ...[2]string) string {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>` + title + `</title><link>https://site.example/</link>`)
	for _, it := range items {
		b.WriteString(`<item><title>Item ` + it[0] + `</title><link>https://site.example/` + it[0] + `</link><guid>` + it[0] + `</guid>`)
		if it[1] != "" {
			b.WriteString(`<pubDate>` + it[1] + `</pubDate>`)
		}
		b.WriteString(`<description>Body of ` + it[0] + `.</description></item>`)
	}
	b.WriteString(`</channel></rss>`)
	return b.String()
}

// hostile is a test server with one misbehaving endpoint per case. It
// counts requests per path and records conditional headers.
type hostile struct {
	*httptest.Server
	mu       sync.Mutex
	hits     map[string]int
	lastCond map[string]string
}

func (h *hostile) count(r *http.Request) int {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.hits[r.URL.Path]++
	h.lastCond[r.URL.Path] = r.Header.Get("If-None-Match") + "|" + r.Header.Get("If-Modified-Since")
	return h.hits[r.URL.Path]
}

func (h *hostile) Hits(path string) int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.hits[path]
}

func (h *hostile) Cond(path string) string {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.lastCond[path]
}

const lastMod = "Mon, 02 Nov 2026 10:00:00 GMT"

func newHostile(t *testing.T) *hostile {
	h := &hostile{hits: map[string]int{}, lastCond: map[string]string{}}
	mux := http.NewServeMux()
	good := rssDoc("Good", [2]string{"a", "Mon, 02 Nov 2026 09:00:00 GMT"}, [2]string{"b", "Tue, 03 Nov 2026 09:00:00 GMT"})
	mux.HandleFunc("/ok.xml", func(w http.ResponseWriter, r *http.Request) {
		h.count(r)
		if r.Header.Get("If-None-Match") == `"v1"` {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.Header().Set("ETag", `"v1"`)
		w.Header().Set("Last-Modified", lastMod)
		w.Header().Set("Content-Type", "application/rss+xml")
		fmt.Fprint(w, good)
	})
	mux.HandleFunc("/gzip.xml", func(w http.ResponseWriter, r *http.Request) {
		h.count(r)
		w.Header().Set("Content-Encoding", "gzip")
		zw := gzip.NewWriter(w)
		fmt.Fprint(zw, good)
		zw.Close()
	})
	mux.HandleFunc("/unasked.xml.gz", func(w http.ResponseWriter, r *http.Request) {
		// Compressed without Content-Encoding, as a .gz file is served.
		w.Header().Set("Content-Type", "application/gzip")
		zw := gzip.NewWriter(w)
		fmt.Fprint(zw, good)
		zw.Close()
	})
	var bomb bytes.Buffer
	zw := gzip.NewWriter(&bomb)
	zw.Write(bytes.Repeat([]byte("<"), 4<<20))
	zw.Close()
	mux.HandleFunc("/bomb.gz", func(w http.ResponseWriter, r *http.Request) {
		w.Write(bomb.Bytes())
	})
	mux.HandleFunc("/hang", func(w http.ResponseWriter, r *http.Request) {
		h.count(r)
		select {
		case <-r.Context().Done():
		case <-time.After(20 * time.Second):
		}
	})
	mux.HandleFunc("/trickle", func(w http.ResponseWriter, r *http.Request) {
		h.count(r)
		w.Header().Set("Content-Type", "application/rss+xml")
		for i := 0; i < 400; i++ {
			if _, err := w.Write([]byte(" ")); err != nil {
				return
			}
			w.(http.Flusher).Flush()
			select {
			case <-r.Context().Done():
				return
			case <-time.After(50 * time.Millisecond):
			}
		}
	})
	mux.HandleFunc("/endless", func(w http.ResponseWriter, r *http.Request) {
		h.count(r)
		w.Header().Set("Content-Type", "application/rss+xml")
		fmt.Fprint(w, `<?xml version="1.0"?><rss version="2.0"><channel><title>`)
		chunk := []byte(strings.Repeat("la ", 1024))
		for {
			if _, err := w.Write(chunk); err != nil {
				return
			}
		}
	})
	mux.HandleFunc("/loop", func(w http.ResponseWriter, r *http.Request) {
		h.count(r)
		http.Redirect(w, r, "/loop2", http.StatusFound)
	})
	mux.HandleFunc("/loop2", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/loop", http.StatusMovedPermanently)
	})
	mux.HandleFunc("/chain/", func(w http.ResponseWriter, r *http.Request) {
		var n int
		fmt.Sscanf(r.URL.Path, "/chain/%d", &n)
		http.Redirect(w, r, fmt.Sprintf("/chain/%d", n+1), http.StatusFound)
	})
	mux.HandleFunc("/invalid.xml", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, `<?xml version="1.0"?><rss version="2.0"><channel><title>Broken</title><item><title>x</title><1bad/></item></channel></rss>`)
	})
	mux.HandleFunc("/page.html", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, `<!DOCTYPE html><html><head><title>Home</title></head><body><p>Welcome</p></body></html>`)
	})
	mux.HandleFunc("/latin1.xml", func(w http.ResponseWriter, r *http.Request) {
		// ISO-8859-1 bytes, no charset anywhere.
		w.Header().Set("Content-Type", "text/xml")
		w.Write([]byte("<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Caf\xe9</title><item><guid>c</guid><title>Cr\xe8me br\xfbl\xe9e</title><description>D\xe9j\xe0 vu</description></item></channel></rss>"))
	})
	mux.HandleFunc("/mislabeled.xml", func(w http.ResponseWriter, r *http.Request) {
		// UTF-8 bytes declared as ISO-8859-1 in the header and the document.
		w.Header().Set("Content-Type", "application/rss+xml; charset=iso-8859-1")
		fmt.Fprint(w, `<?xml version="1.0" encoding="ISO-8859-1"?><rss version="2.0"><channel><title>x</title><item><guid>m</guid><title>Crème brûlée — naïve</title></item></channel></rss>`)
	})
	mux.HandleFunc("/dupes.xml", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, rssDoc("Dupes", [2]string{"d", "Mon, 02 Nov 2026 09:00:00 GMT"}, [2]string{"d", "Mon, 02 Nov 2026 10:00:00 GMT"}, [2]string{"e", "Mon, 02 Nov 2026 11:00:00 GMT"}))
	})
	mux.HandleFunc("/dates.xml", func(w http.ResponseWriter, r *http.Request) {
		future := time.Now().Add(72 * time.Hour).UTC().Format(http.TimeFormat)
		soon := time.Now().Add(2 * time.Hour).UTC().Format(http.TimeFormat)
		fmt.Fprint(w, rssDoc("Dates", [2]string{"future", future}, [2]string{"soon", soon}, [2]string{"nodate", ""}, [2]string{"past", "Mon, 02 Nov 2026 09:00:00 GMT"}))
	})
	mux.HandleFunc("/500", func(w http.ResponseWriter, r *http.Request) {
		h.count(r)
		http.Error(w, "boom", http.StatusInternalServerError)
	})
	mux.HandleFunc("/404", func(w http.ResponseWriter, r *http.Request) {
		h.count(r)
		http.NotFound(w, r)
	})
	mux.HandleFunc("/429", func(w http.ResponseWriter, r *http.Request) {
		h.count(r)
		w.Header().Set("Retry-After", "3600")
		w.WriteHeader(http.StatusTooManyRequests)
	})
	mux.HandleFunc("/flaky", func(w http.ResponseWriter, r *http.Request) {
		if h.count(r) == 1 {
			w.Header().Set("Retry-After", "0")
			w.WriteHeader(http.StatusServiceUnavailable)
			return
		}
		fmt.Fprint(w, good)
	})
	mux.HandleFunc("/maxage.xml", func(w http.ResponseWriter, r *http.Request) {
		h.count(r)
		w.Header().Set("Cache-Control", "public, max-age=600")
		fmt.Fprint(w, good)
	})
	mux.HandleFunc("/ttl.xml", func(w http.ResponseWriter, r *http.Request) {
		h.count(r)
		fmt.Fprint(w, strings.Replace(good, "<title>Good</title>", "<title>Good</title><ttl>30</ttl>", 1))
	})
	h.Server = httptest.NewServer(mux)
	t.Cleanup(h.Close)
	return h
}

// memStates is an in-memory StateStore.
type memStates struct {
	mu sync.Mutex
	m  map[string]digest.FeedState
}

func newMemStates() *memStates { return &memStates{m: map[string]digest.FeedState{}} }

func (s *memStates) FeedState(_ context.Context, url string) (digest.FeedState, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	st, ok := s.m[url]
	if !ok {
		st.URL = url
	}
	return st, nil
}

func (s *memStates) SaveFeedState(_ context.Context, st digest.FeedState) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.m[st.URL] = st
	return nil
}

func testLimits() Limits {
	return Limits{
		ConnectTimeout: time.Second, Timeout: 2 * time.Second, MaxBytes: 256 << 10,
		MaxRedirects: 3, PerHost: 4, Global: 8, Retries: 2, Backoff: 5 * time.Millisecond,
		UserAgent:    UserAgent("test", "https://news.example/"),
		PrivatePages: true, // the test pages are on 127.0.0.1
	}
}

// batchMemStates is memStates that counts its reads and writes, and reads
// and writes many at once.
type batchMemStates struct {
	*memStates
	single, bulkReads, bulkWrites int
}

func (s *batchMemStates) FeedState(ctx context.Context, url string) (digest.FeedState, error) {
	s.mu.Lock()
	s.single++
	s.mu.Unlock()
	return s.memStates.FeedState(ctx, url)
}

func (s *batchMemStates) SaveFeedState(ctx context.Context, st digest.FeedState) error {
	s.mu.Lock()
	s.single++
	s.mu.Unlock()
	return s.memStates.SaveFeedState(ctx, st)
}

func (s *batchMemStates) FeedStates(_ context.Context, urls []string) (map[string]digest.FeedState, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.bulkReads++
	out := map[string]digest.FeedState{}
	for _, u := range urls {
		if st, ok := s.m[u]; ok {
			out[u] = st
		}
	}
	return out, nil
}

func (s *batchMemStates) SaveFeedStates(_ context.Context, sts []digest.FeedState) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.bulkWrites++
	for _, st := range sts {
		s.m[st.URL] = st
	}
	return nil
}

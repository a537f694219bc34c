package feed

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestFetchPage(t *testing.T) {
	mux := http.NewServeMux()
	mux.HandleFunc("/article", func(w http.ResponseWriter, r *http.Request) {
		if !strings.Contains(r.Header.Get("Accept"), "text/html") {
			t.Errorf("Accept %q asks for no HTML", r.Header.Get("Accept"))
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_, _ = w.Write([]byte("<html><body><p>Hello.</p></body></html>"))
	})
	mux.HandleFunc("/untyped", func(w http.ResponseWriter, r *http.Request) {
		w.Header()["Content-Type"] = nil // let the client sniff
		_, _ = w.Write([]byte("<!DOCTYPE html><html><body><p>Sniffed.</p></body></html>"))
	})
	mux.HandleFunc("/paper.pdf", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/pdf")
		_, _ = w.Write([]byte("%PDF-1.7"))
	})
	mux.HandleFunc("/huge", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		_, _ = w.Write([]byte("<html>" + strings.Repeat("x", 300<<10)))
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()
	f := NewFetcher(testLimits(), nil, nil)
	ctx := context.Background()

	p, err := f.FetchPage(ctx, srv.URL+"/article")
	if err != nil || !strings.Contains(string(p.Body), "Hello.") || !strings.HasPrefix(p.ContentType, "text/html") {
		t.Fatalf("page: %+v %v", p, err)
	}
	if p, err := f.FetchPage(ctx, srv.URL+"/untyped"); err != nil || !strings.Contains(string(p.Body), "Sniffed") {
		t.Errorf("page without a Content-Type: %v", err)
	}
	for path, want := range map[string]error{"/paper.pdf": ErrNotHTML, "/huge": ErrTooLarge} {
		if _, err := f.FetchPage(ctx, srv.URL+path); !errors.Is(err, want) {
			t.Errorf("%s: %v, want %v", path, err, want)
		}
	}
	if _, err := f.FetchPage(ctx, srv.URL+"/missing"); err == nil || !strings.Contains(err.Error(), "404") {
		t.Errorf("missing page: %v", err)
	}
	for _, bad := range []string{"ftp://example.org/x", "/relative", "javascript:alert(1)", ""} {
		if _, err := f.FetchPage(ctx, bad); err == nil || !strings.Contains(err.Error(), "http(s) URL") {
			t.Errorf("%q: %v", bad, err)
		}
	}

	// Without PrivatePages, the same server is out of reach: it is on
	// 127.0.0.1, and so are localhost names and private addresses.
	l := testLimits()
	l.PrivatePages = false
	guarded := NewFetcher(l, nil, nil)
	for _, u := range []string{srv.URL + "/article", strings.Replace(srv.URL, "127.0.0.1", "localhost", 1) + "/article",
		"http://10.1.2.3/", "http://[::1]/", "http://169.254.169.254/latest/meta-data/"} {
		if _, err := guarded.FetchPage(ctx, u); !errors.Is(err, ErrNotPublic) {
			t.Errorf("%s: %v, want ErrNotPublic", u, err)
		}
	}
}

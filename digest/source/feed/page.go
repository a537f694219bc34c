package feed

import (
	"context"
	"errors"
	"fmt"
	"mime"
	"net/http"
	"net/url"
	"strings"
)

// ErrNotPublic says a page's host resolves to a special-purpose address
// (loopback, private, link-local and the rest of RFC 6890), which pages
// fetched for a reader may not reach; the error is an *AddressError that
// names the address and its range.
var ErrNotPublic = errors.New("not a public address")

// ErrTooLarge says a body passed Limits.MaxBytes.
var ErrTooLarge = errTooLarge

// ErrNotHTML says a fetched page is something else than HTML; the error
// is a *NotHTMLError that names the type.
var ErrNotHTML = errors.New("not an HTML page")

// NotHTMLError is a page of another type than HTML.
type NotHTMLError struct{ MediaType string }

func (e *NotHTMLError) Error() string { return "not an HTML page but " + e.MediaType }

// Is makes a NotHTMLError match ErrNotHTML.
func (e *NotHTMLError) Is(target error) bool { return target == ErrNotHTML }

// Page is one fetched web page.
type Page struct {
	URL         string
	ContentType string
	Body        []byte
}

// FetchPage fetches one web page under the Limits (timeouts, size cap,
// redirects, retries), from public addresses only unless
// Limits.PrivatePages: a page an editor or a bookmarklet names is as
// untrusted as a feed's link. The body must be HTML (ErrNotHTML).
func (f *Fetcher) FetchPage(ctx context.Context, rawURL string) (Page, error) {
	p, err := f.FetchURL(ctx, rawURL)
	if err != nil {
		return Page{}, err
	}
	mt, _, err := mime.ParseMediaType(p.ContentType)
	if err != nil {
		mt = "an unknown type"
	}
	if mt != "text/html" && mt != "application/xhtml+xml" {
		return Page{}, &NotHTMLError{MediaType: mt}
	}
	return p, nil
}

// FetchURL fetches whatever is at rawURL (a page or a feed) under the same
// Limits and address guard as FetchPage, for `digest extract URL`: the
// content type is the server's, or sniffed when it sends none.
func (f *Fetcher) FetchURL(ctx context.Context, rawURL string) (Page, error) {
	u, err := url.Parse(strings.TrimSpace(rawURL))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return Page{}, fmt.Errorf("%q is not an http(s) URL", rawURL)
	}
	resp, _, err := f.get(publicOnly(ctx), u.String(), acceptPage, nil)
	defer resp.done()
	if err != nil {
		return Page{}, err
	}
	if resp.status != http.StatusOK {
		return Page{}, statusError(resp)
	}
	ct := resp.header.Get("Content-Type")
	if ct == "" {
		ct = http.DetectContentType(resp.body)
	}
	// The body is ours: its place among the bodies held is given back now.
	return Page{URL: u.String(), ContentType: ct, Body: resp.body}, nil
}

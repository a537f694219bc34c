package feed

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/weeklywrap/digest/digest"
)

// StateStore remembers per-feed fetch state between runs; digest.Store
// implements it.
type StateStore interface {
	// FeedState returns what is remembered about url; a zero FeedState
	// with URL set when nothing is.
	FeedState(ctx context.Context, url string) (digest.FeedState, error)
	SaveFeedState(ctx context.Context, st digest.FeedState) error
}

// maxFresh caps how long a server or feed may ask us to stay away: a
// misconfigured max-age of a year must not silence a feed.
const maxFresh = 24 * time.Hour

// retryAfter reads a Retry-After header: seconds or an HTTP date.
func retryAfter(v string, now time.Time) time.Duration {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0
	}
	if n, err := strconv.Atoi(v); err == nil {
		return capFresh(time.Duration(n) * time.Second)
	}
	if t, err := http.ParseTime(v); err == nil {
		return capFresh(t.Sub(now))
	}
	return 0
}

// maxAge reads Cache-Control max-age; no-cache and no-store mean zero.
func maxAge(h http.Header) time.Duration {
	var age time.Duration
	for _, d := range strings.Split(h.Get("Cache-Control"), ",") {
		k, v, _ := strings.Cut(strings.TrimSpace(strings.ToLower(d)), "=")
		switch k {
		case "no-cache", "no-store":
			return 0
		case "max-age", "s-maxage":
			if n, err := strconv.Atoi(strings.Trim(v, `"`)); err == nil && n > 0 {
				age = max(age, time.Duration(n)*time.Second)
			}
		}
	}
	return capFresh(age)
}

func capFresh(d time.Duration) time.Duration {
	return min(max(d, 0), maxFresh)
}

// succeeded records a good fetch: freshness from the larger of max-age
// and <ttl>, validators for the next conditional GET, failures reset.
func succeeded(st *digest.FeedState, now time.Time, h http.Header, ttl time.Duration) {
	st.LastFetched = now
	st.LastError = ""
	st.ConsecutiveFailures = 0
	st.FailingSince = time.Time{}
	st.FreshUntil = time.Time{}
	if d := max(maxAge(h), capFresh(ttl)); d > 0 {
		st.FreshUntil = now.Add(d)
	}
	if h != nil {
		if v := h.Get("ETag"); v != "" {
			st.ETag = v
		}
		if v := h.Get("Last-Modified"); v != "" {
			st.LastModified = v
		}
	}
}

// failed records a failure; wait is a Retry-After to honour. The
// validators are dropped so that the next request fetches a whole body
// rather than a 304 for a body that may never have been read.
func failed(st *digest.FeedState, now time.Time, err error, wait time.Duration) {
	st.ETag, st.LastModified = "", ""
	st.LastFetched = now
	st.LastError = err.Error()
	st.ConsecutiveFailures++
	if st.FailingSince.IsZero() {
		st.FailingSince = now
	}
	st.FreshUntil = time.Time{}
	if wait > 0 {
		st.FreshUntil = now.Add(wait)
	}
}

package feed

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"sync"
	"time"

	"github.com/weeklywrap/digest/digest/redact"
)

const (
	acceptFeed = "application/rss+xml, application/atom+xml, application/feed+json, " +
		"application/xml;q=0.9, text/xml;q=0.9, application/json;q=0.8, */*;q=0.5"
	acceptPage = "text/html, application/xhtml+xml;q=0.9, */*;q=0.5"
	// maxInlineWait is the longest Retry-After honoured by waiting within
	// the run; a longer one ends the attempt and marks the feed fresh.
	maxInlineWait = 5 * time.Second
)

// response is one completed HTTP exchange with its body read.
type response struct {
	status     int
	statusText string
	header     http.Header
	body       []byte
	retryAfter time.Duration // from a 429 or 503
	// release gives back the body's place among those held in memory
	// (see Fetcher.bodies); nil when the response holds no body.
	release func()
}

// done says the body is no longer needed; it may be called on a nil
// response, and more than once.
func (r *response) done() {
	if r != nil && r.release != nil {
		r.release()
		r.release = nil
	}
}

// errTooLarge says the body passed Limits.MaxBytes.
var errTooLarge = errors.New("body too large")

// get fetches rawURL, retrying transient failures with exponential backoff.
// Any status is returned as a response; err is set only when no response
// could be had. prep may add headers (conditional GET). attempts counts
// the requests made.
func (f *Fetcher) get(ctx context.Context, rawURL, accept string, prep func(*http.Request)) (resp *response, attempts int, err error) {
	l := f.limits
	for attempt := 0; ; attempt++ {
		resp, err = f.once(ctx, rawURL, accept, prep)
		attempts = attempt + 1
		transient, wait := classify(resp, err)
		if !transient || attempt >= l.Retries || ctx.Err() != nil {
			return resp, attempts, err
		}
		resp.done()
		backoff := l.Backoff << attempt
		backoff += rand.N(backoff/4 + 1)
		if wait > 0 {
			if wait > maxInlineWait {
				return resp, attempts, err
			}
			backoff = wait
		}
		select {
		case <-time.After(backoff):
		case <-ctx.Done():
			return resp, attempts, err
		}
	}
}

// classify says whether a failure may pass if retried, and how long the
// server asked us to wait.
func classify(resp *response, err error) (transient bool, wait time.Duration) {
	if err != nil {
		var re *redirectError
		var ne net.Error
		switch {
		case errors.Is(err, errTooLarge), errors.As(err, &re), errors.Is(err, context.Canceled), isRefused(err):
			return false, 0
		case errors.Is(err, context.DeadlineExceeded), errors.As(err, &ne) && ne.Timeout():
			// A server that is slow now will be slow on the next try:
			// retrying would only multiply the timeout.
			return false, 0
		}
		return true, 0
	}
	switch resp.status {
	case http.StatusTooManyRequests, http.StatusServiceUnavailable:
		return true, resp.retryAfter
	case http.StatusInternalServerError, http.StatusBadGateway, http.StatusGatewayTimeout:
		return true, 0
	}
	return false, 0
}

// once performs one attempt within the concurrency limits (fetchGate) and the total
// timeout.
func (f *Fetcher) once(ctx context.Context, rawURL, accept string, prep func(*http.Request)) (*response, error) {
	release, err := f.gate.acquire(ctx, rawURL)
	if err != nil {
		return nil, fmt.Errorf("waiting for a connection slot: %w", err)
	}
	defer release()
	// Downloads outrun parses; waiting here, with the connection slot
	// held, keeps the bodies in memory to a few instead of one per feed.
	select {
	case f.bodies <- struct{}{}:
	case <-ctx.Done():
		return nil, fmt.Errorf("waiting for a connection slot: %w", ctx.Err())
	}
	r, err := f.request(ctx, rawURL, accept, prep)
	if r == nil || r.body == nil {
		<-f.bodies
		return r, err
	}
	var give sync.Once
	r.release = func() { give.Do(func() { <-f.bodies }) }
	return r, err
}

// request is one HTTP exchange within the total timeout.
func (f *Fetcher) request(ctx context.Context, rawURL, accept string, prep func(*http.Request)) (*response, error) {
	ctx, cancel := context.WithTimeout(ctx, f.limits.Timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, rawURL, nil)
	if err != nil {
		return nil, fmt.Errorf("bad URL: %w", redact.Error(err, redact.Secrets(rawURL)...))
	}
	req.Header.Set("User-Agent", f.limits.UserAgent)
	req.Header.Set("Accept", accept)
	if prep != nil {
		prep(req)
	}
	client := f.client
	if isPublicOnly(ctx) {
		client = f.pages
	}
	hr, err := client.Do(req)
	if err != nil {
		return nil, f.explain(err)
	}
	defer hr.Body.Close()
	r := &response{status: hr.StatusCode, statusText: http.StatusText(hr.StatusCode), header: hr.Header}
	if hr.StatusCode == http.StatusTooManyRequests || hr.StatusCode == http.StatusServiceUnavailable {
		r.retryAfter = retryAfter(hr.Header.Get("Retry-After"), time.Now())
	}
	if hr.StatusCode != http.StatusOK {
		// Error pages are not read: a little is drained so the connection
		// can be reused.
		_, _ = io.CopyN(io.Discard, hr.Body, 4<<10)
		return r, nil
	}
	if hr.ContentLength > f.limits.MaxBytes {
		return r, fmt.Errorf("%w: Content-Length %d exceeds the limit of %d bytes", errTooLarge, hr.ContentLength, f.limits.MaxBytes)
	}
	r.body, err = readBody(hr.Body, hr.ContentLength, f.limits.MaxBytes)
	if err != nil {
		return r, fmt.Errorf("reading body: %w", f.explain(err))
	}
	if int64(len(r.body)) > f.limits.MaxBytes {
		return r, fmt.Errorf("%w: more than the limit of %d bytes", errTooLarge, f.limits.MaxBytes)
	}
	if r.body, err = gunzipped(r.body, f.limits.MaxBytes); err != nil {
		return r, err
	}
	return r, nil
}

// readBody reads at most max+1 bytes, in one allocation when the length
// is announced (io.ReadAll, or a bytes.Buffer, would copy a large body at
// least once more).
func readBody(r io.Reader, length, max int64) ([]byte, error) {
	if length <= 0 || length > max {
		return io.ReadAll(io.LimitReader(r, max+1))
	}
	buf := make([]byte, length)
	n, err := io.ReadFull(r, buf)
	if err != nil {
		return buf[:n], err
	}
	// The transport stops at Content-Length; this only guards the cap.
	var one [1]byte
	if m, _ := r.Read(one[:]); m > 0 {
		rest, err := io.ReadAll(io.LimitReader(r, max-length))
		return append(append(buf, one[0]), rest...), err
	}
	return buf, nil
}

// gunzipped undoes gzip the transport did not: a server that compresses
// unasked, or a feed published as a .gz file. The cap applies to the
// decompressed size, so a small bomb cannot blow up.
func gunzipped(body []byte, max int64) ([]byte, error) {
	if len(body) < 2 || body[0] != 0x1f || body[1] != 0x8b {
		return body, nil
	}
	zr, err := gzip.NewReader(bytes.NewReader(body))
	if err != nil {
		return nil, fmt.Errorf("gzip body: %w", err)
	}
	out, err := io.ReadAll(io.LimitReader(zr, max+1))
	if err != nil {
		return nil, fmt.Errorf("gzip body: %w", err)
	}
	if int64(len(out)) > max {
		return nil, fmt.Errorf("%w: more than the limit of %d bytes once decompressed", errTooLarge, max)
	}
	return out, nil
}

// explain turns transport errors into messages an operator understands,
// keeping the original error wrapped, and masks any URL credentials they
// quote (a proxy's or TLS error may).
func (f *Fetcher) explain(err error) error {
	return redact.Error(f.explained(err))
}

func (f *Fetcher) explained(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err
	}
	var re *redirectError
	var ae *AddressError
	var ne net.Error
	var op *net.OpError
	switch {
	case errors.As(err, &re):
		return re
	case errors.As(err, &ae):
		return ae
	case errors.Is(err, context.DeadlineExceeded):
		return fmt.Errorf("no complete response within %s: %w", f.limits.Timeout, err)
	case errors.As(err, &op) && op.Op == "dial" && op.Timeout():
		return fmt.Errorf("could not connect within %s: %w", f.limits.ConnectTimeout, err)
	case errors.As(err, &ne) && ne.Timeout():
		return fmt.Errorf("timed out: %w", err)
	}
	return err
}

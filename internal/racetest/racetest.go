// Package racetest starts two actions at the same moment, once for each of
// many items, for tests that show one write never undoes another whatever
// the order the two land in.
package racetest

import (
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
)

// inFlight is how many pairs run at once: enough to keep a store's
// connections busy, so that the two sides really do overlap.
const inFlight = 16

// Pairs runs a(item) and b(item) for every item, the two released by one
// gate so that they start together, with 16 pairs in flight at once. It
// returns when all have ended; an error returned by either fails tb.
func Pairs[T any](tb testing.TB, items []T, a, b func(T) error) {
	tb.Helper()
	work := make(chan T)
	errs := make(chan error, 2*len(items))
	var wg sync.WaitGroup
	for range inFlight {
		wg.Go(func() {
			for item := range work {
				var pair sync.WaitGroup
				gate := make(chan struct{})
				for _, f := range []func(T) error{a, b} {
					pair.Go(func() {
						<-gate
						if err := f(item); err != nil {
							errs <- err
						}
					})
				}
				close(gate)
				pair.Wait()
			}
		})
	}
	for _, item := range items {
		work <- item
	}
	close(work)
	wg.Wait()
	close(errs)
	for err := range errs {
		tb.Fatal(err)
	}
}

// Client returns an HTTP client that keeps a connection for each request
// the pairs have in flight, so that they are not serialized on dialing.
// Its idle connections are closed when tb ends.
func Client(tb testing.TB) *http.Client {
	c := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 4 * inFlight}}
	tb.Cleanup(c.CloseIdleConnections)
	return c
}

// PostForm posts the url-encoded form to url, reads the answer to its end
// and wants 200 OK.
func PostForm(c *http.Client, url, form string) error {
	resp, err := c.Post(url, "application/x-www-form-urlencoded", strings.NewReader(form))
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, resp.Body)
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("POST %s: %s", url, resp.Status)
	}
	return nil
}

package feed

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"runtime"
	"strings"
	"sync"
	"time"

	"github.com/weeklywrap/digest/digest"
	"github.com/weeklywrap/digest/digest/source/feedparse"
)

// FutureSlack is how far after the fetch an item may be dated before Fetch
// treats the date as a feed bug (see the package comment).
const FutureSlack = 24 * time.Hour

// Options describes one subscribed feed. The parser defines it; it is named
// here too because every fetch takes one, and callers fetch far more often
// than they parse.
type Options = feedparse.Options

// FullTexter extracts the article from a fetched page (htmlpage.Extract,
// wrapped by the caller). body is UTF-8.
type FullTexter func(ctx context.Context, pageURL string, body []byte) (digest.Article, error)

// Fetcher fetches feeds politely; it is safe for concurrent use and meant
// to be shared by one run (its concurrency limits are its own).
type Fetcher struct {
	limits Limits
	client *http.Client
	// pages fetches the pages feed items link to: the guarded client,
	// unless Limits.PrivatePages lets them be local.
	pages  *http.Client
	gate   *fetchGate
	states StateStore
	full   FullTexter
	cache  BodyCache
	// parsing bounds concurrent parses to the CPUs.
	parsing chan struct{}
	// bodies bounds the bodies read and not yet done with (downloading,
	// waiting for a parse, parsing): downloads finish faster than parses,
	// and unbounded, every feed's body would wait in memory.
	bodies chan struct{}
}

// NewFetcher returns a Fetcher; zero fields of l take DefaultLimits. states
// and full may be nil: then nothing is remembered between runs, and
// Options.FullText does nothing.
func NewFetcher(l Limits, states StateStore, full FullTexter) *Fetcher {
	l = l.withDefaults()
	client, pages := newClient(l), newGuardedClient(l)
	if l.PrivatePages {
		pages = client
	}
	return &Fetcher{
		limits: l, client: client, pages: pages, gate: newFetchGate(l),
		states: states, full: full,
		parsing: make(chan struct{}, runtime.GOMAXPROCS(0)),
		bodies:  make(chan struct{}, l.Global+2*runtime.GOMAXPROCS(0)),
	}
}

// WithCache makes 304 and still-fresh results carry the articles of the
// last good body (see BodyCache). Call it before the first Fetch.
func (f *Fetcher) WithCache(c BodyCache) *Fetcher {
	f.cache = c
	return f
}

// Result is the outcome of fetching one feed.
type Result struct {
	Feed        Options
	Title       string // the feed's own title, when it was parsed
	Articles    []digest.Article
	Status      int  // HTTP status, 0 for files
	NotModified bool // 304, or skipped because still fresh (Cache-Control max-age, <ttl>, Retry-After)
	Fresh       bool // skipped without a request
	Err         error
	Took        time.Duration
	Newest      time.Time // newest item date in the feed (future-dated items aside), before the window
	Future      int       // items dated more than FutureSlack ahead, left out
	Items       int       // items in the feed, in the window or not, Future ones aside
	FullTextErr int       // items whose page could not be fetched or extracted; they keep the feed's text
	// FullTextErrors says why, for the first few of those items: the page
	// and the reason (a refused address names its range and RFC).
	FullTextErrors []string
	StateErr       error // the feed state could not be loaded or saved; the fetch itself may be fine

	newState *digest.FeedState // to save, when FetchAll saves the states together
}

// batchStates is a StateStore that also reads and writes many states at
// once (digest.Store is): FetchAll and CheckAll then read every state in
// one query before fetching and write them in one transaction after, so
// that no fetch waits on the store.
type batchStates interface {
	FeedStates(ctx context.Context, urls []string) (map[string]digest.FeedState, error)
	SaveFeedStates(ctx context.Context, sts []digest.FeedState) error
}

// stateBatch is the states FetchAll read for its fetches.
type stateBatch struct {
	loaded map[string]digest.FeedState
	err    error
}

// Fetch reads one feed (http(s) URL or file path) and returns its articles
// published in (since, until]; zero bounds are open. Undated items are
// kept; items dated more than FutureSlack after now are dropped and counted.
// Errors are in Result.Err, naming the feed and the reason; Fetch never
// panics on hostile input and ends within the Limits' timeouts and retries.
func (f *Fetcher) Fetch(ctx context.Context, o Options, since, until time.Time) (res Result) {
	return f.fetch(ctx, o, since, until, false, nil)
}

// Check fetches one feed for its summary alone: Result has no Articles,
// and an unchanged feed (304, or still fresh) is not parsed again when the
// cache kept an earlier parse of it.
func (f *Fetcher) Check(ctx context.Context, o Options) Result {
	return f.fetch(ctx, o, time.Time{}, time.Time{}, true, nil)
}

func (f *Fetcher) fetch(ctx context.Context, o Options, since, until time.Time, summary bool, batch *stateBatch) (res Result) {
	start := time.Now()
	res = Result{Feed: o}
	// A hostile feed that trips a parser bug fails alone: the panic becomes
	// its error instead of taking every other feed (and the daemon) down.
	defer func() {
		if r := recover(); r != nil {
			res = Result{Feed: o, Err: fmt.Errorf("feed %s: could not be read (parser failure: %v)", o.ErrLabel(), r), Took: time.Since(start)}
		}
	}()
	var doc *feedparse.Document
	var err error
	sp := feedparse.Span{Since: since, Until: until, TooLate: start.Add(FutureSlack), Summary: summary}
	switch {
	case strings.TrimSpace(o.URL) == "":
		err = errors.New("no URL or path given")
	case isRemote(o.URL):
		doc, err = f.fetchRemote(ctx, o, sp, &res, batch)
	case strings.Contains(o.URL, "://") && !strings.HasPrefix(o.URL, "file://"):
		err = errors.New("unsupported URL scheme: only http, https and files")
	default:
		doc, err = f.readFile(o, sp)
	}
	if err != nil {
		res.Err = fmt.Errorf("feed %s: %w", o.ErrLabel(), err)
	}
	if doc != nil {
		res.Title, res.Newest, res.Future, res.Items = doc.Title, doc.Newest, doc.Future, doc.Items
		arts := feedparse.Limit(feedparse.Filter(doc.Articles, o), o.MaxItems)
		if o.FullText && f.full != nil {
			res.FullTextErr, res.FullTextErrors = f.fullText(ctx, o, arts)
		}
		if !summary {
			res.Articles = arts
		}
	}
	res.Took = time.Since(start)
	return res
}

func isRemote(u string) bool {
	l := strings.ToLower(u)
	return strings.HasPrefix(l, "http://") || strings.HasPrefix(l, "https://")
}

func (f *Fetcher) readFile(o Options, sp feedparse.Span) (*feedparse.Document, error) {
	path := strings.TrimPrefix(o.URL, "file://")
	// A FIFO would block the open forever, a device never end.
	if fi, err := os.Stat(path); err != nil {
		return nil, err
	} else if !fi.Mode().IsRegular() {
		return nil, fmt.Errorf("%s is not a regular file", path)
	}
	fh, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer fh.Close()
	data, err := io.ReadAll(io.LimitReader(fh, f.limits.MaxBytes+1))
	if err != nil {
		return nil, fmt.Errorf("read: %w", err)
	}
	if int64(len(data)) > f.limits.MaxBytes {
		return nil, fmt.Errorf("%w: file larger than %d bytes", errTooLarge, f.limits.MaxBytes)
	}
	if data, err = gunzipped(data, f.limits.MaxBytes); err != nil {
		return nil, err
	}
	return f.parse(data, "", o, "", sp)
}

// FetchAll fetches feeds concurrently within the Limits and returns their
// results in the same order. One feed's failure never affects another's.
// progress, if set, is called after each feed, never concurrently.
func (f *Fetcher) FetchAll(ctx context.Context, feeds []Options, since, until time.Time, progress func(done, total int)) []Result {
	return f.all(ctx, feeds, progress, func(o Options, b *stateBatch) Result { return f.fetch(ctx, o, since, until, false, b) })
}

// CheckAll is Check for every feed, as FetchAll.
func (f *Fetcher) CheckAll(ctx context.Context, feeds []Options, progress func(done, total int)) []Result {
	return f.all(ctx, feeds, progress, func(o Options, b *stateBatch) Result {
		return f.fetch(ctx, o, time.Time{}, time.Time{}, true, b)
	})
}

func (f *Fetcher) all(ctx context.Context, feeds []Options, progress func(done, total int), fetch func(Options, *stateBatch) Result) []Result {
	results := make([]Result, len(feeds))
	bs, _ := f.states.(batchStates)
	var batch *stateBatch
	if bs != nil {
		urls := make([]string, len(feeds))
		for i, o := range feeds {
			urls[i] = o.URL
		}
		loaded, err := bs.FeedStates(ctx, urls)
		batch = &stateBatch{loaded: loaded, err: err}
	}
	defer func() {
		if bs == nil {
			return
		}
		var sts []digest.FeedState
		var saved []int
		for i := range results {
			if st := results[i].newState; st != nil {
				sts = append(sts, *st)
				saved = append(saved, i)
				results[i].newState = nil
			}
		}
		if err := bs.SaveFeedStates(ctx, sts); err != nil {
			for _, i := range saved {
				results[i].StateErr = errors.Join(results[i].StateErr, fmt.Errorf("save state: %w", err))
			}
		}
	}()
	var wg sync.WaitGroup
	var mu sync.Mutex
	done := 0
	for i, o := range feeds {
		wg.Add(1)
		go func() {
			defer wg.Done()
			results[i] = fetch(o, batch)
			if progress != nil {
				mu.Lock()
				done++
				progress(done, len(feeds))
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	return results
}

// fetchRemote does the HTTP part: freshness, conditional GET, retries, the
// state update and the body cache.
func (f *Fetcher) fetchRemote(ctx context.Context, o Options, sp feedparse.Span, res *Result, batch *stateBatch) (*feedparse.Document, error) {
	now := time.Now()
	st := digest.FeedState{URL: o.URL}
	switch {
	case batch != nil && batch.err != nil:
		res.StateErr = fmt.Errorf("load state: %w", batch.err)
	case batch != nil:
		if s, ok := batch.loaded[o.URL]; ok {
			st = s
			st.URL = o.URL
		}
	case f.states != nil:
		s, err := f.states.FeedState(ctx, o.URL)
		if err != nil {
			res.StateErr = fmt.Errorf("load state: %w", err)
		} else {
			st = s
			st.URL = o.URL
		}
	}
	if st.FreshUntil.After(now) {
		res.Fresh, res.NotModified = true, true
		doc, err := f.fromCache(o, sp)
		if err == nil && st.ConsecutiveFailures > 0 {
			// Still waiting out a Retry-After: that is news for the operator.
			err = fmt.Errorf("skipped until %s as the server asked; last error: %s",
				st.FreshUntil.UTC().Format(time.RFC3339), st.LastError)
		}
		return doc, err
	}
	// With a cache but no body in it, a 304 would leave us with nothing.
	conditional := f.cache == nil
	if ds, ok := f.cache.(docStore); ok {
		conditional = ds.hasBody(o.URL) // without reading it
	} else if !conditional {
		_, _, found, _ := f.cache.LoadBody(o.URL)
		conditional = found
	}
	resp, attempts, err := f.get(ctx, o.URL, acceptFeed, func(r *http.Request) {
		if !conditional {
			return
		}
		if st.ETag != "" {
			r.Header.Set("If-None-Match", st.ETag)
		}
		if st.LastModified != "" {
			r.Header.Set("If-Modified-Since", st.LastModified)
		}
	})
	defer resp.done()
	if resp != nil {
		res.Status = resp.status
	}
	var doc *feedparse.Document
	var wait time.Duration
	switch {
	case err != nil:
	case resp.status == http.StatusNotModified:
		res.NotModified = true
		doc, err = f.fromCache(o, sp)
	case resp.status == http.StatusOK:
		ct := resp.header.Get("Content-Type")
		doc, err = f.parse(resp.body, ct, o, o.URL, sp)
		if err == nil && f.cache != nil {
			var cerr error
			if ds, ok := f.cache.(docStore); ok {
				cerr = ds.storeBodyDoc(o.URL, resp.body, ct, newCachedDoc(docKey(o, sp), sp, doc))
			} else {
				cerr = f.cache.StoreBody(o.URL, resp.body, ct)
			}
			if cerr != nil {
				res.StateErr = errors.Join(res.StateErr, cerr)
			}
		}
	default:
		wait = resp.retryAfter
		err = statusError(resp)
	}
	if err != nil && attempts > 1 {
		err = fmt.Errorf("%w (%d attempts)", err, attempts)
	}
	if err != nil {
		failed(&st, now, err, wait)
	} else {
		var ttl time.Duration
		if doc != nil {
			ttl = doc.TTL
		}
		succeeded(&st, now, resp.header, ttl)
	}
	if batch != nil {
		res.newState = &st
	} else if f.states != nil {
		if serr := f.states.SaveFeedState(ctx, st); serr != nil {
			res.StateErr = errors.Join(res.StateErr, fmt.Errorf("save state: %w", serr))
		}
	}
	return doc, err
}

func statusError(r *response) error {
	msg := fmt.Sprintf("HTTP %d %s", r.status, r.statusText)
	switch {
	case r.status == http.StatusGone:
		msg += ": the feed is gone, remove it"
	case r.retryAfter > 0:
		msg += fmt.Sprintf(": asked to retry after %s", r.retryAfter)
	}
	return errors.New(msg)
}

func (f *Fetcher) parse(data []byte, contentType string, o Options, baseURL string, sp feedparse.Span) (*feedparse.Document, error) {
	f.parsing <- struct{}{}
	defer func() { <-f.parsing }()
	return feedparse.ParseDoc(data, contentType, o, baseURL, sp)
}

// fromCache parses the last good body, if a cache holds one, or reuses
// the outcome of its last parse when options and window are the same.
func (f *Fetcher) fromCache(o Options, sp feedparse.Span) (*feedparse.Document, error) {
	if f.cache == nil {
		return nil, nil
	}
	ds, _ := f.cache.(docStore)
	if ds != nil {
		if c, _ := ds.loadDoc(o.URL); c != nil {
			// A parse kept by an older version has no item count (but
			// articles): that one is parsed again, once.
			if sp.Summary && (c.Items > 0 || len(c.Articles) == 0) {
				return c.summary(), nil
			}
			if doc := c.reuse(docKey(o, sp), sp); doc != nil {
				return doc, nil
			}
		}
	}
	body, ct, ok, err := f.cache.LoadBody(o.URL)
	if err != nil || !ok {
		return nil, err
	}
	doc, err := f.parse(body, ct, o, o.URL, sp)
	if err == nil && ds != nil {
		// Kept for the next run; failing only costs that run a parse.
		_ = ds.storeBodyDoc(o.URL, body, ct, newCachedDoc(docKey(o, sp), sp, doc))
	}
	return doc, err
}

package feed

import (
	"context"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/weeklywrap/digest/digest/redact"
)

// Limits bound what fetching may cost, per request and in total.
type Limits struct {
	ConnectTimeout time.Duration // TCP connect and TLS handshake
	Timeout        time.Duration // one whole request, body included
	MaxBytes       int64         // decoded body size; larger bodies are an error
	MaxRedirects   int
	PerHost        int // concurrent requests to one host
	Global         int // concurrent requests in all
	Retries        int // extra attempts after a transient failure
	UserAgent      string
	// Backoff is the wait before the first retry; it doubles after each.
	// Zero means one second.
	Backoff time.Duration
	// PrivatePages lets full-text fetches reach loopback, private,
	// link-local and every other special-purpose address. Off by default:
	// item links come from feeds, which anyone can write, and must not
	// make the server read its own network (a cloud metadata service, an
	// intranet) into a newsletter.
	PrivatePages bool
}

// DefaultLimits are polite defaults for a weekly run; set UserAgent with
// UserAgent(version, siteURL).
func DefaultLimits() Limits {
	return Limits{
		ConnectTimeout: 10 * time.Second,
		Timeout:        30 * time.Second,
		MaxBytes:       10 << 20,
		MaxRedirects:   5,
		PerHost:        2,
		Global:         16,
		Retries:        2,
		UserAgent:      UserAgent("dev", ""),
		Backoff:        time.Second,
	}
}

// UserAgent builds "digest/<version> (+<siteURL>)", which tells feed owners
// who is fetching and where to look.
func UserAgent(version, siteURL string) string {
	if version == "" {
		version = "dev"
	}
	if siteURL == "" {
		return "digest/" + version
	}
	return "digest/" + version + " (+" + siteURL + ")"
}

// withDefaults fills zero fields from DefaultLimits.
func (l Limits) withDefaults() Limits {
	d := DefaultLimits()
	if l.ConnectTimeout <= 0 {
		l.ConnectTimeout = d.ConnectTimeout
	}
	if l.Timeout <= 0 {
		l.Timeout = d.Timeout
	}
	if l.MaxBytes <= 0 {
		l.MaxBytes = d.MaxBytes
	}
	if l.MaxRedirects <= 0 {
		l.MaxRedirects = d.MaxRedirects
	}
	if l.PerHost <= 0 {
		l.PerHost = d.PerHost
	}
	if l.Global <= 0 {
		l.Global = d.Global
	}
	if l.Retries < 0 {
		l.Retries = 0
	}
	if l.UserAgent == "" {
		l.UserAgent = d.UserAgent
	}
	if l.Backoff <= 0 {
		l.Backoff = d.Backoff
	}
	return l
}

// newClient builds the client every feed request shares. The total
// timeout is applied per request through its context, so that it covers
// reading the body too. Feeds are the operator's choice and may be local;
// pages linked from them go through newGuardedClient instead.
func newClient(l Limits) *http.Client {
	dialer := &net.Dialer{Timeout: l.ConnectTimeout, KeepAlive: 30 * time.Second}
	tr := &http.Transport{
		Proxy:               http.ProxyFromEnvironment,
		DialContext:         dialer.DialContext,
		TLSHandshakeTimeout: l.ConnectTimeout,
		MaxIdleConns:        l.Global * 2,
		MaxIdleConnsPerHost: l.PerHost,
		IdleConnTimeout:     90 * time.Second,
		ForceAttemptHTTP2:   true,
	}
	return &http.Client{Transport: tr, CheckRedirect: checkRedirect(l.MaxRedirects)}
}

func checkRedirect(max int) func(*http.Request, []*http.Request) error {
	return func(req *http.Request, via []*http.Request) error {
		for _, v := range via {
			if v.URL.String() == req.URL.String() {
				return &redirectError{msg: "redirect loop back to " + redact.URL(req.URL.String())}
			}
		}
		if len(via) > max {
			return &redirectError{msg: "more than " + strconv.Itoa(max) + " redirects"}
		}
		return nil
	}
}

type redirectError struct{ msg string }

func (e *redirectError) Error() string { return e.msg }

// fetchGate is a semaphore that limits concurrent fetches per host and in
// total (Limits.PerHost, Limits.Global). A host's place is taken first so
// that waiting for a busy host never holds a global one. (Not to be taken
// for service.Slots, the schedule's issue slots.)
type fetchGate struct {
	global  chan struct{}
	perHost int
	mu      sync.Mutex
	hosts   map[string]chan struct{}
}

func newFetchGate(l Limits) *fetchGate {
	return &fetchGate{global: make(chan struct{}, l.Global), perHost: l.PerHost, hosts: map[string]chan struct{}{}}
}

func (s *fetchGate) acquire(ctx context.Context, rawURL string) (release func(), err error) {
	host := rawURL
	if u, err := url.Parse(rawURL); err == nil {
		host = strings.ToLower(u.Host)
	}
	s.mu.Lock()
	h := s.hosts[host]
	if h == nil {
		h = make(chan struct{}, s.perHost)
		s.hosts[host] = h
	}
	s.mu.Unlock()
	select {
	case h <- struct{}{}:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	select {
	case s.global <- struct{}{}:
	case <-ctx.Done():
		<-h
		return nil, ctx.Err()
	}
	return func() { <-s.global; <-h }, nil
}

type publicOnlyKey struct{}

// publicOnly marks a request context: the request goes through the
// guarded client (see newGuardedClient), redirects included.
func publicOnly(ctx context.Context) context.Context {
	return context.WithValue(ctx, publicOnlyKey{}, true)
}

func isPublicOnly(ctx context.Context) bool { return ctx.Value(publicOnlyKey{}) != nil }

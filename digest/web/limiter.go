package web

import (
	"net/netip"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// maxKeys bounds the buckets a keyedLimiter keeps; past it, buckets that
// have refilled (whose keys have been quiet) are dropped.
const maxKeys = 100_000

// keyedLimiter gives every key (a client, an address) a token bucket of its
// own. It is in memory, per process: enough to stop one client, or one
// address, from being used to mail-bomb through one instance.
type keyedLimiter struct {
	mu    sync.Mutex
	every rate.Limit
	burst int
	seen  map[string]*rate.Limiter
}

// newKeyedLimiter allows each key n events per period, all at once if
// they come together.
func newKeyedLimiter(n int, per time.Duration) *keyedLimiter {
	return &keyedLimiter{every: rate.Every(per / time.Duration(n)), burst: n, seen: map[string]*rate.Limiter{}}
}

func (l *keyedLimiter) limiter(key string, now time.Time) *rate.Limiter {
	l.mu.Lock()
	defer l.mu.Unlock()
	if lim := l.seen[key]; lim != nil {
		return lim
	}
	if len(l.seen) >= maxKeys {
		for k, lim := range l.seen {
			if lim.TokensAt(now) >= float64(l.burst) {
				delete(l.seen, k)
			}
		}
	}
	lim := rate.NewLimiter(l.every, l.burst)
	l.seen[key] = lim
	return lim
}

// allow takes one event for key and reports whether it is within the limit.
func (l *keyedLimiter) allow(key string, now time.Time) bool {
	return l.limiter(key, now).AllowN(now, 1)
}

// clientKey is what the per-client limit counts: an IPv4 address, or the
// /64 of an IPv6 address, since one IPv6 host or network usually holds a
// whole /64 and could otherwise count as billions of clients.
func clientKey(ip string) string {
	a, err := netip.ParseAddr(ip)
	if err != nil {
		return ip
	}
	a = a.WithZone("").Unmap()
	if a.Is4() {
		return a.String()
	}
	p, _ := a.Prefix(64)
	return p.String()
}

// recentKeys remembers keys for a while: the addresses that took a place in
// the global confirmation cap, so that repeated requests for one address
// (a double click, or an attacker hammering one victim, whom the
// Notifier's per-address allowance protects already) do not spend the
// cap that everyone else shares. It holds at most what the cap let
// through in its window.
type recentKeys struct {
	mu     sync.Mutex
	window time.Duration
	seen   map[string]time.Time
}

func newRecentKeys(window time.Duration) *recentKeys {
	return &recentKeys{window: window, seen: map[string]time.Time{}}
}

// fresh reports whether key was not marked within the window.
func (r *recentKeys) fresh(key string, now time.Time) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	at, ok := r.seen[key]
	return !ok || now.Sub(at) >= r.window
}

// mark remembers key as of now, dropping keys whose window has passed.
func (r *recentKeys) mark(key string, now time.Time) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if len(r.seen) >= maxKeys {
		for k, at := range r.seen {
			if now.Sub(at) >= r.window {
				delete(r.seen, k)
			}
		}
	}
	r.seen[key] = now
}

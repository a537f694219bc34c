package web

import (
	"context"
	"errors"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/weeklywrap/digest/digest"
	"github.com/weeklywrap/digest/digest/route"
	"github.com/weeklywrap/digest/digest/token"
)

func (s *Server) showHome(w http.ResponseWriter, r *http.Request) {
	issues, err := s.Store.ListIssues(r.Context(), 20)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p := page{Title: s.Site.Title, Issues: issues}
	if len(issues) > 0 {
		p.Latest = &issues[0]
	}
	s.render(w, http.StatusOK, "home", p)
}

func remoteIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// clientIP is the address rate limits count: the peer, or, when the peer
// is one of the configured reverse proxies, the nearest address in
// X-Forwarded-For that is not a trusted proxy. Without trusted proxies
// the header is ignored, since any client can write it.
func (s *Server) clientIP(r *http.Request) string {
	ip := remoteIP(r)
	if !s.trusted(ip) {
		return ip
	}
	hops := strings.Split(strings.Join(r.Header.Values("X-Forwarded-For"), ","), ",")
	for i := len(hops) - 1; i >= 0; i-- {
		h := strings.TrimSpace(hops[i])
		if net.ParseIP(h) == nil {
			break
		}
		if !s.trusted(h) {
			return h
		}
		ip = h
	}
	return ip
}

func (s *Server) trusted(ip string) bool {
	addr := net.ParseIP(ip)
	for _, n := range s.proxies {
		if addr != nil && n.Contains(addr) {
			return true
		}
	}
	return false
}

// subscribe starts double opt-in. The answer is the same whether or not
// the address is already on the list, and the mail goes out off the request
// path, so neither the page nor its timing tells who is subscribed.
//
// Three limits keep the form from being used to mail-bomb: per client
// (IPv4 address or IPv6 /64), per address (the Notifier's), and a global
// cap on confirmations per minute, which holds however many clients an
// attacker has.
func (s *Server) subscribe(w http.ResponseWriter, r *http.Request) {
	if s.Notifier == nil {
		s.render(w, http.StatusNotFound, "message", page{Title: s.cat.T("Not available"), Message: s.cat.T("Subscribing through this site is switched off.")})
		return
	}
	now := s.Now()
	if !s.byIP.allow(clientKey(s.clientIP(r)), now) {
		w.Header().Set("Retry-After", "60")
		s.render(w, http.StatusTooManyRequests, "message", page{Title: s.cat.T("Too many requests"), Message: s.cat.T("Please wait a minute and try again.")})
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, 4096)
	email, err := digest.NormalizeEmail(r.PostFormValue("email"))
	name := digest.CleanName(r.PostFormValue("name"))
	if err != nil {
		// The form comes back with what was typed, so only the address
		// needs fixing; html/template escapes both.
		issues, _ := s.Store.ListIssues(r.Context(), 20)
		p := page{Title: s.Site.Title, Issues: issues, FormName: name,
			FormEmail: clipRunes(strings.TrimSpace(r.PostFormValue("email")), 254),
			Error:     s.cat.T("Please enter a valid email address, like name@example.org.")}
		if len(issues) > 0 {
			p.Latest = &issues[0]
		}
		s.render(w, http.StatusBadRequest, "home", p)
		return
	}
	// The global cap holds however many clients ask. A request takes its
	// place whether or not a confirmation follows (that is decided off the
	// request path), so a full cap answers alike for every address; only
	// repeats for an address that took a place within the hour do not
	// take another. The Notifier keeps to one confirmation per address per
	// while, in the store, where one that failed does not count.
	if s.repeats.fresh(email, now) {
		if !s.confirms.AllowN(now, 1) {
			n := s.capRefused.Add(1)
			if s.capLog.AllowN(now, 1) {
				s.capRefused.Add(-n)
				s.Log.Warn("subscribe: confirmation cap reached; refusing sign-ups until the minute is over",
					"per_minute", s.ConfirmPerMinute, "refused_since_last_warning", n)
			}
			w.Header().Set("Retry-After", "60")
			s.render(w, http.StatusServiceUnavailable, "message", page{Title: s.cat.T("Please try again shortly"),
				Message: s.cat.T("Many people are signing up right now. Please try again in a minute.")})
			return
		}
		s.repeats.mark(email, now)
	}
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		if err := s.startOptIn(ctx, email, name); err != nil {
			s.Log.Error("subscribe", "error", err)
		}
	}()
	s.render(w, http.StatusOK, "message", page{Title: s.cat.T("Check your inbox"),
		Message: s.cat.Tf("If %s can receive %s, a message with a confirmation link is on its way. The link works for %s.", email, s.Site.Title, s.cat.Duration(s.ConfirmTTL))})
}

// clipRunes cuts s to at most n runes.
func clipRunes(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return string(r[:n])
	}
	return s
}

func humanDuration(d time.Duration) string {
	if d >= 24*time.Hour && d%(24*time.Hour) == 0 {
		if d == 24*time.Hour {
			return "one day"
		}
		return strings.TrimSuffix((d/(24*time.Hour)).String(), "ns") + " days"
	}
	return d.String()
}

// startOptIn records a pending subscriber (or reuses the row) and asks the
// Notifier for the confirmation. A confirmed or suppressed address gets
// nothing.
func (s *Server) startOptIn(ctx context.Context, email, name string) error {
	sub, err := s.Store.SubscriberByEmail(ctx, email)
	switch {
	case errors.Is(err, digest.ErrNotFound):
		sub, err = s.Store.AddSubscriber(ctx, digest.Subscriber{Email: email, Name: name, Status: digest.StatusPending})
		if errors.Is(err, digest.ErrExists) {
			sub, err = s.Store.SubscriberByEmail(ctx, email)
		}
		if err != nil {
			return err
		}
	case err != nil:
		return err
	}
	if sub.Status == digest.StatusConfirmed || sub.Status == digest.StatusSuppressed {
		return nil
	}
	// Bound to the version: once they unsubscribe, the link is dead.
	link := route.Site(s.Site.BaseURL).Confirm(s.Tokens.SignBound(token.Confirm, sub.ID, sub.Version, s.Now().Add(s.ConfirmTTL)))
	// Whoever filled in the form chose the name, and the mail goes to an
	// address that has not agreed to anything yet: the name (attacker's
	// text, links) stays out of it.
	sub.Name = ""
	return s.Notifier.Confirm(ctx, sub, link)
}

// personalLinks returns the preferences and unsubscribe URLs of a subscriber.
func (s *Server) personalLinks(id int64) (prefs, unsub string) {
	return s.Tokens.Links(s.Site.BaseURL, id)
}

// tokenSubscriber verifies the {token} path value for purpose and loads its
// subscriber; on failure it has already answered the request.
func (s *Server) tokenSubscriber(w http.ResponseWriter, r *http.Request, purpose string) (digest.Subscriber, bool) {
	id, err := s.Tokens.Verify(purpose, r.PathValue("token"), s.Now())
	if err != nil {
		s.fail(w, r, err)
		return digest.Subscriber{}, false
	}
	sub, err := s.Store.Subscriber(r.Context(), id)
	if err != nil {
		s.fail(w, r, err)
		return digest.Subscriber{}, false
	}
	return sub, true
}

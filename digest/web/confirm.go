package web

import (
	"context"
	"errors"
	"net/http"
	"time"

	"github.com/weeklywrap/digest/digest"
	"github.com/weeklywrap/digest/digest/route"
	"github.com/weeklywrap/digest/digest/token"
)

// confirmLink verifies a confirm link and loads its subscriber; on failure
// it has already answered. version is the one the link was sent at.
func (s *Server) confirmLink(w http.ResponseWriter, r *http.Request) (sub digest.Subscriber, version int64, ok bool) {
	id, version, err := s.Tokens.VerifyBound(token.Confirm, r.PathValue("token"), s.Now())
	if err != nil {
		s.fail(w, r, err)
		return sub, 0, false
	}
	if sub, err = s.Store.Subscriber(r.Context(), id); err != nil {
		s.fail(w, r, err)
		return sub, 0, false
	}
	return sub, version, true
}

// showConfirm never confirms: mail scanners open links to check them, and
// would confirm addresses on their own. It shows the button that POSTs.
func (s *Server) showConfirm(w http.ResponseWriter, r *http.Request) {
	sub, version, ok := s.confirmLink(w, r)
	if !ok {
		return
	}
	if sub.Status == digest.StatusConfirmed || sub.Status == digest.StatusSuppressed || sub.Version != version {
		s.confirmOutcome(w, r, sub)
		return
	}
	s.render(w, http.StatusOK, "confirm", page{Title: s.cat.T("Confirm your subscription"), Email: sub.Email, Action: r.URL.Path})
}

// confirm is the button's POST. It confirms only if nothing changed since
// the link was sent: a link from before an unsubscribe does nothing.
func (s *Server) confirm(w http.ResponseWriter, r *http.Request) {
	sub, version, ok := s.confirmLink(w, r)
	if !ok {
		return
	}
	id := sub.ID
	sub, err := s.Store.ConfirmSubscriber(r.Context(), id, version, s.Now().UTC())
	if errors.Is(err, digest.ErrStale) {
		if sub, err = s.Store.Subscriber(r.Context(), id); err == nil {
			s.confirmOutcome(w, r, sub)
			return
		}
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if s.Welcome && s.Notifier != nil {
		prefs, unsub := s.personalLinks(sub.ID)
		s.wg.Add(1)
		go func() {
			defer s.wg.Done()
			ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
			defer cancel()
			if err := s.Notifier.Welcome(ctx, sub, prefs, unsub); err != nil {
				s.Log.Error("welcome email", "subscriber", sub.ID, "error", err)
			}
		}()
	}
	s.welcomePage(w, r, sub)
}

// welcomePage greets a confirmed subscriber and offers the latest issue
// to read now, besides their settings.
func (s *Server) welcomePage(w http.ResponseWriter, r *http.Request, sub digest.Subscriber) {
	prefs, _ := s.personalLinks(sub.ID)
	p := page{Title: s.cat.T("Welcome aboard"),
		Message: s.cat.Tf("You are subscribed to %s. The next issue will reach %s.", s.Site.Title, sub.Email)}
	if latest, err := s.Store.LatestIssue(r.Context()); err == nil {
		p.Links = append(p.Links, pageLink{URL: route.Path.Issue(latest.Number),
			Text: s.cat.Tf("Read the latest issue: %s", s.headline(latest))})
	}
	p.Links = append(p.Links, pageLink{URL: prefs, Text: s.cat.T("Choose your topics and settings")})
	s.render(w, http.StatusOK, "message", p)
}

// confirmOutcome answers a confirm link that can no longer confirm.
func (s *Server) confirmOutcome(w http.ResponseWriter, r *http.Request, sub digest.Subscriber) {
	switch sub.Status {
	case digest.StatusConfirmed:
		s.welcomePage(w, r, sub)
	case digest.StatusSuppressed:
		// Addresses that bounced for good stay off the list: a confirm link
		// must not undo that.
		s.render(w, http.StatusOK, "message", page{Title: s.cat.T("Cannot subscribe"),
			Message: s.cat.Tf("Mail to %s has bounced, so we no longer send to it. Please write to the editors if that has changed.", sub.Email)})
	default:
		s.render(w, http.StatusGone, "message", page{Title: s.cat.T("This link no longer works"),
			Message: s.cat.T("The subscription changed after this link was sent (it was cancelled, for instance), so it confirms nothing. To subscribe, please use the form on the home page."),
			Link:    route.Home, LinkText: s.cat.T("Go to the home page")})
	}
}

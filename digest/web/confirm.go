package web

import (
	"context"
	"errors"
	"net/http"
	"time"

	"github.com/weeklywrap/digest/digest"
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
		s.confirmOutcome(w, sub)
		return
	}
	s.render(w, http.StatusOK, "confirm", page{Title: "Confirm your subscription", Email: sub.Email, Action: r.URL.Path})
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
			s.confirmOutcome(w, sub)
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
	s.welcomePage(w, sub)
}

func (s *Server) welcomePage(w http.ResponseWriter, sub digest.Subscriber) {
	prefs, _ := s.personalLinks(sub.ID)
	s.render(w, http.StatusOK, "message", page{Title: "Welcome aboard",
		Message: "You are subscribed to " + s.Site.Title + ". The next issue will reach " + sub.Email + ".",
		Link:    prefs, LinkText: "Choose your topics and settings"})
}

// confirmOutcome answers a confirm link that can no longer confirm.
func (s *Server) confirmOutcome(w http.ResponseWriter, sub digest.Subscriber) {
	switch sub.Status {
	case digest.StatusConfirmed:
		s.welcomePage(w, sub)
	case digest.StatusSuppressed:
		// Addresses that bounced for good stay off the list: a confirm link
		// must not undo that.
		s.render(w, http.StatusOK, "message", page{Title: "Cannot subscribe",
			Message: "Mail to " + sub.Email + " has bounced, so we no longer send to it. Please write to the editors if that has changed."})
	default:
		s.render(w, http.StatusGone, "message", page{Title: "This link no longer works",
			Message: "The subscription changed after this link was sent (it was cancelled, for instance), so it confirms nothing. To subscribe, please use the form on the home page.",
			Link:    "/", LinkText: "Go to the home page"})
	}
}

package web

import (
	"net/http"
	"time"

	"github.com/weeklywrap/digest/digest"
	"github.com/weeklywrap/digest/digest/route"
	"github.com/weeklywrap/digest/digest/token"
)

// showUnsubscribe never unsubscribes: mail scanners prefetch links, so a GET
// only shows the button that POSTs.
func (s *Server) showUnsubscribe(w http.ResponseWriter, r *http.Request) {
	sub, ok := s.tokenSubscriber(w, r, token.Unsubscribe)
	if !ok {
		return
	}
	if sub.Status == digest.StatusUnsubscribed {
		s.render(w, http.StatusOK, "message", page{Title: s.cat.T("Unsubscribed"), Message: s.cat.T("You are already unsubscribed. No further issues will be sent to you."),
			Form: s.wayBack(sub)})
		return
	}
	s.render(w, http.StatusOK, "unsubscribe", page{Title: s.cat.T("Unsubscribe"), Email: sub.Email, Action: r.URL.Path})
}

func (s *Server) showUnsubscribeHelp(w http.ResponseWriter, r *http.Request) {
	s.render(w, http.StatusOK, "unsubscribe", page{Title: s.cat.T("Unsubscribe")})
}

// unsubscribe is the RFC 8058 one-click endpoint: mail providers POST
// "List-Unsubscribe=One-Click" here; the page's button posts the same.
// It is idempotent and needs nothing but the signed token.
func (s *Server) unsubscribe(w http.ResponseWriter, r *http.Request) {
	sub, ok := s.tokenSubscriber(w, r, token.Unsubscribe)
	if !ok {
		return
	}
	// A suppressed address is already off the list, and stays suppressed.
	changed, err := s.Store.Unsubscribe(r.Context(), sub.ID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if changed {
		s.Log.Info("unsubscribed", "subscriber", sub.ID, "at", s.Now().UTC().Format(time.RFC3339))
	}
	s.render(w, http.StatusOK, "message", page{Title: s.cat.T("Unsubscribed"),
		Message: s.cat.Tf("You have been unsubscribed from %s. No further issues will be sent to you.", s.Site.Title),
		Form:    s.wayBack(sub), Link: route.Issues, LinkText: s.cat.T("Browse the archive")})
}

// wayBack is the button that undoes an unsubscribe: it posts the
// subscriber's signed preferences token to /resubscribe, which needs no
// new opt-in (the address was confirmed once). A suppressed address gets
// none: it stays off the list.
func (s *Server) wayBack(sub digest.Subscriber) *pageForm {
	if sub.Status == digest.StatusSuppressed {
		return nil
	}
	return &pageForm{Action: route.Path.Resubscribe(s.Tokens.Sign(token.Preferences, sub.ID, time.Time{})),
		Button: s.cat.Tf("Subscribe to %s again", s.Site.Title)}
}

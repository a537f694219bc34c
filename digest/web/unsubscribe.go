package web

import (
	"net/http"
	"time"

	"github.com/weeklywrap/digest/digest"
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
		s.render(w, http.StatusOK, "message", page{Title: "Unsubscribed", Message: "You are already unsubscribed. No further issues will be sent to you."})
		return
	}
	s.render(w, http.StatusOK, "unsubscribe", page{Title: "Unsubscribe", Email: sub.Email, Action: r.URL.Path})
}

func (s *Server) showUnsubscribeHelp(w http.ResponseWriter, r *http.Request) {
	s.render(w, http.StatusOK, "unsubscribe", page{Title: "Unsubscribe"})
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
	s.render(w, http.StatusOK, "message", page{Title: "Unsubscribed",
		Message: "You have been unsubscribed from " + s.Site.Title + ". No further issues will be sent to you."})
}

package web

import (
	"errors"
	"net/http"
	"slices"

	"github.com/weeklywrap/digest/digest"
	"github.com/weeklywrap/digest/digest/route"
	"github.com/weeklywrap/digest/digest/token"
)

// signInLinkFailed answers a sign-in link that does not work, saying why.
func (s *Server) signInLinkFailed(w http.ResponseWriter, r *http.Request, err error) {
	status, title, msg := http.StatusBadRequest, "Link not valid", "This sign-in link is not valid. Use the link from your email as it is, or ask for a new one."
	switch {
	case errors.Is(err, token.ErrExpired), errors.Is(err, digest.ErrExpired):
		status, title, msg = http.StatusGone, "Link expired", "This sign-in link has expired. Ask for a new one."
	case errors.Is(err, digest.ErrConflict):
		status, title, msg = http.StatusGone, "Link already used", "This sign-in link was used already; each works once. Ask for a new one."
	case errors.Is(err, errNotEditor):
		status, title, msg = http.StatusForbidden, "Not an editor", "This address is no longer one of the editors (review.editors)."
	case errors.Is(err, token.ErrInvalid), errors.Is(err, digest.ErrNotFound):
	default:
		s.fail(w, r, err)
		return
	}
	s.deskMessage(w, status, title, msg, route.DeskSignIn, "Ask for a new sign-in link")
}

var errNotEditor = errors.New("not an editor")

// showDeskLink never signs in by itself: mail scanners open links, and a
// single-use link opened by one would be spent. It shows the button that
// POSTs.
func (s *Server) showDeskLink(w http.ResponseWriter, r *http.Request) {
	id, err := s.Tokens.Verify(token.Desk, r.PathValue("token"), s.Now())
	if err != nil {
		s.signInLinkFailed(w, r, err)
		return
	}
	used, err := s.desk.Sessions.SignInUsed(r.Context(), id)
	if err == nil && used {
		err = digest.ErrConflict
	}
	if err != nil {
		s.signInLinkFailed(w, r, err)
		return
	}
	s.renderDesk(w, http.StatusOK, "desk_confirm", deskPage{Title: "Sign in to the desk", Token: r.PathValue("token")})
}

// useDeskLink spends the sign-in link and starts a session.
func (s *Server) useDeskLink(w http.ResponseWriter, r *http.Request) {
	now := s.Now()
	id, err := s.Tokens.Verify(token.Desk, r.PathValue("token"), now)
	if err != nil {
		s.signInLinkFailed(w, r, err)
		return
	}
	editor, err := s.desk.Sessions.UseSignIn(r.Context(), id, now)
	if err == nil && editor != "admin" && !slices.Contains(s.desk.Editors, editor) {
		err = errNotEditor
	}
	if err != nil {
		s.signInLinkFailed(w, r, err)
		return
	}
	if err := s.startSession(w, r, editor); err != nil {
		s.fail(w, r, err)
		return
	}
	s.signedInTo(w, r)
}

func (s *Server) deskSignOut(w http.ResponseWriter, r *http.Request) {
	if c, err := r.Cookie(s.desk.cookie); err == nil && c.Value != "" {
		if err := s.desk.Sessions.DeleteSession(r.Context(), sessionHash(c.Value)); err != nil {
			s.fail(w, r, err)
			return
		}
	}
	http.SetCookie(w, &http.Cookie{Name: s.desk.cookie, Value: "", Path: "/", MaxAge: -1, HttpOnly: true, Secure: s.desk.secure, SameSite: http.SameSiteLaxMode})
	s.deskMessage(w, http.StatusOK, "Signed out", "You are signed out of the desk.", route.DeskSignIn, "Sign in again")
}

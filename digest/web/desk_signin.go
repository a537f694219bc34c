package web

import (
	"context"
	"crypto/subtle"
	"net/http"
	"slices"
	"time"

	"github.com/weeklywrap/digest/digest"
	"github.com/weeklywrap/digest/digest/route"
)

func (s *Server) showDeskSignIn(w http.ResponseWriter, r *http.Request) {
	if s.editor(r) != "" {
		http.Redirect(w, r, route.Desk, http.StatusSeeOther)
		return
	}
	s.renderDesk(w, http.StatusOK, "desk_signin", deskPage{Title: "Sign in to the desk", Admin: s.AdminToken != ""})
}

// deskSignIn mails an editor a sign-in link, or signs the operator in
// with web.admin_token. The page answers the same whether or not an
// address is an editor's, and the mail goes out off the request path, so
// neither tells who the editors are.
func (s *Server) deskSignIn(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 4096)
	if err := r.ParseForm(); err != nil {
		s.deskMessage(w, http.StatusBadRequest, "Form not understood", "The sign-in form could not be read.", route.DeskSignIn, "Try again")
		return
	}
	now := s.Now()
	if !s.desk.signIns.allow(clientKey(s.clientIP(r)), now) {
		w.Header().Set("Retry-After", "60")
		s.deskMessage(w, http.StatusTooManyRequests, "Too many tries", "Please wait a minute and try again.", route.DeskSignIn, "Sign in")
		return
	}
	if tok := r.PostForm.Get("token"); tok != "" {
		if s.AdminToken == "" || subtle.ConstantTimeCompare([]byte(tok), []byte(s.AdminToken)) != 1 {
			s.Log.Warn("desk sign-in with a wrong admin token", "ip", s.clientIP(r))
			s.renderDesk(w, http.StatusForbidden, "desk_signin", deskPage{Title: "Sign in to the desk", Admin: s.AdminToken != "",
				Error: "That is not the admin token (web.admin_token). Nobody was signed in."})
			return
		}
		if err := s.startSession(w, r, "admin"); err != nil {
			s.fail(w, r, err)
			return
		}
		s.signedInTo(w, r)
		return
	}
	email, err := digest.NormalizeEmail(r.PostForm.Get("email"))
	if err != nil {
		s.renderDesk(w, http.StatusBadRequest, "desk_signin", deskPage{Title: "Sign in to the desk", Admin: s.AdminToken != "",
			Error: "Please enter your email address, like name@example.org."})
		return
	}
	if slices.Contains(s.desk.Editors, email) && s.desk.mailed.allow(email, now) {
		s.wg.Add(1)
		go func() {
			defer s.wg.Done()
			ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
			defer cancel()
			if err := s.desk.Service.MailSignIn(ctx, email); err != nil {
				s.Log.Error("desk sign-in link", "error", err)
			}
		}()
	}
	s.deskMessage(w, http.StatusOK, "Check your inbox",
		"If "+email+" is an editor's address, a sign-in link is on its way. It works once, for "+humanDuration(s.desk.LinkTTL)+".", route.DeskSignIn, "Back")
}

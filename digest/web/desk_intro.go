package web

import (
	"net/http"
	"strconv"

	"github.com/weeklywrap/digest/digest"
	"github.com/weeklywrap/digest/digest/route"
)

// deskIntro records the intro as an editor wrote it; an empty one
// brings back the generated intro.
func (s *Server) deskIntro(w http.ResponseWriter, r *http.Request) {
	ed, ok := s.signedIn(w, r)
	if !ok {
		return
	}
	v, ok := s.deskDraft(w, r)
	if !ok {
		return
	}
	value := r.PostForm.Get("value")
	if !s.deskText(w, digest.EditIntro, value) {
		return
	}
	base, _ := strconv.ParseInt(r.PostForm.Get("base"), 10, 64)
	e := digest.Edit{Slot: v.Draft.Slot, Kind: digest.EditIntro, Value: digest.CleanEditText(digest.EditIntro, value), Editor: ed, At: s.Now()}
	if _, err := s.desk.Drafts.AddEdit(r.Context(), e, base); err != nil {
		s.deskEditFailed(w, r, ed, e, "this issue", err)
		return
	}
	http.Redirect(w, r, route.Desk+"?done=intro#intro", http.StatusSeeOther)
}

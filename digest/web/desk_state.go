package web

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/weeklywrap/digest/digest"
	"github.com/weeklywrap/digest/digest/route"
)

// deskState holds, releases or approves the draft. An approval names the
// version the editor saw: if anything changed since (an edit, a link, a
// rebuild), it is refused, so what goes out is what was approved.
func (s *Server) deskState(w http.ResponseWriter, r *http.Request) {
	ed, ok := s.signedIn(w, r)
	if !ok {
		return
	}
	v, ok := s.deskDraft(w, r)
	if !ok {
		return
	}
	var (
		from    []digest.DraftState
		to      digest.DraftState
		kind    digest.EditKind
		version int
	)
	switch r.PostForm.Get("action") {
	case "approve":
		from, to, kind = []digest.DraftState{digest.DraftOpen, digest.DraftHeld}, digest.DraftApproved, digest.EditApprove
		version, _ = strconv.Atoi(r.PostForm.Get("version"))
		if version <= 0 {
			s.deskMessage(w, http.StatusBadRequest, "Form not understood", "The approval does not say which version of the draft it is for. Nothing was changed.", route.Desk, "Back to the desk")
			return
		}
	case "hold":
		from, to, kind = []digest.DraftState{digest.DraftOpen, digest.DraftApproved}, digest.DraftHeld, digest.EditHold
	case "release":
		from, to, kind = []digest.DraftState{digest.DraftHeld}, digest.DraftOpen, digest.EditRelease
	default:
		s.deskMessage(w, http.StatusBadRequest, "Unknown change", "The desk does not know that change. Nothing was changed.", route.Desk, "Back to the desk")
		return
	}
	_, err := s.desk.Drafts.SetDraftState(r.Context(), v.Draft.Slot, from, to, version, digest.Edit{Kind: kind, Editor: ed, At: s.Now()})
	if errors.Is(err, digest.ErrConflict) {
		msg := "The draft is " + string(v.Draft.State) + " now, so it cannot be " + map[digest.EditKind]string{
			digest.EditApprove: "approved", digest.EditHold: "held", digest.EditRelease: "released"}[kind] + ". Nothing was changed."
		if kind == digest.EditApprove && (v.Draft.State == digest.DraftOpen || v.Draft.State == digest.DraftHeld) {
			msg = "The draft changed since you loaded the page (another editor's edit, a link, or new articles). Nothing was approved: look at it again, then approve."
		}
		s.deskMessage(w, http.StatusConflict, "Not changed", msg, route.Desk, "Back to the desk")
		return
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.Log.Info("draft "+string(to), "editor", ed, "slot", v.Draft.Slot)
	s.desk.Service.Wake()
	http.Redirect(w, r, route.Desk+"?done="+string(kind), http.StatusSeeOther)
}

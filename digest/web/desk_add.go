package web

import (
	"errors"
	"net/http"

	"github.com/weeklywrap/digest/digest"
	"github.com/weeklywrap/digest/digest/route"
)

// deskAdd is the add-a-link form, filled in.
type deskAdd struct {
	URL, Note string
}

// showDeskAdd is where the bookmarklet lands: a form with the page's URL,
// to add it with a note. Opening it adds nothing.
func (s *Server) showDeskAdd(w http.ResponseWriter, r *http.Request) {
	ed, ok := s.signedIn(w, r)
	if !ok {
		return
	}
	u := r.URL.Query().Get("url")
	if len(u) > 2048 {
		u = u[:2048]
	}
	s.renderDesk(w, http.StatusOK, "desk_add", deskPage{Title: "Add a link", Editor: ed, Add: &deskAdd{URL: u}})
}

// deskAddLink fetches the page, extracts its article and adds it to the
// draft as an editor's pick. A page that cannot be added is refused with
// the reason, and nothing is added.
func (s *Server) deskAddLink(w http.ResponseWriter, r *http.Request) {
	ed, ok := s.signedIn(w, r)
	if !ok {
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, 16<<10)
	if err := r.ParseForm(); err != nil {
		s.deskMessage(w, http.StatusBadRequest, "Form not understood", "The form could not be read. Nothing was added.", route.Desk, "Back to the desk")
		return
	}
	add := &deskAdd{URL: r.PostForm.Get("url"), Note: r.PostForm.Get("note")}
	l, err := s.desk.Service.AddLink(r.Context(), add.URL, add.Note, ed)
	var rf *digest.Refusal
	if errors.As(err, &rf) {
		s.Log.Info("link refused", "editor", ed, "reason", rf.Msg, "cause", rf.Err)
		s.renderDesk(w, http.StatusUnprocessableEntity, "desk_add", deskPage{Title: "Add a link", Editor: ed, Add: add,
			Error: rf.Msg + " Nothing was added."})
		return
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	done := "link"
	if l.Slot.IsZero() {
		done = "pooled"
	}
	http.Redirect(w, r, route.Desk+"?done="+done, http.StatusSeeOther)
}

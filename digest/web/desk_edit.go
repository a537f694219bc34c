package web

import (
	"errors"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/weeklywrap/digest/digest"
	"github.com/weeklywrap/digest/digest/route"
)

// deskDraft parses the form and loads the draft it was made for: the
// current one, with the slot the form names. On failure it has answered,
// and nothing was changed.
func (s *Server) deskDraft(w http.ResponseWriter, r *http.Request) (digest.DraftView, bool) {
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	if err := r.ParseForm(); err != nil {
		s.deskMessage(w, http.StatusBadRequest, "Form not understood", "The form could not be read (is it over 64 KB?). Nothing was changed.", route.Desk, "Back to the desk")
		return digest.DraftView{}, false
	}
	v, err := s.desk.Service.CurrentView(r.Context())
	if errors.Is(err, digest.ErrNotFound) {
		s.deskMessage(w, http.StatusConflict, "No draft", "There is no draft under review any more: it was sent or skipped. Nothing was changed.", route.Desk, "Back to the desk")
		return v, false
	}
	if err != nil {
		s.fail(w, r, err)
		return v, false
	}
	if r.PostForm.Get("slot") != strconv.FormatInt(v.Draft.Slot.Unix(), 10) {
		s.deskMessage(w, http.StatusConflict, "Another draft", "The draft you were looking at was replaced by a newer one. Nothing was changed; look at the new one.", route.Desk, "Back to the desk")
		return v, false
	}
	return v, true
}

// limits of the texts an editor writes, by kind.
var textLimits = map[digest.EditKind]int{digest.EditHeadline: digest.MaxHeadline, digest.EditSummary: digest.MaxSummary, digest.EditIntro: digest.MaxIntro}

// deskEdit records one change to a story: pin, unpin, drop, restore, up,
// down, a move to another section, a new headline or summary.
func (s *Server) deskEdit(w http.ResponseWriter, r *http.Request) {
	ed, ok := s.signedIn(w, r)
	if !ok {
		return
	}
	v, ok := s.deskDraft(w, r)
	if !ok {
		return
	}
	kind := digest.EditKind(r.PostForm.Get("action"))
	if !kind.StoryEdit() {
		s.deskMessage(w, http.StatusBadRequest, "Unknown change", "The desk does not know that change. Nothing was changed.", route.Desk, "Back to the desk")
		return
	}
	id := r.PostForm.Get("story")
	story, found := v.Edited.Story(id)
	if !found {
		s.deskMessage(w, http.StatusConflict, "Story gone", "That story is no longer in the draft (it was rebuilt meanwhile). Nothing was changed.", route.Desk, "Back to the desk")
		return
	}
	value := r.PostForm.Get("value")
	switch kind {
	case digest.EditSection:
		value = r.PostForm.Get("section")
		if !slices.Contains(append([]string{digest.TopSection}, v.Edited.Sections...), value) {
			s.deskMessage(w, http.StatusBadRequest, "Unknown section", "Choose one of the draft's sections. Nothing was changed.", route.Desk, "Back to the desk")
			return
		}
		if value == digest.TopSection {
			value = ""
		}
	case digest.EditHeadline, digest.EditSummary:
		if !s.deskText(w, kind, value) {
			return
		}
		value = digest.CleanEditText(kind, value)
	default:
		value = ""
	}
	base, _ := strconv.ParseInt(r.PostForm.Get("base"), 10, 64)
	e := digest.Edit{Slot: v.Draft.Slot, Story: id, Kind: kind, Value: value, Editor: ed, At: s.Now()}
	if _, err := s.desk.Drafts.AddEdit(r.Context(), e, base); err != nil {
		s.deskEditFailed(w, r, ed, e, story.Entry.Article.Title, err)
		return
	}
	http.Redirect(w, r, route.Desk+"?done="+string(kind)+"#story-"+strconv.Itoa(storyIndex(v, id)), http.StatusSeeOther)
}

func storyIndex(v digest.DraftView, id string) int {
	for i, s := range v.Edited.Stories {
		if s.Entry.Article.ID == id {
			return i + 1
		}
	}
	return 0
}

// deskText refuses a text over its limit (the form's maxlength says so
// too); on refusal it has answered.
func (s *Server) deskText(w http.ResponseWriter, kind digest.EditKind, value string) bool {
	if n := utf8.RuneCountInString(value); n > textLimits[kind] {
		s.deskMessage(w, http.StatusUnprocessableEntity, "Too long",
			"The "+string(kind)+" is "+strconv.Itoa(n)+" characters long; at most "+strconv.Itoa(textLimits[kind])+" fit. Nothing was changed.", route.Desk, "Back to the desk")
		return false
	}
	return true
}

// deskEditFailed explains a refused edit. A text that another editor
// changed meanwhile is shown next to this editor's, so neither is lost.
func (s *Server) deskEditFailed(w http.ResponseWriter, r *http.Request, ed string, e digest.Edit, title string, err error) {
	if !errors.Is(err, digest.ErrConflict) {
		s.fail(w, r, err)
		return
	}
	v, verr := s.desk.Service.CurrentView(r.Context())
	if verr != nil || !e.Kind.TextEdit() || (v.Draft.State != digest.DraftOpen && v.Draft.State != digest.DraftHeld) {
		s.deskMessage(w, http.StatusConflict, "Not changed",
			"The draft was approved, held or sent meanwhile and takes no more edits, so nothing was changed. Hold it to change it again.", route.Desk, "Back to the desk")
		return
	}
	c := &deskConflict{Field: string(e.Kind), Yours: e.Value}
	if e.Kind == digest.EditIntro {
		c.Theirs = v.Edited.Issue.Intro
	} else if st, ok := v.Edited.Story(e.Story); ok {
		c.Story = storyIndex(v, e.Story)
		c.Theirs = st.Entry.Article.Title
		if e.Kind == digest.EditSummary {
			c.Theirs = strings.Join(st.Entry.Article.Summary, " ")
		}
	}
	dv := s.deskView(v)
	dv.Conflict = c
	s.renderDesk(w, http.StatusConflict, "desk", deskPage{Title: "Desk", Editor: ed, View: dv,
		Error: "Someone else changed the " + string(e.Kind) + " of “" + title + "” while you were editing it. Nothing was saved: compare both below and save again."})
}

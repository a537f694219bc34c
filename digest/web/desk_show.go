package web

import (
	"errors"
	"html/template"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/weeklywrap/digest/digest"
	"github.com/weeklywrap/digest/digest/route"
)

// deskView is what the desk page shows of the draft.
type deskView struct {
	Slot        time.Time
	SlotUnix    int64
	State       digest.DraftState
	Version     int
	Mode        string
	Deadline    string
	Number      int
	Subject     string
	Intro       string // as it stands (edited or generated)
	IntroBase   int64  // the intro edit the form starts from
	IntroEdited bool
	Stories     []deskStory
	Sections    []string // where a story can be moved: the top stories, then each section
	Edits       []deskEdit
	Editable    bool // open or held: edits are taken
	Approve     bool // the approve button is offered
	Hold        bool
	Release     bool
	Bookmarklet template.URL
	Conflict    *deskConflict
}

type deskStory struct {
	N                         int
	ID                        string
	Title, URL, Source        string
	Section                   string
	Score                     float64
	Why                       string
	Summary                   string
	Note                      string
	In, Pinned, Pick, Dropped bool
	Restorable, Edited        bool
	HeadlineBase, SummaryBase int64
	First, Last               bool // first or last of its section: no up or down
}

type deskEdit struct {
	At     time.Time
	Editor string
	What   string
}

// deskConflict is a text edit refused because another editor's came in
// between: both texts are shown, and the form starts from theirs.
type deskConflict struct {
	Story  int // 0 for the intro
	Field  string
	Theirs string
	Yours  string
}

// Notices after a change (the redirect names one; no text comes from the URL).
var deskNotices = map[string]string{
	"pin": "Pinned.", "unpin": "Unpinned.", "drop": "Dropped.", "restore": "Restored.", "up": "Moved up.", "down": "Moved down.",
	"section": "Moved to the section.", "headline": "Headline saved.", "summary": "Summary saved.", "intro": "Intro saved.",
	"hold": "The draft is held: it will not go out until it is released.", "release": "The hold is lifted.",
	"approve": "Approved. It goes out at its slot (or now, if the slot has passed).", "link": "Link added as an editor's pick.",
	"pooled": "Link added. The draft is approved, so it waits for the next one.",
}

func (s *Server) showDesk(w http.ResponseWriter, r *http.Request) {
	ed, ok := s.signedIn(w, r)
	if !ok {
		return
	}
	v, err := s.desk.Service.CurrentView(r.Context())
	if errors.Is(err, digest.ErrNotFound) {
		s.renderDesk(w, http.StatusOK, "desk", deskPage{Title: "Desk", Editor: ed,
			Message: "No draft is under review now. The next one is built before the next slot (review.lead) and mailed to the editors."})
		return
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.renderDesk(w, http.StatusOK, "desk", deskPage{Title: "Desk", Editor: ed, View: s.deskView(v), Notice: deskNotices[r.URL.Query().Get("done")]})
}

func (s *Server) deskView(v digest.DraftView) *deskView {
	d, ed := v.Draft, v.Edited
	dv := &deskView{Slot: d.Slot, SlotUnix: d.Slot.Unix(), State: d.State, Version: d.Version, Mode: s.desk.Mode, Deadline: s.desk.Deadline,
		Number: ed.Issue.Number, Subject: ed.Issue.Subject, Intro: ed.Issue.Intro, IntroBase: ed.IntroEdit, IntroEdited: ed.IntroEdit != 0,
		Editable: d.State == digest.DraftOpen || d.State == digest.DraftHeld,
		Approve:  d.State == digest.DraftOpen || d.State == digest.DraftHeld,
		Hold:     d.State == digest.DraftOpen || d.State == digest.DraftApproved,
		Release:  d.State == digest.DraftHeld,
		Sections: append([]string{digest.TopSection}, ed.Sections...)}
	notes := map[string]string{}
	for _, l := range v.Links {
		notes[l.Article.ID] = l.Note
	}
	for i, st := range ed.Stories {
		a := st.Entry.Article
		sec := st.Section
		if st.In && sec == "" {
			sec = digest.TopSection
		}
		src := a.SiteName
		if src == "" {
			src = a.Source.Name
		}
		dv.Stories = append(dv.Stories, deskStory{N: i + 1, ID: a.ID, Title: a.Title, URL: safeLink(a.URL), Source: src, Section: sec,
			Score: st.Entry.Score, Why: st.Entry.Why, Summary: strings.Join(a.Summary, " "), Note: st.Entry.Note,
			In: st.In, Pinned: st.Pinned, Pick: st.Pick, Dropped: st.Dropped, Restorable: st.Restorable,
			Edited: st.HeadlineEdit != 0 || st.SummaryEdit != 0, HeadlineBase: st.HeadlineEdit, SummaryBase: st.SummaryEdit})
	}
	for i := range dv.Stories {
		st := &dv.Stories[i]
		if !st.In {
			continue
		}
		st.First = i == 0 || dv.Stories[i-1].Section != st.Section || !dv.Stories[i-1].In
		st.Last = i == len(dv.Stories)-1 || dv.Stories[i+1].Section != st.Section || !dv.Stories[i+1].In
	}
	titles := map[string]string{}
	for _, st := range dv.Stories {
		titles[st.ID] = st.Title
	}
	for i := len(v.Edits) - 1; i >= 0; i-- {
		e := v.Edits[i]
		dv.Edits = append(dv.Edits, deskEdit{At: e.At, Editor: e.Editor, What: describeEdit(e, titles)})
	}
	// A bookmarklet runs on the page being read, not on this site: it only
	// opens the confirm page, and adding still needs that page's POST.
	dv.Bookmarklet = template.URL("javascript:location.href=" + strconv.Quote(route.Site(s.Site.BaseURL).URL(route.DeskAdd)+"?url=") + "+encodeURIComponent(location.href)")
	return dv
}

func describeEdit(e digest.Edit, titles map[string]string) string {
	story := titles[e.Story]
	if story == "" {
		story = e.Story
	}
	clip := func(s string) string {
		if r := []rune(s); len(r) > 80 {
			return string(r[:79]) + "…"
		}
		return s
	}
	switch e.Kind {
	case digest.EditHeadline, digest.EditSummary:
		if e.Value == "" {
			return "restored the original " + string(e.Kind) + " of “" + story + "”"
		}
		return "changed the " + string(e.Kind) + " of “" + story + "” to “" + clip(e.Value) + "”"
	case digest.EditIntro:
		if e.Value == "" {
			return "restored the generated intro"
		}
		return "wrote the intro: “" + clip(e.Value) + "”"
	case digest.EditSection:
		to := e.Value
		if to == "" {
			to = digest.TopSection
		}
		return "moved “" + story + "” to " + to
	case digest.EditLink:
		return "added the link " + e.Value
	case digest.EditHold, digest.EditRelease, digest.EditApprove, digest.EditSkip:
		what := map[digest.EditKind]string{digest.EditHold: "held the draft", digest.EditRelease: "released the draft",
			digest.EditApprove: "approved the draft", digest.EditSkip: "skipped the draft"}[e.Kind]
		if e.Value != "" {
			what += " (" + e.Value + ")"
		}
		return what
	}
	return string(e.Kind) + " “" + story + "”"
}

// safeLink keeps http(s) links only; anything else shows no link.
func safeLink(u string) string {
	l := strings.ToLower(strings.TrimSpace(u))
	if strings.HasPrefix(l, "http://") || strings.HasPrefix(l, "https://") {
		return u
	}
	return ""
}

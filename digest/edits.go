package digest

import (
	"slices"
	"strconv"
	"strings"
	"unicode"
)

// TopSection is how the desk names the top stories when a story is moved
// there; in an edit it is written as the empty section.
const TopSection = "Top stories"

// DiscussedSection is how the desk names the most discussed stories, which
// stand apart from the sections (an issue shows each story once).
const DiscussedSection = "Most discussed"

// Limits on what an editor may write, in characters.
const (
	MaxHeadline = 300
	MaxSummary  = 2000
	MaxIntro    = 4000
	MaxNote     = 500
	MaxSection  = 100
)

// CleanEditText makes an editor's text safe to store and show: control
// characters go (a headline also loses its line breaks, since it becomes
// the subject line), runs of spaces fold, paragraphs (a blank line) stay
// in an intro and a summary, and the text is cut to the kind's limit.
func CleanEditText(kind EditKind, s string) string {
	limit, paragraphs := MaxSummary, true
	switch kind {
	case EditHeadline:
		limit, paragraphs = MaxHeadline, false
	case EditIntro:
		limit = MaxIntro
	case EditSection:
		limit, paragraphs = MaxSection, false
	case EditLink:
		limit = MaxNote
	}
	s = strings.ReplaceAll(s, "\r\n", "\n")
	var paras []string
	for _, p := range strings.Split(s, "\n\n") {
		p = strings.Join(strings.FieldsFunc(p, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) }), " ")
		if p != "" {
			paras = append(paras, p)
		}
	}
	sep := "\n\n"
	if !paragraphs {
		sep = " "
	}
	out := strings.Join(paras, sep)
	if r := []rune(out); len(r) > limit {
		out = strings.TrimSpace(string(r[:limit]))
	}
	return out
}

// Story is one candidate of a draft as the desk shows it, after the edits.
type Story struct {
	Entry      Entry
	Section    string // the section it is in; "" for the top stories or when left out
	In         bool   // in the issue
	Pinned     bool
	Pick       bool // a link an editor added
	Dropped    bool // left out by an editor
	Restorable bool // left out, with its text kept so it can come back
	// Title and Summary are the curated ones, before any edit.
	Title, Summary string
	// HeadlineEdit and SummaryEdit are the IDs of the last edit of each
	// (0: the original): a text edit names the one it started from.
	HeadlineEdit, SummaryEdit int64
}

// Edited is a draft with its edits and links applied: the issue it would
// send now, and every candidate story for the desk.
type Edited struct {
	Issue     Issue
	Stories   []Story  // in the issue's order, then the left-out ones
	Sections  []string // section names below the top stories, in order
	Intro     string   // the generated intro, before any edit
	IntroEdit int64    // ID of the last intro edit (0: the generated one)
}

// Story returns the story with that ID.
func (ed *Edited) Story(id string) (Story, bool) {
	for _, s := range ed.Stories {
		if s.Entry.Article.ID == id {
			return s, true
		}
	}
	return Story{}, false
}

type storyList struct {
	name string // "" for the top stories
	ids  []string
}

// place is where the curation put a story: its section and index.
type place struct {
	section string
	index   int
}

type applier struct {
	entries   map[string]*Entry
	home      map[string]place
	lists     []*storyList
	pinned    map[string]bool
	picks     map[string]bool
	dropped   []string
	extra     map[string]Entry
	copies    map[string]bool // most discussed entries that repeat a story above (issues built before they stood apart)
	headlines map[string]Edit
	summaries map[string]Edit
}

// ApplyEdits applies links and edits, in order, over the draft's curated
// issue. Edits name stories by ID, so they survive a rebuild; an edit of a
// story that is no longer a candidate is ignored. It is pure: the same
// draft, links and edits give the same issue.
func ApplyEdits(d Draft, links []Link, edits []Edit) Edited {
	ap := &applier{entries: map[string]*Entry{}, home: map[string]place{}, pinned: map[string]bool{},
		picks: map[string]bool{}, extra: map[string]Entry{}, copies: map[string]bool{}, headlines: map[string]Edit{}, summaries: map[string]Edit{}}
	base := d.Issue
	top := &storyList{}
	ap.lists = append(ap.lists, top)
	for _, e := range base.Top {
		ap.add(top, e)
	}
	for _, s := range base.Sections {
		name := s.Name
		if name == "" {
			name = "More stories"
		}
		l := ap.list(name, true)
		for _, e := range s.Entries {
			ap.add(l, e)
		}
	}
	for _, e := range base.MostDiscussed {
		if _, above := ap.entries[e.Article.ID]; above && e.Article.ID != "" {
			ap.copies[e.Article.ID] = true
			continue
		}
		ap.add(ap.list(DiscussedSection, true), e)
	}
	for _, e := range d.Extra {
		if _, in := ap.entries[e.Article.ID]; !in && e.Article.ID != "" {
			ap.extra[e.Article.ID] = e
		}
	}
	for i, l := range links {
		id := l.Article.ID
		if id == "" {
			id = "link:" + strconv.FormatInt(l.ID, 10)
		}
		if old := ap.entries[id]; old != nil {
			ap.remove(id)
		}
		a := l.Article
		a.ID, a.Pinned = id, true
		e := Entry{Article: a, Note: l.Note, Why: "editor's pick, added by " + l.AddedBy}
		ap.entries[id] = &e
		ap.picks[id], ap.pinned[id] = true, true
		top.ids = slices.Insert(top.ids, min(i, len(top.ids)), id)
		ap.home[id] = place{"", i}
		delete(ap.extra, id)
	}
	var introEdit Edit
	for _, ed := range edits {
		id := ed.Story
		switch ed.Kind {
		case EditIntro:
			introEdit = ed
			continue
		case EditHeadline:
			if ap.known(id) {
				ap.headlines[id] = ed
			}
			continue
		case EditSummary:
			if ap.known(id) {
				ap.summaries[id] = ed
			}
			continue
		}
		if !ed.Kind.StoryEdit() || !ap.known(id) {
			continue
		}
		li, pos := ap.find(id)
		switch ed.Kind {
		case EditPin:
			ap.take(id)
			ap.remove(id)
			top.ids = slices.Insert(top.ids, ap.pinnedCount(), id)
			ap.pinned[id] = true
		case EditUnpin:
			if ap.pinned[id] {
				delete(ap.pinned, id)
				ap.remove(id)
				ap.insertHome(id)
			}
		case EditDrop:
			if li >= 0 {
				ap.remove(id)
				delete(ap.pinned, id)
				ap.dropped = append(ap.dropped, id)
			}
		case EditRestore:
			if li < 0 {
				ap.take(id)
				ap.insertHome(id)
			}
		case EditUp, EditDown:
			l := ap.lists[max(li, 0)]
			to := pos - 1
			if ed.Kind == EditDown {
				to = pos + 1
			}
			if li >= 0 && to >= 0 && to < len(l.ids) {
				l.ids[pos], l.ids[to] = l.ids[to], l.ids[pos]
			}
		case EditSection:
			name := CleanEditText(EditSection, ed.Value)
			if name == TopSection {
				name = ""
			}
			if li < 0 {
				ap.take(id)
			}
			ap.remove(id)
			if name == "" {
				top.ids = append(top.ids, id)
			} else {
				delete(ap.pinned, id)
				l := ap.list(name, true)
				l.ids = append(l.ids, id)
			}
		}
	}
	return ap.result(d, introEdit)
}

func (ap *applier) add(l *storyList, e Entry) {
	id := e.Article.ID
	if id == "" {
		id = "story:" + strconv.Itoa(len(ap.entries)+1)
		e.Article.ID = id
	}
	if _, dup := ap.entries[id]; dup {
		return
	}
	ap.entries[id] = &e
	ap.home[id] = place{l.name, len(l.ids)}
	l.ids = append(l.ids, id)
}

// list returns the section named name, appending it if create.
func (ap *applier) list(name string, create bool) *storyList {
	if name == "" {
		return ap.lists[0]
	}
	for _, l := range ap.lists[1:] {
		if l.name == name {
			return l
		}
	}
	if !create {
		return nil
	}
	l := &storyList{name: name}
	ap.lists = append(ap.lists, l)
	return l
}

func (ap *applier) known(id string) bool {
	if id == "" {
		return false
	}
	if _, ok := ap.entries[id]; ok {
		return true
	}
	_, ok := ap.extra[id]
	return ok
}

// take makes a left-out story with kept text a candidate again.
func (ap *applier) take(id string) {
	if _, ok := ap.entries[id]; ok {
		ap.dropped = slices.DeleteFunc(ap.dropped, func(s string) bool { return s == id })
		return
	}
	if e, ok := ap.extra[id]; ok {
		ap.entries[id] = &e
		delete(ap.extra, id)
	}
}

func (ap *applier) find(id string) (list, pos int) {
	for i, l := range ap.lists {
		if j := slices.Index(l.ids, id); j >= 0 {
			return i, j
		}
	}
	return -1, -1
}

func (ap *applier) remove(id string) {
	if li, pos := ap.find(id); li >= 0 {
		ap.lists[li].ids = slices.Delete(ap.lists[li].ids, pos, pos+1)
	}
	ap.dropped = slices.DeleteFunc(ap.dropped, func(s string) bool { return s == id })
}

func (ap *applier) pinnedCount() int {
	n := 0
	for _, id := range ap.lists[0].ids {
		if ap.pinned[id] {
			n++
		}
	}
	return n
}

// insertHome puts a story back where the curation had it: its section at
// its place (below the pinned stories on top); a story the curation left
// out goes to the end of the last section.
func (ap *applier) insertHome(id string) {
	h, ok := ap.home[id]
	if !ok {
		l := ap.lists[len(ap.lists)-1]
		l.ids = append(l.ids, id)
		return
	}
	idx := h.index
	l := ap.list(h.section, true)
	if h.section == "" {
		idx = max(idx, ap.pinnedCount())
	}
	l.ids = slices.Insert(l.ids, min(idx, len(l.ids)), id)
}

func (ap *applier) entry(id string) Entry {
	e := *ap.entries[id]
	e.Article.Pinned = ap.pinned[id]
	if ed, ok := ap.headlines[id]; ok {
		if t := CleanEditText(EditHeadline, ed.Value); t != "" {
			e.Article.Title = t
		}
	}
	if ed, ok := ap.summaries[id]; ok {
		if t := CleanEditText(EditSummary, ed.Value); t != "" {
			e.Article.Summary, e.Article.SummaryFixed = []string{t}, true
		}
	}
	return e
}

func (ap *applier) result(d Draft, intro Edit) Edited {
	base := d.Issue
	out := Edited{Issue: base, Intro: base.Intro, IntroEdit: intro.ID}
	if t := CleanEditText(EditIntro, intro.Value); intro.ID != 0 && t != "" {
		out.Issue.Intro = t
	}
	out.Issue.Top, out.Issue.Sections, out.Issue.MostDiscussed, out.Issue.Skipped = nil, nil, nil, nil
	story := func(id string) Story {
		orig := ap.entries[id]
		return Story{Entry: ap.entry(id), Pinned: ap.pinned[id], Pick: ap.picks[id],
			Title: orig.Article.Title, Summary: strings.Join(orig.Article.Summary, " "),
			HeadlineEdit: ap.headlines[id].ID, SummaryEdit: ap.summaries[id].ID}
	}
	in := map[string]bool{}
	for i, l := range ap.lists {
		var entries []Entry
		for _, id := range l.ids {
			s := story(id)
			s.In, s.Section = true, l.name
			in[id] = true
			entries = append(entries, s.Entry)
			out.Stories = append(out.Stories, s)
		}
		if i == 0 {
			out.Issue.Top = entries
			continue
		}
		if l.name == DiscussedSection {
			out.Issue.MostDiscussed = append(out.Issue.MostDiscussed, entries...)
			continue
		}
		out.Sections = append(out.Sections, l.name)
		if len(entries) > 0 {
			out.Issue.Sections = append(out.Issue.Sections, Section{Name: l.name, Entries: entries})
		}
	}
	for _, e := range base.MostDiscussed {
		if id := e.Article.ID; ap.copies[id] && in[id] {
			ed := ap.entry(id)
			e.Article.Title, e.Article.Summary, e.Article.Pinned = ed.Article.Title, ed.Article.Summary, ed.Article.Pinned
			out.Issue.MostDiscussed = append(out.Issue.MostDiscussed, e)
		}
	}
	for _, id := range ap.dropped {
		s := story(id)
		s.Dropped, s.Restorable = true, true
		s.Entry.Why = "dropped by an editor; was: " + s.Entry.Why
		out.Stories = append(out.Stories, s)
		light := s.Entry
		light.Article.Paragraphs, light.Article.HTML, light.Article.Comments = nil, "", nil
		out.Issue.Skipped = append(out.Issue.Skipped, light)
	}
	listed := map[string]bool{}
	for _, e := range base.Skipped {
		id := e.Article.ID
		if in[id] || listed[id] || slices.Contains(ap.dropped, id) {
			continue
		}
		listed[id] = true
		out.Issue.Skipped = append(out.Issue.Skipped, e)
		s := Story{Entry: e, Title: e.Article.Title}
		if x, ok := ap.extra[id]; ok {
			s.Entry, s.Restorable = x, true
			s.Summary = strings.Join(x.Article.Summary, " ")
			s.Entry.Why = e.Why
		}
		out.Stories = append(out.Stories, s)
	}
	return out
}

package digest

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

func entry(id string) Entry {
	return Entry{Article: Article{ID: id, Title: "Title " + id, Summary: []string{"Summary of " + id + "."},
		Paragraphs: []string{"Body of " + id + "."}}, Why: "why " + id}
}

func testDraft() Draft {
	return Draft{
		Slot: time.Date(2026, 3, 23, 7, 0, 0, 0, time.UTC),
		Issue: Issue{Intro: "Generated intro.", Top: []Entry{entry("a"), entry("b")},
			Sections:      []Section{{Name: "S1", Entries: []Entry{entry("c"), entry("d")}}, {Name: "S2", Entries: []Entry{entry("e")}}},
			MostDiscussed: []Entry{entry("c")},
			Skipped:       []Entry{{Article: Article{ID: "x", Title: "Title x"}, Why: "cut x"}, {Article: Article{ID: "y", Title: "Title y"}, Why: "folded y"}}},
		Extra: []Entry{entry("x")},
	}
}

// layout writes the issue as "a b | S1: c d | S2: e" with pinned stories starred.
func layout(is Issue) string {
	var parts []string
	ids := func(es []Entry) string {
		var s []string
		for _, e := range es {
			id := e.Article.ID
			if e.Article.Pinned {
				id += "*"
			}
			s = append(s, id)
		}
		return strings.Join(s, " ")
	}
	parts = append(parts, ids(is.Top))
	for _, sec := range is.Sections {
		parts = append(parts, sec.Name+": "+ids(sec.Entries))
	}
	return strings.Join(parts, " | ")
}

// edits makes edits from pairs of "kind" or "kind=value" and a story ID.
func edits(kv ...string) []Edit {
	var out []Edit
	for i := 0; i+1 < len(kv); i += 2 {
		kind, value, _ := strings.Cut(kv[i], "=")
		out = append(out, Edit{ID: int64(len(out) + 1), Kind: EditKind(kind), Story: kv[i+1], Value: value, Editor: "ed@example.org"})
	}
	return out
}

func TestApplyEditsOrder(t *testing.T) {
	for _, tc := range []struct {
		name  string
		edits []Edit
		want  string
	}{
		{"no edits", nil, "a b | S1: c d | S2: e"},
		{"pin", edits("pin", "d"), "d* a b | S1: c | S2: e"},
		{"pin two keeps pin order", edits("pin", "d", "pin", "e"), "d* e* a b | S1: c"},
		{"unpin goes home", edits("pin", "d", "unpin", "d"), "a b | S1: c d | S2: e"},
		{"drop", edits("drop", "a"), "b | S1: c d | S2: e"},
		{"drop then restore goes home below pins", edits("pin", "e", "drop", "a", "restore", "a"), "e* a b | S1: c d"},
		{"restore a story the curation cut", edits("restore", "x"), "a b | S1: c d | S2: e x"},
		{"pin a story the curation cut", edits("pin", "x"), "x* a b | S1: c d | S2: e"},
		{"a folded story without text cannot come back", edits("restore", "y", "pin", "y"), "a b | S1: c d | S2: e"},
		{"up and down within a section", edits("down", "c", "up", "b"), "b a | S1: d c | S2: e"},
		{"up at the top edge does nothing", edits("up", "a", "down", "e"), "a b | S1: c d | S2: e"},
		{"move to another section", edits("section=S1", "e"), "a b | S1: c d e"},
		{"move to the top stories", edits("section=Top stories", "c"), "a b c | S1: d | S2: e"},
		{"move to a new section", edits("section=Later", "a"), "b | S1: c d | S2: e | Later: a"},
		{"unknown story is ignored", edits("pin", "nope", "drop", ""), "a b | S1: c d | S2: e"},
		{"state edits change nothing", edits("hold", "", "approve", "a"), "a b | S1: c d | S2: e"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ed := ApplyEdits(testDraft(), nil, tc.edits)
			if got := layout(ed.Issue); got != tc.want {
				t.Errorf("got  %s\nwant %s", got, tc.want)
			}
		})
	}
}

func TestApplyEditsTextAndLinks(t *testing.T) {
	d := testDraft()
	links := []Link{
		{ID: 1, Note: "Worth your time.", AddedBy: "ed@example.org", Article: Article{ID: "p", Title: "Picked"}},
		{ID: 2, AddedBy: "admin", Article: Article{ID: "c", Title: "Better copy of c"}},
	}
	es := []Edit{
		{ID: 1, Kind: EditHeadline, Story: "a", Value: "New <b>headline</b>\r\nfor a"},
		{ID: 2, Kind: EditSummary, Story: "c", Value: "Editor's summary of c."},
		{ID: 3, Kind: EditIntro, Value: "Our intro.\n\nSecond paragraph."},
		{ID: 4, Kind: EditHeadline, Story: "b", Value: "first"},
		{ID: 5, Kind: EditHeadline, Story: "b", Value: ""}, // back to the original
	}
	ed := ApplyEdits(d, links, es)
	if got := layout(ed.Issue); got != "p* c* a b | S1: d | S2: e" {
		t.Errorf("links: %s", got)
	}
	if ed.Issue.Top[0].Note != "Worth your time." || !strings.Contains(ed.Issue.Top[0].Why, "ed@example.org") {
		t.Errorf("pick lacks its note or who added it: %+v", ed.Issue.Top[0])
	}
	a := ed.Issue.Top[2].Article
	if a.Title != "New <b>headline</b> for a" {
		t.Errorf("headline %q: want one line, kept as text (escaping is the renderer's)", a.Title)
	}
	if ed.Issue.Top[3].Article.Title != "Title b" {
		t.Errorf("an empty headline must restore the original, got %q", ed.Issue.Top[3].Article.Title)
	}
	if c := ed.Issue.Top[1].Article; c.Title != "Better copy of c" || strings.Join(c.Summary, "") != "Editor's summary of c." || !c.SummaryFixed {
		t.Errorf("summary edit of c not applied over the pick that replaced it: %+v", c)
	}
	if ed.Issue.Intro != "Our intro.\n\nSecond paragraph." || ed.Intro != "Generated intro." || ed.IntroEdit != 3 {
		t.Errorf("intro: %q (generated %q, edit %d)", ed.Issue.Intro, ed.Intro, ed.IntroEdit)
	}
	if len(ed.Issue.MostDiscussed) != 1 || ed.Issue.MostDiscussed[0].Article.Title != "Better copy of c" {
		t.Errorf("most discussed should follow edits: %+v", ed.Issue.MostDiscussed)
	}
	s, ok := ed.Story("b")
	if !ok || s.HeadlineEdit != 5 || s.Title != "Title b" {
		t.Errorf("story b: %+v", s)
	}
}

func TestApplyEditsSurviveRebuild(t *testing.T) {
	es := edits("pin", "d", "drop", "a", "section=S2", "c")
	es = append(es, Edit{ID: 9, Kind: EditHeadline, Story: "e", Value: "Edited e"})
	first := ApplyEdits(testDraft(), nil, es)
	if got := layout(first.Issue); got != "d* b | S2: e c" {
		t.Fatalf("first build: %s", got)
	}
	// A rebuild: story b is gone, f arrived and ranks first; the edits
	// are keyed by story, so they still apply.
	d := testDraft()
	d.Issue.Top = []Entry{entry("f"), entry("a")}
	d.Issue.Sections[0].Entries = []Entry{entry("c"), entry("d"), entry("b2")}
	ed := ApplyEdits(d, nil, es)
	if got := layout(ed.Issue); got != "d* f | S1: b2 | S2: e c" {
		t.Errorf("after rebuild: %s", got)
	}
	if ed.Issue.Sections[1].Entries[0].Article.Title != "Edited e" {
		t.Errorf("headline edit lost in the rebuild")
	}
	if len(ed.Issue.Skipped) == 0 || ed.Issue.Skipped[0].Article.ID != "a" || !strings.Contains(ed.Issue.Skipped[0].Why, "dropped") {
		t.Errorf("dropped story not listed as left out: %+v", ed.Issue.Skipped)
	}
	if ed.Issue.Skipped[0].Article.Paragraphs != nil {
		t.Errorf("a left-out story keeps only what explains it")
	}
	// Every candidate is listed once.
	seen := map[string]int{}
	for _, s := range ed.Stories {
		seen[s.Entry.Article.ID]++
	}
	for id, n := range seen {
		if n != 1 {
			t.Errorf("story %s listed %d times", id, n)
		}
	}
	if len(seen) != 8 { // f a c d b2 e, x (cut, restorable) and y (folded)
		t.Errorf("%d stories listed, want 8: %v", len(seen), seen)
	}
}

func TestApplyEditsDeterministic(t *testing.T) {
	es := edits("pin", "e", "down", "a", "drop", "c", "restore", "x", "up", "x")
	first := fmt.Sprint(ApplyEdits(testDraft(), nil, es).Issue)
	for range 20 {
		if got := fmt.Sprint(ApplyEdits(testDraft(), nil, es).Issue); got != first {
			t.Fatal("ApplyEdits gave two different issues for the same input")
		}
	}
}

func TestCleanEditText(t *testing.T) {
	for _, tc := range []struct {
		kind EditKind
		in   string
		want string
	}{
		{EditHeadline, "  Two\r\nlines\tand\x00 nul ", "Two lines and nul"},
		{EditHeadline, "Para\n\nbreak", "Para break"},
		{EditIntro, "One.\r\n\r\nTwo  words.\n\n\n\nThree.", "One.\n\nTwo words.\n\nThree."},
		{EditSummary, "\u2028Line\u0085sep", "Line sep"},
		{EditHeadline, strings.Repeat("x", MaxHeadline+50), strings.Repeat("x", MaxHeadline)},
	} {
		if got := CleanEditText(tc.kind, tc.in); got != tc.want {
			t.Errorf("CleanEditText(%s, %q) = %q, want %q", tc.kind, tc.in, got, tc.want)
		}
	}
}

// BenchmarkApplyEdits applies a busy week's edits (500: pins, drops,
// moves, texts) over a full draft (30 stories in 5 sections and 100 kept
// left-out ones), as every desk page view and the send do.
func BenchmarkApplyEdits(b *testing.B) {
	d := Draft{Issue: Issue{Intro: "Generated."}}
	for i := range 3 {
		d.Issue.Top = append(d.Issue.Top, entry(fmt.Sprintf("t%d", i)))
	}
	for s := range 5 {
		sec := Section{Name: fmt.Sprintf("S%d", s)}
		for i := range 6 {
			sec.Entries = append(sec.Entries, entry(fmt.Sprintf("s%d-%d", s, i)))
		}
		d.Issue.Sections = append(d.Issue.Sections, sec)
	}
	for i := range 100 {
		x := entry(fmt.Sprintf("x%d", i))
		d.Extra = append(d.Extra, x)
		d.Issue.Skipped = append(d.Issue.Skipped, Entry{Article: Article{ID: x.Article.ID, Title: x.Article.Title}, Why: "cut"})
	}
	kinds := []EditKind{EditPin, EditDrop, EditRestore, EditUp, EditDown, EditSection, EditHeadline, EditSummary, EditUnpin}
	var es []Edit
	for i := range 500 {
		k := kinds[i%len(kinds)]
		story := fmt.Sprintf("s%d-%d", i%5, i%6)
		if i%7 == 0 {
			story = fmt.Sprintf("x%d", i%100)
		}
		es = append(es, Edit{ID: int64(i + 1), Kind: k, Story: story, Value: fmt.Sprintf("S%d", i%5)})
	}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		ed := ApplyEdits(d, nil, es)
		if len(ed.Stories) == 0 {
			b.Fatal("no stories")
		}
	}
	b.ReportMetric(float64(b.N)*float64(len(es))/b.Elapsed().Seconds(), "edits/s")
	b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N), "µs/apply")
}

// TestApplyEditsDiscussedApart: the most discussed stories of an issue
// stand apart from the sections; edits reach them like any story.
func TestApplyEditsDiscussedApart(t *testing.T) {
	d := testDraft()
	m := entry("m")
	m.Highlight = &Comment{Author: "Reader", Text: "A comment worth quoting here."}
	d.Issue.MostDiscussed = []Entry{m}
	mdIDs := func(is Issue) string {
		var ids []string
		for _, e := range is.MostDiscussed {
			ids = append(ids, e.Article.ID)
		}
		return strings.Join(ids, " ")
	}
	ed := ApplyEdits(d, nil, nil)
	if got := mdIDs(ed.Issue); got != "m" || ed.Issue.MostDiscussed[0].Highlight == nil {
		t.Errorf("most discussed = %q, want m with its quote", got)
	}
	if got := layout(ed.Issue); got != "a b | S1: c d | S2: e" {
		t.Errorf("layout %s: the most discussed story must not join a section", got)
	}
	for _, s := range ed.Sections {
		if s == DiscussedSection {
			t.Errorf("sections to move to %q include the most discussed", ed.Sections)
		}
	}
	ed = ApplyEdits(d, nil, edits("headline=Edited m", "m"))
	if len(ed.Issue.MostDiscussed) != 1 || ed.Issue.MostDiscussed[0].Article.Title != "Edited m" {
		t.Errorf("a headline edit must reach the most discussed: %+v", ed.Issue.MostDiscussed)
	}
	ed = ApplyEdits(d, nil, edits("drop", "m"))
	if got := mdIDs(ed.Issue); got != "" {
		t.Errorf("dropped, m is still most discussed: %q", got)
	}
	ed = ApplyEdits(d, nil, edits("drop", "m", "restore", "m"))
	if got := mdIDs(ed.Issue); got != "m" {
		t.Errorf("restored, m should be back in most discussed: %q", got)
	}
	ed = ApplyEdits(d, nil, edits("pin", "m"))
	if got := layout(ed.Issue); got != "m* a b | S1: c d | S2: e" || mdIDs(ed.Issue) != "" {
		t.Errorf("pinned m: %s, most discussed %q", got, mdIDs(ed.Issue))
	}
}

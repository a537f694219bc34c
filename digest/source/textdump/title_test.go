package textdump

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func textLines(ss ...string) []line {
	out := make([]line, len(ss))
	for i, s := range ss {
		out[i] = line{text: s}
	}
	return out
}

func TestWordy(t *testing.T) {
	tests := []struct {
		in   string
		want bool
	}{
		{"Ferry operator scraps winter plan", true},
		{"-->", false},
		{"18.2/km2 (47.1/sq mi) (203rd)", false},
		{"[Docs] [txt|pdf] [Tracker] [Email]", false},
		{"欲張りなイヌ", true},
	}
	for _, tt := range tests {
		if got := wordy(tt.in); got != tt.want {
			t.Errorf("wordy(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
}

func TestTocEntry(t *testing.T) {
	d := newDoc(textLines("Contents", "1 History", "2 Products", "2.1 Browsers", "3 Community", "Some text follows here."), nil)
	for i, want := range []bool{false, true, true, true, true, false} {
		if got := d.tocEntry(i); got != want {
			t.Errorf("tocEntry(%d %q) = %v, want %v", i, d.lines[i].text, got, want)
		}
	}
	d = newDoc(textLines("Intro", "3 surprising findings from our survey", "The survey asked people."), nil)
	if d.tocEntry(1) {
		t.Errorf("a lone numbered headline is not a contents entry")
	}
}

func TestPageName(t *testing.T) {
	tests := []struct {
		name  string
		lines []line
		want  int
	}{
		{"repeated name", textLines("Harbour Town", "From the town wiki", "Contents", "Harbour Town", "Harbour Town is a port."), 0},
		{"skips a dateline", textLines("May 4, 2024", "Notes", "May 4, 2024", "Notes", "Text."), 1},
		{"nothing repeated", textLines("Harbour Town", "From the town wiki", "Text."), -1},
	}
	for _, tt := range tests {
		d := newDoc(tt.lines, nil)
		if got := d.pageName(len(tt.lines)); got != tt.want {
			t.Errorf("%s: pageName = %d, want %d", tt.name, got, tt.want)
		}
	}
}

func TestRepeats(t *testing.T) {
	d := newDoc(textLines("Shared history", "Shared history¶", "Other", "Shared history", "Home | Shared history"), nil)
	if got := d.repeats(0, 3); got != 3 {
		t.Errorf("repeats(0, 3) = %d, want 3", got)
	}
	if got := d.repeats(0, 2); got != 2 {
		t.Errorf("repeats(0, 2) = %d, want 2 (capped)", got)
	}
	if got := d.repeats(2, 3); got != 0 {
		t.Errorf("repeats(2, 3) = %d, want 0", got)
	}
}

// TestDatelineOverHeadline: a teaser whose card ends just above the
// article's dateline must not take the headline that stands under it.
func TestDatelineOverHeadline(t *testing.T) {
	page := `Most read
Lighthouse keeper retires after forty years Mara Quist
Sign in
Monday, March 3, 2025 9:15 AM UTC
Harbour chiefs back costly fix for crumbling Victorian stone pier
Tom Vale

The harbour board voted on Monday to rebuild the old stone pier before the winter storms, after engineers warned that another season of heavy seas could bring down its outer end.

The pier, built in the 1890s, shelters the small boats that still fish from the harbour, and its outer end has lost several large stones in the last two winters.

Work will start in May and should take four months, during which the boats will moor in the inner basin and the pier will be closed to walkers.

The board will pay for most of the work from its reserves, with the rest coming from a grant for coastal defences that it applied for last year.
`
	a, err := Extract("pier.txt", []byte(page), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if want := "Harbour chiefs back costly fix for crumbling Victorian stone pier"; a.Title != want {
		t.Errorf("title = %q, want %q", a.Title, want)
	}
}

// TestTitleOverPostedBy picks the headline that a "Posted by … on date"
// line follows, not the section heading just above the text.
func TestTitleOverPostedBy(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("testdata", "pages", "devlog.txt"))
	if err != nil {
		t.Fatal(err)
	}
	a, err := Extract("devlog.txt", data, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if want := "Weekly devlog #41 - the beta is near"; a.Title != want {
		t.Errorf("title = %q, want %q", a.Title, want)
	}
	if !strings.HasPrefix(a.Text(), "This week we closed") {
		t.Errorf("body starts %.40q", a.Text())
	}
}

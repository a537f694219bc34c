package textdump

import (
	"os"
	"path/filepath"
	"slices"
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

func TestWordsPairsHanAndKana(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"Harbour chiefs vote", []string{"harbour", "chiefs", "vote"}},
		{"港口改建", []string{"港口", "口改", "改建"}},
		{"新iPhone发布", []string{"新", "iphone", "发布"}},
		{"港", []string{"港"}},
		{"항구 재건", []string{"항구", "재건"}}, // Korean spaces its words
	}
	for _, tt := range tests {
		if got := words(tt.in); !slices.Equal(got, tt.want) {
			t.Errorf("words(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// TestCaptionInBodyNotTitle: a photo caption among the first lines of the
// text shares every word with the text because it is part of it; the
// headline above, which shares the story's words, is the title.
func TestCaptionInBodyNotTitle(t *testing.T) {
	page := `首页|新闻|图片|评论|娱乐|财经|体育|旅游|视频|汽车

首页 >> 新闻 >> 正文

港口委员会决定重建旧石码头

发稿时间：2025-03-03 09:15:00

图为港口旧石码头的外端，摄于今年二月。

港口委员会周一投票决定，在冬季风暴来临之前重建旧石码头，因为工程师警告说，再经历一个大浪的季节，码头的外端可能会倒塌。

这座码头建于十九世纪九十年代，为仍在港口捕鱼的小船遮风挡浪，过去两个冬天里，码头外端已经掉落了几块大石头。

工程将于五月开始，预计需要四个月，在此期间小船将停泊在内港，码头也将对行人关闭。

委员会将从储备金中支付大部分费用，其余部分来自去年申请的海岸防护拨款。

热点

推荐

排行

专题

图集

直播
`
	a, err := Extract("pier.txt", []byte(page), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if want := "港口委员会决定重建旧石码头"; a.Title != want {
		t.Errorf("title = %q, want %q", a.Title, want)
	}
}

// TestContinuationNotTitle: a subtitle that carries on a sentence ("...or,
// …") is not the headline, even when the headline is a short one.
func TestContinuationNotTitle(t *testing.T) {
	page := `pier restoration

...or, why the old pier must stand.

The harbour board voted on Monday to rebuild the old stone pier before the winter storms, after engineers warned that another season of heavy seas could bring down its outer end of the pier.

The pier, built in the 1890s, shelters the small boats that still fish from the harbour, and its outer end has lost several large stones in the last two winters.

Work on the pier restoration will start in May and should take four months, during which the boats will moor in the inner basin, so that the old pier can stand for another century.

Home

Archive

Projects

Photos

About

Contact
`
	a, err := Extract("pier.txt", []byte(page), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if want := "pier restoration"; a.Title != want {
		t.Errorf("title = %q, want %q", a.Title, want)
	}
}

// TestTopicPrefixKept: "Topic：Detail" is the whole headline when the
// detail stands again as a subheading; a site name before the colon
// would also stand alone on the page.
func TestTopicPrefixKept(t *testing.T) {
	d := newDoc(textLines("港口新闻", "码头重建：委员会投票通过", "委员会投票通过", "新闻：委员会投票通过"), nil)
	if !d.topicPrefix("码头重建：委员会投票通过", "委员会投票通过") {
		t.Errorf("a topic that stands nowhere alone is part of the headline")
	}
	d = newDoc(textLines("Harbour News", "Harbour News: Board backs pier fix", "Board backs pier fix"), nil)
	if d.topicPrefix("Harbour News: Board backs pier fix", "Board backs pier fix") {
		t.Errorf("a site name that stands alone is not part of the headline")
	}
	if d.topicPrefix("Harbour News | Board backs pier fix", "Board backs pier fix") {
		t.Errorf("only a colon joins a topic")
	}
}

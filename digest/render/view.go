package render

import (
	"strings"
	"time"
	"unicode/utf8"

	"github.com/weeklywrap/digest/digest"
	"github.com/weeklywrap/digest/digest/route"
)

// issueView is what both email templates see. Every string is already
// folded to one line; html/template escapes it.
type issueView struct {
	Newsletter    Newsletter
	Issue         *digest.Issue
	Subject       string
	Number        int
	Date          string   // the slot's date, "Sunday, 22 November 2026"
	WebURL        string   // view in browser
	SubscribeURL  string   // for readers of the web version
	Preheader     string   // the intro's first sentence
	Intro         []string // paragraphs
	Top           []entryView
	Sections      []sectionView
	MostDiscussed []entryView
	Links         []linkRef // numbered references for the text part
	Count         int
	Personal      Personal // placeholders while preparing
}

type sectionView struct {
	Name    string
	Entries []entryView
}

type entryView struct {
	Title       string
	URL         string
	Ref         int // number of URL in Links, 0 when there is no URL
	Source      string
	Author      string
	Date        string // "22 Nov 2026"; "from 2011" for a story of an earlier year than the issue's window; empty when unknown
	Minutes     int
	ReadTime    string // "5 min read", in the newsletter's language
	Comments    int
	CommentText string // "14 comments"; empty when there are none
	Summary     string
	Also        string // "Ars Technica and The Verge"
	Quote       string // a reader comment, for most-discussed
	QuoteAuthor string
	Note        string     // an editor's note on a story they picked
	Image       *imageView // the lead image, nil when there is none or images are off
	Entry       *digest.Entry
}

// moreSection is the name curation gives the stories that match no topic
// (curate.MoreSection): a label, so it is shown in the newsletter's
// language. Topic names come from the config and stay as written.
const moreSection = "More this week"

// imageView is a lead image as the email shows it: a thumbnail of
// thumbWidth pixels, its height from the source's aspect ratio.
type imageView struct {
	URL           string
	Width, Height int
	Alt           string
}

// thumbWidth is the lead images' width in the email; thumbHeight the
// height used when the source gives no size (a 3:2 frame).
const (
	thumbWidth  = 120
	thumbHeight = 80
)

// leadImage checks and sizes a story's image. Only absolute http(s) URLs
// are taken; html/template escapes the attribute.
func leadImage(img *digest.Image, title string) *imageView {
	if img == nil {
		return nil
	}
	u := strings.TrimSpace(img.URL)
	if !hasScheme(u, "https://") && !hasScheme(u, "http://") || len(u) > 2048 {
		return nil
	}
	v := &imageView{URL: normalizeURL(u), Width: thumbWidth, Height: thumbHeight, Alt: oneLine(img.Alt)}
	if img.Width > 0 && img.Height > 0 {
		v.Height = min(max(thumbWidth*img.Height/img.Width, 40), 240)
	}
	if v.Alt == "" {
		v.Alt = title
	}
	return v
}

type linkRef struct {
	N   int
	URL string
}

func (r *Renderer) view(is *digest.Issue, subject string) *issueView {
	v := &issueView{
		Newsletter:   r.nl,
		Issue:        is,
		Subject:      subject,
		Number:       is.Number,
		WebURL:       WebURL(r.nl.BaseURL, is.Number),
		SubscribeURL: route.Site(r.nl.BaseURL).URL(route.Home),
		Count:        is.ArticleCount(),
	}
	if !is.Slot.IsZero() {
		v.Date = r.cat.LongDate(is.Slot.In(r.nl.Location))
	}
	for _, p := range strings.Split(strings.ReplaceAll(is.Intro, "\r\n", "\n"), "\n\n") {
		if p = oneLine(p); p != "" {
			v.Intro = append(v.Intro, p)
		}
	}
	if len(v.Intro) > 0 {
		v.Preheader = firstSentence(v.Intro[0])
	}
	refs := map[string]int{}
	entry := func(e *digest.Entry) entryView {
		a := &e.Article
		ev := entryView{
			Title:    oneLine(a.Title),
			URL:      articleURL(a.URL),
			Source:   oneLine(a.SiteName),
			Author:   oneLine(a.Author),
			Minutes:  a.ReadingMinutes(),
			Comments: max(a.CommentCount, len(a.Comments)),
			Note:     oneLine(e.Note),
			Entry:    e,
		}
		if ev.Title == "" {
			ev.Title = r.cat.T("Untitled")
		}
		if ev.Source == "" {
			ev.Source = oneLine(a.Source.Name)
		}
		ev.Date = storyDate(a, is, r.nl.Location, r.cat)
		if !r.nl.NoImages {
			ev.Image = leadImage(a.Image, ev.Title)
		}
		ev.ReadTime = r.cat.Tf("%d min read", ev.Minutes)
		if ev.Comments > 0 {
			ev.CommentText = plural(ev.Comments, r.cat.T("comment"), r.cat.T("comments"))
		}
		if ev.URL != "" {
			n, ok := refs[ev.URL]
			if !ok {
				n = len(v.Links) + 1
				refs[ev.URL] = n
				v.Links = append(v.Links, linkRef{N: n, URL: ev.URL})
			}
			ev.Ref = n
		}
		// Whole sentences, as curation chose them within its word budget:
		// the template never cuts a summary or a quote.
		ev.Summary = oneLine(strings.Join(a.Summary, " "))
		var names []string
		seen := map[string]bool{strings.ToLower(ev.Source): true}
		for _, s := range e.AlsoCoveredBy {
			n := oneLine(s.Name)
			if n != "" && !seen[strings.ToLower(n)] {
				seen[strings.ToLower(n)] = true
				names = append(names, n)
			}
		}
		ev.Also = r.cat.JoinAnd(names)
		if h := e.Highlight; h != nil {
			ev.Quote = oneLine(h.Text)
			ev.QuoteAuthor = oneLine(h.Author)
		}
		return ev
	}
	for i := range is.Top {
		v.Top = append(v.Top, entry(&is.Top[i]))
	}
	for _, s := range is.Sections {
		sv := sectionView{Name: oneLine(s.Name)}
		if sv.Name == moreSection {
			sv.Name = r.cat.T(moreSection)
		}
		for i := range s.Entries {
			sv.Entries = append(sv.Entries, entry(&s.Entries[i]))
		}
		if len(sv.Entries) > 0 {
			if sv.Name == "" {
				sv.Name = r.cat.T("More stories")
			}
			v.Sections = append(v.Sections, sv)
		}
	}
	for i := range is.MostDiscussed {
		v.MostDiscussed = append(v.MostDiscussed, entry(&is.MostDiscussed[i]))
	}
	if v.Preheader == "" {
		// Without an intro the inbox would preview "View this issue in
		// your browser"; the lead story says more.
		if es := is.Entries(); len(es) > 0 {
			v.Preheader = clipRunes(oneLine(es[0].Article.Title), 150)
		}
	}
	return v
}

// firstSentence returns s up to its first sentence end (". " and the like),
// clipped for the preheader, which inboxes show in about 100 characters.
func firstSentence(s string) string {
	for i := 0; i < len(s)-1; i++ {
		if (s[i] == '.' || s[i] == '!' || s[i] == '?') && s[i+1] == ' ' && i > 20 {
			s = s[:i+1]
			break
		}
	}
	return clipRunes(s, 150)
}

func clipRunes(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	cut := string([]rune(s)[:n])
	if i := strings.LastIndexByte(cut, ' '); i > n/2 {
		cut = cut[:i]
	}
	return strings.TrimRight(cut, " ,;:") + "…"
}

// storyDate is the date shown with a story: the day, or for a story of an
// earlier year that is older than the issue's window, "from 2011", so that
// an old page is read as what it is.
func storyDate(a *digest.Article, is *digest.Issue, loc *time.Location, cat *Catalog) string {
	if a.Published.IsZero() {
		return ""
	}
	start := is.WindowStart
	if start.IsZero() && !is.Slot.IsZero() {
		start = is.Slot.AddDate(0, 0, -7)
	}
	p := a.Published.In(loc)
	if !start.IsZero() && p.Before(start) && p.Year() < start.In(loc).Year() {
		return cat.Tf("from %d", p.Year())
	}
	return cat.ShortDate(p)
}

// Meta is the story's byline for the text part: source, author, date,
// reading time and comments.
func (e entryView) Meta() string {
	parts := make([]string, 0, 5)
	for _, s := range []string{e.Source, e.Author, e.Date} {
		if s != "" {
			parts = append(parts, s)
		}
	}
	parts = append(parts, e.ReadTime)
	if e.CommentText != "" {
		parts = append(parts, e.CommentText)
	}
	return strings.Join(parts, " · ")
}

// articleURL is the link for a story: http(s) only, percent-encoded so that
// it cannot break a line of the text part; "" means no link.
func articleURL(s string) string {
	u := safeURL(s)
	if u == "#" || hasScheme(u, "mailto:") {
		return ""
	}
	return u
}

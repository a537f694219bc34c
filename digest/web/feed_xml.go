package web

import (
	"context"
	"encoding/xml"
	"net/http"
	"time"

	"github.com/weeklywrap/digest/digest"
	"github.com/weeklywrap/digest/digest/route"
)

type atomLink struct {
	Href string `xml:"href,attr"`
	Rel  string `xml:"rel,attr,omitempty"`
	Type string `xml:"type,attr,omitempty"`
}

type atomEntry struct {
	Title   string    `xml:"title"`
	ID      string    `xml:"id"`
	Updated string    `xml:"updated"`
	Link    atomLink  `xml:"link"`
	Summary string    `xml:"summary,omitempty"`
	Content *atomText `xml:"content,omitempty"`
}

type atomText struct {
	Type string `xml:"type,attr"`
	Body string `xml:",chardata"`
}

// feedContent is how many of the newest entries carry the issue's whole
// content; older ones keep their summary, so the feed stays small.
const feedContent = 10

type atomFeed struct {
	XMLName xml.Name    `xml:"http://www.w3.org/2005/Atom feed"`
	Title   string      `xml:"title"`
	ID      string      `xml:"id"`
	Updated string      `xml:"updated"`
	Links   []atomLink  `xml:"link"`
	Author  string      `xml:"author>name"`
	Entries []atomEntry `xml:"entry"`
}

// issueHTML reads only the stored HTML of issue n where the store can.
func (s *Server) issueHTML(ctx context.Context, n int) (string, error) {
	if h, ok := s.Store.(interface {
		IssueHTML(ctx context.Context, n int) (string, error)
	}); ok {
		return h.IssueHTML(ctx, n)
	}
	st, err := s.Store.IssueByNumber(ctx, n)
	return st.HTML, err
}

// atomFeed lists the issues as an Atom feed, newest first, so readers can
// follow the newsletter in a feed reader instead of by mail.
func (s *Server) atomFeed(w http.ResponseWriter, r *http.Request) {
	issues, err := s.Store.ListIssues(r.Context(), 50)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	site := route.Site(s.Site.BaseURL)
	f := atomFeed{Title: s.Site.Title, ID: site.URL(route.Home), Author: s.Site.Title,
		Links: []atomLink{{Href: site.URL(route.Home), Rel: "alternate", Type: "text/html"}, {Href: site.URL(route.Feed), Rel: "self", Type: "application/atom+xml"}},
		// Atom requires <updated>; with no issue yet, now is the truth
		// (1970 would read as a broken feed).
		Updated: s.Now().UTC().Format(time.RFC3339)}
	for i, is := range issues {
		updated := is.BuiltAt
		if updated.IsZero() {
			updated = is.Slot
		}
		if i == 0 {
			f.Updated = updated.UTC().Format(time.RFC3339)
		}
		link := site.Issue(is.Number)
		e := atomEntry{Title: is.Subject, ID: link, Updated: updated.UTC().Format(time.RFC3339),
			Link: atomLink{Href: link, Rel: "alternate", Type: "text/html"}, Summary: is.Intro}
		if i < feedContent {
			// The issue as the site shows it: the stories, with their
			// summaries and links, escaped as Atom's type="html" wants.
			html, err := s.issueHTML(r.Context(), is.Number)
			if err != nil {
				// The entry keeps its summary: one unreadable issue does
				// not take the feed down.
				s.Log.Warn("atom feed: issue content", "issue", is.Number, "error", err)
			} else if body, ok := issueBody(digest.StoredIssue{HTML: html}); ok {
				e.Content = &atomText{Type: "html", Body: `<table role="presentation" width="100%">` + body + `</table>`}
			}
		}
		f.Entries = append(f.Entries, e)
	}
	w.Header().Set("Content-Type", "application/atom+xml; charset=utf-8")
	_, _ = w.Write([]byte(xml.Header))
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(f); err != nil {
		s.Log.Error("atom feed", "error", err)
	}
}

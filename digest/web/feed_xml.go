package web

import (
	"encoding/xml"
	"net/http"
	"strconv"
	"strings"
	"time"
)

type atomLink struct {
	Href string `xml:"href,attr"`
	Rel  string `xml:"rel,attr,omitempty"`
	Type string `xml:"type,attr,omitempty"`
}

type atomEntry struct {
	Title   string   `xml:"title"`
	ID      string   `xml:"id"`
	Updated string   `xml:"updated"`
	Link    atomLink `xml:"link"`
	Summary string   `xml:"summary,omitempty"`
}

type atomFeed struct {
	XMLName xml.Name    `xml:"http://www.w3.org/2005/Atom feed"`
	Title   string      `xml:"title"`
	ID      string      `xml:"id"`
	Updated string      `xml:"updated"`
	Links   []atomLink  `xml:"link"`
	Author  string      `xml:"author>name"`
	Entries []atomEntry `xml:"entry"`
}

// atomFeed lists the issues as an Atom feed, newest first, so readers can
// follow the newsletter in a feed reader instead of by mail.
func (s *Server) atomFeed(w http.ResponseWriter, r *http.Request) {
	issues, err := s.Store.ListIssues(r.Context(), 50)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	base := strings.TrimRight(s.Site.BaseURL, "/")
	f := atomFeed{Title: s.Site.Title, ID: base + "/", Author: s.Site.Title,
		Links: []atomLink{{Href: base + "/", Rel: "alternate", Type: "text/html"}, {Href: base + "/feed.xml", Rel: "self", Type: "application/atom+xml"}},
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
		link := base + "/issues/" + strconv.Itoa(is.Number)
		f.Entries = append(f.Entries, atomEntry{Title: is.Subject, ID: link, Updated: updated.UTC().Format(time.RFC3339),
			Link: atomLink{Href: link, Rel: "alternate", Type: "text/html"}, Summary: is.Intro})
	}
	w.Header().Set("Content-Type", "application/atom+xml; charset=utf-8")
	_, _ = w.Write([]byte(xml.Header))
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(f); err != nil {
		s.Log.Error("atom feed", "error", err)
	}
}

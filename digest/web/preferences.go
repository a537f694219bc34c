package web

import (
	"net/http"
	"slices"
	"strings"

	"github.com/weeklywrap/digest/digest"
	"github.com/weeklywrap/digest/digest/route"
	"github.com/weeklywrap/digest/digest/token"
)

type topicOption struct {
	Name    string
	ID      string
	Checked bool
}

// prefsView is what the preferences page shows.
type prefsView struct {
	Name         string
	Topics       []topicOption
	AllTopics    bool
	Paused       bool
	Unsubscribed bool
	Saved        bool
	Action       string
	Resubscribe  string
	Unsubscribe  string
}

func (s *Server) prefsSubscriber(w http.ResponseWriter, r *http.Request) (digest.Subscriber, bool) {
	return s.tokenSubscriber(w, r, token.Preferences)
}

func (s *Server) prefsPage(w http.ResponseWriter, r *http.Request, sub digest.Subscriber, saved bool) {
	tok := r.PathValue("token")
	_, unsub := s.personalLinks(sub.ID)
	v := &prefsView{Name: sub.Name, Paused: sub.Paused, Unsubscribed: sub.Status == digest.StatusUnsubscribed,
		Saved: saved, Action: route.Path.Preferences(tok), Resubscribe: route.Path.Resubscribe(tok), Unsubscribe: unsub,
		AllTopics: len(sub.Topics) == 0}
	for i, t := range s.Topics {
		v.Topics = append(v.Topics, topicOption{Name: t, ID: "topic-" + string(rune('a'+i%26)),
			Checked: len(sub.Topics) == 0 || slices.Contains(sub.Topics, t)})
	}
	s.render(w, http.StatusOK, "preferences", page{Title: s.cat.T("Your preferences"), Email: sub.Email, Prefs: v})
}

func (s *Server) showPreferences(w http.ResponseWriter, r *http.Request) {
	if sub, ok := s.prefsSubscriber(w, r); ok {
		s.prefsPage(w, r, sub, false)
	}
}

// savePreferences stores name, topics and pause. Choosing every topic (or
// none) is stored as "all", so topics added later reach the subscriber too.
func (s *Server) savePreferences(w http.ResponseWriter, r *http.Request) {
	sub, ok := s.prefsSubscriber(w, r)
	if !ok {
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, 16<<10)
	if err := r.ParseForm(); err != nil {
		s.fail(w, r, digest.ErrInvalid)
		return
	}
	prefs := digest.Preferences{Name: digest.CleanName(r.PostForm.Get("name")), Paused: r.PostForm.Get("paused") == "on"}
	var topics []string
	for _, t := range r.PostForm["topics"] {
		if slices.Contains(s.Topics, t) && !slices.Contains(topics, t) {
			topics = append(topics, t)
		}
	}
	if len(topics) == len(s.Topics) {
		topics = nil
	}
	prefs.Topics = topics
	// Only what the form holds is written: an unsubscribe or a bounce
	// since the page was loaded stands.
	if err := s.Store.SavePreferences(r.Context(), sub.ID, prefs); err != nil {
		s.fail(w, r, err)
		return
	}
	sub, err := s.Store.Subscriber(r.Context(), sub.ID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.prefsPage(w, r, sub, true)
}

// resubscribe brings back someone who left, from their preferences link.
// They confirmed the address once already, so no new opt-in is needed; an
// address that bounced for good stays off the list.
func (s *Server) resubscribe(w http.ResponseWriter, r *http.Request) {
	sub, ok := s.prefsSubscriber(w, r)
	if !ok {
		return
	}
	sub, err := s.Store.Resubscribe(r.Context(), sub.ID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if sub.Status == digest.StatusSuppressed || sub.Status == digest.StatusUnsubscribed {
		s.render(w, http.StatusOK, "message", page{Title: s.cat.T("Cannot subscribe"),
			Message: s.cat.Tf("Mail to %s has bounced, so we no longer send to it. Please write to the editors if that has changed.", sub.Email),
			Link:    route.Path.Preferences(r.PathValue("token")), LinkText: s.cat.T("Back to your preferences")})
		return
	}
	msg := s.cat.Tf("Welcome back: you are subscribed to %s again.", s.Site.Title)
	if sub.Status == digest.StatusPending {
		msg = s.cat.T("Please subscribe again from the home page to confirm your address.")
	}
	s.render(w, http.StatusOK, "message", page{Title: s.cat.T("Subscribed again"), Message: strings.TrimSpace(msg),
		Link: route.Path.Preferences(r.PathValue("token")), LinkText: s.cat.T("Back to your preferences")})
}

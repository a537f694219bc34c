package web

import (
	"crypto/subtle"
	"encoding/json"
	"errors"
	"mime"
	"net/http"
	"strings"
	"time"

	"github.com/weeklywrap/digest/digest"
)

// apiAddLink is POST /api/links: a link for the next draft from a script,
// a phone shortcut or another tool, with "Authorization: Bearer
// <web.api_token>". The body is JSON {"url": ..., "note": ...} or a form
// with the same fields. It answers JSON: 201 with the link, 401 without
// the right token, 422 with the reason a page cannot be added.
func (s *Server) apiAddLink(w http.ResponseWriter, r *http.Request) {
	reply := func(status int, v any) {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Cache-Control", "no-store")
		w.WriteHeader(status)
		_ = json.NewEncoder(w).Encode(v)
	}
	type problem struct {
		Error string `json:"error"`
	}
	if s.desk.APIToken == "" {
		reply(http.StatusNotFound, problem{"the links API is off: set web.api_token to use it"})
		return
	}
	auth := r.Header.Get("Authorization")
	got, isBearer := strings.CutPrefix(auth, "Bearer ")
	if !isBearer || subtle.ConstantTimeCompare([]byte(strings.TrimSpace(got)), []byte(s.desk.APIToken)) != 1 {
		w.Header().Set("WWW-Authenticate", `Bearer realm="digest"`)
		msg := "missing token: send Authorization: Bearer <web.api_token>"
		if auth != "" {
			msg = "wrong token: send Authorization: Bearer <web.api_token>"
			s.Log.Warn("links API: wrong token", "ip", s.clientIP(r))
		}
		reply(http.StatusUnauthorized, problem{msg})
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, 16<<10)
	var in struct {
		URL  string `json:"url"`
		Note string `json:"note"`
	}
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if mt == "application/json" {
		if err := json.NewDecoder(r.Body).Decode(&in); err != nil {
			reply(http.StatusBadRequest, problem{"the body is not JSON like {\"url\": \"https://…\", \"note\": \"…\"}"})
			return
		}
	} else {
		if err := r.ParseForm(); err != nil {
			reply(http.StatusBadRequest, problem{"the body could not be read (at most 16 KB)"})
			return
		}
		in.URL, in.Note = r.PostForm.Get("url"), r.PostForm.Get("note")
	}
	l, err := s.desk.Service.AddLink(r.Context(), in.URL, in.Note, "api")
	var rf *digest.Refusal
	if errors.As(err, &rf) {
		reply(http.StatusUnprocessableEntity, problem{rf.Msg})
		return
	}
	if err != nil {
		s.Log.Error("links API", "error", err)
		reply(http.StatusInternalServerError, problem{"the link could not be stored; try again later"})
		return
	}
	out := struct {
		ID    int64  `json:"id"`
		URL   string `json:"url"`
		Title string `json:"title"`
		Draft string `json:"draft,omitempty"` // the slot of the draft it joined; empty while it waits for the next
	}{ID: l.ID, URL: l.URL, Title: l.Article.Title}
	if !l.Slot.IsZero() {
		out.Draft = l.Slot.UTC().Format(time.RFC3339)
	}
	reply(http.StatusCreated, out)
}

package web

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"

	"github.com/weeklywrap/digest/digest"
)

func (s *Server) writeIssue(w http.ResponseWriter, st digest.StoredIssue) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	_, _ = w.Write([]byte(st.HTML))
}

func (s *Server) showLatest(w http.ResponseWriter, r *http.Request) {
	st, err := s.Store.LatestIssue(r.Context())
	if errors.Is(err, digest.ErrNotFound) {
		s.render(w, http.StatusOK, "message", page{Title: "Coming soon",
			Message: "The first issue of " + s.Site.Title + " has not been published yet."})
		return
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.writeIssue(w, st)
}

func (s *Server) showIssue(w http.ResponseWriter, r *http.Request) {
	n, err := strconv.Atoi(r.PathValue("n"))
	if err != nil || n < 1 {
		s.fail(w, r, fmt.Errorf("issue %q: %w", r.PathValue("n"), digest.ErrNotFound))
		return
	}
	st, err := s.Store.IssueByNumber(r.Context(), n)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.writeIssue(w, st)
}

func (s *Server) showArchive(w http.ResponseWriter, r *http.Request) {
	issues, err := s.Store.ListIssues(r.Context(), 500)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, http.StatusOK, "archive", page{Title: "Archive", Issues: issues})
}

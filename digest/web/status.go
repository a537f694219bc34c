package web

import (
	"net/http"
	"time"

	"github.com/weeklywrap/digest/digest"
)

// FeedStatus is one feed's line on /status.
type FeedStatus struct {
	Name, URL    string
	LastFetched  time.Time
	LastError    string
	Failures     int
	FailingSince time.Time
	Failing      bool
}

// StatusView is what /status shows the operator.
type StatusView struct {
	Last     *digest.StoredIssue
	Queue    digest.QueueStats
	Feeds    []FeedStatus
	Failing  int
	NextSlot time.Time
	// What `digest status` prints besides: the list by state, the issues
	// not yet sent to everyone, the outbox of notices, the deliveries
	// that failed lately and the bounces and complaints of the last days.
	Subscribers                                  int
	Confirmed, Pending, Unsubscribed, Suppressed int
	Unfinished, Depth                            int
	Outbox                                       digest.QueueStats
	RecentFailures                               int
	Feedback                                     []digest.FeedbackCount
	FeedbackDays                                 int
}

func (s *Server) showStatus(w http.ResponseWriter, r *http.Request) {
	if s.Status == nil {
		s.fail(w, r, digest.ErrNotFound)
		return
	}
	v, err := s.Status(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, http.StatusOK, "status", page{Title: "Status", StatusView: &v})
}

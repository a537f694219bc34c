package config

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func TestReviewDefaultsLeaveItOff(t *testing.T) {
	cfg, err := Parse("c.yaml", []byte("# nothing\n"), env(nil))
	if err != nil {
		t.Fatal(err)
	}
	r := cfg.Review
	if r.On() || r.Mode != ReviewOff || r.Lead != 24*time.Hour || r.Deadline != DeadlineWait || r.Remind != 2*time.Hour ||
		r.LinkTTL != 30*time.Minute || r.Session != 12*time.Hour || cfg.Web.APIToken != "" {
		t.Errorf("review defaults: %+v, api token %q", r, cfg.Web.APIToken)
	}
}

func TestReviewParses(t *testing.T) {
	y := "review:\n  mode: approve\n  lead: 6h\n  editors: [Ed@Example.org, ann@example.org]\n  deadline: skip\n  remind: 1h\nweb:\n  api_token: ${API:-}\n"
	cfg, err := Parse("c.yaml", []byte(y), env(map[string]string{"API": "tok-123"}))
	if err != nil {
		t.Fatal(err)
	}
	if !cfg.Review.On() || cfg.Review.Lead != 6*time.Hour || cfg.Review.Deadline != DeadlineSkip ||
		strings.Join(cfg.Review.Editors, ",") != "ed@example.org,ann@example.org" || cfg.Web.APIToken != "tok-123" {
		t.Errorf("parsed: %+v %q", cfg.Review, cfg.Web.APIToken)
	}
}

func TestReviewErrors(t *testing.T) {
	for _, tc := range []struct{ name, yaml, key, want string }{
		{"mode", "review:\n  mode: maybe\n", "review.mode", "off, veto"},
		{"deadline", "review:\n  deadline: later\n", "review.deadline", "wait, send or skip"},
		{"editor", "review:\n  editors: [not-an-address]\n", "review.editors[0]", "email address"},
		{"nobody to review", "review:\n  mode: veto\n", "review.mode", "review.editors"},
		{"lead", "review:\n  lead: 10s\n", "review.lead", "at least 1m"},
		{"link", "review:\n  link_ttl: 900h\n", "review.link_ttl", "between 1m and 168h"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse("c.yaml", []byte(tc.yaml), env(nil))
			var es Errors
			if !errors.As(err, &es) {
				t.Fatalf("err = %v, want config errors", err)
			}
			if es[0].Key != tc.key || !strings.Contains(es[0].Msg, tc.want) || es[0].Line == 0 {
				t.Errorf("got %v; want key %s saying %q, with a line", es[0], tc.key, tc.want)
			}
		})
	}
	// An admin token is enough to review.
	if _, err := Parse("c.yaml", []byte("review:\n  mode: approve\nweb:\n  admin_token: t0ken\n"), env(nil)); err != nil {
		t.Errorf("approve with only an admin token: %v", err)
	}
}

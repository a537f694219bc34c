package web_test

import (
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/weeklywrap/digest/digest"
	"github.com/weeklywrap/digest/digest/route"
	"github.com/weeklywrap/digest/digest/token"
	"github.com/weeklywrap/digest/digest/web"
	"github.com/weeklywrap/digest/internal/racetest"
	"github.com/weeklywrap/digest/internal/storetest"
)

// TestUnsubscribeSurvivesAConcurrentPreferencesSave sends, for 1,500
// subscribers, a preferences save and an unsubscribe at the same moment
// over real HTTP. Whatever the order, everyone ends unsubscribed, with
// the new name: a save writes only what the form holds, never the
// status it read before.
func TestUnsubscribeSurvivesAConcurrentPreferencesSave(t *testing.T) {
	storetest.Run(t, func(t *testing.T, st digest.Store) {
		racetest.Unsubscribe{
			Other: "preferences save",
			Site:  web.Options{Site: web.Site{Title: "The Weekly Wrap", BaseURL: "http://wrap.test"}, Topics: []string{"Security", "Open Source"}},
			Like:  digest.Subscriber{Name: "Old"},
			Do: func(s *racetest.Site, sub digest.Subscriber) error {
				form := url.Values{"name": {"New"}, "topics": {"Security"}}.Encode()
				return s.Post(route.Path.Preferences(s.Tokens.Sign(token.Preferences, sub.ID, time.Time{})), form)
			},
			Kept: func(got digest.Subscriber) bool {
				return got.Name == "New" && strings.Join(got.Topics, ",") == "Security"
			},
		}.Run(t, st, 1500)
	})
}

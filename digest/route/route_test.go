package route

import "testing"

// The links in mail already sent never expire, so the paths they hold
// must not change: this pins every link the site and the emails build.
func TestLinks(t *testing.T) {
	for _, base := range []string{"https://wrap.example", "https://wrap.example/", "https://wrap.example/news/"} {
		site := Site(base)
		b := base
		if b[len(b)-1] == '/' {
			b = b[:len(b)-1]
		}
		for _, tc := range []struct{ got, want string }{
			{site.URL(Home), b + "/"},
			{site.URL(Feed), b + "/feed.xml"},
			{site.URL(Unsubscribe), b + "/unsubscribe"},
			{site.Issue(12), b + "/issues/12"},
			{site.Confirm("tok"), b + "/confirm/tok"},
			{site.Preferences("tok"), b + "/preferences/tok"},
			{site.Resubscribe("tok"), b + "/resubscribe/tok"},
			{site.Unsubscribe("tok"), b + "/unsubscribe/tok"},
			{site.DeskSignIn("tok"), b + "/desk/signin/tok"},
			{site.URL(DeskAdd), b + "/desk/add"},
			{site.Test("k").Issue(3), b + "/test/k/issues/3"},
			{site.Test("k").URL(Preferences), b + "/test/k/preferences"},
			{site.Test("k").URL(Unsubscribe), b + "/test/k/unsubscribe"},
		} {
			if tc.got != tc.want {
				t.Errorf("base %q: got %q, want %q", base, tc.got, tc.want)
			}
		}
	}
	if got := Path.Issue(3); got != "/issues/3" {
		t.Errorf("Path.Issue(3) = %q", got)
	}
	if got := Path.Preferences("tok"); got != "/preferences/tok" {
		t.Errorf("Path.Preferences = %q", got)
	}
}

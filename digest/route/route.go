// Package route names every URL path of the site in one table: the web
// package's router serves these paths, and every link to them (in a page,
// a redirect, an email, the List-Unsubscribe header, a confirmation or an
// editor's sign-in mail, the Atom feed) is built by Site, so a path
// changes in one place. The web templates write the same paths literally
// (a templates_dir override may too); web's TestEveryLinkHasARoute holds
// them, and every Site link, to the router.
package route

import (
	"strconv"
	"strings"
)

// The site's paths, none with a trailing slash but Home. Where a comment
// names a segment, the router serves path + "/{segment}" (and Site builds
// it); the bare path may be a page of its own or nothing.
const (
	Home        = "/"
	Latest      = "/latest"
	Subscribe   = "/subscribe"
	Confirm     = "/confirm"     // {token}: the double opt-in link
	Preferences = "/preferences" // {token}: a subscriber's preferences
	Resubscribe = "/resubscribe" // {token}
	Unsubscribe = "/unsubscribe" // {token}: one-click (RFC 8058); bare: how to unsubscribe
	Issues      = "/issues"      // {n}: one issue; bare: the archive
	Feed        = "/feed.xml"
	Test        = "/test" // {key}: a test send's copy and links, see Site.Test

	Healthz = "/healthz"
	Readyz  = "/readyz"
	Status  = "/status"
	Metrics = "/metrics"
	SiteCSS = "/static/site.css"
	DeskCSS = "/static/desk.css"

	Desk             = "/desk"
	DeskSignIn       = "/desk/signin" // {token}: a sign-in link mailed to an editor
	DeskSignOut      = "/desk/signout"
	DeskEdit         = "/desk/edit"
	DeskIntro        = "/desk/intro"
	DeskState        = "/desk/state"
	DeskAdd          = "/desk/add"
	DeskLinks        = "/desk/links"
	DeskPreview      = "/desk/preview"
	DeskPreviewEmail = "/desk/preview/email"
	DeskPreviewText  = "/desk/preview/text"
	APILinks         = "/api/links"

	Webhooks = "/webhooks" // {provider}: bounce and complaint webhooks
)

// Site builds links on the site at its base URL (newsletter.base_url, with
// or without a trailing slash); Path, the empty base, builds the paths
// alone, for links within the site.
type Site string

// Path builds site-relative links: Path.Issue(3) is "/issues/3".
const Path Site = ""

func (s Site) base() string { return strings.TrimRight(string(s), "/") }

// URL is path (one of the constants) on the site.
func (s Site) URL(path string) string { return s.base() + path }

// Issue is issue n's page, its "view in browser" link.
func (s Site) Issue(n int) string { return s.base() + Issues + "/" + strconv.Itoa(n) }

// Confirm is the confirm link of a signed token.
func (s Site) Confirm(token string) string { return s.base() + Confirm + "/" + token }

// Preferences is a subscriber's preferences page under a signed token.
func (s Site) Preferences(token string) string { return s.base() + Preferences + "/" + token }

// Resubscribe is where the preferences and unsubscribe pages post to come
// back.
func (s Site) Resubscribe(token string) string { return s.base() + Resubscribe + "/" + token }

// Unsubscribe is a subscriber's one-click unsubscribe link, in the mail's
// footer and its List-Unsubscribe header.
func (s Site) Unsubscribe(token string) string { return s.base() + Unsubscribe + "/" + token }

// DeskSignIn is an editor's single-use sign-in link.
func (s Site) DeskSignIn(token string) string { return s.base() + DeskSignIn + "/" + token }

// Test is the site of a test send under its key: the copy's links lead
// to Test(key).Issue(n), and to Test(key).URL(Preferences) and
// Test(key).URL(Unsubscribe), pages that say they belong to a test.
func (s Site) Test(key string) Site { return Site(s.base() + Test + "/" + key) }

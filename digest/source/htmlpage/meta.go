package htmlpage

import (
	nurl "net/url"
	"regexp"
	"strings"
	"time"

	readability "codeberg.org/readeck/go-readability/v2"
	"github.com/markusmobius/go-trafilatura"

	"github.com/weeklywrap/digest/digest"
	"github.com/weeklywrap/digest/digest/source/clean"
)

var (
	// byPrefix is the "By" that bylines often start with; it is not a name.
	byPrefix  = regexp.MustCompile(`(?i)^(by|von|par|por|door)\s+`)
	dateLabel = regexp.MustCompile(`(?i)^\W*(?:last\s+)?(?:updated|modified|published|posted)(?:\s+on)?\W*$`)
	// bylineDate is a date that bylines often carry after the name.
	bylineDate = regexp.MustCompile(`(?i)[\s,|·–—-]*(?:(?:on|published|updated|posted)\s+)?(?:` +
		`(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s+\d{1,2}(?:st|nd|rd|th)?,?\s+\d{4}|` +
		`\d{1,2}(?:st|nd|rd|th)?\s+(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?,?\s+\d{4}|` +
		`\d{4}-\d{2}-\d{2}|\d{1,2}/\d{1,2}/\d{2,4}).*$`)
)

// fillMeta merges the metadata of both extractors: readability first
// because it reads titles and bylines better, trafilatura for what
// readability lacks and for categories and the canonical URL.
func fillMeta(art *digest.Article, ra readability.Article, rerr error, tr *trafilatura.ExtractResult, pageURL string) {
	var tm trafilatura.Metadata
	if tr != nil {
		tm = tr.Metadata
	}
	if rerr == nil {
		art.Title = clean.Text(ra.Title())
		art.Author = author(ra.Byline())
		art.SiteName = clean.Text(ra.SiteName())
		if t, err := ra.PublishedTime(); err == nil && validDate(t) {
			art.Published = t.UTC()
		}
	}
	if art.Title == "" {
		art.Title = clean.Text(tm.Title)
	}
	if art.Author == "" {
		art.Author = author(tm.Author)
	}
	if art.SiteName == "" {
		art.SiteName = clean.Text(tm.Sitename)
	}
	if art.Published.IsZero() && validDate(tm.Date) {
		art.Published = tm.Date.UTC()
	}
	if !art.Published.IsZero() {
		art.PublishedFrom = digest.DateFromMeta
	}
	art.Categories = categories(tm.Categories, tm.Tags)
	art.URL = declaredURL(tm.URL, pageURL)
}

// declaredURL resolves the URL the page declares for itself (trafilatura's
// reading of its canonical link) against where it came from, and keeps it
// only if it is a web address. It only resolves; it makes no identity or
// match key of the address (package weburl does).
func declaredURL(declared, pageURL string) string {
	declared = strings.TrimSpace(declared)
	if declared == "" {
		return pageURL
	}
	u, err := nurl.Parse(declared)
	if err != nil {
		return pageURL
	}
	if base, err := nurl.Parse(pageURL); err == nil && base.IsAbs() {
		u = base.ResolveReference(u)
	}
	if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return pageURL
	}
	return u.String()
}

// author cleans a byline down to the name(s): no "By", no date after the
// name, no trailing separators.
func author(s string) string {
	name, _ := splitByline(s)
	return name
}

// splitByline separates a byline into the name and the date text that
// follows it, if any.
func splitByline(s string) (name, date string) {
	s = clean.Text(s)
	s = byPrefix.ReplaceAllString(s, "")
	if loc := bylineDate.FindStringIndex(s); loc != nil && loc[0] > 0 {
		s, date = s[:loc[0]], s[loc[0]:]
	}
	if dateLabel.MatchString(s) {
		return "", date // "Last updated: <date>" is no name
	}
	return strings.Trim(s, " ,;|·-–—"), strings.Trim(date, " ,;|·-–—")
}

func categories(lists ...[]string) []string {
	var out []string
	seen := map[string]bool{}
	for _, l := range lists {
		for _, c := range l {
			c = clean.Text(c)
			k := strings.ToLower(c)
			if c == "" || seen[k] {
				continue
			}
			seen[k] = true
			out = append(out, c)
		}
	}
	return out
}

// validDate keeps dates that can be publication dates of a web page.
func validDate(t time.Time) bool {
	return t.Year() >= 1990 && t.Before(time.Now().Add(48*time.Hour))
}

package service

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/url"
	"strings"
	"time"

	"github.com/weeklywrap/digest/digest"
	"github.com/weeklywrap/digest/digest/source/feed"
	"github.com/weeklywrap/digest/digest/source/htmlpage"
	"github.com/weeklywrap/digest/digest/summary"
	"github.com/weeklywrap/digest/digest/weburl"
)

// MaxLinkURL is the longest URL an editor may add.
const MaxLinkURL = 2048

// AddLink adds a page an editor chose: it is fetched under the feed limits
// and only from public addresses, extracted like an HTML seed, summarized,
// and stored as an editor's pick with note. It joins the current draft
// while editors may still change it; otherwise it waits for the next one
// (or, with review off, the next issue). Bad input (a private or
// unreachable address, a page that is not HTML, too large, or holds no
// article) is a *digest.Refusal that says so, and nothing is stored.
func (s *Service) AddLink(ctx context.Context, rawURL, note, editor string) (digest.Link, error) {
	ds, err := s.Drafts()
	if err != nil {
		return digest.Link{}, err
	}
	a, err := s.FetchLink(ctx, rawURL)
	if err != nil {
		return digest.Link{}, err
	}
	l, err := ds.AddLink(ctx, digest.Link{URL: a.URL, Note: digest.CleanEditText(digest.EditLink, note), Article: a,
		AddedBy: editor, AddedAt: s.Now()})
	if err != nil {
		return l, err
	}
	s.Log.Info("link added", "url", l.URL, "by", editor, "draft", l.Slot.Format(time.RFC3339))
	return l, nil
}

// FetchLink fetches and extracts the article at rawURL (see AddLink).
func (s *Service) FetchLink(ctx context.Context, rawURL string) (digest.Article, error) {
	rawURL = strings.TrimSpace(rawURL)
	refuse := func(err error, format string, args ...any) (digest.Article, error) {
		return digest.Article{}, &digest.Refusal{Msg: fmt.Sprintf(format, args...), Err: err}
	}
	u, err := url.Parse(rawURL)
	switch {
	case rawURL == "":
		return refuse(nil, "Give the address of a page, like https://example.org/story.")
	case len(rawURL) > MaxLinkURL:
		return refuse(nil, "That address is longer than %d characters.", MaxLinkURL)
	case err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "":
		return refuse(err, "%q is not a web address: it must start with http:// or https://.", clip(rawURL, 80))
	}
	host := u.Hostname()
	page, err := s.Fetcher.FetchPage(ctx, u.String())
	var (
		dnsErr  *net.DNSError
		notHTML *feed.NotHTMLError
	)
	switch {
	case errors.Is(err, feed.ErrNotPublic):
		return refuse(err, "%s is a private or local address; only public pages can be added.", host)
	case errors.As(err, &notHTML):
		return refuse(err, "The page at %s is not HTML (%s), so it holds no article to add.", host, notHTML.MediaType)
	case errors.Is(err, feed.ErrTooLarge):
		return refuse(err, "The page at %s is larger than the limit of %d MB (sources.max_bytes).", host, s.Cfg.Sources.MaxBytes>>20)
	case errors.As(err, &dnsErr):
		return refuse(err, "%s could not be found (DNS): check the address.", host)
	case err != nil:
		return refuse(err, "The page at %s could not be fetched: %s.", host, clip(err.Error(), 200))
	}
	a, err := htmlpage.Extract(page.Body, htmlpage.Options{URL: page.URL, ContentType: page.ContentType})
	if err != nil || len(a.Paragraphs) == 0 || a.LowConfidence {
		return refuse(err, "No article was found on the page at %s (is it an index, a login or an error page?).", host)
	}
	if a.URL == "" {
		a.URL = page.URL
	}
	if c := weburl.ID(a.URL); c != "" {
		a.ID = c
	} else {
		a.URL, a.ID = page.URL, weburl.ID(page.URL)
	}
	name := a.SiteName
	if name == "" {
		name = strings.TrimPrefix(host, "www.")
	}
	a.Source = digest.Source{Name: name, Kind: digest.KindSeed, URL: a.URL}
	if !a.SummaryFixed {
		a.Summary = summary.Summarize(a.Title, a.Paragraphs, s.summaryBudget())
	}
	return a, nil
}

func clip(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return string(r[:n]) + "…"
	}
	return s
}

// summaryBudget is the configured summary length (3 sentences when unset,
// as curation does).
func (s *Service) summaryBudget() summary.Budget {
	b := summary.Budget{Sentences: s.Cfg.Summary.Sentences, Words: s.Cfg.Summary.Words}
	if b.Sentences <= 0 && b.Words <= 0 {
		b.Sentences = 3
	}
	return b
}

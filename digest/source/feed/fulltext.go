package feed

import (
	"context"
	"fmt"
	"net/http"
	"sort"
	"sync"

	"github.com/weeklywrap/digest/digest"
	"github.com/weeklywrap/digest/digest/source/clean"
)

// defaultMinWords is the body length under which an item counts as a
// teaser when Options.MinWords is zero.
const defaultMinWords = 150

// maxFullTextErrors bounds the reasons kept per feed: enough to tell the
// operator what went wrong without copying every item into the report.
const maxFullTextErrors = 5

// fullText replaces teaser bodies with the text of the linked page, under
// the same limits as feeds. On any error an article keeps the feed's own
// text; the number of such errors is returned, with the first few reasons.
func (f *Fetcher) fullText(ctx context.Context, o Options, arts []digest.Article) (int, []string) {
	minWords := o.MinWords
	if minWords <= 0 {
		minWords = defaultMinWords
	}
	var wg sync.WaitGroup
	var mu sync.Mutex
	errs := 0
	var reasons []string
	fail := func(a *digest.Article, err error) {
		mu.Lock()
		defer mu.Unlock()
		errs++
		if len(reasons) < maxFullTextErrors {
			reasons = append(reasons, a.URL+": "+err.Error())
		}
	}
	for i := range arts {
		a := &arts[i]
		if a.Words() >= minWords || !isRemote(a.URL) {
			continue
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() {
				// An extractor's panic on one page keeps the feed's own text.
				if r := recover(); r != nil {
					fail(a, fmt.Errorf("extractor failure: %v", r))
				}
			}()
			if err := f.fillFromPage(ctx, a); err != nil {
				fail(a, err)
			}
		}()
	}
	wg.Wait()
	sort.Strings(reasons) // a stable report, whatever finished first
	return errs, reasons
}

func (f *Fetcher) fillFromPage(ctx context.Context, a *digest.Article) error {
	resp, _, err := f.get(publicOnly(ctx), a.URL, acceptPage, nil)
	defer resp.done()
	if err != nil {
		return err
	}
	if resp.status != http.StatusOK {
		return statusError(resp)
	}
	body, err := clean.ToUTF8(resp.body, resp.header.Get("Content-Type"))
	if err != nil {
		return fmt.Errorf("charset: %w", err)
	}
	page, err := f.full(ctx, a.URL, body)
	if err != nil {
		return err
	}
	if page.LowConfidence {
		// Probably an index, paywall or error page: the teaser is better.
		return fmt.Errorf("no clear article on %s", a.URL)
	}
	if page.Words() <= a.Words() {
		return nil
	}
	a.Paragraphs = page.Paragraphs
	a.Confidence = page.Confidence
	a.HTML = ""
	if page.HTML != "" {
		a.HTML = clean.SanitizeHTML(page.HTML)
	}
	if a.Author == "" {
		a.Author, a.AuthorRole = page.Author, page.AuthorRole
	}
	if a.Image == nil {
		a.Image = page.Image // the page's og:image
	}
	if a.Published.IsZero() && !page.Published.IsZero() {
		a.Published, a.PublishedFrom = page.Published.UTC(), page.PublishedFrom
	}
	if a.SiteName == "" {
		a.SiteName = page.SiteName
	}
	// The feed's own count (slash:comments) stands unless the page says more.
	a.Comments, a.CommentCount = page.Comments, max(a.CommentCount, page.CommentCount)
	return nil
}

// Package textdump understands plain-text page dumps: what selecting all
// of a web page's text and copying it gives. Such a dump has lost its
// markup, so the article is found by how its lines read: running text is
// long and dense in function words; menus, share buttons, teasers and
// widgets are short, repetitive or worded like boilerplate. The longest
// dense run of text is the body; the title, byline, dateline and category
// list are looked for around it, and comments after it.
package textdump

import (
	"time"

	"github.com/weeklywrap/digest/digest"
)

// Options tune one extraction.
type Options struct {
	ModTime time.Time // file time: what relative dates ("2 days ago") count back from; never the article's date
	Corpus  *Corpus   // optional: the other dumps in the same folder, for repetition-based boilerplate
}

// Extract understands one page dump. name is only for error messages. It
// fills Title, Author, AuthorRole, Published, PublishedFrom, Categories,
// Paragraphs, Comments, CommentCount, Confidence and LowConfidence (set
// below minConfidence: a page with no recognizable article, such as a
// sign-in form or a product list); the caller sets ID, URL, Source and
// Summary. Empty or binary input is an error; invalid UTF-8 and oversized
// input give a best-effort article with LowConfidence set.
func Extract(name string, data []byte, opt Options) (digest.Article, error) {
	text, lossy, err := decode(name, data)
	if err != nil {
		return digest.Article{}, err
	}
	lines, truncated := splitLines(text)
	d := newDoc(lines, opt.Corpus)
	if len(d.lines) == 0 {
		return digest.Article{}, errEmpty(name)
	}
	d.pd = newPageDates(d.lines, opt.ModTime)
	// Line judgements in newDoc read dates before the file time was
	// known (no future-date check, no relative dates): read them again.
	clear(d.dates)
	a := d.article()
	if lossy || truncated {
		// A guessed encoding or a cut-off file: the text may be garbled
		// or incomplete, whatever its shape.
		a.Confidence = min(a.Confidence, lossyConfidence)
	}
	a.LowConfidence = a.Confidence < minConfidence
	return a, nil
}

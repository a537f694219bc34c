package curate

import (
	"strings"
	"testing"
	"time"

	"github.com/weeklywrap/digest/digest"
)

// FuzzBuild feeds hostile articles to Build: it must not panic, and every
// article must end up exactly once in the issue or in Skipped.
func FuzzBuild(f *testing.F) {
	f.Add("Title", "Some text. More text!", "http://x.example/?utm_source=a#b", "Cat", 3, int64(0))
	f.Add("", "", "", "", 0, int64(-1))
	f.Add("  \n ", "\u00a0\u2003", "::::", "ünï", -5, int64(1<<62))
	f.Add("Same title here now", "a a a a a a a a a a a a a a a a a a a a a a a a a a", "https://www.A.example/x/", "", 1000000, int64(1))
	f.Fuzz(func(t *testing.T, title, text, url, cat string, comments int, ago int64) {
		var arts []digest.Article
		for i := range 4 {
			a := digest.Article{
				ID: url, URL: url, Title: title, Categories: []string{cat},
				Paragraphs: strings.Split(strings.Repeat(text+"\n", i+1), "\n"),
				Published:  slot.Add(-time.Duration(ago)), CommentCount: comments,
				Comments: []digest.Comment{{Text: text}}, Source: feed(cat, float64(i)),
			}
			if i%2 == 1 {
				a.URL = ""
			}
			arts = append(arts, a)
		}
		is := Build(arts, Options{Now: slot, Max: 2, TopN: 1, Topics: []Topic{{Name: cat, Keywords: []string{title}}}})
		if got := is.ArticleCount() + len(is.Skipped); got != len(arts) {
			t.Fatalf("%d articles in, %d in the issue or skipped", len(arts), got)
		}
	})
}

package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/weeklywrap/digest/digest"
	"github.com/weeklywrap/digest/digest/source"
	"github.com/weeklywrap/digest/digest/source/feed"
	"github.com/weeklywrap/digest/digest/summary"
)

// extractRecord is the JSON line `extract --json` prints per article; the
// eval scorers read these field names.
type extractRecord struct {
	File          string          `json:"file"`
	URL           string          `json:"url"`
	Title         string          `json:"title"`
	Author        string          `json:"author"`
	AuthorRole    string          `json:"author_role,omitempty"`
	Published     string          `json:"published"`
	PublishedFrom string          `json:"published_from"`
	SiteName      string          `json:"site_name,omitempty"`
	Categories    []string        `json:"categories"`
	Text          string          `json:"text"`
	Comments      []commentRecord `json:"comments"`
	CommentCount  int             `json:"comment_count"`
	Summary       []string        `json:"summary"`
	Words         int             `json:"words"`
	LowConfidence bool            `json:"low_confidence,omitempty"`
	Confidence    float64         `json:"confidence"` // 0–1: how sure extraction is that text is one article
}

type commentRecord struct {
	Author    string `json:"author"`
	Title     string `json:"title"`
	Published string `json:"published"`
	Text      string `json:"text"`
}

func rfc3339(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}

func record(file string, a *digest.Article) extractRecord {
	r := extractRecord{File: file, URL: a.URL, Title: a.Title, Author: a.Author, AuthorRole: a.AuthorRole,
		Published: rfc3339(a.Published), PublishedFrom: a.PublishedFrom, SiteName: a.SiteName,
		Categories: a.Categories, Text: a.Text(), CommentCount: a.CommentCount, Summary: a.Summary,
		Words: a.Words(), LowConfidence: a.LowConfidence, Confidence: a.Confidence, Comments: []commentRecord{}}
	if r.Categories == nil {
		r.Categories = []string{}
	}
	if r.Summary == nil {
		r.Summary = []string{}
	}
	for _, c := range a.Comments {
		r.Comments = append(r.Comments, commentRecord{Author: c.Author, Title: c.Title, Published: rfc3339(c.Published), Text: c.Text})
	}
	return r
}

// readArticles understands one argument: a file path or an http(s) URL.
// A sidecar .url file that could not be used is a warning: the file is
// still read.
func (a *app) readArticles(ctx context.Context, arg string, warn io.Writer, verb string) ([]digest.Article, error) {
	if strings.HasPrefix(arg, "http://") || strings.HasPrefix(arg, "https://") {
		return a.fetchArticles(ctx, arg)
	}
	s, err := source.ReadFile(arg)
	if err != nil {
		return nil, err
	}
	if s.SidecarErr != nil {
		fmt.Fprintf(warn, "digest %s: warning: %v\n", verb, s.SidecarErr)
	}
	s.Path = arg
	return source.File(s, nil)
}

// fetchArticles reads a URL through the feed fetcher, so `extract` keeps
// the same limits (time, size, redirects) and the same public-address
// guard as the daemon: a URL pasted from a feed or a mail is as untrusted
// there as anywhere.
func (a *app) fetchArticles(ctx context.Context, u string) ([]digest.Article, error) {
	l := feed.DefaultLimits()
	l.UserAgent = feed.UserAgent(version, "")
	l.PrivatePages = a.privatePages
	p, err := feed.NewFetcher(l, nil, nil).FetchURL(ctx, u)
	if err != nil {
		return nil, fmt.Errorf("fetch: %w", err) // the caller names the URL
	}
	return source.Page(p.URL, p.Body, p.ContentType)
}

func extractCmd(a *app) *cobra.Command {
	var asJSON bool
	var sentences int
	cmd := &cobra.Command{
		Use:   "extract [--json] FILE|URL...",
		Short: "Show how a page, note or feed is understood",
		Long: `Extract each article from seed files (.txt page dumps, .html pages, .md notes),
feed files or URLs: title, author, date and where it came from, address and
publication, categories, body text, comments, summary and confidence (0-1: how
sure extraction is that the text is one article; feed items and notes are 1).
A feed gives one article per item. A seed whose text states no date is undated:
"published" is empty and "published_from" is "none" (the file's time is never
used). With --json, one JSON object per article per line. A file that cannot
be read or understood gives a one-line error on stderr; the others still
print, and the exit status is 1.`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			out := cmd.OutOrStdout()
			enc := jsonLines(out)
			return a.eachArticle(cmd, "extract", args, func(arg string, art *digest.Article) error {
				if len(art.Summary) == 0 {
					art.Summary = summary.Summarize(art.Title, art.Paragraphs, summary.Budget{Sentences: sentences})
				}
				if asJSON {
					return enc.Encode(record(arg, art))
				}
				printArticle(out, arg, art)
				return nil
			})
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print one JSON object per article per line")
	cmd.Flags().IntVar(&sentences, "sentences", 3, "summary length in sentences")
	return cmd
}

// eachArticle reads every argument and hands each article to fn. An
// argument that cannot be read, or holds no article, gets one line on
// stderr naming it; the others still go on, and the exit status is 1.
func (a *app) eachArticle(cmd *cobra.Command, verb string, args []string, fn func(arg string, art *digest.Article) error) error {
	failed := 0
	for _, arg := range args {
		arts, err := a.readArticles(cmd.Context(), arg, cmd.ErrOrStderr(), verb)
		if err == nil && len(arts) == 0 {
			err = errors.New("no articles: the feed is valid but holds no items")
		}
		if err != nil {
			failed++
			fmt.Fprintf(cmd.ErrOrStderr(), "digest %s: %s: %v\n", verb, arg, trimPrefix(err, arg))
			continue
		}
		for i := range arts {
			if err := fn(arg, &arts[i]); err != nil {
				return err
			}
		}
	}
	if failed > 0 {
		return exitError{1}
	}
	return nil
}

// jsonLines writes one JSON object per line, leaving <, > and & as they
// are so that text reads as it was written.
func jsonLines(w io.Writer) *json.Encoder {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	return enc
}

// trimPrefix drops a leading "name: " the error already carries, so the
// line names the file once.
// trimPrefix says err without naming the argument again: the caller
// prints it in front, and the layers below (os, the readers) each add it.
func trimPrefix(err error, name string) string {
	var pe *fs.PathError
	if errors.As(err, &pe) && filepath.Clean(pe.Path) == filepath.Clean(name) {
		switch {
		case errors.Is(pe.Err, fs.ErrNotExist):
			return "no such file"
		case errors.Is(pe.Err, fs.ErrPermission):
			return "permission denied: the file cannot be read"
		}
		return pe.Err.Error()
	}
	msg := strings.TrimPrefix(err.Error(), name+": ")
	for _, rep := range []string{name + ": ", name + " ", fmt.Sprintf("parse %q: ", filepath.Base(name)), fmt.Sprintf("%q: ", filepath.Base(name))} {
		msg = strings.ReplaceAll(msg, rep, "")
	}
	return msg
}

func printArticle(w io.Writer, file string, a *digest.Article) {
	fmt.Fprintf(w, "== %s\n", file)
	fmt.Fprintf(w, "title:      %s\n", a.Title)
	author := a.Author
	if a.AuthorRole != "" {
		author += " (" + a.AuthorRole + ")"
	}
	fmt.Fprintf(w, "author:     %s\n", author)
	fmt.Fprintf(w, "published:  %s (from: %s)\n", rfc3339(a.Published), a.PublishedFrom)
	if a.URL != "" {
		fmt.Fprintf(w, "url:        %s\n", a.URL)
	}
	if a.SiteName != "" {
		fmt.Fprintf(w, "source:     %s\n", a.SiteName)
	}
	fmt.Fprintf(w, "categories: %s\n", strings.Join(a.Categories, ", "))
	fmt.Fprintf(w, "words:      %d, %s, %s\n", a.Words(), plural(len(a.Paragraphs), "paragraph", "paragraphs"), plural(a.CommentCount, "comment", "comments"))
	fmt.Fprintf(w, "confidence: %.2f\n", a.Confidence)
	if a.LowConfidence {
		fmt.Fprintln(w, "warning:    low confidence: no clear article found")
	}
	fmt.Fprintln(w, "summary:")
	for _, s := range a.Summary {
		fmt.Fprintf(w, "  - %s\n", s)
	}
	for _, c := range a.Comments {
		fmt.Fprintf(w, "comment: %q by %s, %s\n", c.Title, c.Author, rfc3339(c.Published))
	}
	fmt.Fprintln(w)
}

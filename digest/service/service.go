// Package service runs the weekly wrap: it gathers articles from seeds and
// feeds, builds the issue for a slot exactly once, stores it with one
// delivery per subscriber, and sends those deliveries. The CLI and the
// daemon both drive it; the scheduler lives here too.
package service

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/weeklywrap/digest/digest"
	"github.com/weeklywrap/digest/digest/config"
	"github.com/weeklywrap/digest/digest/curate"
	"github.com/weeklywrap/digest/digest/llm"
	"github.com/weeklywrap/digest/digest/mailer"
	"github.com/weeklywrap/digest/digest/metrics"
	"github.com/weeklywrap/digest/digest/redact"
	"github.com/weeklywrap/digest/digest/render"
	"github.com/weeklywrap/digest/digest/source"
	"github.com/weeklywrap/digest/digest/source/feed"
	"github.com/weeklywrap/digest/digest/summary"
	"github.com/weeklywrap/digest/digest/token"
)

// Service holds what building and sending need. Construct it with New.
type Service struct {
	Cfg     *config.Config
	Store   digest.Store
	Fetcher *feed.Fetcher
	Render  *render.Renderer
	Tokens  *token.Signer
	Mail    mailer.Config
	Slots   *Slots
	Log     *slog.Logger
	Now     func() time.Time
	// Progress, when set, hears about long work (feeds fetched, messages sent).
	Progress func(stage string, done, total int)
	// SendProgress, when set, hears each outcome of a Deliver run with
	// the number of deliveries that were due when it started; it takes
	// the place of Progress for sending.
	SendProgress func(st mailer.Stats, total int)
	// Metrics, when set, counts feeds, builds and messages for /metrics.
	Metrics *metrics.Metrics
	// LLM, when set, writes the summaries; the extractive ones stay on any failure.
	LLM *llm.Client
	// EditorMail, when set, mails editors the review email, reminders and
	// sign-in links (review.mode veto or approve).
	EditorMail *EditorMail

	// RetryEvery is how often the daemon sends deliveries that became due
	// again between slots; zero means the package's RetryEvery.
	RetryEvery time.Duration
	// TakeOver makes Deliver wait for claims left by a run that stopped
	// (they run out within mail.claim_lease, as nobody renews them) and
	// send those too, instead of leaving them to a later run. `digest send`
	// sets it; the daemon comes back every RetryEvery anyway.
	TakeOver bool

	busy     sync.Mutex // held by the daemon's slot runs and retry passes
	review   reviewState
	mu       sync.Mutex
	sender   *mailer.Sender
	outbox   *mailer.Outbox
	prepared map[string]*render.Prepared
}

// Parts are what a Service works with besides the config, opened or made
// by the caller (the CLI makes them from the same config).
type Parts struct {
	Store   digest.Store
	Fetcher *feed.Fetcher
	Render  *render.Renderer
	Tokens  *token.Signer
	Log     *slog.Logger
	// Templates holds the notice templates, for the editors' mail.
	Templates fs.FS
}

// New wires a Service from config and its parts: everything the config
// says about mail (DKIM key included), metrics, the LLM and the editors'
// mail is set here, not by the caller afterwards.
func New(cfg *config.Config, p Parts) (*Service, error) {
	slots, err := NewSlots(cfg.Schedule, cfg.Location)
	if err != nil {
		return nil, err
	}
	mc, err := MailConfig(cfg)
	if err != nil {
		return nil, err
	}
	// The rate limits hold for every instance on the store together.
	mc.Budget = p.Store
	m := metrics.New()
	mc.OnSend = func(took time.Duration, _ error) { m.SMTP(took) }
	s := &Service{
		Cfg: cfg, Store: p.Store, Fetcher: p.Fetcher, Render: p.Render, Tokens: p.Tokens,
		Mail: mc, Slots: slots, Log: p.Log, Now: time.Now, Metrics: m,
		prepared: map[string]*render.Prepared{},
	}
	if l := cfg.Summary.LLM; l.URL != "" {
		s.LLM = llm.New(llm.Config{URL: l.URL, Model: l.Model, APIKey: l.APIKey, Timeout: l.Timeout}, nil)
	}
	if s.EditorMail, err = s.NewEditorMail(p.Templates); err != nil {
		return nil, err
	}
	return s, nil
}

// MailConfig maps config to the mailer's settings, reading the DKIM key
// file when one is set.
func MailConfig(cfg *config.Config) (mailer.Config, error) {
	mc := mailer.Config{
		From: cfg.Mail.From, ReplyTo: cfg.Mail.ReplyTo, Domain: cfg.Mail.Domain, ListID: cfg.Mail.ListID,
		Connections: cfg.Mail.Connections, PerSecond: cfg.Mail.PerSecond, PerHour: cfg.Mail.PerHour,
		Lease: cfg.Mail.ClaimLease,
	}
	for _, s := range cfg.SMTP {
		mc.Servers = append(mc.Servers, mailer.Server{Host: s.Host, Port: s.Port, Username: s.Username,
			Password: s.Password, TLS: s.TLS, Timeout: s.Timeout})
	}
	if cfg.Mail.DKIMKeyFile != "" {
		key, err := os.ReadFile(cfg.Resolve(cfg.Mail.DKIMKeyFile))
		if err != nil {
			return mc, fmt.Errorf("%s: mail.dkim_key_file: %w", cfg.Path, err)
		}
		mc.DKIMSelector, mc.DKIMKey = cfg.Mail.DKIMSelector, key
	}
	return mc, nil
}

// FeedOptions maps config feeds to the fetcher's options.
func FeedOptions(cfg *config.Config) []feed.Options {
	var out []feed.Options
	for _, f := range cfg.Sources.Feeds {
		// The name is shown and logged, and is often the URL itself:
		// credentials in it are masked.
		name := redact.Text(f.Name)
		if name == "" {
			name = redact.URL(f.URL)
		}
		out = append(out, feed.Options{Name: name, URL: cfg.Resolve(f.URL), Weight: f.Weight,
			Categories: f.Categories, Include: f.Include, Exclude: f.Exclude, MaxItems: f.MaxItems,
			FullText: f.FullText, MinWords: cfg.Sources.MinWords})
	}
	return out
}

func (s *Service) progress(stage string, done, total int) {
	if s.Progress != nil {
		s.Progress(stage, done, total)
	}
}

// Gathered is what the sources gave for one window.
type Gathered struct {
	Articles []digest.Article
	Errors   []digest.SourceError
	Sources  int
}

// Gather reads seeds and feeds. Feed items must fall in (since, until] or
// carry no date (undated items join the first issue that sees them);
// seeds join whatever their date. Articles used by an earlier issue are
// left out. One broken source is logged and recorded, never fatal.
func (s *Service) Gather(ctx context.Context, since, until time.Time) (Gathered, error) {
	var g Gathered
	seedDir := s.Cfg.Resolve(s.Cfg.Sources.Seeds)
	if _, err := os.Stat(seedDir); err != nil {
		s.Log.Warn("seeds folder not found; no seed files read", "folder", seedDir, "error", err)
	}
	seeds, errs := source.Seeds(seedDir)
	if len(seeds)+len(errs) > 0 {
		g.Sources++ // the seeds folder is one source, however many files it holds
	}
	for _, e := range errs {
		s.Log.Warn("seed file skipped", "file", e.Source, "error", e.Err)
	}
	g.Errors = append(g.Errors, errs...)
	all := seeds
	feeds := FeedOptions(s.Cfg)
	g.Sources += len(feeds)
	if len(feeds) > 0 {
		results := s.Fetcher.FetchAll(ctx, feeds, since, until, func(done, total int) { s.progress("feeds", done, total) })
		for _, r := range results {
			switch {
			case r.Err != nil:
				s.Metrics.Feed("failed")
			case r.NotModified:
				s.Metrics.Feed("not_modified")
			default:
				s.Metrics.Feed("ok")
			}
			if r.Err != nil {
				s.Log.Warn("feed skipped", "feed", r.Feed.Name, "url", redact.URL(r.Feed.URL), "error", r.Err)
				g.Errors = append(g.Errors, digest.SourceError{Source: r.Feed.Name, Err: r.Err.Error()})
				continue
			}
			// Partial trouble: the feed worked, but the operator should know.
			if r.Future > 0 {
				g.Errors = append(g.Errors, digest.SourceError{Source: r.Feed.Name,
					Err: fmt.Sprintf("%d items dated more than a day ahead were left out (a feed bug)", r.Future)})
			}
			if r.FullTextErr > 0 {
				g.Errors = append(g.Errors, digest.SourceError{Source: r.Feed.Name,
					Err: fmt.Sprintf("%d items kept the feed's teaser: their pages could not be extracted (%s)",
						r.FullTextErr, strings.Join(r.FullTextErrors, "; "))})
			}
			if r.StateErr != nil {
				s.Log.Warn("feed state not saved", "feed", r.Feed.Name, "error", r.StateErr)
			}
			for _, a := range r.Articles {
				if a.Published.IsZero() || (a.Published.After(since) && !a.Published.After(until)) {
					all = append(all, a)
				}
			}
		}
	}
	if err := ctx.Err(); err != nil {
		return g, err
	}
	ids := make([]string, len(all))
	for i, a := range all {
		ids[i] = a.ID
	}
	seen, err := s.Store.Seen(ctx, ids)
	if err != nil {
		return g, fmt.Errorf("gather: seen-set: %w", err)
	}
	dup := map[string]bool{}
	for _, a := range all {
		if seen[a.ID] || dup[a.ID] {
			continue
		}
		dup[a.ID] = true
		g.Articles = append(g.Articles, a)
	}
	// The editor's pins from the config become the articles' own mark,
	// as a note's "pin: true" does.
	if miss := curate.Pin(g.Articles, s.Cfg.Curate.Pinned); len(miss) > 0 {
		s.Log.Debug("pinned stories not in this issue", "pinned", miss)
	}
	return g, nil
}

// CurateOptions maps config to curation options for a slot.
func (s *Service) CurateOptions(slot, since time.Time) curate.Options {
	c := s.Cfg
	var topics []curate.Topic
	for _, t := range c.Topics {
		topics = append(topics, curate.Topic{Name: t.Name, Keywords: t.Keywords, Categories: t.Categories})
	}
	var words curate.Words
	if s.Render != nil {
		// The intro is written in the newsletter's language.
		cat := s.Render.Catalog()
		words = curate.Words{ThisWeek: cat.T("This week: %s."), AndMore: cat.T("%s and more"),
			AlsoInIssue: cat.T("Also in this issue: %s"), InIssue: cat.T("In this issue: %s"),
			OlderOne: cat.T("an older piece, from %s."), OlderMany: cat.T("older pieces, from %s."),
			And: cat.T("and"), Month: cat.Month}
	}
	return curate.Options{
		TopN: c.Curate.Top, Max: c.Curate.Max, Topics: topics, Words: words,
		Weights: curate.Weights{Recency: c.Curate.Weights.Recency, Source: c.Curate.Weights.Source,
			Length: c.Curate.Weights.Length, Discussion: c.Curate.Weights.Discussion, Coverage: c.Curate.Weights.Coverage},
		Budget: summary.Budget{Sentences: c.Summary.Sentences, Words: c.Summary.Words},
		Now:    slot, Window: slot.Sub(since),
	}
}

// Build makes the issue for slot without storing it, and returns the IDs
// of every article it consumed (to be marked seen when it is stored).
func (s *Service) Build(ctx context.Context, slot time.Time) (digest.Issue, []string, error) {
	start := s.Now()
	since := s.windowStart(ctx, slot)
	g, err := s.Gather(ctx, since, slot)
	if err != nil {
		return digest.Issue{}, nil, err
	}
	return s.buildFrom(ctx, g, slot, since, start)
}

// buildFrom curates what Gather gave into the issue for slot.
func (s *Service) buildFrom(ctx context.Context, g Gathered, slot, since, start time.Time) (digest.Issue, []string, error) {
	is := curate.Build(g.Articles, s.CurateOptions(slot, since))
	s.llmSummaries(ctx, &is)
	n, err := s.Store.NextIssueNumber(ctx)
	if err != nil {
		return digest.Issue{}, nil, fmt.Errorf("build: %w", err)
	}
	is.Number, is.Slot, is.WindowStart, is.WindowEnd = n, slot.UTC(), since.UTC(), slot.UTC()
	is.Errors, is.Sources, is.BuiltAt = g.Errors, g.Sources, s.Now().UTC()
	subj, err := s.Render.Subject(&is)
	if err != nil {
		return digest.Issue{}, nil, fmt.Errorf("build: subject: %w", err)
	}
	is.Subject = subj
	ids := make([]string, len(g.Articles))
	for i, a := range g.Articles {
		ids[i] = a.ID
	}
	s.Metrics.Built(is.ArticleCount(), s.Now().Sub(start))
	s.Log.Info("issue built", "issue", is.Number, "slot", slot.In(s.Cfg.Location).Format(time.RFC3339),
		"articles", is.ArticleCount(), "sources", is.Sources, "errors", len(is.Errors), "took", s.Now().Sub(start).Round(time.Millisecond))
	return is, ids, nil
}

// buildMargin is how long before its BuiltAt an issue's gathering may have
// started; a window reaching back that far more than it must costs nothing,
// because the seen-set keeps out every article an issue used.
const buildMargin = time.Hour

// windowStart is where slot's window begins: the slot before it, or, when
// that slot's issue was built ahead of its slot (a draft under review),
// the time it was gathered. Items dated between the draft's last gathering
// and its slot were in no draft, so they belong to this window; without
// this they would fall between two issues.
func (s *Service) windowStart(ctx context.Context, slot time.Time) time.Time {
	since := s.Slots.Before(slot)
	prev, err := s.Store.IssueBySlot(ctx, since.UTC().Truncate(time.Second))
	if err != nil || !prev.BuiltAt.Before(since) {
		return since
	}
	return prev.BuiltAt.Add(-buildMargin)
}

// llmSummaries replaces extractive summaries with the LLM's where it
// answers in time with a grounded summary; otherwise nothing changes.
func (s *Service) llmSummaries(ctx context.Context, is *digest.Issue) {
	if s.LLM == nil {
		return
	}
	words := s.Cfg.Summary.Words
	if words <= 0 {
		words = 60
	}
	// An endpoint that is down or too slow would make every article wait
	// out the timeout: after the first such failure, the rest keep their
	// extractive summaries. A merely ungrounded answer affects one article.
	down := false
	apply := func(es []digest.Entry) {
		for i := range es {
			a := &es[i].Article
			if a.SummaryFixed || down || ctx.Err() != nil {
				continue
			}
			sum, err := s.LLM.Summarize(ctx, a.Title, a.Paragraphs, words)
			if err != nil {
				s.Log.Warn("llm summary not used; keeping the extractive one", "article", a.Title, "error", err)
				down = !errors.Is(err, llm.ErrUngrounded)
				continue
			}
			a.Summary = sum
		}
	}
	apply(is.Top)
	for i := range is.Sections {
		apply(is.Sections[i].Entries)
	}
	apply(is.MostDiscussed)
}

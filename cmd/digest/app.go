package main

import (
	"context"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/weeklywrap/digest/digest"
	"github.com/weeklywrap/digest/digest/config"
	"github.com/weeklywrap/digest/digest/redact"
	"github.com/weeklywrap/digest/digest/render"
	"github.com/weeklywrap/digest/digest/service"
	"github.com/weeklywrap/digest/digest/source/feed"
	"github.com/weeklywrap/digest/digest/source/htmlpage"
	"github.com/weeklywrap/digest/digest/store"
	"github.com/weeklywrap/digest/digest/token"
	"github.com/weeklywrap/digest/digest/web"
	"github.com/weeklywrap/digest/templates"
)

// app is the one place where the config becomes the parts the commands
// share (store, signer, renderer, fetcher, service, web server); each part
// is made on first use so that `extract` never opens a store and `config
// check` never fetches.
type app struct {
	configPath string
	cfg        *config.Config
	log        *slog.Logger
	store      digest.Store
	svc        *service.Service
	// privatePages lets fetches of added links and full texts reach
	// loopback and private addresses. Only tests set it, for pages served
	// by httptest on 127.0.0.1; no flag or config key does.
	privatePages bool
}

func (a *app) config() (*config.Config, error) {
	if a.cfg != nil {
		return a.cfg, nil
	}
	cfg, err := config.Load(a.configPath)
	if err != nil {
		return nil, err
	}
	a.cfg = cfg
	a.log = newLogger(os.Stderr, cfg.Log)
	return cfg, nil
}

func newLogger(w io.Writer, l config.Log) *slog.Logger {
	var level slog.Level
	_ = level.UnmarshalText([]byte(l.Level))
	opts := &slog.HandlerOptions{Level: level}
	if l.Format == "json" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}

func (a *app) logger() *slog.Logger {
	if a.log == nil {
		a.log = newLogger(os.Stderr, config.Log{Level: "info", Format: "text"})
	}
	return a.log
}

func (a *app) openStore(ctx context.Context) (digest.Store, error) {
	if a.store != nil {
		return a.store, nil
	}
	cfg, err := a.config()
	if err != nil {
		return nil, err
	}
	dsn := cfg.Store
	if !strings.Contains(dsn, "://") {
		dsn = cfg.Resolve(strings.TrimPrefix(dsn, "sqlite:"))
	}
	st, err := store.Open(ctx, dsn)
	if err != nil {
		return nil, fmt.Errorf("open store %s: %w", redact.URL(cfg.Store), redact.Error(err, redact.Secrets(cfg.Store)...))
	}
	a.store = st
	return st, nil
}

func (a *app) signer() (*token.Signer, error) {
	cfg, err := a.config()
	if err != nil {
		return nil, err
	}
	if strings.TrimSpace(cfg.Secret) == "" {
		return nil, fmt.Errorf("%s: secret: not set; set DIGEST_SECRET (16+ random bytes, e.g. `openssl rand -hex 32`) or secret: in the config", cfg.Path)
	}
	s, err := token.NewSigner(strings.Fields(cfg.Secret)...)
	if err != nil {
		return nil, fmt.Errorf("%s: secret: %w", cfg.Path, err)
	}
	return s, nil
}

// templateFS is the embedded templates under the operator's templates_dir.
func templateFS(cfg *config.Config) fs.FS {
	return templates.Overlay(cfg.Resolve(cfg.TemplatesDir), templates.FS)
}

func (a *app) renderer() (*render.Renderer, error) {
	cfg, err := a.config()
	if err != nil {
		return nil, err
	}
	return render.New(render.Newsletter{
		Title: cfg.Newsletter.Title, Tagline: cfg.Newsletter.Tagline, BaseURL: cfg.Newsletter.BaseURL,
		PostalAddress: cfg.Newsletter.PostalAddress, Lang: cfg.Newsletter.Lang, Location: cfg.Location,
		SubjectTemplate: cfg.Newsletter.Subject, NoImages: !cfg.Newsletter.Images,
	}, templateFS(cfg))
}

func (a *app) service(ctx context.Context) (*service.Service, error) {
	if a.svc != nil {
		return a.svc, nil
	}
	cfg, err := a.config()
	if err != nil {
		return nil, err
	}
	st, err := a.openStore(ctx)
	if err != nil {
		return nil, err
	}
	r, err := a.renderer()
	if err != nil {
		return nil, err
	}
	tok, err := a.signer()
	if err != nil {
		return nil, err
	}
	l := feed.DefaultLimits()
	l.Timeout = cfg.Sources.Timeout
	l.MaxBytes = cfg.Sources.MaxBytes
	l.UserAgent = feed.UserAgent(version, cfg.Newsletter.BaseURL)
	l.PrivatePages = a.privatePages
	full := func(ctx context.Context, pageURL string, body []byte) (digest.Article, error) {
		return htmlpage.Extract(body, htmlpage.Options{URL: pageURL})
	}
	fetcher := feed.NewFetcher(l, st, full).WithCache(feed.DirCache{Dir: cfg.Resolve(cfg.CacheDir)})
	svc, err := service.New(cfg, service.Parts{Store: st, Fetcher: fetcher, Render: r, Tokens: tok, Log: a.logger(),
		Templates: templateFS(cfg)})
	if err != nil {
		return nil, err
	}
	if isTerminal(os.Stderr) {
		svc.Progress = newProgress(os.Stderr).update
	}
	a.svc = svc
	return svc, nil
}

// webHandler builds the site's handler over the configured store.
func (a *app) webHandler(ctx context.Context) (http.Handler, error) {
	ws, err := a.webServer(ctx)
	if err != nil {
		return nil, err
	}
	return ws.Handler(), nil
}

// webServer builds the site over the configured store.
func (a *app) webServer(ctx context.Context) (*web.Server, error) {
	svc, err := a.service(ctx)
	if err != nil {
		return nil, err
	}
	cfg := svc.Cfg
	fsys := templateFS(cfg)
	notices, err := svc.NewNotices(fsys, service.ConfirmTTL)
	if err != nil {
		return nil, err
	}
	var topics []string
	for _, t := range cfg.Topics {
		topics = append(topics, t.Name)
	}
	deskOpts, err := a.deskOptions(svc)
	if err != nil {
		return nil, err
	}
	ws, err := web.New(web.Options{Store: svc.Store, Tokens: svc.Tokens, Templates: fsys, Log: svc.Log, Desk: deskOpts,
		Site:     web.Site{Title: cfg.Newsletter.Title, Tagline: cfg.Newsletter.Tagline, Lang: cfg.Newsletter.Lang, BaseURL: cfg.Newsletter.BaseURL},
		Notifier: notices, Topics: topics, Welcome: cfg.Web.Welcome, ConfirmTTL: service.ConfirmTTL,
		IPPerMinute: cfg.Web.SubscribePerMinute, ConfirmPerMinute: cfg.Web.ConfirmPerMinute,
		Metrics: svc.Metrics.Handler(), AdminToken: cfg.Web.AdminToken, TrustedProxies: cfg.Web.TrustedProxies,
		Ready: func(ctx context.Context) error {
			_, err := svc.Store.NextIssueNumber(ctx)
			return err
		},
		Status: func(ctx context.Context) (web.StatusView, error) {
			h, err := svc.Status(ctx)
			v := web.StatusView{Last: h.Last, Queue: h.Queue, Failing: h.Failing, NextSlot: h.NextSlot.In(cfg.Location),
				Confirmed: h.Subscribers[digest.StatusConfirmed], Pending: h.Subscribers[digest.StatusPending],
				Unsubscribed: h.Subscribers[digest.StatusUnsubscribed], Suppressed: h.Subscribers[digest.StatusSuppressed],
				Unfinished: len(h.Unfinished), Depth: h.Depth, Outbox: h.Outbox, RecentFailures: len(h.Failures),
				Feedback: h.Feedback, FeedbackDays: service.StatusDays}
			for _, n := range h.Subscribers {
				v.Subscribers += n
			}
			for _, f := range h.Feeds {
				v.Feeds = append(v.Feeds, web.FeedStatus{Name: f.Name, URL: f.URL, LastFetched: f.LastFetched.In(cfg.Location),
					LastError: f.LastError, Failures: f.ConsecutiveFailures, FailingSince: f.FailingSince, Failing: f.Failing})
			}
			return v, err
		}})
	if err != nil {
		return nil, err
	}
	return ws, nil
}

// deskOptions wires the editors' desk and the links API: on when review
// is on or web.api_token is set.
func (a *app) deskOptions(svc *service.Service) (*web.DeskOptions, error) {
	cfg := svc.Cfg
	if !cfg.Review.On() && cfg.Web.APIToken == "" {
		return nil, nil
	}
	ds, err := svc.Drafts()
	if err != nil {
		return nil, err
	}
	sessions, ok := svc.Store.(web.DeskSessions)
	if !ok {
		return nil, fmt.Errorf("the store keeps no desk sessions")
	}
	return &web.DeskOptions{Service: svc, Drafts: ds, Sessions: sessions, Editors: cfg.Review.Editors,
		Mode: cfg.Review.Mode, Deadline: cfg.Review.Deadline, Session: cfg.Review.Session, LinkTTL: cfg.Review.LinkTTL,
		APIToken: cfg.Web.APIToken, Location: cfg.Location}, nil
}

// Close releases what was opened.
func (a *app) Close() {
	if a.svc != nil {
		_ = a.svc.Close()
		a.svc = nil
	}
	if a.store != nil {
		_ = a.store.Close()
		a.store = nil
	}
}

func isTerminal(f *os.File) bool {
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}

// progress draws one self-overwriting line on a terminal.
type progress struct {
	w     io.Writer
	start time.Time
	last  time.Time
}

func newProgress(w io.Writer) *progress { return &progress{w: w, start: time.Now()} }

func (p *progress) update(stage string, done, total int) {
	now := time.Now()
	if done < total && now.Sub(p.last) < 100*time.Millisecond {
		return
	}
	p.last = now
	const width = 30
	filled := 0
	if total > 0 {
		filled = width * done / total
	}
	rate := float64(done) / now.Sub(p.start).Seconds()
	eta := ""
	if rate > 0 && done < total {
		eta = " ETA " + (time.Duration(float64(total-done)/rate) * time.Second).Round(time.Second).String()
	}
	fmt.Fprintf(p.w, "\r%-6s [%s%s] %d/%d %.0f/s%s   ", stage, strings.Repeat("=", filled), strings.Repeat(" ", width-filled), done, total, rate, eta)
	if done >= total {
		fmt.Fprintln(p.w)
	}
}

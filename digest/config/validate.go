package config

import (
	"fmt"
	"net"
	"net/mail"
	"net/url"
	"os"
	"strings"
	"text/template"
	"time"

	"github.com/robfig/cron/v3"
)

// CronParser is the schedule syntax: standard five fields (an optional
// leading seconds field is accepted, for tests and demos) plus descriptors
// like @weekly.
const CronParser = cron.SecondOptional | cron.Minute | cron.Hour | cron.Dom | cron.Month | cron.Dow | cron.Descriptor

// Default returns the config used for every key the file leaves out.
func Default() *Config {
	return &Config{
		Newsletter: Newsletter{
			Title:   "The Weekly Wrap",
			Tagline: "The week's best reads, summarized.",
			BaseURL: "http://127.0.0.1:8080",
			Lang:    "en",
			Images:  true,
			Subject: "{{.Newsletter.Title}} #{{.Issue.Number}}: {{.TopTitle}}",
		},
		Timezone: "UTC",
		Schedule: "0 7 * * MON",
		CatchUp:  "send_late",
		Store:    "digest.db",
		Listen:   "127.0.0.1:8080",
		OutDir:   "out",
		CacheDir: "cache",
		Sources: Sources{
			Seeds:       "seeds",
			Timeout:     30 * time.Second,
			MaxBytes:    10 << 20,
			MinWords:    150,
			FailingDays: 3,
		},
		Summary: Summary{Sentences: 3},
		Curate: Curate{Top: 3, Max: 30, Weights: Weights{
			Recency: 1, Source: 1, Length: 0.5, Discussion: 0.5, Coverage: 1,
		}},
		SMTP: []SMTP{{Host: "127.0.0.1", Port: 1025, TLS: "none", Timeout: 30 * time.Second}},
		Mail: Mail{
			From:        "The Weekly Wrap <wrap@example.org>",
			Domain:      "example.org",
			Connections: 4,
			ClaimLease:  15 * time.Second,
			Checks:      "refuse",
		},
		Log:    Log{Level: "info", Format: "text"},
		Web:    Web{ConfirmEvery: time.Hour, SubscribePerMinute: 10, ConfirmPerMinute: 60},
		Review: defaultReview(),
		Feedback: Feedback{MaxAge: time.Hour, Mailbox: Mailbox{Every: 5 * time.Minute,
			IMAP: IMAP{TLS: "tls", Folder: "INBOX"}}},
	}
}

func (c *Config) validate(file string, lines map[string]int) Errors {
	var es Errors
	bad := func(key, format string, args ...any) {
		es = append(es, &Error{File: file, Line: lines[key], Key: key, Msg: fmt.Sprintf(format, args...)})
	}
	loc, err := time.LoadLocation(c.Timezone)
	if err != nil {
		bad("timezone", "unknown time zone %q; use an IANA name such as UTC or Europe/Berlin", c.Timezone)
	}
	c.Location = loc
	if _, err := cron.NewParser(CronParser).Parse(c.Schedule); err != nil {
		bad("schedule", "%v; use five cron fields (minute hour day-of-month month day-of-week), e.g. \"0 7 * * MON\"", err)
	}
	if c.CatchUp != "send_late" && c.CatchUp != "skip" {
		bad("catch_up", "%q is not allowed; use send_late or skip", c.CatchUp)
	}
	if u, err := url.Parse(c.Newsletter.BaseURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		bad("newsletter.base_url", "%q is not an absolute http(s) URL, e.g. https://news.example.org", c.Newsletter.BaseURL)
	}
	if strings.TrimSpace(c.Newsletter.Title) == "" {
		bad("newsletter.title", "must not be empty")
	}
	if _, err := template.New("subject").Parse(c.Newsletter.Subject); err != nil {
		bad("newsletter.subject", "not a valid template: %v", err)
	}
	if strings.TrimSpace(c.Store) == "" {
		bad("store", "must name a SQLite file (e.g. digest.db) or a postgres:// URL")
	}
	if c.TemplatesDir != "" {
		if fi, err := os.Stat(c.Resolve(c.TemplatesDir)); err != nil || !fi.IsDir() {
			bad("templates_dir", "%q is not a folder; create it with email/, web/ or notice/ files to override, or leave it empty", c.TemplatesDir)
		}
	}
	if strings.TrimSpace(c.CacheDir) == "" {
		bad("cache_dir", "must name a folder for the last good copy of each feed (e.g. cache)")
	}
	if _, _, err := net.SplitHostPort(c.Listen); err != nil {
		bad("listen", "%q is not host:port, e.g. 127.0.0.1:8080", c.Listen)
	}
	if c.Sources.Timeout <= 0 {
		bad("sources.timeout", "must be a positive duration such as 30s")
	}
	if c.Sources.FailingDays < 1 {
		bad("sources.failing_days", "must be 1 or more (days a feed may fail before it is flagged)")
	}
	if c.Sources.MaxBytes <= 0 {
		bad("sources.max_bytes", "must be a positive number of bytes")
	}
	for i, f := range c.Sources.Feeds {
		key := fmt.Sprintf("sources.feeds[%d]", i)
		if strings.TrimSpace(f.URL) == "" {
			bad(key+".url", "missing; give an http(s) URL or a file path")
		} else if strings.Contains(f.URL, "://") {
			if u, err := url.Parse(f.URL); err != nil || (u.Scheme != "http" && u.Scheme != "https") {
				bad(key+".url", "%q: only http, https or a local file path are allowed", f.URL)
			}
		}
		if f.Weight < 0 {
			bad(key+".weight", "must be zero or more (1 is normal)")
		}
		if f.MaxItems < 0 {
			bad(key+".max_items", "must be zero (no limit) or more")
		}
	}
	if c.Summary.Sentences < 0 || c.Summary.Words < 0 {
		bad("summary", "sentences and words must be zero or more")
	}
	if u := c.Summary.LLM.URL; u != "" {
		if pu, err := url.Parse(u); err != nil || (pu.Scheme != "http" && pu.Scheme != "https") || pu.Host == "" {
			bad("summary.llm.url", "%q is not an http(s) URL, e.g. http://127.0.0.1:11434/v1 for a local Ollama", u)
		}
		if c.Summary.LLM.Model == "" {
			bad("summary.llm.model", "missing; name the model, e.g. llama3.2")
		}
	}
	if c.Curate.Top < 0 || c.Curate.Max < 0 {
		bad("curate", "top and max must be zero or more")
	}
	for i, p := range c.Curate.Pinned {
		if strings.TrimSpace(p) == "" {
			bad(fmt.Sprintf("curate.pinned[%d]", i), "empty; name a story's web address or a seed file's name")
		}
	}
	for i, t := range c.Topics {
		if strings.TrimSpace(t.Name) == "" {
			bad(fmt.Sprintf("topics[%d].name", i), "every topic needs a name")
		}
	}
	for i, s := range c.SMTP {
		key := fmt.Sprintf("smtp[%d]", i)
		if s.Host == "" {
			bad(key+".host", "missing; e.g. 127.0.0.1 for a local Mailpit")
		}
		if s.Port <= 0 || s.Port > 65535 {
			bad(key+".port", "%d is not a port; use 1-65535 (587 for STARTTLS, 465 for TLS, 1025 for Mailpit)", s.Port)
		}
		switch s.TLS {
		case "", "starttls", "tls", "none":
		default:
			bad(key+".tls", "%q is not allowed; use starttls, tls or none", s.TLS)
		}
	}
	if _, err := mail.ParseAddress(c.Mail.From); err != nil {
		bad("mail.from", "%q is not an address: %v; e.g. \"The Weekly Wrap <wrap@example.org>\"", c.Mail.From, err)
	}
	if c.Mail.ReplyTo != "" {
		if _, err := mail.ParseAddress(c.Mail.ReplyTo); err != nil {
			bad("mail.reply_to", "%q is not an address: %v", c.Mail.ReplyTo, err)
		}
	}
	if c.Mail.Domain == "" || strings.ContainsAny(c.Mail.Domain, " <>@\r\n") {
		bad("mail.domain", "%q must be a bare domain such as example.org (used for Message-IDs and List-Id)", c.Mail.Domain)
	}
	if c.Mail.Connections < 1 || c.Mail.Connections > 64 {
		bad("mail.connections", "%d: use 1 to 64", c.Mail.Connections)
	}
	if c.Web.ConfirmEvery <= 0 {
		bad("web.confirm_every", "must be a positive duration such as 1h")
	}
	for i, p := range c.Web.TrustedProxies {
		ok := net.ParseIP(p) != nil
		if _, _, err := net.ParseCIDR(p); err == nil {
			ok = true
		}
		if !ok {
			bad(fmt.Sprintf("web.trusted_proxies[%d]", i), "%q is not an IP address or CIDR, e.g. 127.0.0.1 or 10.0.0.0/8", p)
		}
	}
	if c.Web.SubscribePerMinute < 1 {
		bad("web.subscribe_per_minute", "must be 1 or more")
	}
	if c.Web.ConfirmPerMinute < 1 {
		bad("web.confirm_per_minute", "must be 1 or more (confirmation mails per minute in all)")
	}
	c.validateReview(bad)
	if len(c.SMTP) == 0 {
		bad("smtp", "lists no relay; give at least one (host, port, tls), e.g. 127.0.0.1:1025 for Mailpit")
	}
	if c.Mail.PerSecond < 0 || c.Mail.PerHour < 0 {
		bad("mail.per_second", "rate limits must be zero (no limit) or more")
	}
	if c.Mail.ClaimLease < time.Second {
		bad("mail.claim_lease", "must be a duration of at least 1s, e.g. 15s")
	}
	if c.Mail.Checks != "refuse" && c.Mail.Checks != "warn" {
		bad("mail.checks", "%q: use refuse (an issue that fails the pre-send checks is not sent) or warn (send it anyway and log the findings)", c.Mail.Checks)
	}
	if (c.Mail.DKIMSelector == "") != (c.Mail.DKIMKeyFile == "") {
		bad("mail.dkim_selector", "DKIM needs both dkim_selector and dkim_key_file (a PEM private key), or neither")
	}
	c.validateFeedback(bad)
	switch c.Log.Level {
	case "debug", "info", "warn", "error":
	default:
		bad("log.level", "%q is not allowed; use debug, info, warn or error", c.Log.Level)
	}
	if c.Log.Format != "text" && c.Log.Format != "json" {
		bad("log.format", "%q is not allowed; use text or json", c.Log.Format)
	}
	for key, v := range map[string]string{"newsletter.title": c.Newsletter.Title, "newsletter.tagline": c.Newsletter.Tagline} {
		if strings.ContainsAny(v, "\r\n") {
			bad(key, "must be one line")
		}
	}
	return es
}

func (c *Config) validateFeedback(bad func(key, format string, args ...any)) {
	f := &c.Feedback
	if f.MaxAge < time.Minute {
		bad("feedback.max_age", "must be at least 1m, e.g. 1h: providers' clocks and retries need some slack")
	}
	for _, arn := range f.SES.TopicARNs {
		if !strings.HasPrefix(arn, "arn:aws") || strings.Count(arn, ":") != 5 {
			bad("feedback.ses.topic_arns", "%q is not an SNS topic ARN, e.g. arn:aws:sns:us-east-1:123456789012:digest-feedback", arn)
		}
	}
	if (f.Postmark.Username == "") != (f.Postmark.Password == "") {
		bad("feedback.postmark.username", "Postmark's webhook needs both username and password (the basic auth in its URL), or neither")
	}
	m := &f.Mailbox
	if m.Maildir != "" && m.IMAP.Host != "" {
		bad("feedback.mailbox.maildir", "give a maildir or an IMAP host, not both")
	}
	if m.IMAP.Host != "" {
		switch m.IMAP.TLS {
		case "tls", "starttls", "none":
		default:
			bad("feedback.mailbox.imap.tls", "%q is not allowed; use tls, starttls or none", m.IMAP.TLS)
		}
		if m.IMAP.Username == "" {
			bad("feedback.mailbox.imap.username", "an IMAP mailbox needs a username and password")
		}
	}
	if m.Every < time.Minute {
		bad("feedback.mailbox.every", "must be at least 1m, e.g. 5m")
	}
}

// CheckFiles reports local feed files that do not exist. It is apart from
// Parse because at run time a missing feed file is one broken feed, which
// must not stop the rest; `digest config check` reports it as an error.
func (c *Config) CheckFiles() Errors {
	var es Errors
	for i, f := range c.Sources.Feeds {
		if f.URL == "" || strings.Contains(f.URL, "://") {
			continue
		}
		key := fmt.Sprintf("sources.feeds[%d].url", i)
		p := c.Resolve(f.URL)
		if fi, err := os.Stat(p); err != nil || fi.IsDir() {
			what := "no such file"
			if err == nil {
				what = "a folder, not a file"
			}
			es = append(es, &Error{File: c.Path, Line: c.lines[key], Key: key,
				Msg: fmt.Sprintf("%q: %s (%s); give the path of a feed file, relative to the config's folder, or an http(s) URL", f.URL, what, p)})
		}
	}
	return es
}

// Package config reads config.yaml into a validated Config. Errors name the
// key and its line and say what is allowed; ${VAR} and ${VAR:-default} in
// values expand from the environment so secrets stay out of the file.
package config

import (
	"time"
)

// Config is the whole of config.yaml.
type Config struct {
	Newsletter   Newsletter `yaml:"newsletter"`
	Timezone     string     `yaml:"timezone"`
	Schedule     string     `yaml:"schedule"`
	CatchUp      string     `yaml:"catch_up"`
	SendEmpty    bool       `yaml:"send_empty"`
	Store        string     `yaml:"store"`
	Listen       string     `yaml:"listen"`
	Secret       string     `yaml:"secret"`
	TemplatesDir string     `yaml:"templates_dir"`
	OutDir       string     `yaml:"out_dir"`
	CacheDir     string     `yaml:"cache_dir"`
	Sources      Sources    `yaml:"sources"`
	Summary      Summary    `yaml:"summary"`
	Curate       Curate     `yaml:"curate"`
	Topics       []Topic    `yaml:"topics"`
	SMTP         []SMTP     `yaml:"smtp"`
	Mail         Mail       `yaml:"mail"`
	Log          Log        `yaml:"log"`
	Web          Web        `yaml:"web"`
	Review       Review     `yaml:"review"`
	Feedback     Feedback   `yaml:"feedback"`

	// Location is Timezone, loaded.
	Location *time.Location `yaml:"-"`
	// Path is the file the config came from; relative paths in it resolve
	// against its directory.
	Path string `yaml:"-"`
	// lines holds the line of every key in the file, for errors found
	// after Parse (see CheckFiles).
	lines map[string]int
}

// Newsletter is the masthead and public identity.
type Newsletter struct {
	Title         string `yaml:"title"`
	Tagline       string `yaml:"tagline"`
	BaseURL       string `yaml:"base_url"`
	PostalAddress string `yaml:"postal_address"`
	Lang          string `yaml:"lang"`
	// Images shows each top story's lead image (the one its feed or page
	// names) as a small thumbnail; false leaves every image out.
	Images  bool   `yaml:"images"`
	Subject string `yaml:"subject"`
}

// Sources lists where articles come from.
type Sources struct {
	Seeds    string        `yaml:"seeds"`
	Feeds    []Feed        `yaml:"feeds"`
	Timeout  time.Duration `yaml:"timeout"`
	MaxBytes int64         `yaml:"max_bytes"`
	MinWords int           `yaml:"full_text_min_words"`
	// FailingDays is how long a feed may fail before it is flagged to the operator.
	FailingDays int `yaml:"failing_days"`
}

// Feed is one feed and its options.
type Feed struct {
	Name       string   `yaml:"name"`
	URL        string   `yaml:"url"`
	Weight     float64  `yaml:"weight"`
	Categories []string `yaml:"categories"`
	Include    []string `yaml:"include"`
	Exclude    []string `yaml:"exclude"`
	MaxItems   int      `yaml:"max_items"`
	FullText   bool     `yaml:"full_text"`
}

// Summary sets the per-article summary budget.
type Summary struct {
	Sentences int `yaml:"sentences"`
	Words     int `yaml:"words"`
	LLM       LLM `yaml:"llm"`
}

// LLM names an optional OpenAI-compatible endpoint for summaries; off when URL is empty.
type LLM struct {
	URL     string        `yaml:"url"`
	Model   string        `yaml:"model"`
	APIKey  string        `yaml:"api_key"`
	Timeout time.Duration `yaml:"timeout"`
}

// Curate sets selection and ranking.
type Curate struct {
	Top     int     `yaml:"top"`
	Max     int     `yaml:"max"`
	Weights Weights `yaml:"weights"`
	// Pinned names stories that lead the issue whatever their score: web
	// addresses, or seed file names.
	Pinned []string `yaml:"pinned"`
}

// Weights are the ranking weights.
type Weights struct {
	Recency    float64 `yaml:"recency"`
	Source     float64 `yaml:"source"`
	Length     float64 `yaml:"length"`
	Discussion float64 `yaml:"discussion"`
	Coverage   float64 `yaml:"coverage"`
}

// Topic maps keywords and categories to a section.
type Topic struct {
	Name       string   `yaml:"name"`
	Keywords   []string `yaml:"keywords"`
	Categories []string `yaml:"categories"`
}

// SMTP is one relay; several give failover in order.
type SMTP struct {
	Host     string        `yaml:"host"`
	Port     int           `yaml:"port"`
	TLS      string        `yaml:"tls"`
	Username string        `yaml:"username"`
	Password string        `yaml:"password"`
	Timeout  time.Duration `yaml:"timeout"`
}

// Mail sets the envelope and sending limits.
type Mail struct {
	From        string  `yaml:"from"`
	ReplyTo     string  `yaml:"reply_to"`
	Domain      string  `yaml:"domain"`
	ListID      string  `yaml:"list_id"`
	Connections int     `yaml:"connections"`
	PerSecond   float64 `yaml:"per_second"`
	PerHour     int     `yaml:"per_hour"`
	// ClaimLease is how long claimed deliveries and notices, and the
	// build lease, stay with a run that stops renewing them: live runs
	// renew every ClaimLease/3, and after a crash another run takes over
	// once it has passed.
	ClaimLease time.Duration `yaml:"claim_lease"`
	// Checks says what an issue that fails the pre-send checks
	// (digest/mailcheck: Gmail clipping, contrast, relative links, the
	// plain-text part, one-click unsubscribe) does: "refuse" keeps it
	// from being sent, "warn" sends it and logs the findings.
	Checks string `yaml:"checks"`
	// DKIM signs every message for Domain when both are set.
	DKIMSelector string `yaml:"dkim_selector"`
	DKIMKeyFile  string `yaml:"dkim_key_file"`
}

// Log sets logging.
type Log struct {
	Level  string `yaml:"level"`
	Format string `yaml:"format"`
}

// Web sets the subscription pages' behaviour and abuse limits.
type Web struct {
	Welcome            bool          `yaml:"welcome_email"`
	ConfirmEvery       time.Duration `yaml:"confirm_every"`
	SubscribePerMinute int           `yaml:"subscribe_per_minute"`
	// ConfirmPerMinute caps confirmation mails per minute in all, however
	// many clients ask: the limit a botnet cannot spread out.
	ConfirmPerMinute int `yaml:"confirm_per_minute"`
	// AdminToken guards /status and /metrics; empty means loopback only.
	AdminToken string `yaml:"admin_token"`
	// TrustedProxies are reverse proxies whose X-Forwarded-For is believed.
	TrustedProxies []string `yaml:"trusted_proxies"`
	// APIToken guards POST /api/links; empty switches the API off.
	APIToken string `yaml:"api_token"`
}

// Feedback takes in bounces and complaints that arrive after sending:
// provider webhooks on `digest serve` (POST /webhooks/<provider>) and
// DSN / ARF reports read from a mailbox. A provider with empty settings
// has no endpoint.
type Feedback struct {
	// MaxAge refuses signed webhook requests whose timestamp is further
	// than this from now (replays); default 1h.
	MaxAge   time.Duration    `yaml:"max_age"`
	SES      FeedbackSES      `yaml:"ses"`
	Postmark FeedbackPostmark `yaml:"postmark"`
	Mailgun  FeedbackMailgun  `yaml:"mailgun"`
	SendGrid FeedbackSendGrid `yaml:"sendgrid"`
	Mailbox  Mailbox          `yaml:"mailbox"`
}

// FeedbackSES is Amazon SES through SNS: the topics accepted.
type FeedbackSES struct {
	TopicARNs   []string `yaml:"topic_arns"`
	AutoConfirm bool     `yaml:"auto_confirm"`
}

// FeedbackPostmark is the basic auth the Postmark webhook URL carries.
type FeedbackPostmark struct {
	Username string `yaml:"username"`
	Password string `yaml:"password"`
}

// FeedbackMailgun is Mailgun's HTTP webhook signing key.
type FeedbackMailgun struct {
	SigningKey string `yaml:"signing_key"`
}

// FeedbackSendGrid is the signed event webhook's verification key.
type FeedbackSendGrid struct {
	PublicKey string `yaml:"public_key"`
}

// Mailbox is where bounce and complaint mail arrives: a maildir on this
// machine or an IMAP folder; read by `digest feedback read` and, every
// Every, by `digest serve`.
type Mailbox struct {
	Maildir string        `yaml:"maildir"`
	IMAP    IMAP          `yaml:"imap"`
	Every   time.Duration `yaml:"every"`
}

// IMAP is a mailbox on an IMAP server.
type IMAP struct {
	Host     string `yaml:"host"`
	Port     int    `yaml:"port"`
	TLS      string `yaml:"tls"` // tls (default, port 993), starttls (143) or none (tests, local servers)
	Username string `yaml:"username"`
	Password string `yaml:"password"`
	Folder   string `yaml:"folder"` // default INBOX
}

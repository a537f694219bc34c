// Package metrics holds the daemon's Prometheus metrics, on a registry of
// its own (no global state), served at /metrics.
package metrics

import (
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Metrics are the counters the service updates. A nil *Metrics is valid
// and records nothing, so callers need no checks.
type Metrics struct {
	reg          *prometheus.Registry
	feeds        *prometheus.CounterVec
	articles     prometheus.Gauge
	buildSeconds prometheus.Histogram
	messages     *prometheus.CounterVec
	queueDepth   prometheus.Gauge
	smtpLatency  prometheus.Histogram
	feedback     *prometheus.CounterVec
	refused      *prometheus.CounterVec
}

// New registers every metric on a fresh registry.
func New() *Metrics {
	m := &Metrics{
		reg: prometheus.NewRegistry(),
		feeds: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "digest_feeds_fetched_total", Help: "Feed fetches by result (ok, not_modified, failed).",
		}, []string{"result"}),
		articles: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "digest_issue_articles", Help: "Articles in the last issue built.",
		}),
		buildSeconds: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name: "digest_issue_build_seconds", Help: "Time to gather, curate and render an issue.",
			Buckets: prometheus.ExponentialBuckets(0.05, 2, 12),
		}),
		messages: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "digest_messages_total", Help: "Issue messages by result (sent, failed, retried).",
		}, []string{"result"}),
		queueDepth: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "digest_queue_depth", Help: "Deliveries waiting to be sent (pending or claimed).",
		}),
		smtpLatency: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name: "digest_smtp_send_seconds", Help: "Time for the SMTP server to accept one message.",
			Buckets: prometheus.ExponentialBuckets(0.001, 2.5, 12),
		}),
	}
	m.feedback = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "digest_feedback_events_total",
		Help: "Bounces and complaints reported after sending, by source (ses, postmark, mailgun, sendgrid, dsn, arf), kind (hard_bounce, soft_bounce, complaint) and result (recorded, repeat).",
	}, []string{"source", "kind", "result"})
	m.refused = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "digest_webhook_refused_total",
		Help: "Webhook requests refused, by provider and reason (bad_signature, stale, unknown_topic, bad_request).",
	}, []string{"provider", "reason"})
	m.reg.MustRegister(m.feedback, m.refused)
	m.reg.MustRegister(m.feeds, m.articles, m.buildSeconds, m.messages, m.queueDepth, m.smtpLatency,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	for _, r := range []string{"ok", "not_modified", "failed"} {
		m.feeds.WithLabelValues(r)
	}
	for _, r := range []string{"sent", "failed", "retried"} {
		m.messages.WithLabelValues(r)
	}
	return m
}

// Handler serves the metrics in the Prometheus text format.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{})
}

// Feed counts one fetch: result is ok, not_modified or failed.
func (m *Metrics) Feed(result string) {
	if m != nil {
		m.feeds.WithLabelValues(result).Inc()
	}
}

// Built records an issue build.
func (m *Metrics) Built(articles int, took time.Duration) {
	if m != nil {
		m.articles.Set(float64(articles))
		m.buildSeconds.Observe(took.Seconds())
	}
}

// Messages adds delivery results.
func (m *Metrics) Messages(sent, failed, retried int) {
	if m != nil {
		m.messages.WithLabelValues("sent").Add(float64(sent))
		m.messages.WithLabelValues("failed").Add(float64(failed))
		m.messages.WithLabelValues("retried").Add(float64(retried))
	}
}

// Queue sets the queue depth.
func (m *Metrics) Queue(depth int) {
	if m != nil {
		m.queueDepth.Set(float64(depth))
	}
}

// SMTP observes one send's latency.
func (m *Metrics) SMTP(d time.Duration) {
	if m != nil {
		m.smtpLatency.Observe(d.Seconds())
	}
}

// Feedback counts one bounce or complaint taken in; recorded is false for
// a repeat of an event seen before.
func (m *Metrics) Feedback(source, kind string, recorded bool) {
	if m != nil {
		result := "recorded"
		if !recorded {
			result = "repeat"
		}
		m.feedback.WithLabelValues(source, kind, result).Inc()
	}
}

// WebhookRefused counts one refused webhook request.
func (m *Metrics) WebhookRefused(provider, reason string) {
	if m != nil {
		m.refused.WithLabelValues(provider, reason).Inc()
	}
}

package mailer_test

import (
	"context"
	"fmt"
	"log/slog"

	"github.com/weeklywrap/digest/digest"
	"github.com/weeklywrap/digest/digest/mailer"
)

// How the daemon sends an issue: one Sender for the process, Deliver per
// unfinished issue, rerun later while retries are pending.
func ExampleDeliver() {
	var st digest.Store // store.Open(ctx, path)
	if st == nil {
		return // (the example has no store)
	}
	ctx := context.Background()
	cfg := mailer.Config{
		Servers: []mailer.Server{
			{Host: "smtp.example.org", Port: 587, Username: "wrap", Password: "secret"},
			{Host: "backup-smtp.example.org", Port: 465, TLS: "tls", Username: "wrap", Password: "secret"},
		},
		From:      "The Weekly Wrap <wrap@example.org>",
		ReplyTo:   "editors@example.org",
		PerSecond: 10,
	}
	snd, err := mailer.NewSender(cfg)
	if err != nil {
		slog.Error("mailer config", slog.Any("error", err))
		return
	}
	defer snd.Close()

	render := func(ctx context.Context, sub digest.Subscriber) (mailer.Message, error) {
		return mailer.Message{
			Subject:        "The Weekly Wrap #7",
			Text:           "Hello " + sub.Name,
			HTML:           "<p>Hello " + sub.Name + "</p>",
			UnsubscribeURL: fmt.Sprintf("https://example.org/unsubscribe?t=%d", sub.ID),
			Headers:        map[string]string{"X-Digest-Issue": "7"},
		}, nil
	}
	issues, _ := st.UnfinishedIssues(ctx)
	for _, n := range issues {
		stats, err := mailer.Deliver(ctx, st, snd, n, render, cfg, nil)
		slog.Info("delivered", slog.Int("issue", n), slog.Int("sent", stats.Sent),
			slog.Int("failed", stats.Failed), slog.Int("retry", stats.Retried), slog.Any("error", err))
	}
	// Rerun after a while (about cfg.RetryBase) while QueueStats shows
	// Pending deliveries: they wait for their retry time.
}

// A one-off test message, as `digest send --to` needs.
func ExampleSender_Send() {
	snd, err := mailer.NewSender(mailer.Config{
		Servers: []mailer.Server{{Host: "127.0.0.1", Port: 1025, TLS: "none"}},
		From:    "wrap@example.org",
	})
	if err != nil {
		return
	}
	defer snd.Close()
	id, err := snd.Send(context.Background(), mailer.Message{To: "me@example.org", Subject: "Test", Text: "It works."})
	if mailer.IsPermanent(err) {
		fmt.Println("refused:", err)
	}
	_ = id
}

package main

import (
	"context"
	"fmt"
	"net/http"
	"time"

	"github.com/spf13/cobra"

	"github.com/weeklywrap/digest/digest"
	"github.com/weeklywrap/digest/digest/feedback"
	"github.com/weeklywrap/digest/digest/route"
	"github.com/weeklywrap/digest/digest/service"
)

// feedbackWebhooks builds the provider webhooks feedback.* configures, or
// nil when none is.
func feedbackWebhooks(svc *service.Service) (*feedback.Handler, error) {
	f := svc.Cfg.Feedback
	h, err := feedback.New(feedback.Options{Store: svc.Store, Log: svc.Log, MaxAge: f.MaxAge,
		SES:      feedback.SES{TopicARNs: f.SES.TopicARNs, AutoConfirm: f.SES.AutoConfirm},
		Postmark: feedback.Postmark{Username: f.Postmark.Username, Password: f.Postmark.Password},
		Mailgun:  feedback.Mailgun{SigningKey: f.Mailgun.SigningKey},
		SendGrid: feedback.SendGrid{PublicKey: f.SendGrid.PublicKey},
		OnEvent: func(ev digest.Feedback, recorded bool) {
			svc.Metrics.Feedback(ev.Source, string(ev.Kind), recorded)
		},
		OnRefused: svc.Metrics.WebhookRefused,
	})
	if err != nil {
		return nil, err
	}
	if len(h.Enabled()) == 0 {
		return nil, nil
	}
	return h, nil
}

// withWebhooks serves the webhooks beside the site; they answer the
// providers' servers, not people, so they skip the site's pages.
func withWebhooks(site http.Handler, hooks http.Handler) http.Handler {
	mux := http.NewServeMux()
	mux.Handle(route.Webhooks+"/{provider}", hooks)
	mux.Handle(route.Home, site)
	return mux
}

// mailbox returns a pass over the configured bounce mailbox, with a name
// for it, or nil when feedback.mailbox names none.
func mailbox(svc *service.Service) (read func(context.Context) (feedback.ReadStats, error), where string) {
	m := svc.Cfg.Feedback.Mailbox
	rd := &feedback.Reader{Store: svc.Store, Log: svc.Log, OnEvent: func(ev digest.Feedback, recorded bool) {
		svc.Metrics.Feedback(ev.Source, string(ev.Kind), recorded)
	}}
	switch {
	case m.Maildir != "":
		dir := svc.Cfg.Resolve(m.Maildir)
		return func(ctx context.Context) (feedback.ReadStats, error) { return rd.ReadMaildir(ctx, dir) }, "maildir " + dir
	case m.IMAP.Host != "":
		c := feedback.IMAPConfig{Host: m.IMAP.Host, Port: m.IMAP.Port, TLS: m.IMAP.TLS, Username: m.IMAP.Username,
			Password: m.IMAP.Password, Folder: m.IMAP.Folder}
		return func(ctx context.Context) (feedback.ReadStats, error) { return rd.ReadIMAP(ctx, c) },
			fmt.Sprintf("IMAP %s@%s %s", c.Username, c.Host, c.Folder)
	}
	return nil, ""
}

func feedbackCmd(a *app) *cobra.Command {
	cmd := &cobra.Command{Use: "feedback", Short: "Bounces and complaints reported after sending"}
	cmd.AddCommand(&cobra.Command{
		Use:   "read",
		Short: "Read DSN bounces and ARF complaints from feedback.mailbox once (serve does it every feedback.mailbox.every)",
		Long: `Read the new messages of the bounce mailbox configured under feedback.mailbox (a
maildir, or an IMAP folder), record the RFC 3464 delivery status notifications
and RFC 5965 (ARF) complaint reports in them, and mark every message read. A
hard bounce or a complaint suppresses the address; a soft bounce counts. Other
mail (auto-replies) is marked read and otherwise left alone.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			svc, err := a.service(cmd.Context())
			if err != nil {
				return err
			}
			read, where := mailbox(svc)
			if read == nil {
				return fmt.Errorf("%s: feedback.mailbox names no maildir or IMAP host; set feedback.mailbox.maildir or feedback.mailbox.imap.host", svc.Cfg.Path)
			}
			st, err := read(cmd.Context())
			fmt.Fprintf(cmd.OutOrStdout(), "%s: %s, %s: %s recorded, %d seen before, %d unreadable, %d not about mail this list sent\n",
				where, plural(st.Messages, "message", "messages"), plural(st.Reports, "report", "reports"),
				plural(st.Recorded, "event", "events"), st.Repeats, st.Broken, st.Unmatched)
			return err
		},
	})
	return cmd
}

// pollMailbox reads the bounce mailbox at start and every
// feedback.mailbox.every until ctx ends; a failed pass is logged and
// tried again at the next.
func pollMailbox(ctx context.Context, svc *service.Service) {
	read, where := mailbox(svc)
	if read == nil {
		return
	}
	every := svc.Cfg.Feedback.Mailbox.Every
	svc.Log.Info("feedback mailbox on", "mailbox", where, "every", every)
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		st, err := read(ctx)
		switch {
		case ctx.Err() != nil:
			return
		case err != nil:
			svc.Log.Warn("feedback mailbox: pass failed; trying again later", "mailbox", where, "error", err, "retry_in", every)
		case st.Messages > 0:
			svc.Log.Info("feedback mailbox read", "mailbox", where, "messages", st.Messages, "reports", st.Reports,
				"recorded", st.Recorded, "repeats", st.Repeats, "unreadable", st.Broken, "not_ours", st.Unmatched)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

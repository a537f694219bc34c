package main

import (
	"errors"
	"fmt"
	"net/mail"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/weeklywrap/digest/digest"
)

func sendCmd(a *app) *cobra.Command {
	var to string
	var dryRun bool
	cmd := &cobra.Command{
		Use:   "send",
		Short: "Build the issue now and send it (or send a test to one address)",
		Long: `Without --to: first finish any issue an earlier run left half-sent, then build
the issue for now and send it to every confirmed subscriber. Run again after a
crash, it resumes instead of building a new issue.

With --to ADDR: build the next issue and send it to that one address only, as a
test. Nothing is stored.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			svc, err := a.service(ctx)
			if err != nil {
				return err
			}
			w := cmd.OutOrStdout()
			if to != "" {
				addr, err := mail.ParseAddress(to)
				if err != nil || strings.ContainsAny(to, "\r\n") {
					return fmt.Errorf("--to %q is not an email address", to)
				}
				is, _, err := svc.Build(ctx, svc.Slots.Next(svc.Now()))
				if err != nil {
					return err
				}
				if is.Empty() && !svc.Cfg.SendEmpty {
					fmt.Fprintln(w, "no articles in the window; nothing sent (send_empty: false)")
					return nil
				}
				p, err := svc.Render.Prepare(&is)
				if err != nil {
					return err
				}
				msg := svc.Message(p, is.Number, digest.Subscriber{Email: strings.ToLower(addr.Address), Name: addr.Name})
				if dryRun {
					fmt.Fprintf(w, "dry run: would send %q to %s\n", msg.Subject, msg.To)
					return nil
				}
				snd, err := svc.Sender()
				if err != nil {
					return err
				}
				id, err := snd.Send(ctx, msg)
				if err != nil {
					return fmt.Errorf("send to %s: %w", msg.To, err)
				}
				fmt.Fprintf(w, "sent issue #%d %q to %s (Message-ID <%s>)\n", is.Number, msg.Subject, msg.To, id)
				return nil
			}
			if dryRun {
				is, _, err := svc.Build(ctx, time.Now())
				if err != nil {
					return err
				}
				counts, err := svc.Store.CountSubscribers(ctx)
				if err != nil {
					return err
				}
				fmt.Fprintf(w, "dry run: issue #%d %q with %d articles would go to %d confirmed subscribers\n",
					is.Number, is.Subject, is.ArticleCount(), counts[digest.StatusConfirmed])
				return nil
			}
			if err := svc.ResumeUnfinished(ctx); err != nil {
				return err
			}
			// An ad-hoc slot: now, or just after the latest issue's slot when
			// sends follow each other within a second.
			slot := svc.Now().UTC().Truncate(time.Second)
			if last, err := svc.Store.LatestIssue(ctx); err == nil && !last.Slot.Before(slot) {
				slot = last.Slot.Add(time.Second)
			}
			st, err := svc.EnsureIssue(ctx, slot)
			if errors.Is(err, digest.ErrNoContent) {
				fmt.Fprintln(w, "no articles in the window; nothing sent (send_empty: false)")
				return nil
			}
			if err != nil {
				return err
			}
			stats, err := svc.Deliver(ctx, st.Number)
			if err != nil {
				return err
			}
			qs, _ := svc.Store.QueueStats(ctx, st.Number)
			fmt.Fprintf(w, "issue #%d %q: %d sent, %d failed, %d retried this run; queue: %d sent, %d failed, %d pending\n",
				st.Number, st.Subject, stats.Sent, stats.Failed, stats.Retried, qs.Sent, qs.Failed, qs.Pending+qs.Sending)
			return nil
		},
	}
	cmd.Flags().StringVar(&to, "to", "", "send only to this address, as a test")
	cmd.Flags().BoolVar(&dryRun, "dry-run", false, "build and report, send nothing")
	return cmd
}

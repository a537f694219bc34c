package main

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/weeklywrap/digest/digest"
	"github.com/weeklywrap/digest/digest/service"
	"github.com/weeklywrap/digest/digest/subscribercsv"
)

func subscribersCmd(a *app) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "subscribers",
		Short: "Manage the list: add, remove, list, import, export",
	}
	cmd.AddCommand(subAddCmd(a), subRemoveCmd(a), subListCmd(a), subImportCmd(a), subExportCmd(a))
	return cmd
}

func subAddCmd(a *app) *cobra.Command {
	var name string
	var pending bool
	cmd := &cobra.Command{
		Use:   "add EMAIL...",
		Short: "Add subscribers, confirmed (the operator vouches for their consent)",
		Args:  cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			st, err := a.openStore(cmd.Context())
			if err != nil {
				return err
			}
			failed := 0
			for _, arg := range args {
				email, err := digest.NormalizeEmail(arg)
				if err != nil {
					failed++
					fmt.Fprintf(cmd.ErrOrStderr(), "digest subscribers add: %q: %v\n", arg, err)
					continue
				}
				s := digest.Subscriber{Email: email, Name: digest.CleanName(name), Status: digest.StatusConfirmed, ConfirmedAt: time.Now().UTC()}
				if pending {
					s.Status, s.ConfirmedAt = digest.StatusPending, time.Time{}
				}
				if _, err := st.AddSubscriber(cmd.Context(), s); err != nil {
					if errors.Is(err, digest.ErrExists) {
						fmt.Fprintf(cmd.OutOrStdout(), "%s is already on the list\n", email)
						continue
					}
					return err
				}
				fmt.Fprintf(cmd.OutOrStdout(), "added %s (%s)\n", email, s.Status)
			}
			if failed > 0 {
				return exitError{1}
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&name, "name", "", "the subscriber's name, for the greeting")
	cmd.Flags().BoolVar(&pending, "pending", false, "add as pending (not yet confirmed)")
	return cmd
}

func subRemoveCmd(a *app) *cobra.Command {
	var erase bool
	cmd := &cobra.Command{
		Use:   "remove EMAIL...",
		Short: "Unsubscribe addresses (suppressed ones stay suppressed), or erase them and their data with --erase",
		Args:  cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			st, err := a.openStore(cmd.Context())
			if err != nil {
				return err
			}
			for _, arg := range args {
				s, err := st.SubscriberByEmail(cmd.Context(), strings.ToLower(strings.TrimSpace(arg)))
				if errors.Is(err, digest.ErrNotFound) {
					fmt.Fprintf(cmd.ErrOrStderr(), "digest subscribers remove: %s is not on the list\n", arg)
					continue
				}
				if err != nil {
					return err
				}
				if erase {
					if err := st.DeleteSubscriber(cmd.Context(), s.ID); err != nil {
						return err
					}
					fmt.Fprintf(cmd.OutOrStdout(), "erased %s and their data\n", s.Email)
					continue
				}
				changed, err := st.Unsubscribe(cmd.Context(), s.ID)
				if err != nil {
					return err
				}
				switch {
				case changed:
					fmt.Fprintf(cmd.OutOrStdout(), "unsubscribed %s\n", s.Email)
				case s.Status == digest.StatusSuppressed:
					// Stays suppressed: unsubscribed, it could come back
					// through the preferences page.
					fmt.Fprintf(cmd.OutOrStdout(), "%s is suppressed (mail to it bounced) and stays off the list\n", s.Email)
				default:
					fmt.Fprintf(cmd.OutOrStdout(), "%s was already unsubscribed\n", s.Email)
				}
			}
			return nil
		},
	}
	cmd.Flags().BoolVar(&erase, "erase", false, "delete the subscriber and their personal data, from the database file too (GDPR erasure); a suppressed address stays suppressed, as a hash")
	return cmd
}

func subListCmd(a *app) *cobra.Command {
	var status string
	cmd := &cobra.Command{
		Use:   "list",
		Short: "List subscribers",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if status != "" && !digest.SubscriberStatus(status).Valid() {
				return fmt.Errorf("--status %q: use pending, confirmed, unsubscribed or suppressed", status)
			}
			st, err := a.openStore(cmd.Context())
			if err != nil {
				return err
			}
			w := cmd.OutOrStdout()
			n := 0
			err = st.EachSubscriber(cmd.Context(), digest.SubscriberFilter{Status: digest.SubscriberStatus(status)}, func(s digest.Subscriber) error {
				n++
				_, err := fmt.Fprintf(w, "%-40s %-12s %s\n", s.Email, s.Status, s.Name)
				return err
			})
			fmt.Fprintln(cmd.ErrOrStderr(), plural(n, "subscriber", "subscribers"))
			return err
		},
	}
	cmd.Flags().StringVar(&status, "status", "", "only this status (pending, confirmed, unsubscribed, suppressed)")
	return cmd
}

func subImportCmd(a *app) *cobra.Command {
	var confirmed, invite bool
	cmd := &cobra.Command{
		Use:   "import FILE.csv",
		Short: "Import a CSV with a header row (email, name; optional status, topics)",
		Long: `Import subscribers from a CSV file whose first row names the columns: email
(required), name, and optionally status and topics (separated by ";").
Addresses are imported as pending unless --confirmed says their consent was
already given. Bad rows are reported with their line and skipped.

A pending subscriber gets no issue until they confirm. --invite sends each
pending row of the file (new or already on the list) the confirmation email
that the subscribe form sends, through the notices outbox: at most one per
address per web.confirm_every, within mail.per_second and mail.per_hour.
What cannot go out within 30 seconds stays queued for digest serve.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if invite && confirmed {
				return fmt.Errorf("--invite and --confirmed exclude each other: confirmed subscribers need no invitation")
			}
			st, err := a.openStore(cmd.Context())
			if err != nil {
				return err
			}
			f, err := os.Open(args[0])
			if err != nil {
				return err
			}
			defer f.Close()
			rows, err := subscribercsv.Read(f, subscribercsv.Options{Confirmed: confirmed, Now: time.Now().UTC()})
			if err != nil {
				return fmt.Errorf("%s: %w", args[0], err)
			}
			added, skipped, bad := 0, 0, 0
			var pending []string // addresses of the file's pending rows
			for _, row := range rows {
				if row.Err != nil {
					bad++
					fmt.Fprintf(cmd.ErrOrStderr(), "%s:%d: %v\n", args[0], row.Line, row.Err)
					continue
				}
				stored, err := st.AddSubscriber(cmd.Context(), row.Subscriber)
				if errors.Is(err, digest.ErrExists) {
					skipped++
					stored, err = st.SubscriberByEmail(cmd.Context(), row.Subscriber.Email)
				} else if err == nil {
					added++
				}
				if err != nil {
					return fmt.Errorf("%s:%d: %w", args[0], row.Line, err)
				}
				if stored.Status == digest.StatusPending {
					pending = append(pending, stored.Email)
				}
			}
			w := cmd.OutOrStdout()
			fmt.Fprintf(w, "imported %d, already on the list %d, bad rows %d\n", added, skipped, bad)
			switch {
			case len(pending) == 0:
			case invite:
				if err := invitePending(cmd, a, pending); err != nil {
					return err
				}
			default:
				fmt.Fprintf(w, "%s pending: no issue goes to them until they confirm; run again with --invite to send them the confirmation email (or --confirmed if their consent was already given)\n",
					plural(len(pending), "subscriber is", "subscribers are"))
			}
			if bad > 0 {
				return exitError{1}
			}
			return nil
		},
	}
	cmd.Flags().BoolVar(&confirmed, "confirmed", false, "the list's consent was already given: import as confirmed")
	cmd.Flags().BoolVar(&invite, "invite", false, "send each pending row the confirmation email (within the rate limits)")
	return cmd
}

func subExportCmd(a *app) *cobra.Command {
	return &cobra.Command{
		Use:   "export [FILE.csv]",
		Short: "Export subscribers as CSV (email, name, status, topics, created); stdout by default",
		Args:  cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			st, err := a.openStore(cmd.Context())
			if err != nil {
				return err
			}
			out := cmd.OutOrStdout()
			if len(args) == 1 {
				f, err := os.Create(args[0])
				if err != nil {
					return err
				}
				defer f.Close()
				out = f
			}
			w := csv.NewWriter(out)
			_ = w.Write(subscribercsv.Header())
			err = st.EachSubscriber(cmd.Context(), digest.SubscriberFilter{}, func(s digest.Subscriber) error {
				return w.Write(subscribercsv.Record(s))
			})
			w.Flush()
			if err != nil {
				return err
			}
			return w.Error()
		},
	}
}

// invitePending queues the confirmation email for each pending address
// and sends what it can now; the rest stays in the outbox for digest serve.
func invitePending(cmd *cobra.Command, a *app, emails []string) error {
	ctx := cmd.Context()
	svc, err := a.service(ctx)
	if err != nil {
		return err
	}
	if _, err := svc.Cfg.CheckSecret(); err != nil {
		return err // the confirm links are signed with it
	}
	cfg := svc.Cfg
	notices, err := svc.NewNotices(templateFS(cfg), service.ConfirmTTL)
	if err != nil {
		return err
	}
	queued, recent := 0, 0
	for _, email := range emails {
		sub, err := svc.Store.SubscriberByEmail(ctx, email)
		if err != nil {
			return fmt.Errorf("invite %s: %w", email, err)
		}
		if sub.Status != digest.StatusPending {
			continue
		}
		ok, err := notices.ConfirmQueued(ctx, sub, svc.ConfirmLink(sub))
		if err != nil {
			return fmt.Errorf("invite %s: %w", email, err)
		}
		if ok {
			queued++
		} else {
			recent++
		}
	}
	w := cmd.OutOrStdout()
	fmt.Fprintf(w, "queued %s", plural(queued, "confirmation email", "confirmation emails"))
	if recent > 0 {
		fmt.Fprintf(w, "; %s had one within web.confirm_every (%s) and got none now", plural(recent, "address", "addresses"), cfg.Web.ConfirmEvery)
	}
	fmt.Fprintln(w)
	if queued == 0 {
		return nil
	}
	ob, err := svc.Outbox()
	if err != nil {
		return err
	}
	dctx, cancel := context.WithTimeout(ctx, drainTimeout)
	defer cancel()
	st, derr := ob.Drain(dctx)
	left, _ := svc.Store.OutboxStats(ctx)
	fmt.Fprintf(w, "sent %s now (mail.per_second %g, mail.per_hour %d)", plural(st.Sent, "confirmation", "confirmations"), cfg.Mail.PerSecond, cfg.Mail.PerHour)
	if n := left.Pending + left.Sending; n > 0 {
		fmt.Fprintf(w, "; %d wait in the outbox: digest serve sends them", n)
	}
	fmt.Fprintln(w)
	if derr != nil && !errors.Is(derr, context.DeadlineExceeded) {
		fmt.Fprintf(cmd.ErrOrStderr(), "sending stopped: %v; the confirmations stay queued for digest serve\n", derr)
	}
	return nil
}

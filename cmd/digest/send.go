package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/mail"
	"os"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/weeklywrap/digest/digest"
	"github.com/weeklywrap/digest/digest/mailer"
	"github.com/weeklywrap/digest/digest/service"
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
test, exactly as subscribers will get it (headers included). Its links lead to
test pages: "view in browser" shows this copy (kept 30 days), and the
preferences and unsubscribe links say they belong to a test and change
nothing. No issue is stored and the address is not added to the list.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			svc, err := a.service(ctx)
			if err != nil {
				return err
			}
			// The links in what goes out are signed with the secret.
			if _, err := svc.Cfg.CheckSecret(); err != nil {
				return err
			}
			w := cmd.OutOrStdout()
			if !dryRun {
				if err := svc.CheckRelay(ctx); err != nil {
					return err
				}
			}
			if to != "" {
				addr, err := mail.ParseAddress(to)
				if err != nil || strings.ContainsAny(to, "\r\n") {
					return fmt.Errorf("--to %q is not an email address", to)
				}
				ts, err := svc.SendTest(ctx, strings.ToLower(addr.Address), addr.Name, dryRun)
				if errors.Is(err, digest.ErrNoContent) {
					fmt.Fprintln(w, "no articles in the window; nothing sent (send_empty: false)")
					return nil
				}
				if err != nil {
					return err
				}
				if dryRun {
					fmt.Fprintf(w, "dry run: would send %q to %s\n", ts.Subject, ts.To)
					return nil
				}
				fmt.Fprintf(w, "sent a test of issue #%d %q to %s (Message-ID <%s>); its links lead to test pages, the copy is at %s\n",
					ts.Issue, ts.Subject, ts.To, ts.MessageID, ts.WebURL)
				return nil
			}
			if dryRun {
				// The same decision as a real send, without acting on it.
				plan, err := svc.PlanSend(ctx, svc.Now())
				if err != nil {
					return err
				}
				switch {
				case plan.Resume > 0:
					fmt.Fprintf(w, "dry run: would resume unfinished issue #%d (%d pending, %d claimed; a stopped run's claims are taken over once mail.claim_lease passes without renewal) and build nothing new\n", plan.Resume, plan.Pending, plan.Claimed)
					return nil
				case plan.Scheduled:
					fmt.Fprintf(w, "dry run: issue #%d for this slot exists and is sent; nothing to do until the next slot, %s\n",
						plan.Issue.Number, svc.Slots.Next(svc.Now()).In(svc.Cfg.Location).Format("Mon 2 Jan 2006 15:04 MST"))
					return nil
				case plan.Exists:
					fmt.Fprintf(w, "dry run: issue #%d for this slot exists and is sent; nothing to do\n", plan.Issue.Number)
					return nil
				}
				is, _, err := svc.Build(ctx, plan.Slot)
				if err != nil {
					return err
				}
				counts, err := svc.Store.CountSubscribers(ctx)
				if err != nil {
					return err
				}
				fmt.Fprintf(w, "dry run: issue #%d %q with %s would go to %s\n",
					is.Number, is.Subject, plural(is.ArticleCount(), "article", "articles"), plural(counts[digest.StatusConfirmed], "confirmed subscriber", "confirmed subscribers"))
				return nil
			}
			if isTerminal(os.Stderr) {
				svc.SendProgress = newSendBar(os.Stderr).update
			}
			// The bulk send: fewer garbage collections (see bulkGC).
			defer bulkGC()()
			// Claims a stopped run left are taken over once they run out
			// (mail.claim_lease, seconds), not left for a later run.
			svc.TakeOver = true
			// After a crash, finishing the interrupted issue is the whole
			// job: building another one now would mail readers twice in a
			// row. An issue whose only rest is waiting out retry times does
			// not hold up a new one.
			resumed, rs, err := svc.ResumeUnfinished(ctx)
			if err != nil {
				return stopped(ctx, w, err)
			}
			if len(resumed) > 0 && rs.Sent+rs.Failed+rs.Retried+rs.Skipped > 0 {
				fmt.Fprintf(w, "resumed unfinished issue %s: %d sent, %d failed, %d retried this run; no new issue built\n",
					issueList(resumed), rs.Sent, rs.Failed, rs.Retried)
				return nil
			}
			// Deliveries another live run (a daemon, another send) is sending:
			// a new issue now would jump the queue.
			for _, n := range resumed {
				if qs, err := svc.Store.QueueStats(ctx, n); err == nil && qs.Sending > 0 {
					fmt.Fprintf(w, "issue #%d: %s being sent by another running digest; no new issue built\n", n, plural(qs.Sending, "delivery is", "deliveries are"))
					return nil
				}
			}
			st, created, err := svc.SendIssue(ctx)
			if svc.Cfg.Review.On() {
				// A draft built now was mailed to the editors through the
				// outbox, which digest serve sends; send it now too.
				if ob, oerr := svc.Outbox(); oerr == nil {
					drainNotices(svc, ob)
				}
			}
			if errors.Is(err, digest.ErrNoContent) {
				fmt.Fprintln(w, "no articles in the window; nothing sent (send_empty: false)")
				return nil
			}
			if errors.Is(err, service.ErrNotSending) {
				fmt.Fprintf(w, "nothing sent: %s; see digest draft show\n", strings.TrimSuffix(err.Error(), ": "+service.ErrNotSending.Error()))
				return nil
			}
			if err != nil {
				return err
			}
			stats, err := svc.Deliver(ctx, st.Number)
			if err != nil {
				return stopped(ctx, w, err)
			}
			qs, _ := svc.Store.QueueStats(ctx, st.Number)
			if !created {
				fmt.Fprintf(w, "issue #%d %q was built for this slot already, so no new issue: %d sent this run; queue: %d sent, %d failed, %d pending; the next issue is built at the next slot, %s\n",
					st.Number, st.Subject, stats.Sent, qs.Sent, qs.Failed, qs.Pending+qs.Sending,
					svc.Slots.Next(svc.Now()).In(svc.Cfg.Location).Format("Mon 2 Jan 2006 15:04 MST"))
				return nil
			}
			fmt.Fprintf(w, "issue #%d %q: %d sent, %d failed, %d retried this run; queue: %d sent, %d failed, %d pending\n",
				st.Number, st.Subject, stats.Sent, stats.Failed, stats.Retried, qs.Sent, qs.Failed, qs.Pending+qs.Sending)
			return nil
		},
	}
	cmd.Flags().StringVar(&to, "to", "", "send only to this address, as a test")
	cmd.Flags().BoolVar(&dryRun, "dry-run", false, "build and report, send nothing")
	return cmd
}

func issueList(ns []int) string {
	parts := make([]string, len(ns))
	for i, n := range ns {
		parts[i] = fmt.Sprintf("#%d", n)
	}
	return strings.Join(parts, ", ")
}

// stopped turns a send interrupted by SIGTERM or Ctrl-C into a clean exit:
// the messages in flight were finished and the rest stay queued for the
// next run, which resumes them.
func stopped(ctx context.Context, w io.Writer, err error) error {
	if mailer.IsRelayRefusal(err) {
		return fmt.Errorf("%w\nthe relay refused the connection or the sender, not the recipients: the unsent deliveries stay queued without using an attempt; run digest send again later (digest serve retries every minute)", err)
	}
	if ctx.Err() == nil || !errors.Is(err, ctx.Err()) {
		return err
	}
	fmt.Fprintln(w, "stopped: the messages in flight were finished; run digest send again to send the rest")
	return nil
}

// sendBar draws one self-overwriting line on a terminal: a bar, sent,
// failed, remaining, rate and ETA.
type sendBar struct {
	w     io.Writer
	start time.Time
	last  time.Time
}

func newSendBar(w io.Writer) *sendBar { return &sendBar{w: w, start: time.Now()} }

func (b *sendBar) update(st mailer.Stats, total int) {
	now := time.Now()
	done := st.Sent + st.Failed + st.Skipped
	if done < total && now.Sub(b.last) < 100*time.Millisecond {
		return
	}
	b.last = now
	fmt.Fprint(b.w, "\r"+sendLine(st, total, now.Sub(b.start))+"   ")
	if done >= total {
		fmt.Fprintln(b.w)
	}
}

// sendLine is the bar's text after elapsed.
func sendLine(st mailer.Stats, total int, elapsed time.Duration) string {
	const width = 24
	done := st.Sent + st.Failed + st.Skipped
	remaining := max(total-done, 0)
	filled := 0
	if total > 0 {
		filled = min(width*done/total, width)
	}
	rate := 0.0
	if s := elapsed.Seconds(); s > 0 {
		rate = float64(done) / s
	}
	eta := "-"
	if rate > 0 && remaining > 0 {
		eta = (time.Duration(float64(remaining) / rate * float64(time.Second))).Round(time.Second).String()
	}
	return fmt.Sprintf("send [%s%s] %d sent, %d failed, %d remaining, %.0f/s, ETA %s",
		strings.Repeat("=", filled), strings.Repeat(" ", width-filled), st.Sent, st.Failed, remaining, rate, eta)
}

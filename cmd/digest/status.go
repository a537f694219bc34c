package main

import (
	"errors"
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/weeklywrap/digest/digest"
)

func statusCmd(a *app) *cobra.Command {
	return &cobra.Command{
		Use:   "status",
		Short: "Print the last issue, the delivery queue and the list's size",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			svc, err := a.service(ctx)
			if err != nil {
				return err
			}
			st, err := svc.Status(ctx)
			if err != nil {
				return err
			}
			w := cmd.OutOrStdout()
			loc := svc.Cfg.Location
			if last := st.Last; last == nil {
				fmt.Fprintln(w, "last issue:   none yet")
			} else {
				qs := st.Queue
				fmt.Fprintf(w, "last issue:   #%d %q for %s (built %s)\n", last.Number, last.Subject,
					last.Slot.In(loc).Format("Mon 2 Jan 2006 15:04 MST"), last.BuiltAt.In(loc).Format(time.DateTime))
				fmt.Fprintf(w, "  deliveries: %d sent, %d failed, %d pending, %d in flight\n", qs.Sent, qs.Failed, qs.Pending, qs.Sending)
				for _, e := range last.Errors {
					fmt.Fprintf(w, "  source error: %s: %s\n", e.Source, e.Err)
				}
			}
			for _, u := range st.Unfinished {
				fmt.Fprintf(w, "unfinished:   issue #%d: %d pending, %d in flight, %d failed\n", u.Number, u.Pending, u.Sending, u.Failed)
			}
			fmt.Fprintf(w, "queue depth:  %d\n", st.Depth)
			ob := st.Outbox
			fmt.Fprintf(w, "notices:      %d waiting, %d in flight, %d sent, %d failed (confirmations, welcomes; last 30 days)\n",
				ob.Pending, ob.Sending, ob.Sent, ob.Failed)
			for _, d := range st.Failures {
				kind := "retrying"
				if d.State == digest.DeliveryFailed {
					kind = "failed"
				}
				fmt.Fprintf(w, "recent error: issue #%d to %s (%s after %d attempts): %s\n", d.IssueNumber, d.Email, kind, d.Attempts, d.LastError)
			}
			counts := st.Subscribers
			fmt.Fprintf(w, "subscribers:  %d confirmed, %d pending, %d unsubscribed, %d suppressed\n",
				counts[digest.StatusConfirmed], counts[digest.StatusPending], counts[digest.StatusUnsubscribed], counts[digest.StatusSuppressed])
			fmt.Fprintln(w, feedbackLine(st.Feedback))
			for _, f := range st.Feeds {
				if f.ConsecutiveFailures > 0 {
					flag := ""
					if f.Failing {
						flag = fmt.Sprintf(" FAILING for %d+ days", svc.Cfg.Sources.FailingDays)
					}
					fmt.Fprintf(w, "feed error:   %s: %s since %s%s: %s\n", f.Name, plural(f.ConsecutiveFailures, "failure", "failures"),
						f.FailingSince.In(loc).Format(time.DateTime), flag, f.LastError)
				}
			}
			fmt.Fprintf(w, "feeds:        %d configured, %d failing for %d+ days\n", len(st.Feeds), st.Failing, svc.Cfg.Sources.FailingDays)
			fmt.Fprintf(w, "next slot:    %s (%s)\n", st.NextSlot.In(loc).Format("Mon 2 Jan 2006 15:04 MST"), svc.Cfg.Schedule)
			if svc.Cfg.Review.On() {
				// The draft under review, so an operator sees from the shell
				// what the editors see on the desk.
				v, err := svc.CurrentView(ctx)
				switch {
				case errors.Is(err, digest.ErrNotFound):
					next := svc.Slots.Next(svc.Now())
					fmt.Fprintf(w, "draft:        none under review (%s mode); the next is built %s\n", svc.Cfg.Review.Mode,
						next.Add(-svc.Lead(next)).In(loc).Format("Mon 2 Jan 2006 15:04 MST"))
				case err != nil:
					return err
				default:
					fmt.Fprintf(w, "draft:        for %s, %s (%s mode), %s, %s, built %s; see digest draft show\n",
						v.Draft.Slot.In(loc).Format("Mon 2 Jan 2006 15:04 MST"), v.Draft.State, svc.Cfg.Review.Mode,
						plural(len(v.Edited.Stories), "story", "stories"), plural(len(v.Edits), "edit", "edits"), v.Draft.BuiltAt.In(loc).Format(time.DateTime))
				}
			}
			return nil
		},
	}
}

// feedbackLine sums the bounces and complaints reported after sending
// (the last service.StatusDays), with where they came from.
func feedbackLine(cs []digest.FeedbackCount) string {
	kinds := map[digest.FeedbackKind]int{}
	sources := map[string]int{}
	var order []string
	for _, c := range cs {
		kinds[c.Kind] += c.N
		if sources[c.Source] == 0 {
			order = append(order, c.Source)
		}
		sources[c.Source] += c.N
	}
	line := fmt.Sprintf("feedback:     %s (suppressed), %s, %s (suppressed) reported in the last 30 days",
		plural(kinds[digest.FeedbackHardBounce], "hard bounce", "hard bounces"), plural(kinds[digest.FeedbackSoftBounce], "soft bounce", "soft bounces"),
		plural(kinds[digest.FeedbackComplaint], "complaint", "complaints"))
	for i, src := range order {
		sep := ", "
		if i == 0 {
			sep = ": "
		}
		line += fmt.Sprintf("%s%s %d", sep, src, sources[src])
	}
	return line
}

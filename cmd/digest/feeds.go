package main

import (
	"fmt"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/weeklywrap/digest/digest/service"
	"github.com/weeklywrap/digest/digest/source/feedparse"
)

func feedsCmd(a *app) *cobra.Command {
	cmd := &cobra.Command{Use: "feeds", Short: "Check, import and export the configured feeds"}
	cmd.AddCommand(&cobra.Command{
		Use:   "check",
		Short: "Fetch every feed now and print a table of how each did",
		Long: `Fetch every configured feed now and print a table: status (ok, 304, fresh,
FAIL), items in the feed, newest item date, time taken and the last error. A
feed answering 304 Not Modified is not parsed again: its figures come from
the last parse kept in the feed cache. A feed whose
caching hints (Cache-Control, <ttl>, Retry-After) say it is still fresh shows
as "fresh" without a request. The exit status is 1 when any feed failed.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			svc, err := a.service(ctx)
			if err != nil {
				return err
			}
			feeds := service.FeedOptions(svc.Cfg)
			var prog func(done, total int)
			if isTerminal(os.Stderr) {
				p := newProgress(os.Stderr)
				prog = func(done, total int) { p.update("feeds", done, total) }
			}
			// Counts and dates only: an unchanged feed is not parsed again.
			results := svc.Fetcher.CheckAll(ctx, feeds, prog)
			tw := tabwriter.NewWriter(cmd.OutOrStdout(), 0, 2, 2, ' ', 0)
			fmt.Fprintln(tw, "FEED\tSTATUS\tITEMS\tNEWEST\tTOOK\tERROR")
			failed := 0
			for _, r := range results {
				status := "ok"
				switch {
				case r.Err != nil:
					status, failed = "FAIL", failed+1
				case r.Fresh:
					status = "fresh"
				case r.NotModified:
					status = "304"
				}
				if r.Status != 0 && r.Err != nil {
					status = fmt.Sprintf("FAIL %d", r.Status)
				}
				newest := "-"
				if !r.Newest.IsZero() {
					newest = r.Newest.In(svc.Cfg.Location).Format("2006-01-02")
				}
				var notes []string
				if r.Err != nil {
					notes = append(notes, r.Err.Error())
				}
				if r.Future > 0 {
					notes = append(notes, plural(r.Future, "item", "items")+" dated in the future left out")
				}
				if r.FullTextErr > 0 {
					notes = append(notes, fmt.Sprintf("%s not extracted; teaser kept (%s)", plural(r.FullTextErr, "page", "pages"), strings.Join(r.FullTextErrors, "; ")))
				}
				errMsg := strings.Join(notes, "; ")
				fmt.Fprintf(tw, "%s\t%s\t%d\t%s\t%s\t%s\n", r.Feed.Name, status, r.Items, newest, r.Took.Round(time.Millisecond), errMsg)
			}
			tw.Flush()
			if failed > 0 {
				fmt.Fprintf(cmd.ErrOrStderr(), "%d of %s failed\n", failed, plural(len(results), "feed", "feeds"))
				return exitError{1} // so a cron job or monitor notices
			}
			return nil
		},
	}, importFeedsCmd(a), &cobra.Command{
		Use:   "export",
		Short: "Write the configured feeds as OPML to stdout",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			cfg, err := a.config()
			if err != nil {
				return err
			}
			return feedparse.WriteOPML(cmd.OutOrStdout(), cfg.Newsletter.Title, service.FeedOptions(cfg))
		},
	})
	return cmd
}

// Command digest is a self-hosted weekly newsletter generator: it gathers
// the week's articles from feeds and seed files, summarizes and arranges
// them into one issue, and mails it to every confirmed subscriber.
//
// Run `digest --help` for the commands.
package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"github.com/spf13/cobra"
)

// version is set at build time with -ldflags "-X main.version=v1.2.3".
var version = "dev"

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	// A second Ctrl-C stops at once; the first asks for a clean stop.
	go func() {
		<-ctx.Done()
		stop()
	}()
	root, a := newRoot()
	err := root.ExecuteContext(ctx)
	a.Close() // cobra skips PersistentPostRun when a command fails
	if err != nil {
		var ee exitError
		if errors.As(err, &ee) {
			os.Exit(ee.code)
		}
		fmt.Fprintln(os.Stderr, "digest:", err)
		os.Exit(1)
	}
}

// exitError carries an exit status for errors already reported.
type exitError struct{ code int }

func (e exitError) Error() string { return fmt.Sprintf("exit status %d", e.code) }

func newRoot() (*cobra.Command, *app) {
	a := &app{}
	root := &cobra.Command{
		Use:   "digest",
		Short: "A self-hosted weekly newsletter generator",
		Long: `digest gathers the week's articles from RSS/Atom/JSON feeds and seed files,
extracts and summarizes them into one issue, "the weekly wrap", and emails it
as HTML with a plain-text part to every confirmed subscriber.

Start with:
  digest preview            build the next issue into out/ and send nothing
  digest send --to ADDR     send it to one address (Mailpit on 127.0.0.1:1025 by default)
  digest serve              run the schedule, the web pages and the sending`,
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.PersistentFlags().StringVar(&a.configPath, "config", "config.yaml", "config file")
	root.AddCommand(
		previewCmd(a), sendCmd(a), serveCmd(a), extractCmd(a), summarizeCmd(a),
		subscribersCmd(a), feedsCmd(a), configCmd(a), statusCmd(a), versionCmd(),
		draftCmd(a), linksCmd(a), feedbackCmd(a),
	)
	root.PersistentPostRun = func(*cobra.Command, []string) { a.Close() }
	return root, a
}

func versionCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print the version",
		Args:  cobra.NoArgs,
		Run: func(cmd *cobra.Command, _ []string) {
			fmt.Fprintln(cmd.OutOrStdout(), "digest", version)
		},
	}
}

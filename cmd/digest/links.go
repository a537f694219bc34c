package main

import (
	"errors"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/weeklywrap/digest/digest"
)

func linksCmd(a *app) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "links add URL [--note TEXT]",
		Short: "Add a page to the next issue as an editor's pick",
		Args:  cobra.NoArgs,
		RunE:  func(cmd *cobra.Command, _ []string) error { return cmd.Help() },
	}
	var note string
	add := &cobra.Command{
		Use:   "add URL",
		Short: "Fetch a page, extract its article and add it as an editor's pick",
		Long: `Fetch the page at URL (under the feed limits, from public addresses only),
extract its article like an HTML seed file, summarize it, and add it as an
editor's pick with an optional note. It joins the draft under review while
editors may still change it, else the next draft (or, with review.mode off,
the next issue). A page that cannot be reached, is not HTML, is too large or
holds no article is refused with the reason, and nothing is added.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			svc, err := a.service(cmd.Context())
			if err != nil {
				return err
			}
			l, err := svc.AddLink(cmd.Context(), args[0], note, cliEditor)
			var rf *digest.Refusal
			if errors.As(err, &rf) {
				return errors.New(rf.Msg)
			}
			if err != nil {
				return err
			}
			w := cmd.OutOrStdout()
			fmt.Fprintf(w, "added %q (%s)\n", l.Article.Title, l.URL)
			if l.Slot.IsZero() {
				fmt.Fprintln(w, "it waits for the next draft (or, with review.mode off, the next issue)")
			} else {
				fmt.Fprintf(w, "it joined the draft for %s\n", a.when(l.Slot))
			}
			return nil
		},
	}
	add.Flags().StringVar(&note, "note", "", "a note shown with the story, e.g. why it is worth reading")
	cmd.AddCommand(add)
	return cmd
}

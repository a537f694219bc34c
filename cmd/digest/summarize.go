package main

import (
	"encoding/json"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/weeklywrap/digest/digest/summary"
)

func summarizeCmd(a *app) *cobra.Command {
	var asJSON bool
	var sentences, words int
	cmd := &cobra.Command{
		Use:   "summarize [--json] [--sentences N | --words N] FILE...",
		Short: "Print the extractive summary of each article",
		Long: `Summarize each article: sentences taken from its own text, in article order.
--words N sets a word budget that never cuts a sentence and is never exceeded
unless one sentence alone does. With --json, one {"file","title","summary"}
object per article per line.`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if sentences < 0 || words < 0 {
				return fmt.Errorf("--sentences and --words must be zero or more")
			}
			b := summary.Budget{Sentences: sentences, Words: words}
			out, errw := cmd.OutOrStdout(), cmd.ErrOrStderr()
			enc := json.NewEncoder(out)
			enc.SetEscapeHTML(false)
			failed := 0
			for _, arg := range args {
				arts, err := readArticles(cmd.Context(), arg)
				if err != nil {
					failed++
					fmt.Fprintf(errw, "digest summarize: %s: %v\n", arg, trimPrefix(err, arg))
					continue
				}
				for _, art := range arts {
					sum := summary.Summarize(art.Title, art.Paragraphs, b)
					if asJSON {
						if sum == nil {
							sum = []string{}
						}
						if err := enc.Encode(map[string]any{"file": arg, "title": art.Title, "summary": sum}); err != nil {
							return err
						}
						continue
					}
					fmt.Fprintf(out, "== %s\n%s\n", arg, art.Title)
					for _, s := range sum {
						fmt.Fprintf(out, "  - %s\n", s)
					}
					fmt.Fprintln(out)
				}
			}
			if failed > 0 {
				return exitError{1}
			}
			return nil
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON lines")
	cmd.Flags().IntVar(&sentences, "sentences", 3, "summary length in sentences")
	cmd.Flags().IntVar(&words, "words", 0, "summary length in words (wins over --sentences)")
	return cmd
}

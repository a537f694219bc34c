package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/weeklywrap/digest/digest"
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
			out := cmd.OutOrStdout()
			enc := jsonLines(out)
			return a.eachArticle(cmd, "summarize", args, func(arg string, art *digest.Article) error {
				sum := summary.Summarize(art.Title, art.Paragraphs, b)
				if asJSON {
					if sum == nil {
						sum = []string{}
					}
					return enc.Encode(map[string]any{"file": arg, "title": art.Title, "summary": sum})
				}
				fmt.Fprintf(out, "== %s\n%s\n", arg, art.Title)
				for _, s := range sum {
					fmt.Fprintf(out, "  - %s\n", s)
				}
				fmt.Fprintln(out)
				return nil
			})
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON lines")
	cmd.Flags().IntVar(&sentences, "sentences", 3, "summary length in sentences")
	cmd.Flags().IntVar(&words, "words", 0, "summary length in words (wins over --sentences)")
	return cmd
}

package main

import (
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/spf13/cobra"

	"github.com/weeklywrap/digest/digest"
	"github.com/weeklywrap/digest/digest/mailer"
	"github.com/weeklywrap/digest/digest/render"
	"github.com/weeklywrap/digest/digest/route"
)

func previewCmd(a *app) *cobra.Command {
	var out string
	var explain, serve bool
	var addr string
	cmd := &cobra.Command{
		Use:   "preview",
		Short: "Build the next issue into files and send nothing",
		Long: `Build the issue the next slot would send, from the configured seeds and feeds,
and write it as issue.html (the email's HTML), issue.txt (its plain-text part)
and issue.eml (the whole message). Nothing is sent and no issue is stored;
feeds' fetch state (ETags, failures) and the feed cache are updated as usual.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			svc, err := a.service(ctx)
			if err != nil {
				return err
			}
			cfg := svc.Cfg
			if out == "" {
				out = cfg.Resolve(cfg.OutDir)
			}
			slot := svc.Slots.Next(svc.Now())
			is, _, err := svc.Build(ctx, slot)
			if err != nil {
				return err
			}
			p, err := svc.Render.Prepare(&is)
			if err != nil {
				return fmt.Errorf("render: %w", err)
			}
			sample := digest.Subscriber{Email: "reader@example.org"} // no name: the greeting a nameless subscriber gets
			pe := render.Personal{Name: sample.Name, Email: sample.Email,
				UnsubscribeURL: route.Site(cfg.Newsletter.BaseURL).URL(route.Unsubscribe), PreferencesURL: route.Site(cfg.Newsletter.BaseURL).URL(route.Home)}
			msg := svc.Message(p, is.Number, sample)
			msg.HTML, msg.Text, msg.UnsubscribeURL = p.HTML(pe), p.Text(pe), pe.UnsubscribeURL
			m, _, err := mailer.Compose(svc.Mail, msg)
			if err != nil {
				return fmt.Errorf("compose: %w", err)
			}
			if err := os.MkdirAll(out, 0o755); err != nil {
				return err
			}
			files := map[string][]byte{"issue.html": []byte(msg.HTML), "issue.txt": []byte(msg.Text)}
			for name, data := range files {
				if err := os.WriteFile(filepath.Join(out, name), data, 0o644); err != nil {
					return fmt.Errorf("write %s: %w", name, err)
				}
			}
			f, err := os.Create(filepath.Join(out, "issue.eml"))
			if err != nil {
				return err
			}
			if _, err := m.WriteTo(f); err != nil {
				f.Close()
				return fmt.Errorf("write issue.eml: %w", err)
			}
			if err := f.Close(); err != nil {
				return err
			}
			w := cmd.OutOrStdout()
			fmt.Fprintf(w, "issue #%d for %s: %s, %s, %s — %q; wrote %s, %s, %s\n", is.Number,
				slot.In(cfg.Location).Format("Mon 2 Jan 2006 15:04 MST"), plural(is.ArticleCount(), "article", "articles"),
				plural(is.Sources, "source", "sources"), plural(len(is.Errors), "error", "errors"), is.Subject,
				filepath.Join(out, "issue.html"), filepath.Join(out, "issue.txt"), filepath.Join(out, "issue.eml"))
			for _, e := range is.Errors {
				fmt.Fprintf(w, "  error: %s: %s\n", e.Source, e.Err)
			}
			// The checks send runs before each issue, on the same message.
			rep, err := svc.Precheck(p, is.Number)
			if err != nil {
				return err
			}
			for _, f := range rep.Findings {
				fmt.Fprintf(w, "  check %s\n", f)
			}
			if rep.Failed() {
				if cfg.Mail.Checks == "warn" {
					fmt.Fprintln(w, "  send would send this issue anyway (mail.checks: warn)")
				} else {
					fmt.Fprintln(w, "  send would refuse this issue; fix the templates or set mail.checks: warn")
				}
			}
			if explain {
				printExplain(cmd, &is)
			}
			if serve {
				return servePreview(ctx, a, is, addr, func(u string) {
					fmt.Fprintf(w, "previewing at %s (desktop, phone and plain text; Ctrl-C to stop)\n", u)
				})
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&out, "out", "", "folder for the files (default: out_dir from config)")
	cmd.Flags().BoolVar(&explain, "explain", false, "say why each article was included or left out, and its score")
	cmd.Flags().BoolVar(&serve, "serve", false, "also serve the email at desktop and phone width and as text; reloads on template change")
	cmd.Flags().StringVar(&addr, "addr", "127.0.0.1:8090", "address for --serve")
	return cmd
}

func printExplain(cmd *cobra.Command, is *digest.Issue) {
	w := cmd.OutOrStdout()
	row := func(where string, e digest.Entry) {
		date := "undated"
		if !e.Article.Published.IsZero() {
			date = e.Article.Published.Format(time.DateOnly)
		}
		fmt.Fprintf(w, "  %-14s %6.3f  %-10s %s (%s)\n", where, e.Score, date, e.Article.Title, e.Article.Source.Name)
		if e.Why != "" {
			fmt.Fprintf(w, "  %-14s         %s\n", "", e.Why)
		}
		if a := &e.Article; a.LowConfidence {
			fmt.Fprintf(w, "  %-14s         low confidence (%.2f): no clear article found in %s; check the text or remove it\n", "", a.Confidence, a.Source.URL)
		}
	}
	fmt.Fprintln(w, "explain:")
	for _, e := range is.Top {
		row("top", e)
	}
	for _, s := range is.Sections {
		for _, e := range s.Entries {
			row(s.Name, e)
		}
	}
	for _, e := range is.Skipped {
		row("left out", e)
	}
}

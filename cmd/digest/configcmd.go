package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/weeklywrap/digest/digest/redact"
)

func configCmd(a *app) *cobra.Command {
	cmd := &cobra.Command{Use: "config", Short: "Work with config.yaml"}
	cmd.AddCommand(&cobra.Command{
		Use:   "check",
		Short: "Validate the config file; no side effects",
		Long: `Read and validate the config file. Every problem is printed with the key, the
line and what is allowed; the exit status is 1 if there is any. A weak or
development secret is an error where base_url or listen is not loopback,
a warning otherwise. Passwords and tokens in URLs are masked. Nothing is
fetched, sent or written.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			cfg, err := a.config()
			if err != nil {
				return err
			}
			if errs := cfg.CheckFiles(); len(errs) > 0 {
				return errs
			}
			if _, err := a.signer(); err != nil {
				return fmt.Errorf("%s: secret: %w", cfg.Path, err)
			}
			if _, err := a.renderer(); err != nil {
				return fmt.Errorf("%s: templates: %w", cfg.Path, err)
			}
			warnings, err := cfg.CheckSecret()
			if err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "%s is valid: %s, seeds in %s, schedule %q in %s, store %s\n",
				cfg.Path, plural(len(cfg.Sources.Feeds), "feed", "feeds"), cfg.Resolve(cfg.Sources.Seeds), cfg.Schedule, cfg.Location, redact.URL(cfg.Store))
			for _, w := range warnings {
				fmt.Fprintln(cmd.OutOrStdout(), "warning:", w)
			}
			return nil
		},
	})
	return cmd
}

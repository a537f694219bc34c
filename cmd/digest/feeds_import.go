package main

import (
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/weeklywrap/digest/digest/config"
	"github.com/weeklywrap/digest/digest/source/feedparse"
)

func importFeedsCmd(a *app) *cobra.Command {
	var dryRun bool
	cmd := &cobra.Command{
		Use:   "import FILE.opml",
		Short: "Add the feeds of an OPML file to config.yaml",
		Long: `Add every feed of an OPML subscription list (as feed readers export it) to
sources.feeds in the config file, and say which were added. Feeds already
configured (the same URL) are skipped, so importing the same file again adds
nothing. The new entries are appended after the last feed; every other line
of the file, comments included, stays exactly as it was. Folder names and
category attributes become the feeds' categories. Outlines with a URL other
than http(s) (feed://, file://) are listed and left out; a plain path is
kept as a local feed file.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			f, err := os.Open(args[0])
			if err != nil {
				return err
			}
			defer f.Close()
			outlines, err := feedparse.ParseOPML(f)
			if err != nil {
				return fmt.Errorf("%s: %w", args[0], err)
			}
			w := cmd.OutOrStdout()
			var feeds []config.Feed
			for _, o := range outlines {
				if strings.Contains(o.URL, "://") {
					if u, err := url.Parse(o.URL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
						fmt.Fprintf(w, "skipped %q: %q is not an http(s) URL\n", o.Name, o.URL)
						continue
					}
				}
				feeds = append(feeds, config.Feed{Name: o.Name, URL: o.URL, Categories: o.Categories})
			}
			path, err := filepath.EvalSymlinks(a.configPath)
			if err != nil {
				return fmt.Errorf("config: %w", err)
			}
			data, err := os.ReadFile(path)
			if err != nil {
				return fmt.Errorf("config: %w", err)
			}
			note := fmt.Sprintf("imported from %s on %s", filepath.Base(args[0]), time.Now().Format(time.DateOnly))
			out, added, err := config.AddFeeds(data, feeds, note)
			if err != nil {
				return fmt.Errorf("%s: %w", a.configPath, err)
			}
			// The whole file must still load (a URL the validation refuses
			// would otherwise break the next serve).
			if _, err := config.Parse(path, out, os.LookupEnv); err != nil {
				return fmt.Errorf("%s: the config would not load with these feeds, nothing written:\n%w", a.configPath, err)
			}
			for _, f := range added {
				fmt.Fprintf(w, "added %q %s\n", f.Name, f.URL)
			}
			verb := "added"
			if dryRun {
				verb = "would add"
			}
			fmt.Fprintf(w, "%s %d of %s from %s to %s; %s configured already\n",
				verb, len(added), plural(len(outlines), "feed", "feeds"), args[0], a.configPath, plural(len(feeds)-len(added), "was", "were"))
			if dryRun || len(added) == 0 {
				return nil
			}
			return writeFileAtomic(path, out)
		},
	}
	cmd.Flags().BoolVar(&dryRun, "dry-run", false, "say what would be added without changing the config")
	return cmd
}

// writeFileAtomic replaces path with data through a temporary file in the
// same folder, keeping its mode, so a crash leaves the old or the new file
// and never half of one.
func writeFileAtomic(path string, data []byte) error {
	mode := os.FileMode(0o644)
	if st, err := os.Stat(path); err == nil {
		mode = st.Mode().Perm()
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := tmp.Chmod(mode); err != nil {
		tmp.Close()
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}

package curate

import (
	"path"
	"path/filepath"
	"strings"

	"github.com/weeklywrap/digest/digest"
	"github.com/weeklywrap/digest/digest/weburl"
)

// Pin marks as Pinned every article that one of refs names: a web address
// (compared as weburl.MatchKey, so tracking parameters and "www." do not
// matter) or a seed file's name, with or without its extension
// ("000_un-resolution.txt", "000_un-resolution"). It returns the refs that
// named no article, for the caller to report. This is how the config's
// curate.pinned list reaches Build; a note's "pin: true" and the editor's
// desk set Article.Pinned themselves.
func Pin(arts []digest.Article, refs []string) (unmatched []string) {
	for _, ref := range refs {
		ref = strings.TrimSpace(ref)
		if ref == "" {
			continue
		}
		canon := weburl.MatchKey(ref)
		hit := false
		for i := range arts {
			if pins(&arts[i], ref, canon) {
				arts[i].Pinned, hit = true, true
			}
		}
		if !hit {
			unmatched = append(unmatched, ref)
		}
	}
	return unmatched
}

func pins(a *digest.Article, ref, canon string) bool {
	if canon != "" {
		return weburl.MatchKey(a.URL) == canon
	}
	if a.Source.Kind != digest.KindSeed {
		return false
	}
	// Seed paths use the OS separator; a ref may be written either way.
	name := filepath.Base(a.Source.URL)
	ref = path.Base(filepath.ToSlash(ref))
	return name == ref || strings.TrimSuffix(name, filepath.Ext(name)) == ref
}

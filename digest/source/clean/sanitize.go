package clean

import (
	"sync"

	"github.com/microcosm-cc/bluemonday"
)

// ugcPolicy is bluemonday's policy for user-generated content, built once
// for every source: building it compiles many regexps, and a built policy
// is never changed afterwards and is safe for concurrent use.
var ugcPolicy = sync.OnceValue(bluemonday.UGCPolicy)

// SanitizeHTML keeps of s what is safe to show a reader: it strips
// scripts, event handlers, styles and unsafe URLs (bluemonday's UGC
// policy). Feed items, pages, full texts and notes all pass through it.
func SanitizeHTML(s string) string { return ugcPolicy().Sanitize(s) }

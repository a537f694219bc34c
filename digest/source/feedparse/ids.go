package feedparse

import (
	"crypto/sha256"
	"encoding/hex"
	"net/url"
	"strings"
)

// resolve makes ref absolute against base; it returns ref unchanged when
// either does not parse, and "" for refs that are not web links.
func resolve(base *url.URL, ref string) string {
	ref = strings.TrimSpace(ref)
	if ref == "" {
		return ""
	}
	u, err := url.Parse(ref)
	if err != nil {
		return ref
	}
	if base != nil {
		u = base.ResolveReference(u)
	}
	return u.String()
}

// contentID identifies an item that has neither link nor GUID.
func contentID(title, text string) string {
	h := sha256.Sum256([]byte(title + "\x00" + text))
	return "sha256:" + hex.EncodeToString(h[:16])
}

// looksLikeURL reports GUIDs that are usable as a link (RSS permalinks).
func looksLikeURL(s string) bool {
	return strings.HasPrefix(s, "http://") || strings.HasPrefix(s, "https://")
}

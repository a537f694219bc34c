package feedparse

import (
	"crypto/sha256"
	"encoding/hex"
	"net/url"
	"strings"

	"github.com/weeklywrap/digest/digest"
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

// stripTracking removes tracking query parameters, keeping the others in
// their original order and encoding.
func stripTracking(u *url.URL) {
	if u.RawQuery == "" {
		return
	}
	parts := strings.Split(u.RawQuery, "&")
	kept := parts[:0]
	for _, p := range parts {
		key, _, _ := strings.Cut(p, "=")
		if k, err := url.QueryUnescape(key); err == nil && digest.IsTrackingParam(k) {
			continue
		}
		if p != "" {
			kept = append(kept, p)
		}
	}
	u.RawQuery = strings.Join(kept, "&")
	u.ForceQuery = false
}

// cleanLink is the link readers get: tracking parameters removed, the
// fragment kept (it may point at a comment).
func cleanLink(link string) string {
	u, err := url.Parse(link)
	if err != nil || u.Host == "" {
		return link
	}
	stripTracking(u)
	return u.String()
}

// CanonicalURL is the link as an identity (the ID of an article at that
// address): lower-case scheme and host, no default port, no fragment, no
// tracking parameters. It returns "" for anything that is not an absolute
// http(s) URL.
func CanonicalURL(link string) string {
	u, err := url.Parse(strings.TrimSpace(link))
	if err != nil || u.Host == "" {
		return ""
	}
	u.Scheme = strings.ToLower(u.Scheme)
	if u.Scheme != "http" && u.Scheme != "https" {
		return ""
	}
	host := strings.ToLower(u.Hostname())
	port := u.Port()
	if (u.Scheme == "http" && port == "80") || (u.Scheme == "https" && port == "443") {
		port = ""
	}
	u.Host = host
	if port != "" {
		u.Host = host + ":" + port
	}
	u.Fragment, u.RawFragment = "", ""
	stripTracking(u)
	if u.Path == "" {
		u.Path = "/"
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

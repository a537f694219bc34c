// Package weburl holds what the project does to web addresses: the
// address as an article's identity, the key that tells two links to the
// same page, and tracking parameters removed from the link readers get.
// It is one place so that the seen-set of feeds and the near-duplicate
// detection of curation agree on what "the same address" means.
package weburl

import (
	"net/url"
	"slices"
	"strings"

	"github.com/weeklywrap/digest/digest"
)

// ID is the link as an identity (the ID of an article at that address):
// lower-case scheme and host, no default port, no fragment, no tracking
// parameters, the other parameters as they were. It is still a URL. It
// returns "" for anything that is not an absolute http(s) URL.
func ID(link string) string {
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
	StripTracking(u)
	if u.Path == "" {
		u.Path = "/"
	}
	return u.String()
}

// MatchKey reduces a web address to a key that is equal for the same page
// however it was linked: no scheme, lower-case host without "www." and
// default port, no fragment, no tracking parameters, remaining parameters
// sorted, no trailing slash or index file. Unlike ID it is no URL, only a
// key to compare: it folds more (http and https, "www.", parameter order)
// than an identity that is stored may. It returns "" for anything that is
// not an http(s) address (a seed's file path, say), so such articles are
// never folded by address.
func MatchKey(raw string) string {
	raw = strings.TrimSpace(raw)
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return ""
	}
	switch strings.ToLower(u.Scheme) {
	case "http", "https", "":
	default:
		return ""
	}
	host := strings.ToLower(u.Hostname())
	host = strings.TrimPrefix(host, "www.")
	host = strings.TrimSuffix(host, ".")
	if p := u.Port(); p != "" && p != "80" && p != "443" {
		host += ":" + p
	}
	path := u.EscapedPath()
	for _, idx := range []string{"/index.html", "/index.htm", "/index.php"} {
		path = strings.TrimSuffix(path, idx)
	}
	path = strings.TrimRight(path, "/")

	var keep []string
	for _, kv := range strings.Split(u.RawQuery, "&") {
		if kv == "" {
			continue
		}
		key, _, _ := strings.Cut(kv, "=")
		if k, err := url.QueryUnescape(key); err == nil {
			key = k
		}
		if !digest.IsTrackingParam(key) {
			keep = append(keep, kv)
		}
	}
	slices.Sort(keep)
	out := host + path
	if len(keep) > 0 {
		out += "?" + strings.Join(keep, "&")
	}
	return out
}

// ReaderLink is the link readers get: tracking parameters removed, the
// fragment kept (it may point at a comment). A link that does not parse,
// or has no host, is returned as it is.
func ReaderLink(link string) string {
	u, err := url.Parse(link)
	if err != nil || u.Host == "" {
		return link
	}
	StripTracking(u)
	return u.String()
}

// StripTracking removes tracking query parameters, keeping the others in
// their original order and encoding.
func StripTracking(u *url.URL) {
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

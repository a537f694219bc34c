package curate

import (
	"net/url"
	"slices"
	"strings"

	"github.com/weeklywrap/digest/digest"
)

// CanonicalURL reduces a web address to a key that is equal for the same
// page however it was linked: no scheme, lower-case host without "www." and
// default port, no fragment, no tracking parameters, remaining parameters
// sorted, no trailing slash or index file. It returns "" for anything that is
// not an http(s) address (a seed's file path, say), so such articles are
// never folded by address.
func CanonicalURL(raw string) string {
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

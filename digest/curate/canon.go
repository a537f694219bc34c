package curate

import (
	"net/url"
	"slices"
	"strings"
)

// trackingParams are query parameters that only say how a reader arrived;
// two URLs differing only in them name the same page.
var trackingParams = map[string]bool{
	"fbclid": true, "gclid": true, "dclid": true, "gbraid": true, "wbraid": true,
	"msclkid": true, "yclid": true, "twclid": true, "ttclid": true, "li_fat_id": true,
	"igshid": true, "mc_cid": true, "mc_eid": true, "_ga": true, "_gl": true,
	"_hsenc": true, "_hsmi": true, "mkt_tok": true, "vero_id": true, "vero_conv": true,
	"oly_enc_id": true, "oly_anon_id": true, "wickedid": true, "__s": true,
	"ref": true, "ref_src": true, "ref_url": true, "referrer": true, "source": true,
	"cmpid": true, "ncid": true, "sr_share": true, "s_kwcid": true, "spm": true,
	"at_medium": true, "at_campaign": true,
}

// trackingPrefixes catch whole families of tracking parameters.
var trackingPrefixes = []string{"utm_", "pk_", "mtm_", "hsa_", "itm_"}

func isTracking(key string) bool {
	k := strings.ToLower(key)
	if trackingParams[k] {
		return true
	}
	for _, p := range trackingPrefixes {
		if strings.HasPrefix(k, p) {
			return true
		}
	}
	return false
}

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
		if !isTracking(key) {
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

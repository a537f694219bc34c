package digest

import "strings"

// trackingParams are query parameters that only say how a reader arrived;
// two links differing only in them name the same article. Feeds (IDs and
// the links readers get) and curation (near-duplicates) share this one
// list, so the seen-set and the dedupe agree on what "the same" means.
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

// IsTrackingParam reports whether a query parameter only tracks a click or
// a campaign.
func IsTrackingParam(key string) bool {
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

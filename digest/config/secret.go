package config

import (
	"fmt"
	"math"
	"net"
	"net/url"
	"strings"
)

// DevSecret is the bundled config's fallback secret: fine on a laptop,
// never for a public site, where anyone could forge unsubscribe links.
const DevSecret = "insecure-development-secret-change-me"

// MinSecretBits is the least estimated randomness a signing key needs on a
// public site. The estimate (see SecretBits) gives a random 16-character
// hex key about 48 bits and 32 random hex characters over 100; repeated
// or sequential keys ("aaaa…", "abcdabcd…", "0123456789abcdef") get
// almost none.
const MinSecretBits = 40

// SecretBits estimates the randomness of a key in bits: the key reduced to
// its shortest repeating unit, then the Shannon entropy of its characters
// and of the steps between neighbours (which catches runs like "abcdef"),
// whichever is lower, times the unit's length. It underestimates short
// random keys and cannot see dictionary words; it is a guard against the
// obviously weak, not a strength meter.
func SecretBits(key string) float64 {
	b := []byte(key)
	unit := b
	for p := 1; p < len(b); p++ {
		repeats := true
		for i := 0; i+p < len(b); i++ {
			if b[i] != b[i+p] {
				repeats = false
				break
			}
		}
		if repeats {
			unit = b[:p]
			break
		}
	}
	chars := make([]int, len(unit))
	steps := make([]int, 0, len(unit))
	for i, c := range unit {
		chars[i] = int(c)
		if i > 0 {
			steps = append(steps, int(c)-int(unit[i-1]))
		}
	}
	return math.Min(entropy(chars), entropy(steps))
}

// entropy is the Shannon entropy of xs in bits, times len(xs).
func entropy(xs []int) float64 {
	count := map[int]int{}
	for _, x := range xs {
		count[x]++
	}
	h := 0.0
	for _, n := range count {
		p := float64(n) / float64(len(xs))
		h -= p * math.Log2(p)
	}
	return h * float64(len(xs))
}

// Public reports whether the site may be reached from beyond this machine:
// base_url or the listen address is not loopback. Links signed with the
// secret then go out into the world.
func (c *Config) Public() bool {
	local := func(h string) bool {
		ip := net.ParseIP(h)
		return h == "localhost" || (ip != nil && ip.IsLoopback())
	}
	host, _, _ := net.SplitHostPort(c.Listen)
	u, err := url.Parse(c.Newsletter.BaseURL)
	return !(local(host) && err == nil && local(u.Hostname()))
}

// CheckSecret judges the signing keys (secret: several keys separated by
// spaces) and the web's bearer tokens. Where the site is public, the development secret or a weak key
// is an error: anyone could forge confirm, preferences and unsubscribe
// links. On a local site the same problems are only warnings.
func (c *Config) CheckSecret() (warnings []string, err error) {
	var problems []string
	for i, key := range strings.Fields(c.Secret) {
		switch {
		case key == DevSecret:
			problems = append(problems, "secret: it is the published development secret")
		case SecretBits(key) < MinSecretBits:
			which := "it"
			if len(strings.Fields(c.Secret)) > 1 {
				which = fmt.Sprintf("key %d", i+1)
			}
			problems = append(problems, fmt.Sprintf("secret: %s looks weak (about %.0f bits of randomness: repeated, sequential or few distinct characters)", which, SecretBits(key)))
		}
	}
	// The bearer tokens guard the desk, /status, /metrics and the links
	// API the same way the secret guards links: a guessable one on a
	// public site is an open door.
	for _, tok := range []struct{ key, value string }{{"web.admin_token", c.Web.AdminToken}, {"web.api_token", c.Web.APIToken}} {
		if tok.value != "" && SecretBits(tok.value) < MinSecretBits {
			problems = append(problems, fmt.Sprintf("%s: it looks weak (about %.0f bits of randomness)", tok.key, SecretBits(tok.value)))
		}
	}
	if len(problems) == 0 {
		return nil, nil
	}
	fix := secretFix(problems)
	if !c.Public() {
		return []string{strings.Join(problems, "; ") + "; before going live, " + fix}, nil
	}
	return nil, fmt.Errorf("%s: %s, and the site is reachable beyond this machine (base_url %s, listen %s); %s",
		c.Path, strings.Join(problems, "; "), c.Newsletter.BaseURL, c.Listen, fix)
}

// secretFix says how to mend the keys named in problems: "it" for one,
// "each" for several, and DIGEST_SECRET only when the secret is among them
// (the tokens are set in the config file).
func secretFix(problems []string) string {
	which := "it"
	if len(problems) > 1 {
		which = "each"
	}
	fix := "set " + which + " to 32 random bytes, e.g. `openssl rand -hex 32`"
	for _, p := range problems {
		if strings.HasPrefix(p, "secret:") {
			return fix + " (the secret through DIGEST_SECRET)"
		}
	}
	return fix
}

package feed

import (
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"syscall"
	"time"
)

// special is one range of the IANA special-purpose address registries
// (RFC 6890 and the RFCs that updated or added to them), or another range
// that is not ordinary public unicast (multicast, reserved).
type special struct {
	prefix netip.Prefix
	name   string
	rfc    string
}

func sp(prefix, name, rfc string) special {
	return special{netip.MustParsePrefix(prefix), name, rfc}
}

// specialPurpose lists every range a page linked from a feed must not be
// fetched from. Ranges the registries mark globally reachable (AS112,
// AMT, the anycast services, NAT64) are here too: no article lives there,
// and the translation prefixes would reach IPv4 addresses the IPv4 rules
// refuse. The most specific match names the refusal.
var specialPurpose = []special{
	// IPv4 Special-Purpose Address Registry.
	sp("0.0.0.0/8", "\"this network\"", "RFC 791"),
	sp("0.0.0.0/32", "\"this host on this network\"", "RFC 1122"),
	sp("10.0.0.0/8", "private-use", "RFC 1918"),
	sp("100.64.0.0/10", "shared address space (carrier-grade NAT)", "RFC 6598"),
	sp("127.0.0.0/8", "loopback", "RFC 1122"),
	sp("169.254.0.0/16", "link-local (cloud metadata services live here)", "RFC 3927"),
	sp("172.16.0.0/12", "private-use", "RFC 1918"),
	sp("192.0.0.0/24", "IETF protocol assignments", "RFC 6890"),
	sp("192.0.0.0/29", "IPv4 service continuity prefix", "RFC 7335"),
	sp("192.0.0.8/32", "IPv4 dummy address", "RFC 7600"),
	sp("192.0.0.9/32", "port control protocol anycast", "RFC 7723"),
	sp("192.0.0.10/32", "traversal using relays around NAT anycast", "RFC 8155"),
	sp("192.0.0.170/31", "NAT64/DNS64 discovery", "RFC 8880"),
	sp("192.0.2.0/24", "documentation, TEST-NET-1", "RFC 5737"),
	sp("192.31.196.0/24", "AS112-v4", "RFC 7535"),
	sp("192.52.193.0/24", "automatic multicast tunneling", "RFC 7450"),
	sp("192.88.99.0/24", "deprecated 6to4 relay anycast", "RFC 7526"),
	sp("192.168.0.0/16", "private-use", "RFC 1918"),
	sp("192.175.48.0/24", "direct delegation AS112 service", "RFC 7534"),
	sp("198.18.0.0/15", "benchmarking", "RFC 2544"),
	sp("198.51.100.0/24", "documentation, TEST-NET-2", "RFC 5737"),
	sp("203.0.113.0/24", "documentation, TEST-NET-3", "RFC 5737"),
	sp("224.0.0.0/4", "multicast", "RFC 5771"),
	sp("240.0.0.0/4", "reserved", "RFC 1112"),
	sp("255.255.255.255/32", "limited broadcast", "RFC 919"),

	// IPv6 Special-Purpose Address Registry. IPv4-mapped addresses
	// (::ffff:0:0/96) are unmapped and judged by the IPv4 rules.
	sp("::/8", "reserved by the IETF", "RFC 4291"),
	sp("::/128", "unspecified address", "RFC 4291"),
	sp("::1/128", "loopback", "RFC 4291"),
	sp("::/96", "deprecated IPv4-compatible address", "RFC 4291"),
	sp("64:ff9b::/96", "IPv4/IPv6 translation", "RFC 6052"),
	sp("64:ff9b:1::/48", "local-use IPv4/IPv6 translation", "RFC 8215"),
	sp("100::/64", "discard-only", "RFC 6666"),
	sp("100:0:0:1::/64", "dummy IPv6 prefix", "RFC 9780"),
	sp("2001::/23", "IETF protocol assignments", "RFC 2928"),
	sp("2001::/32", "Teredo", "RFC 4380"),
	sp("2001:1::1/128", "port control protocol anycast", "RFC 7723"),
	sp("2001:1::2/128", "traversal using relays around NAT anycast", "RFC 8155"),
	sp("2001:1::3/128", "DNS-SD service registration protocol anycast", "RFC 9665"),
	sp("2001:2::/48", "benchmarking", "RFC 5180"),
	sp("2001:3::/32", "automatic multicast tunneling", "RFC 7450"),
	sp("2001:4:112::/48", "AS112-v6", "RFC 7535"),
	sp("2001:10::/28", "deprecated ORCHID", "RFC 4843"),
	sp("2001:20::/28", "ORCHIDv2", "RFC 7343"),
	sp("2001:30::/28", "drone remote ID entity tags", "RFC 9374"),
	sp("2001:db8::/32", "documentation", "RFC 3849"),
	sp("2002::/16", "6to4", "RFC 3056"),
	sp("2620:4f:8000::/48", "direct delegation AS112 service", "RFC 7534"),
	sp("3fff::/20", "documentation", "RFC 9637"),
	sp("5f00::/16", "segment routing (SRv6) SIDs", "RFC 9602"),
	sp("fc00::/7", "unique-local", "RFC 4193"),
	sp("fe80::/10", "link-local unicast", "RFC 4291"),
	sp("fec0::/10", "deprecated site-local", "RFC 3879"),
	sp("ff00::/8", "multicast", "RFC 4291"),
}

// globalUnicast6 is the only IPv6 space allocated for public unicast.
var globalUnicast6 = special{netip.MustParsePrefix("2000::/3"), "global unicast", "RFC 4291"}

// AddressError refuses a connection to an address that is not public.
type AddressError struct {
	Addr  netip.Addr
	Range netip.Prefix // the matching special-purpose range
	Why   string       // what the range is, with its RFC
}

// Is makes an AddressError match ErrNotPublic.
func (e *AddressError) Is(target error) bool { return target == ErrNotPublic }

func (e *AddressError) Error() string {
	return fmt.Sprintf("refused %s: it is in %s, %s, not a public address", e.Addr, e.Range, e.Why)
}

// checkPublic returns an *AddressError unless a is an ordinary public
// unicast address.
func checkPublic(a netip.Addr) error {
	a = a.WithZone("").Unmap()
	if !a.IsValid() {
		return &AddressError{Addr: a, Why: "not an IP address"}
	}
	var best *special
	for i := range specialPurpose {
		s := &specialPurpose[i]
		if s.prefix.Contains(a) && (best == nil || s.prefix.Bits() > best.prefix.Bits()) {
			best = s
		}
	}
	if best == nil && a.Is6() && !globalUnicast6.prefix.Contains(a) {
		return &AddressError{Addr: a, Range: globalUnicast6.prefix, Why: "outside the global unicast space (RFC 4291)"}
	}
	if best == nil {
		return nil
	}
	return &AddressError{Addr: a, Range: best.prefix, Why: best.name + " (" + best.rfc + ")"}
}

// guardControl runs on every socket the guarded dialer opens, after name
// resolution and before connecting: whatever a DNS answer says, and
// however many addresses happy eyeballs tries, no connection reaches a
// special-purpose address.
func guardControl(network, address string, _ syscall.RawConn) error {
	ap, err := netip.ParseAddrPort(address)
	if err != nil {
		return fmt.Errorf("refused %s: not an IP address and port", address)
	}
	return checkPublic(ap.Addr())
}

// newGuardedClient builds the client for pages linked from feeds (full
// text), which anyone who writes a feed chooses. It has a transport and a
// connection pool of its own, so it never reuses a connection the feed
// client opened to a local host, and every connection it opens, redirects
// included, passes guardControl. It uses no proxy: a proxy would connect
// to addresses the guard never sees.
func newGuardedClient(l Limits) *http.Client {
	dialer := &net.Dialer{Timeout: l.ConnectTimeout, KeepAlive: 30 * time.Second, Control: guardControl}
	tr := &http.Transport{
		DialContext:         dialer.DialContext,
		TLSHandshakeTimeout: l.ConnectTimeout,
		MaxIdleConns:        l.Global * 2,
		MaxIdleConnsPerHost: l.PerHost,
		IdleConnTimeout:     90 * time.Second,
		ForceAttemptHTTP2:   true,
	}
	return &http.Client{Transport: tr, CheckRedirect: checkRedirect(l.MaxRedirects)}
}

// isRefused reports whether err is the guard's refusal.
func isRefused(err error) bool {
	var ae *AddressError
	return errors.As(err, &ae)
}

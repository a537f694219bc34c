package feed

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"os"
	"os/exec"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// guardedLimits are testLimits with the public-address guard on, as in
// production.
func guardedLimits() Limits {
	l := testLimits()
	l.PrivatePages = false
	return l
}

// A feed on a local address is the operator's choice; an item link to the
// same host:port is not. Fetching the feed leaves an idle keep-alive
// connection to that host:port in the pool; the full-text fetch must not
// ride on it past the guard.
func TestFullTextGuardIgnoresIdleKeepAliveConnections(t *testing.T) {
	var leaked atomic.Int32
	mux := http.NewServeMux()
	var base string
	mux.HandleFunc("/feed.xml", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/rss+xml")
		fmt.Fprintf(w, `<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>
<item><guid>1</guid><title>Teaser</title><link>%s/internal/admin</link><description>Short teaser.</description></item></channel></rss>`, base)
	})
	mux.HandleFunc("/internal/", func(w http.ResponseWriter, r *http.Request) {
		leaked.Add(1)
		fmt.Fprint(w, "<html><body><article><p>Internal admin page that must not reach a newsletter.</p></article></body></html>")
	})
	srv := httptest.NewUnstartedServer(mux)
	// Keep-alive must really be in play: count the connections.
	var conns atomic.Int32
	srv.Config.ConnState = func(c net.Conn, s http.ConnState) {
		if s == http.StateNew {
			conns.Add(1)
		}
	}
	srv.Start()
	defer srv.Close()
	base = srv.URL

	f := NewFetcher(guardedLimits(), nil, fakeExtract)
	res := f.Fetch(context.Background(), Options{Name: "local", URL: srv.URL + "/feed.xml", FullText: true, MinWords: 50}, time.Time{}, time.Time{})
	if res.Err != nil || len(res.Articles) != 1 {
		t.Fatalf("fetch: %v, %d articles", res.Err, len(res.Articles))
	}
	if n := leaked.Load(); n != 0 || strings.Contains(res.Articles[0].Text(), "Internal admin") {
		t.Fatalf("the item's page on the feed's own host:port was fetched %d times through the feed's idle connection; text %q", n, res.Articles[0].Text())
	}
	if res.FullTextErr != 1 {
		t.Errorf("FullTextErr = %d, want 1", res.FullTextErr)
	}
	if len(res.FullTextErrors) == 0 || !strings.Contains(res.FullTextErrors[0], "127.0.0.1") || !strings.Contains(res.FullTextErrors[0], "loopback") {
		t.Errorf("the refusal should name the address and why: %q", res.FullTextErrors)
	}
	// The feed itself, fetched again, still reuses its connection: the
	// guard has a pool of its own and leaves the feed client's alone.
	before := conns.Load()
	f.Fetch(context.Background(), Options{Name: "local", URL: srv.URL + "/feed.xml"}, time.Time{}, time.Time{})
	if conns.Load() != before {
		t.Errorf("a second feed fetch opened a new connection (%d → %d): the feed client's keep-alive is broken", before, conns.Load())
	}
}

// A guarded fetch that follows a redirect from a public page to a local
// one is refused at the redirect's connection.
func TestFullTextGuardChecksRedirects(t *testing.T) {
	var leaked atomic.Int32
	inner := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		leaked.Add(1)
		fmt.Fprint(w, "<p>secret</p>")
	}))
	defer inner.Close()
	g := newGuardedClient(guardedLimits())
	// The first hop is refused already (it is loopback too); what matters
	// is that no hop reaches the inner server.
	req, _ := http.NewRequest(http.MethodGet, inner.URL+"/x", nil)
	_, err := g.Do(req)
	if err == nil || leaked.Load() != 0 {
		t.Fatalf("guarded client reached a loopback server: err=%v hits=%d", err, leaked.Load())
	}
}

// netnsEnv marks the test process re-run inside a network namespace of
// its own, where addresses other than loopback can be put on lo.
const netnsEnv = "DIGEST_TEST_IN_NETNS"

// TestFullTextGuardSpecialPurposeAddresses serves pages on addresses of
// special-purpose ranges (shared address space, benchmarking, private,
// documentation, IETF protocol assignments, unique-local IPv6) and on one
// ordinary public address, all inside a network namespace of its own (the
// machine's network is untouched). Only the public page may be fetched,
// and each refusal says why.
func TestFullTextGuardSpecialPurposeAddresses(t *testing.T) {
	public := "9.9.9.9"
	special := []string{"100.64.0.1", "100.127.255.254", "198.18.0.1", "198.19.255.254", "10.1.2.3", "192.0.0.8",
		"192.0.2.10", "192.88.99.1", "192.175.48.1", "fd00::1", "2001:db8::5", "64:ff9b::a01:203"}
	if os.Getenv(netnsEnv) == "" {
		unshare, err := exec.LookPath("unshare")
		if err != nil {
			t.Skip("unshare (util-linux) is needed to run this test in a network namespace of its own")
		}
		if _, err := exec.LookPath("ip"); err != nil {
			t.Skip("ip (iproute2) is needed to put test addresses on lo inside the namespace")
		}
		// A user namespace (-r) makes the network namespace possible
		// without privileges where the kernel allows it.
		probe := exec.Command(unshare, "-rn", "true")
		if out, err := probe.CombinedOutput(); err != nil {
			t.Skipf("cannot create a network namespace here (%v: %s)", err, out)
		}
		cmd := exec.Command(unshare, "-rn", os.Args[0], "-test.run=^TestFullTextGuardSpecialPurposeAddresses$", "-test.v")
		cmd.Env = append(os.Environ(), netnsEnv+"=1")
		out, err := cmd.CombinedOutput()
		t.Logf("inside the namespace:\n%s", out)
		if err != nil {
			t.Fatalf("namespace run failed: %v", err)
		}
		return
	}
	ipCmd := func(args ...string) {
		if out, err := exec.Command("ip", args...).CombinedOutput(); err != nil {
			t.Fatalf("ip %v: %v: %s", args, err, out)
		}
	}
	ipCmd("link", "set", "lo", "up")
	for _, a := range append([]string{public}, special...) {
		if strings.Contains(a, ":") {
			ipCmd("-6", "addr", "add", a+"/128", "dev", "lo", "nodad")
		} else {
			ipCmd("addr", "add", a+"/32", "dev", "lo")
		}
	}
	time.Sleep(100 * time.Millisecond) // let IPv6 addresses settle

	hits := map[string]*atomic.Int32{}
	var feeds []Options
	var listeners []*httptest.Server
	items := map[string]string{}
	feedSrv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/rss+xml")
		fmt.Fprintf(w, `<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>%s</channel></rss>`, items[r.URL.Path])
	}))
	defer feedSrv.Close()
	for i, a := range append([]string{public}, special...) {
		ln, err := net.Listen("tcp", net.JoinHostPort(a, "0"))
		if err != nil {
			t.Fatalf("listen on %s: %v", a, err)
		}
		n := &atomic.Int32{}
		hits[a] = n
		srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			n.Add(1)
			fmt.Fprintf(w, "<html><body><p>Page served on %s.</p><p>More words on the page than the teaser.</p></body></html>", a)
		}))
		srv.Listener.Close()
		srv.Listener = ln
		srv.Start()
		listeners = append(listeners, srv)
		path := fmt.Sprintf("/feed/%d", i)
		items[path] = fmt.Sprintf("<item><guid>%d</guid><title>Item %d</title><link>%s/page</link><description>Teaser.</description></item>", i, i, srv.URL)
		feeds = append(feeds, Options{Name: a, URL: feedSrv.URL + path, FullText: true, MinWords: 50})
	}
	defer func() {
		for _, s := range listeners {
			s.Close()
		}
	}()

	f := NewFetcher(guardedLimits(), nil, fakeExtract)
	results := f.FetchAll(context.Background(), feeds, time.Time{}, time.Time{}, nil)
	reached := 0
	for _, res := range results {
		a := res.Feed.Name
		if res.Err != nil || len(res.Articles) != 1 {
			t.Fatalf("%s: fetch: %v, %d articles", a, res.Err, len(res.Articles))
		}
		text := res.Articles[0].Text()
		if a == public {
			if hits[a].Load() != 1 || !strings.Contains(text, "Page served on "+a) || res.FullTextErr != 0 {
				t.Errorf("the page on the public address %s: fetched %d times, %d errors %q, text %q", a, hits[a].Load(), res.FullTextErr, res.FullTextErrors, text)
			}
			continue
		}
		if n := hits[a].Load(); n != 0 || text != "Teaser." {
			reached++
			t.Errorf("the page on %s was fetched %d times; text %q", a, n, text)
		}
		if res.FullTextErr != 1 || len(res.FullTextErrors) != 1 || !strings.Contains(res.FullTextErrors[0], "refused "+a) ||
			!strings.Contains(res.FullTextErrors[0], "RFC ") {
			t.Errorf("%s: the refusal should name the address, its range and RFC: %d %q", a, res.FullTextErr, res.FullTextErrors)
		} else {
			t.Logf("%s", res.FullTextErrors[0])
		}
	}
	t.Logf("special-purpose pages reached: %d of %d", reached, len(special))
	all := fmt.Sprint(results)
	for _, want := range []string{"RFC 6598", "RFC 2544"} {
		if !strings.Contains(all, want) {
			t.Errorf("no refusal names %s", want)
		}
	}
}

// lastAddr is the highest address of p.
func lastAddr(p netip.Prefix) netip.Addr {
	b := p.Masked().Addr().AsSlice()
	for i := p.Bits(); i < len(b)*8; i++ {
		b[i/8] |= 0x80 >> (i % 8)
	}
	a, _ := netip.AddrFromSlice(b)
	return a
}

// Every range of the table refuses its first and last address, and the
// addresses just outside the common ranges, and ordinary public ones,
// pass.
func TestAddressTable(t *testing.T) {
	for _, s := range specialPurpose {
		for _, a := range []netip.Addr{s.prefix.Masked().Addr(), lastAddr(s.prefix)} {
			err := checkPublic(a)
			var ae *AddressError
			if !errors.As(err, &ae) || !ae.Range.Contains(a) || ae.Range.Bits() < s.prefix.Bits() || !strings.Contains(err.Error(), "RFC ") {
				t.Errorf("%s (in %s, %s): got %v", a, s.prefix, s.name, err)
			}
		}
	}
	refused := []string{"::ffff:127.0.0.1", "::ffff:100.64.0.1", "::ffff:169.254.169.254", "fe80::1%eth0", "4000::1", "e000::1"}
	for _, s := range refused {
		if err := checkPublic(netip.MustParseAddr(s)); err == nil {
			t.Errorf("%s passed the guard", s)
		}
	}
	public := []string{"8.8.8.8", "1.1.1.1", "9.255.255.255", "11.0.0.0", "100.63.255.255", "100.128.0.0", "126.255.255.255",
		"128.0.0.0", "169.253.255.255", "169.255.0.0", "172.15.255.255", "172.32.0.0", "192.0.1.0", "192.0.3.0",
		"192.167.255.255", "192.169.0.0", "198.17.255.255", "198.20.0.0", "223.255.255.255", "::ffff:8.8.8.8",
		"2001:200::1", "2001:4860:4860::8888", "2606:4700:4700::1111", "2a00:1450:4001:81a::200e", "3ffe:ffff::1", "2620:4f:8001::1"}
	for _, s := range public {
		if err := checkPublic(netip.MustParseAddr(s)); err != nil {
			t.Errorf("%s is public but was refused: %v", s, err)
		}
	}
	if err := guardControl("tcp4", "100.64.0.1:80", nil); err == nil || !strings.Contains(err.Error(), "RFC 6598") {
		t.Errorf("guardControl(100.64.0.1:80) = %v", err)
	}
	if err := guardControl("tcp4", "not-an-address", nil); err == nil {
		t.Error("guardControl accepted a non-address")
	}
}

package source

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
)

// maxSidecarBytes caps a sidecar .url file: a browser's shortcut is a few
// lines; anything larger is not one.
const maxSidecarBytes = 64 << 10

// urlEdgeLines is how many non-empty lines at each end of a dump may carry
// the page's address: people paste it above or below what they copied.
const urlEdgeLines = 5

// labelURLRE is a "Source: https://…" line; the labels are the ones people
// write above a pasted page, in the languages seeds most often come in.
var labelURLRE = regexp.MustCompile(`(?i)^\s*(?:source|url|link|original|permalink|quelle|fuente|fonte|origine|bron|źródło)\s*(?:url)?\s*[:=]\s*<?(\S+?)>?\s*$`)

// pageURL checks that s is an absolute http(s) address fit to be a link
// in an email: no spaces, no control characters, a host.
func pageURL(s string) (string, bool) {
	s = strings.TrimSpace(strings.Trim(strings.TrimSpace(s), "<>"))
	if len(s) > 2048 || !(strings.HasPrefix(strings.ToLower(s), "http://") || strings.HasPrefix(strings.ToLower(s), "https://")) {
		return "", false
	}
	for _, r := range s {
		if r <= ' ' || r == 0x7f || r == '"' || r == '<' || r == '>' {
			return "", false
		}
	}
	u, err := url.Parse(s)
	if err != nil || u.Host == "" || u.Hostname() == "" || u.User != nil {
		return "", false
	}
	return u.String(), true
}

// textURL finds the page's address in a text dump: a first or last
// non-empty line that is only a URL, or a "Source:"/"URL:" line among the
// first or last few lines. It returns the address and the dump without
// that line, so the line becomes neither title nor body.
func textURL(data []byte) (string, []byte) {
	var idx [][2]int // byte spans of the non-empty lines at both ends
	lines := bytes.SplitAfter(data, []byte("\n"))
	off := 0
	spans := make([][2]int, 0, len(lines))
	for _, l := range lines {
		if len(bytes.TrimSpace(l)) > 0 {
			spans = append(spans, [2]int{off, off + len(l)})
		}
		off += len(l)
	}
	if len(spans) == 0 {
		return "", data
	}
	idx = append(idx, spans[0], spans[len(spans)-1])
	for k := 1; k < urlEdgeLines && k < len(spans); k++ {
		idx = append(idx, spans[k], spans[len(spans)-1-k])
	}
	for n, sp := range idx {
		l := string(bytes.TrimSpace(bytes.TrimPrefix(data[sp[0]:sp[1]], []byte("\xef\xbb\xbf"))))
		var u string
		var ok bool
		if n < 2 {
			u, ok = pageURL(l) // a bare URL only as the very first or last line
		}
		if !ok {
			if m := labelURLRE.FindStringSubmatch(l); m != nil {
				u, ok = pageURL(m[1])
			}
		}
		if ok {
			rest := make([]byte, 0, len(data)-(sp[1]-sp[0]))
			rest = append(append(rest, data[:sp[0]]...), data[sp[1]:]...)
			return u, rest
		}
	}
	return "", data
}

// errNoSidecarURL reports a sidecar that holds no usable address.
var errNoSidecarURL = errors.New("holds no http(s) URL; write the page's address on one line, or as URL=https://… under [InternetShortcut]")

// sidecarPath returns the .url file beside a seed, NAME.url or
// NAME.ext.url, whichever exists; "" when there is none.
func sidecarPath(path string) string {
	base := strings.TrimSuffix(path, filepath.Ext(path))
	for _, p := range []string{base + ".url", path + ".url", base + ".URL"} {
		if fi, err := os.Stat(p); err == nil && fi.Mode().IsRegular() {
			return p
		}
	}
	return ""
}

// readSidecar reads the address from a .url file: the Windows/browser
// Internet Shortcut ("[InternetShortcut]" then "URL=…") or a file whose
// first non-empty line is the URL.
func readSidecar(p string) (string, error) {
	f, err := os.Open(p)
	if err != nil {
		return "", err
	}
	defer f.Close()
	data, err := readCapped(f, maxSidecarBytes)
	if err != nil {
		return "", fmt.Errorf("%s: %w", p, err)
	}
	if u, ok := sidecarURL(data); ok {
		return u, nil
	}
	return "", fmt.Errorf("%s: %w", p, errNoSidecarURL)
}

// sidecarURL parses a sidecar's bytes.
func sidecarURL(data []byte) (string, bool) {
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 0, 4096), maxSidecarBytes)
	first := true
	for sc.Scan() {
		l := strings.TrimSpace(sc.Text())
		if l == "" {
			continue
		}
		if k, v, ok := strings.Cut(l, "="); ok && strings.EqualFold(strings.TrimSpace(k), "url") {
			return pageURL(v)
		}
		if first {
			if u, ok := pageURL(l); ok {
				return u, true
			}
		}
		first = false
	}
	return "", false
}

func readCapped(r io.Reader, n int64) ([]byte, error) {
	data, err := io.ReadAll(io.LimitReader(r, n+1))
	if err != nil {
		return nil, err
	}
	if int64(len(data)) > n {
		return nil, fmt.Errorf("over %d KB, not a shortcut file", n>>10)
	}
	return data, nil
}

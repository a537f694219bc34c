package weburl

import "testing"

func TestID(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"https://Example.COM:443/a?utm_source=x&b=2&UTM_Medium=y#frag", "https://example.com/a?b=2"},
		{"http://example.com:80", "http://example.com/"},
		{"http://example.com:8080/p?fbclid=1&gclid=2", "http://example.com:8080/p"},
		{"https://example.com/p?q=a%20b&mc_cid=9", "https://example.com/p?q=a%20b"},
		{"/relative/path", ""},
		{"mailto:someone@example.com", ""},
		{"", ""},
	} {
		if got := ID(c.in); got != c.want {
			t.Errorf("ID(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestMatchKey(t *testing.T) {
	tests := []struct{ in, want string }{
		{"https://www.Example.com/a/b/?utm_source=rss&utm_medium=feed#comments", "example.com/a/b"},
		{"http://example.com/a/b", "example.com/a/b"},
		{"https://example.com:443/a?id=7&fbclid=XYZ&gclid=1", "example.com/a?id=7"},
		{"https://example.com/a?b=2&a=1", "example.com/a?a=1&b=2"},
		{"https://example.com/blog/index.html", "example.com/blog"},
		{"https://example.com:8080/x", "example.com:8080/x"},
		{"https://example.com/CaseKept", "example.com/CaseKept"},
		{"seeds/000_bfb80475702a41a0.txt", ""},
		{"file:///tmp/x.html", ""},
		{"mailto:someone@example.com", ""},
		{"", ""},
		{"://bad", ""},
	}
	for _, tt := range tests {
		if got := MatchKey(tt.in); got != tt.want {
			t.Errorf("MatchKey(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

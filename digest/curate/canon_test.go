package curate

import "testing"

func TestCanonicalURL(t *testing.T) {
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
		if got := CanonicalURL(tt.in); got != tt.want {
			t.Errorf("CanonicalURL(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestCleanTitle(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Samantha and The Great Big Lie - John C. Welch - Medium", "Samantha and The Great Big Lie"},
		{"Outage hits three regions | Alpha News", "Outage hits three regions"},
		{"Standalone binaries using Emscripten · V8", "Standalone binaries using Emscripten"},
		{"Rust 1.95 - a release with many long-awaited changes inside", "Rust 1.95 - a release with many long-awaited changes inside"},
		{"Go - Home", "Go - Home"},
		{"Plain title", "Plain title"},
	}
	for _, tt := range tests {
		if got := cleanTitle(tt.in); got != tt.want {
			t.Errorf("cleanTitle(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

package curate

import "testing"

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

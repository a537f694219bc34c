package render

import "testing"

func TestOneLine(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", ""},
		{"plain", "plain"},
		{"two words", "two words"},
		{" lead", "lead"},
		{"trail ", "trail"},
		{"a  b", "a b"},
		{"a\r\nBcc: x", "a Bcc: x"},
		{"tab\there", "tab here"},
		{"zero\u200bwidth", "zerowidth"},
		{"line\u2028sep", "line sep"},
		{"Ünïcödé  name", "Ünïcödé name"},
		{"nul\x00byte", "nul byte"},
	}
	for _, tc := range tests {
		if got := oneLine(tc.in); got != tc.want {
			t.Errorf("oneLine(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestSafeURL(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", ""},
		{"https://x.example/u?t=1&s=2", "https://x.example/u?t=1&s=2"},
		{"HTTP://X.example/", "HTTP://X.example/"},
		{"mailto:unsub@example.com?subject=stop", "mailto:unsub@example.com?subject=stop"},
		{"javascript:alert(1)", "#"},
		{" data:text/html,x", "#"},
		{"/relative", "#"},
		{"https://x.example/a b\"<>", "https://x.example/a%20b%22%3C%3E"},
		{"https://x.example/ü", "https://x.example/%C3%BC"},
	}
	for _, tc := range tests {
		if got := safeURL(tc.in); got != tc.want {
			t.Errorf("safeURL(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestWrap(t *testing.T) {
	tests := []struct {
		name, first, rest, in string
		width                 int
		want                  string
	}{
		{"fits", "", "", "short line", 20, "short line"},
		{"breaks", "", "", "one two three four five", 10, "one two\nthree four\nfive"},
		{"hanging", "* ", "  ", "alpha beta gamma delta", 12, "* alpha beta\n  gamma\n  delta"},
		{"long word alone", "", "", "see https://example.com/a/very/long/path ok", 10, "see\nhttps://example.com/a/very/long/path\nok"},
		{"runes not bytes", "", "", "ééééé ééééé", 11, "ééééé ééééé"},
		{"empty", "> ", "> ", "", 10, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := wrap(tc.width, tc.first, tc.rest, tc.in); got != tc.want {
				t.Errorf("wrap = %q, want %q", got, tc.want)
			}
		})
	}
}

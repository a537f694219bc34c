package textdump

import "testing"

// TestParseByline covers the byline shapes the header search relies on.
func TestParseByline(t *testing.T) {
	tests := []struct {
		in, name, role string
		ok             bool
	}{
		{"By Dana Whitfield, Staff Reporter", "Dana Whitfield", "Staff Reporter", true},
		{"Author: Priya Raman", "Priya Raman", "", true},
		{"Wednesday 3 June 2022 by Priya Raman", "Priya Raman", "", true},
		{"Posted on Friday 5 May 2023 at 10:42 by Ola Nordmann.", "Ola Nordmann", "", true},
		{"Daily Gazette | 04.05.2021 à 09h15 • Mis à jour le 05.05.2021 à 18h02 | Par Claire Dubois", "Claire Dubois", "", true},
		{"By Sam Ortiz (with Lena Park and Tom Hale)", "Sam Ortiz, Lena Park and Tom Hale", "", true},
		{"By John Q.", "John Q.", "", true},
		{"The report was written by Dana Whitfield", "", "", false},
		{"Share this story by email", "", "", false},
	}
	for _, tt := range tests {
		b, ok := parseByline(tt.in)
		if ok != tt.ok || ok && (b.name != tt.name || b.role != tt.role) {
			t.Errorf("parseByline(%q) = %+v, %v; want {%q %q}, %v", tt.in, b, ok, tt.name, tt.role, tt.ok)
		}
	}
}

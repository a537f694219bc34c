package summary

import (
	"reflect"
	"testing"
)

func TestTokens(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"Profits at TimeWarner jumped 76%.", []string{"profits", "at", "timewarner", "jumped", "76"}},
		{"Don't stop; it's the company’s call.", []string{"don't", "stop", "it's", "the", "company’s", "call"}},
		{"$1.13bn (£600m)", []string{"1", "13bn", "600m"}},
		{"'quoted' high-speed", []string{"quoted", "high", "speed"}},
		{"Café Zürich", []string{"café", "zürich"}},
		{"  ", nil},
	}
	for _, tt := range tests {
		if got := Tokens(tt.in); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("Tokens(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestCountWords(t *testing.T) {
	tests := []struct {
		in   string
		want int
	}{
		{"It lost 464,000 subscribers.", 5}, // 464 and 000 count apart, as in ROUGE tools
		{"Don't panic", 3},
		{"snake_case word", 2},
		{"— … —", 0},
	}
	for _, tt := range tests {
		if got := CountWords(tt.in); got != tt.want {
			t.Errorf("CountWords(%q) = %d, want %d", tt.in, got, tt.want)
		}
	}
}

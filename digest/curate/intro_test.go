package curate

import (
	"testing"

	"github.com/weeklywrap/digest/digest"
)

func TestIntro(t *testing.T) {
	e := func(title, src string, also ...string) digest.Entry {
		en := digest.Entry{Article: digest.Article{Title: title, Source: digest.Source{Name: src}}}
		for _, a := range also {
			en.AlsoCoveredBy = append(en.AlsoCoveredBy, digest.Source{Name: a})
		}
		return en
	}
	three := []digest.Entry{e("A.", "s1", "s4"), e("B", "s2"), e("C\n title", "s3"), e("D", "S1")}
	tests := []struct {
		name    string
		entries []digest.Entry
		themes  []string
		top     int
		want    string
	}{
		{"full", three, []string{"Security", "Policy", "Rust", "Go"}, 3,
			"This week: 4 stories from 4 sources on Security, Policy, Rust and more. Leading: A; B; and C title."},
		{"two themes", three[:2], []string{"Security", "Policy"}, 2,
			"This week: 2 stories from 3 sources on Security and Policy. Leading: A and B."},
		{"one of each, question title", []digest.Entry{e("Why now?", "s1")}, nil, 1,
			"This week: 1 story from 1 source. Leading: Why now?"},
		{"empty", nil, nil, 0, ""},
	}
	for _, tt := range tests {
		if got := intro(tt.entries, tt.themes, tt.entries[:tt.top]); got != tt.want {
			t.Errorf("%s:\n got %q\nwant %q", tt.name, got, tt.want)
		}
	}
}

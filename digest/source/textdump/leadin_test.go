package textdump

import (
	"strings"
	"testing"
)

// TestEllipsisLeadIn checks that a list a sentence leads into with an
// open ellipsis ("People who ...") stays in the body, while a teaser cut
// short with an ellipsis on its last word does not lead a list in.
func TestEllipsisLeadIn(t *testing.T) {
	page := `Garden Notes

Home

Plants

Shop

What I learned from ten years of teaching allotment classes

I started the Saturday classes at the allotment as a favour to a neighbour, and somehow kept going for ten years, with new people arriving every spring and a few staying for good.

The people who get the most out of a class are the ones who ...

come with questions

do not mind muddy boots

plant something new every year

It has little to do with experience: some of the best growers I taught had never held a spade before their first Saturday with us.

Copyright 2025 Garden Notes. All rights reserved.
`
	a, err := Extract("garden.txt", []byte(page), Options{})
	if err != nil {
		t.Fatal(err)
	}
	text := a.Text()
	for _, want := range []string{"come with questions", "do not mind muddy boots", "plant something new every year", "It has little to do with experience"} {
		if !strings.Contains(text, want) {
			t.Errorf("body lacks %q:\n%s", want, text)
		}
	}
	for _, bad := range []string{"Plants", "Shop", "Copyright"} {
		if strings.Contains(text, bad) {
			t.Errorf("body holds %q", bad)
		}
	}
	if !leadIn("Some people ...") || !leadIn("Some people …") || leadIn("Read what the survey found…") || leadIn("Read more...") {
		t.Error("leadIn: an open ellipsis leads in, one glued to a word does not")
	}
}

package textdump

import (
	"strings"
	"testing"
)

// TestColonEdges checks that a sentence ending in a colon just above the
// first paragraph (a speaker before a quotation) and one just below the
// last (pointing to a document) stay in the body, while a short colon
// label in the page furniture ("Share:") stays out.
func TestColonEdges(t *testing.T) {
	page := `Harbour Weekly

News

Sport

Share:

Margit Olsen, chair of the harbour association, on the council's new mooring plan:

"We have waited six years for this decision, and the plan finally gives the small boat owners a fair share of the berths, with prices that a family can afford and a waiting list that anyone can check."

The plan sets aside two hundred berths for boats under eight metres, keeps the old fishing quay open to the public, and moves the fuel station to the outer pier where it no longer blocks the slipway.

The full plan and the council's reasons can be read here:

Mooring plan 2026

Contact us

Copyright 2026 Harbour Weekly. All rights reserved.
`
	a, err := Extract("harbour.txt", []byte(page), Options{})
	if err != nil {
		t.Fatal(err)
	}
	text := a.Text()
	for _, want := range []string{"Margit Olsen, chair of the harbour association", "can be read here:", "We have waited six years"} {
		if !strings.Contains(text, want) {
			t.Errorf("body lacks %q:\n%s", want, text)
		}
	}
	for _, bad := range []string{"Share:", "Sport", "Contact us", "Copyright"} {
		if strings.Contains(text, bad) {
			t.Errorf("body holds %q:\n%s", bad, text)
		}
	}
}

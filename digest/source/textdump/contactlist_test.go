package textdump

import (
	"strings"
	"testing"
)

// TestSectionLabelLeadsNoList checks that a section label ending in a
// colon ("Contact:") does not pull the contact lines under it into the
// body the way a sentence announcing a list does.
func TestSectionLabelLeadsNoList(t *testing.T) {
	page := `Climate Network

Members

Events

New working group on low-carbon food supply chains

The network has founded a working group on food supply chains, where producers, retailers and caterers will compare how they measure the emissions of what they buy and sell.

The group meets for the first time in March and will publish a short guide to measuring emissions along the chain by the end of the year, free for anyone to use.

Contact:

Jana Berg

Phone +49 40 1234 5678

jana.berg@example.org

Copyright 2026 Climate Network. All rights reserved.
`
	a, err := Extract("network.txt", []byte(page), Options{})
	if err != nil {
		t.Fatal(err)
	}
	text := a.Text()
	if !strings.Contains(text, "free for anyone to use") {
		t.Errorf("body lost its end:\n%s", text)
	}
	for _, bad := range []string{"Contact:", "Jana Berg", "Phone", "example.org"} {
		if strings.Contains(text, bad) {
			t.Errorf("body holds %q:\n%s", bad, text)
		}
	}
}

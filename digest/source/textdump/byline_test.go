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
		{"by Lena Park22 Dec 2016 651", "Lena Park", "", true},
		{"By Tom Hale 3 hours ago", "Tom Hale", "", true},
		{"Analysis by Lena Park, Senior Editor", "Lena Park", "Senior Editor", true},
		{"By Lena Park Senior Contributor", "Lena Park", "Senior Contributor", true},
		{"By Tom Vale Associated Press", "Tom Vale Associated Press", "", true},
		{"By Any Means Necessary", "", "", false},
		{"By Minh Do", "Minh Do", "", true},
		{"By Lena ParkHarbourPost", "Lena Park", "HarbourPost", true},
		{"By Anne MacKenzie", "Anne MacKenzie", "", true},
		{"By Ron McDonald", "Ron McDonald", "", true},
		{"The report was written by Dana Whitfield", "", "", false},
		{"Share this story by email", "", "", false},
		{"By Dana Whitfield dana.w@harbourpost.example(555) 010-2030", "Dana Whitfield", "", true},
		{"By Dana Whitfield @danaw", "Dana Whitfield", "", true},
	}
	for _, tt := range tests {
		b, ok := parseByline(tt.in)
		if ok != tt.ok || ok && (b.name != tt.name || b.role != tt.role) {
			t.Errorf("parseByline(%q) = %+v, %v; want {%q %q}, %v", tt.in, b, ok, tt.name, tt.role, tt.ok)
		}
	}
}

func TestCJKByline(t *testing.T) {
	tests := []struct{ in, name string }{
		{"2021-05-01 10:00 来源：某某网 作者：王小明", "王小明"},
		{"来源：某某网 作者：责任编辑：李华", "李华"},
		{"责任编辑：李华 记者：张伟", "张伟"},
		{"作者：", ""},
		{"这是一个很长的句子，没有署名。", ""},
	}
	for _, tt := range tests {
		b, ok := cjkByline(tt.in)
		if ok != (tt.name != "") || b.name != tt.name {
			t.Errorf("cjkByline(%q) = %q, %v; want %q", tt.in, b.name, ok, tt.name)
		}
	}
}

func TestCopyrightAuthor(t *testing.T) {
	lines := func(ss ...string) []line {
		out := make([]line, len(ss))
		for i, s := range ss {
			out[i] = line{text: s}
		}
		return out
	}
	tests := []struct {
		name string
		page []line
		want string
	}{
		{"personal site", lines("Mara Quist", "Notes", "Some text here.", "© Mara Quist 2016-2020"), "Mara Quist"},
		{"year first", lines("Mara Quist", "Some text here.", "Copyright © 2019 Mara Quist. All rights reserved."), "Mara Quist"},
		{"name only in footer", lines("Notes", "Some text here.", "© 2019 Mara Quist"), ""},
		{"company", lines("Acme Media", "Some text here.", "© 2019 Acme Media"), ""},
	}
	for _, tt := range tests {
		d := newDoc(tt.page, nil)
		b, _ := d.copyrightAuthor()
		if b.name != tt.want {
			t.Errorf("%s: copyrightAuthor = %q; want %q", tt.name, b.name, tt.want)
		}
	}
}

func TestNameLine(t *testing.T) {
	tests := []struct {
		in, name string
	}{
		{"Mara Quist", "Mara Quist"},
		{"Published Wed", ""},
		{"Breaking News", ""},
		{"Previous Next", ""},
		{"March Madness", ""},
		{"Lena Y. Park Senior Contributor", "Lena Y. Park"}, // "Y." is an initial, not a stop word
		{"Lena Park@lenapark", "Lena Park"},
		{"Lena y Park", ""},
		{"Meg Lowe and Errin Hale, Associated Press", "Meg Lowe and Errin Hale"},
		{"Tom and Jerry", ""},
		{"Ana Ruiz y Tomás Gil", "Ana Ruiz y Tomás Gil"},
		{"Ann Lee, Bo Park and Cy Dunn", ""},
	}
	for _, tt := range tests {
		b, ok := nameLine(tt.in)
		if ok != (tt.name != "") || ok && b.name != tt.name {
			t.Errorf("nameLine(%q) = %q, %v; want %q", tt.in, b.name, ok, tt.name)
		}
	}
}

func TestBareNameOutlet(t *testing.T) {
	d := newDoc(textLines("Catwalk returns", "Elliot Brown, Florida Today", "It was a sunny day today in the city."), nil)
	b, ok := d.bareName(1)
	if !ok || b.name != "Elliot Brown" || b.role != "Florida Today" {
		t.Errorf("bareName = %+v, %v; want Elliot Brown, Florida Today", b, ok)
	}
}

func TestBareNameNotInHeadline(t *testing.T) {
	d := newDoc(textLines("Kate Moss returns to the catwalk", "Kate Moss", "Some text."), nil)
	d.used[0] = useTitle
	if b, ok := d.bareName(1); ok {
		t.Errorf("bareName took %q from the headline's subject", b.name)
	}
	d = newDoc(textLines("Catwalk returns to the city", "Kate Moss", "Some text."), nil)
	d.used[0] = useTitle
	if _, ok := d.bareName(1); !ok {
		t.Errorf("bareName missed a name under the headline")
	}
}

// TestBareNameUnderHeadline: beside a dateline, a name under the headline
// is the writer's; a short line above it is a section or place name.
func TestBareNameUnderHeadline(t *testing.T) {
	page := `Home
Markets
United Kingdom
Business News
November 19, 2024
Harbour shares slip as freight rates fall
Mara Quist
5 Min Read
Shares in harbour operators slipped on Tuesday after a report showed that freight rates fell for the third month in a row, as fewer ships called at the busiest ports.

The index of harbour stocks lost two percent in early trading, and traders said that the fall in rates had been expected since the summer, when several large lines cut their routes.

Analysts said the operators would report lower profits for the year, but that their costs had also fallen, so the drop would be smaller than the fall in rates suggests.

Related
Terms
Privacy
Contact
About
Careers
`
	a, err := Extract("harbour.txt", []byte(page), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if a.Title != "Harbour shares slip as freight rates fall" || a.Author != "Mara Quist" {
		t.Errorf("title %q, author %q; want the headline and Mara Quist", a.Title, a.Author)
	}
}

package source

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// body is a dump's article text, long enough to be found as the body.
const body = "Harbour Towns Vote To Share Their Ferries\n\n" +
	"The councils of three harbour towns voted on Tuesday to run their ferries as one service, ending a decade of competing timetables that left travellers waiting at empty piers.\n\n" +
	"Under the plan the boats keep their crews and colours, but tickets are valid on every route and the schedules are drawn up together each spring by a small joint office.\n"

func TestTextURL(t *testing.T) {
	tests := []struct {
		name, dump, want string
	}{
		{"first line", "https://news.example.org/ferries?id=7\n\n" + body, "https://news.example.org/ferries?id=7"},
		{"last line", body + "\nhttps://news.example.org/ferries\n", "https://news.example.org/ferries"},
		{"source label", "Source: https://news.example.org/ferries\n" + body, "https://news.example.org/ferries"},
		{"url label in brackets, below", body + "\nURL: <https://news.example.org/ferries>\n\n", "https://news.example.org/ferries"},
		{"german label", "Quelle: https://zeitung.example.de/faehren\n" + body, "https://zeitung.example.de/faehren"},
		{"label a few lines down", "Home\nNews\nSource: https://news.example.org/f\n" + body, "https://news.example.org/f"},
		{"url inside the text is not the page's", body + "\nRead more at https://other.example.com/x in the archive.\n", ""},
		{"bare url in the middle", "Home\nhttps://news.example.org/ferries\n" + body, ""},
		{"not http", "javascript:alert(1)\n" + body, ""},
		{"no host", "https:///path\n" + body, ""},
		{"with credentials", "https://user:pw@news.example.org/\n" + body, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, rest := textURL([]byte(tt.dump))
			if got != tt.want {
				t.Fatalf("textURL = %q, want %q", got, tt.want)
			}
			if tt.want != "" && strings.Contains(string(rest), tt.want) {
				t.Errorf("the address line stayed in the text:\n%s", rest)
			}
			if tt.want == "" && string(rest) != tt.dump {
				t.Errorf("text changed without an address found")
			}
		})
	}
}

func TestSidecarURL(t *testing.T) {
	tests := []struct {
		name, data, want string
	}{
		{"internet shortcut", "[InternetShortcut]\r\nURL=https://news.example.org/ferries\r\n", "https://news.example.org/ferries"},
		{"bom and extra keys", "\xef\xbb\xbf[{000214A0-0000-0000-C000-000000000046}]\nProp3=19,11\n[InternetShortcut]\nIDList=\nurl = https://news.example.org/a?b=c\nIconIndex=0\n", "https://news.example.org/a?b=c"},
		{"one line", "https://news.example.org/ferries\n", "https://news.example.org/ferries"},
		{"empty", "\n\n", ""},
		{"prose", "see the ferries story\nhttps://news.example.org/", ""},
		{"file url", "[InternetShortcut]\nURL=file:///etc/passwd\n", ""},
	}
	for _, tt := range tests {
		got, ok := sidecarURL([]byte(tt.data))
		if got != tt.want || ok != (tt.want != "") {
			t.Errorf("%s: sidecarURL = %q, %v; want %q", tt.name, got, ok, tt.want)
		}
	}
}

func TestSeedsReadSidecarsAndURLLines(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, "a.txt", body)
	write(t, dir, "a.url", "[InternetShortcut]\r\nURL=https://www.harbourherald.example/ferries\r\n")
	write(t, dir, "b.txt", "https://www.harbourherald.example/b\n\n"+body)
	write(t, dir, "c.txt", body)
	write(t, dir, "c.txt.url", "not an address\n")
	write(t, dir, "d.txt", body+"\n© 2024 Harbour Herald Ltd. All rights reserved.\n")
	arts, errs := Seeds(dir)
	if len(arts) != 4 {
		t.Fatalf("got %d articles, want 4; errors %+v", len(arts), errs)
	}
	byFile := map[string]int{}
	for i, a := range arts {
		byFile[filepath.Base(a.Source.URL)] = i
	}
	a, b, c, d := arts[byFile["a.txt"]], arts[byFile["b.txt"]], arts[byFile["c.txt"]], arts[byFile["d.txt"]]
	if a.URL != "https://www.harbourherald.example/ferries" || a.Source.Name != "harbourherald.example" {
		t.Errorf("sidecar: url %q, source %q", a.URL, a.Source.Name)
	}
	if b.URL != "https://www.harbourherald.example/b" || b.Title != "Harbour Towns Vote To Share Their Ferries" {
		t.Errorf("URL line: url %q, title %q", b.URL, b.Title)
	}
	for _, p := range b.Paragraphs {
		if strings.Contains(p, "https://") {
			t.Errorf("the URL line is in the body: %q", p)
		}
	}
	if c.URL != "" || c.Source.Name != "Editor's pick" {
		t.Errorf("bad sidecar: url %q, source %q", c.URL, c.Source.Name)
	}
	if len(errs) != 1 || !strings.Contains(errs[0].Source, "c.txt") || !strings.Contains(errs[0].Err, "c.txt.url") ||
		!strings.Contains(errs[0].Err, "URL=") {
		t.Errorf("a sidecar without an address should give one error naming it and saying what to write: %+v", errs)
	}
	if d.URL != "" || d.Source.Name != "Harbour Herald" || d.SiteName != "Harbour Herald" {
		t.Errorf("copyright line: url %q, source %q", d.URL, d.Source.Name)
	}
}

func TestReadFileSidecarBesideHTMLAndNotes(t *testing.T) {
	dir := t.TempDir()
	p := write(t, dir, "page.html", "<!doctype html><html><head><title>Ferries</title></head><body><article><h1>Ferries</h1><p>"+
		strings.Repeat("The towns share their ferries now and tickets are valid everywhere. ", 12)+"</p></article></body></html>")
	write(t, dir, "page.url", "https://harbourherald.example/html\n")
	s, err := ReadFile(p)
	if err != nil || s.URL != "https://harbourherald.example/html" {
		t.Fatalf("ReadFile: %+v, %v", s.URL, err)
	}
	arts, err := File(s, nil)
	if err != nil {
		t.Fatal(err)
	}
	if arts[0].URL != "https://harbourherald.example/html" || arts[0].Source.Name == "Editor's pick" {
		t.Errorf("html with sidecar: url %q, source %q", arts[0].URL, arts[0].Source.Name)
	}
	if _, err := os.Stat(filepath.Join(dir, "page.url")); err != nil {
		t.Fatal(err)
	}
}

func TestSiteName(t *testing.T) {
	tests := []struct {
		name, text, url, want string
	}{
		{"masthead spelling of the host", "Skip to content\nThe Harbour Herald - Back to home\n" + body, "https://www.harbourherald.example/x", "The Harbour Herald"},
		{"initials", "Deutsche Welle\nNews\n" + body + "\n© 2020 Deutsche Welle | Privacy Policy", "https://www.dw.example/en/x", "Deutsche Welle"},
		{"host when the page does not spell it", body, "https://news.harbourherald.co.uk/x", "news.harbourherald.co.uk"},
		{"copyright holder", body + "\nCopyright © 2019 - 2024 Harbour Herald GmbH. Alle Rechte vorbehalten.\nImpressum", "", "Harbour Herald"},
		{"photo credit is not the site", body + "\nPhoto: © Getty Images\n", "", ""},
		{"theme credit is not the site", body + "\n© 2023 | MH Magazine WordPress Theme\n", "", ""},
		{"an owning group is not the publication", body + "\n© 2024 Harbour Media Group. All rights reserved.\n", "", ""},
		{"a publisher named for its paper", body + "\n© 2024 The Harbour Herald Company\n", "", "The Harbour Herald"},
		{"last notice wins", "© Lokal 2001\n" + body + "\n© 2024 Harbour Herald\n", "", "Harbour Herald"},
		{"nothing", body, "", ""},
	}
	for _, tt := range tests {
		if got := siteName(tt.text, tt.url); got != tt.want {
			t.Errorf("%s: siteName = %q, want %q", tt.name, got, tt.want)
		}
	}
}

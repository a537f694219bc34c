package render

import (
	"encoding/json"
	"fmt"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/weeklywrap/digest/digest"
	"github.com/weeklywrap/digest/templates"
)

// neutralIssue has every block of the layout, with content in no
// language (names, numbers, lorem ipsum), so that any English word left in
// a rendering is a label that was not translated.
func neutralIssue() *digest.Issue {
	is := fixedIssue()
	n := 0
	lorem := func() []string {
		n++
		return []string{fmt.Sprintf("Lorem ipsum dolor sit amet %d.", n), "Consectetur adipiscing elit."}
	}
	all := func(f func(e *digest.Entry)) {
		for i := range is.Top {
			f(&is.Top[i])
		}
		for s := range is.Sections {
			for i := range is.Sections[s].Entries {
				f(&is.Sections[s].Entries[i])
			}
		}
		for i := range is.MostDiscussed {
			f(&is.MostDiscussed[i])
		}
	}
	all(func(e *digest.Entry) {
		e.Article.Title = fmt.Sprintf("Lorem %d ipsum", n)
		e.Article.Summary = lorem()
		e.Article.Author = "Mira Zolt"
		e.Article.SiteName = "Lorem Nuntius"
		if e.Highlight != nil {
			e.Highlight.Text = "Vivamus quis lectus."
		}
		e.AlsoCoveredBy = []digest.Source{{Name: "Zeta"}, {Name: "Kappa"}}
		e.Note = "Sed ut perspiciatis."
		if e.Article.Image != nil {
			e.Article.Image.Alt = "Ipsum"
		}
	})
	is.Sections[0].Name = "Scientia"
	is.Sections[1].Name = ""
	is.Sections = append(is.Sections, digest.Section{Name: moreSection, Entries: []digest.Entry{{Article: digest.Article{
		ID: "more", URL: "https://lorem.example/more", Title: "Lorem more", SiteName: "Lorem Nuntius", Paragraphs: []string{"Lorem."}}}}})
	is.Sections[1].Entries[0].Article.Title = ""
	is.Intro = "Lorem ipsum dolor sit amet."
	return is
}

// englishProbes turns each catalogue key into a pattern that finds the
// English label in a rendering: verbs match anything short, and a label
// of one word must stand as a word.
func englishProbe(key string) *regexp.Regexp {
	parts := regexp.MustCompile(`%[sd]`).Split(key, -1)
	for i, p := range parts {
		parts[i] = regexp.QuoteMeta(p)
	}
	return regexp.MustCompile(`(?i)(?:^|[^\p{L}\p{N}])` + strings.Join(parts, `.{0,80}?`) + `(?:$|[^\p{L}\p{N}@])`)
}

// TestLanguages renders the issue, both parts, with lang de, fr and es and
// looks for every string of the catalogue in English: none may be left.
// It also checks each language's file has every string the English
// templates use, and that dates are in the language.
func TestLanguages(t *testing.T) {
	keys := catalogueKeys(t)
	t.Logf("%d catalogue strings: %q", len(keys), keys)
	for _, lang := range []string{"de", "fr", "es"} {
		t.Run(lang, func(t *testing.T) {
			nl := testNewsletter("https://wrap.example.com")
			nl.Lang, nl.Tagline, nl.PostalAddress, nl.Title = lang, "", "Via Lorem 1", "Wrap"
			r, err := New(nl, templates.FS)
			if err != nil {
				t.Fatal(err)
			}
			cat := r.Catalog()
			for _, k := range keys {
				if cat.T(k) == k && !sameInLanguage[lang][k] {
					t.Errorf("%s.json lacks %q", lang, k)
				}
			}
			p, err := r.Prepare(neutralIssue())
			if err != nil {
				t.Fatal(err)
			}
			outs := map[string]string{
				"HTML":     p.HTML(fullPersonal),
				"text":     p.Text(fullPersonal),
				"web HTML": p.HTML(Personal{Email: "x@example.com"}),
				"web text": p.Text(Personal{}),
				"subject":  p.Subject(),
			}
			outs["HTML no name"] = p.HTML(Personal{Email: "x@example.com"})
			for where, out := range outs {
				visible := regexp.MustCompile(`(?s)<style>.*?</style>|<[^>]*>|https?://\S+`).ReplaceAllString(out, " ")
				for _, k := range keys {
					if sameInLanguage[lang][k] {
						continue
					}
					if m := englishProbe(k).FindString(visible); m != "" {
						t.Errorf("%s: English label %q left in the %s: %q", lang, k, where, m)
					}
				}
			}
			date := map[string]string{"de": "Sonntag, 22. November 2026", "fr": "dimanche 22 novembre 2026", "es": "domingo, 22 de noviembre de 2026"}[lang]
			if !strings.Contains(outs["HTML"], date) || !strings.Contains(outs["text"], date) {
				t.Errorf("the issue's date is not %q", date)
			}
		})
	}
}

// sameInLanguage lists labels whose translation is the English word.
var sameInLanguage = map[string]map[string]bool{
	"de": {"Links": true, "Name": true},
	"fr": {"%d minutes": true, "Site": true},
}

// catalogueKeys is every string the English catalogue holds: the keys
// of the German file, checked against the strings the templates and the
// Go code pass to t, tf, T and Tf.
func catalogueKeys(t *testing.T) []string {
	t.Helper()
	b, err := os.ReadFile("../../templates/lang/de.json")
	if err != nil {
		t.Fatal(err)
	}
	var de map[string]string
	if err := json.Unmarshal(b, &de); err != nil {
		t.Fatal(err)
	}
	var keys []string
	for k := range de {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	used := usedKeys(t)
	for _, k := range used {
		if _, ok := de[k]; !ok {
			t.Errorf("%q is used but not in the catalogue", k)
		}
	}
	return keys
}

// usedKeys finds the labels in the templates ({{t "…"}}, {{tf "…"}}) and
// in Go (.T("…"), .Tf("…")).
func usedKeys(t *testing.T) []string {
	t.Helper()
	re := regexp.MustCompile(`(?:\b(?:t|tf) |\.Tf?\()"((?:[^"\\]|\\.)*)"`)
	var out []string
	for _, dir := range []string{"../../templates/email", "../../templates/web", "../../templates/notice", ".", "../web", "../service"} {
		ents, err := os.ReadDir(dir)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range ents {
			if e.IsDir() || !(strings.HasSuffix(e.Name(), ".go") || strings.HasSuffix(e.Name(), ".tmpl")) || strings.HasSuffix(e.Name(), "_test.go") || strings.HasPrefix(e.Name(), "desk") || strings.HasPrefix(e.Name(), "review") || strings.HasPrefix(e.Name(), "signin") || strings.HasPrefix(e.Name(), "status") {
				continue
			}
			b, err := os.ReadFile(dir + "/" + e.Name())
			if err != nil {
				t.Fatal(err)
			}
			for _, m := range re.FindAllStringSubmatch(string(b), -1) {
				if !slices.Contains(out, m[1]) {
					out = append(out, m[1])
				}
			}
		}
	}
	if len(out) < 30 {
		t.Fatalf("found only %d labels in the templates: the scan is broken", len(out))
	}
	return out
}

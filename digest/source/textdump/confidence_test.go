package textdump

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestNoArticleIsLowConfidence checks that pages holding no article (a
// sign-in form, a product list) are reported as such instead of passing a
// random block on as the story, and that articles are not.
func TestNoArticleIsLowConfidence(t *testing.T) {
	tests := []struct {
		file string
		low  bool
	}{
		{"login.txt", true},
		{"products.txt", true},
		{"news.txt", false},
		{"portal.txt", false},
		{"consent_de.txt", false},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join("testdata", "pages", tt.file))
			if err != nil {
				t.Fatal(err)
			}
			a, err := Extract(tt.file, data, Options{})
			if err != nil {
				t.Fatal(err)
			}
			if a.Confidence < 0 || a.Confidence > 1 {
				t.Fatalf("Confidence = %v, outside 0-1", a.Confidence)
			}
			if a.LowConfidence != (a.Confidence < minConfidence) {
				t.Errorf("LowConfidence = %v with Confidence %v", a.LowConfidence, a.Confidence)
			}
			if a.LowConfidence != tt.low {
				t.Errorf("LowConfidence = %v (confidence %.2f), want %v; body:\n%s", a.LowConfidence, a.Confidence, tt.low, a.Text())
			}
		})
	}
}

// TestConsentAndCaptionsDropped checks a German article whose text is
// broken up by an embed's consent notice, a photo caption with its credit
// and the sections after the article.
func TestConsentAndCaptionsDropped(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("testdata", "pages", "consent_de.txt"))
	if err != nil {
		t.Fatal(err)
	}
	a, err := Extract("consent_de.txt", data, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if want := "Bäckereien kämpfen mit steigenden Energiepreisen"; a.Title != want {
		t.Errorf("title = %q, want %q", a.Title, want)
	}
	if a.Author != "Jana Keller" {
		t.Errorf("author = %q", a.Author)
	}
	text := a.Text()
	for _, want := range []string{"Die Bäckerei am Marktplatz", "Die Politik hat Hilfen", "Einige Bäcker setzen"} {
		if !strings.Contains(text, want) {
			t.Errorf("body lost %q", want)
		}
	}
	for _, bad := range []string{"Externer Inhalt", "Datenschutzerklärung", "Inhalt laden", "Foto:", "Mehr zum Thema",
		"Energiepreise: Was", "Kommentar", "E-Mail-Adresse", "©"} {
		if strings.Contains(text, bad) {
			t.Errorf("body contains %q", bad)
		}
	}
}

// TestTeaserCardsNotTheBody checks a short article followed by a grid of
// longer teasers, each closed by the same "Read more" link: the teasers
// must not be taken for the story.
func TestTeaserCardsNotTheBody(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("testdata", "pages", "teaser_cards.txt"))
	if err != nil {
		t.Fatal(err)
	}
	a, err := Extract("teaser_cards.txt", data, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if want := "Town council backs plan for a new footbridge"; a.Title != want {
		t.Errorf("title = %q, want %q", a.Title, want)
	}
	text := a.Text()
	if !strings.HasPrefix(text, "The town council voted") || !strings.Contains(text, "the mayor said.") {
		t.Errorf("body lost the article:\n%s", text)
	}
	for _, bad := range []string{"harbour festival", "cycle lanes", "School meals", "library"} {
		if strings.Contains(text, bad) {
			t.Errorf("body contains teaser text %q", bad)
		}
	}
}

// TestIngredientListKept checks that a recipe keeps its ingredient list:
// short lines that open with an amount, with their section labels.
func TestIngredientListKept(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("testdata", "pages", "recipe.txt"))
	if err != nil {
		t.Fatal(err)
	}
	a, err := Extract("recipe.txt", data, Options{})
	if err != nil {
		t.Fatal(err)
	}
	text := a.Text()
	for _, want := range []string{"For the dough:", "250 g flour", "1 egg", "For the crumble:", "1 kg plums", "Rub the butter", "Let the cake cool"} {
		if !strings.Contains(text, want) {
			t.Errorf("body lost %q:\n%s", want, text)
		}
	}
	for _, bad := range []string{"Rate this recipe", "More cakes", "©"} {
		if strings.Contains(text, bad) {
			t.Errorf("body contains %q", bad)
		}
	}
}

// TestNumberedOutlineNotIngredients checks that a table of contents is
// not read as a list of amounts.
func TestNumberedOutlineNotIngredients(t *testing.T) {
	d := newDoc(textLines("1 History", "2 Values", "3 Software", "4 Community", "5 References"), nil)
	for i, f := range d.feats {
		if f.cls >= clsNearGood {
			t.Errorf("line %d (%q) promoted to text", i, d.lines[i].text)
		}
	}
}

// TestQuestionSubheadingKept checks that a question heading a section of
// the article stays in the body.
func TestQuestionSubheadingKept(t *testing.T) {
	d := newDoc(textLines(
		"The council spent two evenings on the budget and agreed on most of it without much debate, as members said afterwards.",
		"What changed?",
		"The biggest change is the money for the harbour, which was cut by a third after the auditors found that the costs had been counted twice.",
	), nil)
	got := strings.Join(d.body(0, 3, false), "|")
	if !strings.Contains(got, "|What changed?|") {
		t.Errorf("body = %q, want the question kept as a heading", got)
	}
}

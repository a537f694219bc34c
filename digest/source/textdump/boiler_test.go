package textdump

import "testing"

// TestBoilerplateLines covers the furniture that article text must not
// keep, in several languages, and sentences that only mention the words.
func TestBoilerplateLines(t *testing.T) {
	tests := []struct {
		line string
		want bool
	}{
		{"Mit dem Laden des Inhalts akzeptieren Sie die Datenschutzerklärung des Anbieters.", true},
		{"Externer Inhalt", true},
		{"Mehr zum Thema", true},
		{"Schreibe einen Kommentar", true},
		{"Anzeige", true},
		{"Kommentare (12)", true},
		{"Lire aussi : Le gouvernement présente son budget", true},
		{"VEA TAMBIÉN: Las lluvias continúan en la capital", true},
		{"Czytaj też: Nowe przepisy wchodzą w życie", true},
		{"Materiał chroniony prawem autorskim - wszelkie prawa zastrzeżone.", true},
		{"Tous droits réservés", true},
		{"Get the latest stories delivered to your inbox every morning.", true},
		{"Click to email this to a friend (Opens in new window)", true},
		{"Click to share on Reddit (Opens in new window)", true},
		// Sentences of an article that merely use such words.
		{"Werbung nervt, und auf dem Telefon kostet sie obendrein Datenvolumen.", false},
		{"Die Kommentare der Leser fielen freundlicher aus als erwartet, sagte der Verlag.", false},
		{"The council will publish its answer next week.", false},
	}
	for _, tt := range tests {
		if got := isBoilerplate(tt.line); got != tt.want {
			t.Errorf("isBoilerplate(%q) = %v, want %v", tt.line, got, tt.want)
		}
	}
}

// TestCreditLines covers photo credits and captions ending with one.
func TestCreditLines(t *testing.T) {
	tests := []struct {
		line string
		want bool
	}{
		{"Foto: Max Muster", true},
		{"Photo: A. Person/Getty Images", true},
		{"Der Hafen am Morgen. © Erika Beispiel/pixelio.de", true},
		{"The harbour at dawn (Photo: Jo Example)", true},
		{"Ein Fischer im Hafen. Foto: Beispiel / dpa", true},
		{"Titelbild: Beispiel/Agentur", true},
		{"CreditJo Example/Agency", true},
		{"Berlin (dpa) - Die Regierung hat am Montag neue Regeln beschlossen.", false},
		{"Source code is available for everyone who asks.", false},
	}
	for _, tt := range tests {
		f := measure(tt.line, ^uint64(0))
		if got := isCredit(tt.line, f.size()); got != tt.want {
			t.Errorf("isCredit(%q) = %v, want %v", tt.line, got, tt.want)
		}
	}
}

// TestGalleryAndCutLines covers picture counters and teasers the page cut
// off with an ellipsis.
func TestGalleryAndCutLines(t *testing.T) {
	for _, s := range []string{"Image 1 of 23", "2of4A shopper looks at extension cords in a hardware store", "Bild 3 von 12",
		"Related: The rocket that never flew", "Regional council approves the new budget for Upd..."} {
		if !isBoilerplate(s) {
			t.Errorf("isBoilerplate(%q) = false, want true", s)
		}
	}
	for _, s := range []string{"He paused. Then he said it again...", "12 of 40 members voted no."} {
		if isBoilerplate(s) {
			t.Errorf("isBoilerplate(%q) = true, want false", s)
		}
	}
}

// TestStopListsPickLanguage checks that the page's language decides which
// stop words count, so density works for languages beyond English.
func TestStopListsPickLanguage(t *testing.T) {
	pl := []line{{text: "Wczoraj wieczorem w centrum miasta odbyło się spotkanie mieszkańców, na którym omawiano nowe plany budowy."},
		{text: "Mieszkańcy pytali, kiedy zostaną zakończone prace i czy ulica będzie zamknięta przez całe lato."}}
	lang := pageLanguage(pl)
	if lang == ^uint64(0) {
		t.Fatal("no language found for Polish text")
	}
	f := measure(pl[1].text, lang)
	if f.stop < 3 {
		t.Errorf("Polish line counts %d stop words, want at least 3", f.stop)
	}
	if g := measure("Menu Kontakt Impressum Sport Wetter", lang); g.stop != 0 {
		t.Errorf("menu counts %d stop words, want 0", g.stop)
	}
}

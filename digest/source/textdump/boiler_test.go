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
		f := measure(tt.line)
		if got := isCredit(tt.line, f.size()); got != tt.want {
			t.Errorf("isCredit(%q) = %v, want %v", tt.line, got, tt.want)
		}
	}
}

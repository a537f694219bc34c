package textdump

import "testing"

func TestLexicon(t *testing.T) {
	de := GuessLanguage([]string{
		"Die Gemeinden hatten sich seit Jahren für eine bessere Verbindung eingesetzt, und das Land übernimmt nun den größten Teil der Kosten.",
		"Menü",
	})
	if !de.Known() {
		t.Fatal("German running text: language not known")
	}
	if got := de.StopShare("und die Fähre fährt mit dem Schiff"); got < 0.5 {
		t.Errorf("StopShare of a German clause = %.2f, want at least 0.5", got)
	}
	if got := de.StopShare("Politik Wirtschaft Sport Kultur"); got != 0 {
		t.Errorf("StopShare of a menu = %.2f, want 0", got)
	}
	if got := de.StopShare("— 42 —"); got != 0 {
		t.Errorf("StopShare without letters = %.2f, want 0", got)
	}
	if GuessLanguage([]string{"short"}).Known() {
		t.Error("no running text: language known")
	}
	for _, tt := range []struct {
		s    string
		want bool
	}{
		{"Lesen Sie auch: Mehr Schutz für das Wattenmeer", true},
		{"Sign up for our newsletter", true},
		{"Die erste Fahrt ist für den dritten Juni geplant.", false},
	} {
		if got := IsBoilerplate(tt.s); got != tt.want {
			t.Errorf("IsBoilerplate(%q) = %v, want %v", tt.s, got, tt.want)
		}
	}
	if !IsCredit("Foto: Küstenbote/Archiv", 3) || IsCredit("Das Foto zeigt den Hafen.", 5) {
		t.Error("IsCredit does not tell a credit from a sentence")
	}
}

package textdump

import "testing"

func TestLexicon(t *testing.T) {
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

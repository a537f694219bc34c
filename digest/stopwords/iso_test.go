package stopwords

import "testing"

func TestGuess(t *testing.T) {
	de := Guess([]string{
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
	if Guess([]string{"short"}).Known() {
		t.Error("no running text: language known")
	}
}

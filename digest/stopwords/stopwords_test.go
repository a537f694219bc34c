package stopwords

import "testing"

func TestIsEnglish(t *testing.T) {
	for _, w := range []string{"the", "and", "of", "it's", "it’s", "were", "themselves"} {
		if !IsEnglish(w) || !IsEnglishBytes([]byte(w)) {
			t.Errorf("IsEnglish(%q) = false", w)
		}
	}
	for _, w := range []string{"tram", "council", "said", "profit", "The", ""} {
		if IsEnglish(w) || IsEnglishBytes([]byte(w)) {
			t.Errorf("IsEnglish(%q) = true", w)
		}
	}
}

func TestListsDiffer(t *testing.T) {
	// "said" ties a news story together for the summarizer but says
	// nothing about grounding; "und" is a function word of German pages.
	if IsEnglish("said") || !IsGroundingStop("said") {
		t.Error(`"said": English stop word or not a grounding stop word`)
	}
	if !IsCommon("und") || IsEnglish("und") {
		t.Error(`"und": not in the common list, or an English stop word`)
	}
}

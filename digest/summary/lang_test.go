package summary

import "testing"

func TestDetectLang(t *testing.T) {
	tests := map[string]string{
		"en": "The council said that the new line would open in the spring, and that it was on budget.",
		"de": "Der Rat hat die neue Linie genehmigt, und sie wird im Frühjahr eröffnet, wie die Stadt mitteilte.",
		"es": "El consejo aprobó la nueva línea, que se abrirá en la primavera, según informó la ciudad.",
		"fr": "Le conseil a approuvé la nouvelle ligne, qui ouvrira au printemps, a indiqué la ville dans un communiqué.",
		"pl": "Rada miasta zatwierdziła nową linię, która zostanie otwarta wiosną, jak podało miasto i nie tylko.",
		"pt": "O conselho aprovou a nova linha, que será aberta na primavera, segundo informou a cidade para os moradores.",
		"":   "报道称，理事会批准了新的电车线路，预计明年春天开通。",
	}
	for want, text := range tests {
		if got := detectLang([]string{text}).name; got != want {
			t.Errorf("detectLang(%q) = %q, want %q", text, got, want)
		}
	}
	if got := detectLang([]string{"Riverton 2027"}).name; got != "en" {
		t.Errorf("too little text: got %q, want the English default", got)
	}
}

func TestRefersBack(t *testing.T) {
	tests := []struct {
		lang, s string
		want    bool
	}{
		{"en", "However, the council disagreed.", true},
		{"en", "He added that the line was on budget.", true},
		{"en", "That's because the grant was cut.", true},
		{"en", "That’s how the plan works.", true},
		{"en", `"It was a hard decision," she said.`, true},
		{"en", "In addition, fares will rise.", true},
		{"en", "At the same time, fares will rise.", true},
		{"en", "On the other hand, fares will fall.", true},
		{"en", "At the weekend the council met again.", false},
		{"en", "As a child, the mayor rode the tram.", false},
		{"en", "As well as the tram, a bus line opens.", false},
		{"en", "The council disagreed.", false},
		{"en", "So-called experts disagreed.", false},
		{"en", "Italy and Spain disagreed.", false},
		{"de", "Dabei hatte die Stadt anders geplant.", true},
		{"de", "Er sagte, die Linie sei teuer.", true},
		{"de", "Die Stadt plant anders.", false},
		{"es", "Sin embargo, el consejo no estuvo de acuerdo.", true},
		{"es", "Ella dijo que la línea era cara.", true},
		{"es", "El consejo no estuvo de acuerdo.", false},
		{"fr", "Cependant, le conseil n'était pas d'accord.", true},
		{"fr", "C'est pourquoi la ligne coûte cher.", true},
		{"fr", "Le conseil n'était pas d'accord.", false},
		{"pl", "Jednak rada się nie zgodziła.", true},
		{"pl", "Rada się nie zgodziła.", false},
		{"pt", "No entanto, o conselho discordou.", true},
		{"pt", "O conselho discordou.", false},
	}
	for _, tt := range tests {
		l := langNamed(t, tt.lang)
		if got := l.refersBack(tt.s); got != tt.want {
			t.Errorf("%s refersBack(%q) = %v, want %v", tt.lang, tt.s, got, tt.want)
		}
	}
}

func TestDropConnective(t *testing.T) {
	tests := []struct {
		lang, s, want string
	}{
		{"en", "However, the council disagreed.", "The council disagreed."},
		{"en", "But the council disagreed.", "The council disagreed."},
		{"en", "In addition, fares will rise.", "Fares will rise."},
		{"en", "As a result, fares will rise.", "Fares will rise."},
		{"en", "So far, ten people have signed.", ""}, // "so" without its comma is no connective
		{"en", "Also the mayor came.", ""},
		{"en", `"But it is late," he said.`, ""}, // a quotation is never edited
		{"en", "The council disagreed.", ""},
		{"de", "Aber die Stadt plant anders.", "Die Stadt plant anders."},
		{"de", "Außerdem hat die Stadt anders geplant.", ""}, // the verb would open the sentence
		{"es", "Sin embargo, el consejo no estuvo de acuerdo.", "El consejo no estuvo de acuerdo."},
		{"fr", "Mais le conseil n'était pas d'accord.", "Le conseil n'était pas d'accord."},
		{"pt", "No entanto, o conselho discordou.", "O conselho discordou."},
		{"pl", "Jednak rada się nie zgodziła.", "Rada się nie zgodziła."},
	}
	for _, tt := range tests {
		if got := langNamed(t, tt.lang).dropConnective(tt.s); got != tt.want {
			t.Errorf("%s dropConnective(%q) = %q, want %q", tt.lang, tt.s, got, tt.want)
		}
	}
}

func langNamed(t *testing.T, name string) *lang {
	t.Helper()
	for _, l := range languages {
		if l.name == name {
			return l
		}
	}
	t.Fatalf("no language %q", name)
	return nil
}

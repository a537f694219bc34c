package summary

import (
	"slices"
	"strings"
	"testing"
)

// pageLike is an article as extraction leaves it from a real page: a
// caption, headings, a list label, a code line and a link label among the
// paragraphs, and sentences that lean on the one before.
var pageLike = []string{
	"Photo: the new tram at the depot",
	"Riverton council has approved a tram line linking the station with the hospital at a cost of £120m.",
	"What the line means",
	"The tram line will run for six miles through the city centre, and the council expects the first trams to carry passengers in 2027.",
	"It will also stop at the university, which asked the council for a tram stop of its own in 2019.",
	"However, opponents of the tram line argued that the cost would burden the council for decades.",
	"He added: \"The tram line is a promise to the next generation. It will be kept.\"",
	"Here is how to plan a trip:",
	"<script src=\"/tram-map.js\"></script>",
	"Read more about the tram plan",
	"Councillors voted 31 to 9 in favour of the tram plan after a four-hour debate on the tram line.",
	"Mayor Ann Lee said the tram line would be paid for by a national transport grant and by fares.",
	"She said the tram line would open in stages…",
}

func TestSummarizeSkipsFragments(t *testing.T) {
	prose := func(s string) bool {
		return complete(s) && !looksLikeCode(s) && CountWords(s) >= minWords
	}
	for _, b := range []Budget{{Sentences: 1}, {Sentences: 3}, {Sentences: 6}, {Words: 30}, {Words: 90}, {Words: 400}} {
		got := Summarize("Council approves tram line", pageLike, b)
		if len(got) == 0 {
			t.Fatalf("%+v: no summary", b)
		}
		for _, s := range got {
			if !prose(s) {
				t.Errorf("%+v: picked %q, which is no sentence of prose", b, s)
			}
		}
	}
}

func TestSummarizeKeepsAntecedents(t *testing.T) {
	all := Sentences(strings.Join(pageLike, "\n"))
	for _, b := range []Budget{{Sentences: 1}, {Sentences: 2}, {Sentences: 3}, {Sentences: 5}, {Words: 40}, {Words: 70}, {Words: 120}} {
		got := Summarize("Council approves tram line", pageLike, b)
		for k, s := range got {
			i := slices.Index(all, s)
			if i < 0 {
				// Shown without its connective: it must be the
				// trimmed form of a sentence of the text.
				if !slices.ContainsFunc(all, func(a string) bool { return english.dropConnective(a) == s }) {
					t.Errorf("%+v: %q is not from the text", b, s)
				}
				continue
			}
			if english.refersBack(s) && (k == 0 || got[k-1] != all[i-1]) {
				t.Errorf("%+v: %q without %q before it: %q", b, s, all[i-1], got)
			}
		}
	}
	// The connective goes when the sentence stands alone.
	got := Summarize("Opponents argue about tram cost", []string{
		"The council met on Monday evening in the town hall to discuss several plans.",
		"However, opponents of the tram line argued that the cost of the tram line would burden the council.",
	}, Budget{Sentences: 1})
	if want := "Opponents of the tram line argued that the cost of the tram line would burden the council."; len(got) != 1 || got[0] != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestSummarizeTakesQuotationsWhole(t *testing.T) {
	paras := []string{
		"The tram line was approved on Monday by the city council of Riverton after a long debate.",
		`"The tram line is a promise to the next generation of Riverton. The tram line will be kept," the mayor said.`,
		`The mayor added: "Riverton has waited for a tram line for forty years. We will not wait`,
		`any longer for the tram line."`,
	}
	for _, b := range []Budget{{Sentences: 1}, {Sentences: 2}, {Sentences: 3}, {Words: 25}, {Words: 60}} {
		for _, s := range Summarize("Riverton tram line approved", paras, b) {
			if quoteMarks(s)%2 != 0 {
				t.Errorf("%+v: %q cuts a quotation", b, s)
			}
		}
	}
}

// TestSummarizeOtherLanguages: the cues that a sentence leans on the one
// before come from the text's language.
func TestSummarizeOtherLanguages(t *testing.T) {
	tests := map[string][]string{
		"de": {
			"Der Stadtrat von Riverton hat am Montag den Bau einer neuen Straßenbahnlinie zum Krankenhaus beschlossen.",
			"Die Straßenbahnlinie soll sechs Kilometer lang werden und die Straßenbahn soll ab 2027 fahren.",
			"Dabei kostet die Straßenbahnlinie nach Angaben der Stadt rund 120 Millionen Euro für die Straßenbahn.",
			"Er sagte, die Straßenbahnlinie sei ein Versprechen an die nächste Generation der Stadt.",
		},
		"es": {
			"El consejo de Riverton aprobó el lunes la construcción de una nueva línea de tranvía hasta el hospital.",
			"La línea de tranvía tendrá seis kilómetros y el tranvía funcionará a partir de 2027.",
			"Sin embargo, la oposición dice que la línea de tranvía costará demasiado al consejo.",
			"Ella dijo que la línea de tranvía es una promesa para la próxima generación.",
		},
		"fr": {
			"Le conseil de Riverton a approuvé lundi la construction d'une nouvelle ligne de tramway vers l'hôpital.",
			"La ligne de tramway fera six kilomètres et le tramway circulera à partir de 2027.",
			"Cependant, l'opposition estime que la ligne de tramway coûtera trop cher au conseil.",
			"Il a dit que la ligne de tramway était une promesse pour la prochaine génération.",
		},
		"pl": {
			"Rada miasta Riverton zatwierdziła w poniedziałek budowę nowej linii tramwajowej do szpitala.",
			"Linia tramwajowa będzie miała sześć kilometrów, a tramwaj będzie kursował od 2027 roku.",
			"Jednak opozycja twierdzi, że linia tramwajowa będzie kosztować zbyt dużo.",
			"Ona powiedziała, że linia tramwajowa jest obietnicą dla następnego pokolenia.",
		},
		"pt": {
			"O conselho de Riverton aprovou na segunda-feira a construção de uma nova linha de bonde até o hospital.",
			"A linha de bonde terá seis quilômetros e o bonde vai circular a partir de 2027.",
			"No entanto, a oposição diz que a linha de bonde vai custar demais ao conselho.",
			"Ele disse que a linha de bonde é uma promessa para a próxima geração.",
		},
	}
	for name, paras := range tests {
		l := langNamed(t, name)
		for _, b := range []Budget{{Sentences: 1}, {Sentences: 2}, {Words: 30}} {
			got := Summarize("", paras, b)
			if len(got) == 0 {
				t.Fatalf("%s %+v: no summary", name, b)
			}
			for k, s := range got {
				i := slices.Index(paras, s)
				if i > 0 && l.refersBack(s) && (k == 0 || got[k-1] != paras[i-1]) {
					t.Errorf("%s %+v: %q without the sentence before it: %q", name, b, s, got)
				}
			}
		}
	}
}

func TestExcerpt(t *testing.T) {
	long := "Word " + strings.Repeat("word ", 40) + "end."
	tests := []struct{ name, in, want string }{
		{"two sentences fit", "First point is here. Second point is too.", "First point is here. Second point is too."},
		{"stop before overflow", "Short opening sentence here. W" + long, "Short opening sentence here."},
		{"one long sentence", long, ""},
		{"a long one first", long + "\nThe law would block most apps.", "The law would block most apps."},
		{"list label skipped", "My worries:\n- one\n- two\nThe rules worry me a lot.", "The rules worry me a lot."},
		{"no dangling start", "The rules are long and were written in a hurry last year. " + long + " It shows in every clause.",
			"The rules are long and were written in a hurry last year."},
		{"starts where it can stand", long + " It shows. The rules were rushed.", "The rules were rushed."},
		{"quotation cut", `He wrote: "It is over. We lost.`, ""},
		{"trailing ellipsis", "I am not sure what to think...", ""},
		{"empty", "", ""},
	}
	for _, tt := range tests {
		if got := Excerpt(tt.in, 30); got != tt.want {
			t.Errorf("%s: Excerpt = %q, want %q", tt.name, got, tt.want)
		}
	}
}

// TestSummarizeLeavesFurnitureOut: a page whose text holds a caption (twice,
// as galleries print it), a call to action, a row of links and a headline
// in title case gets a summary of its prose alone, each sentence once.
func TestSummarizeLeavesFurnitureOut(t *testing.T) {
	caption := "Mayor Ann Lee, left, opens the tram depot in Riverton, Tuesday, Nov. 19, 2019, with council leaders."
	page := []string{
		caption,
		caption,
		"Riverton Tram Line Is Approved After Years Of Debate.",
		"Riverton council has approved a tram line linking the station with the tram depot and the hospital.",
		"The tram line will run for six miles through the city centre, and the first trams carry passengers in 2027.",
		"Sign up for our tram newsletter to get the latest news about the tram line every morning.",
		"Tram news | Riverton tram line | Tram depot photos | More tram stories from the council.",
		"Councillors voted 31 to 9 in favour of the tram line after a debate on the tram depot.",
	}
	furniture := map[string]bool{caption: true, page[2]: true, page[5]: true, page[6]: true}
	for _, b := range []Budget{{Sentences: 3}, {Sentences: 6}, {Words: 60}, {Words: 400}} {
		got := Summarize("Council approves tram line", page, b)
		if len(got) == 0 {
			t.Fatalf("%+v: no summary", b)
		}
		seen := map[string]bool{}
		for _, s := range got {
			if furniture[s] {
				t.Errorf("%+v: picked %q, which is page furniture", b, s)
			}
			if seen[s] {
				t.Errorf("%+v: picked %q twice", b, s)
			}
			seen[s] = true
		}
	}
}

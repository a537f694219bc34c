package summary

import (
	"reflect"
	"testing"
)

func TestSentences(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want []string
	}{
		{"single curly quotes", "South Dakota doubles down on ‘Meth. We’re on it.’ They might be.",
			[]string{"South Dakota doubles down on ‘Meth. We’re on it.’", "They might be."}},
		{"apostrophes", "The club’s owner left. ‘It’s over,’ she said. Fans cried.",
			[]string{"The club’s owner left.", "‘It’s over,’ she said.", "Fans cried."}},
		{"german single quotes", "Er nannte es ‚Fortschritt‘. Die Stadt schwieg.",
			[]string{"Er nannte es ‚Fortschritt‘.", "Die Stadt schwieg."}},
		{"plain", "It rained. The match went on! Did anyone care?",
			[]string{"It rained.", "The match went on!", "Did anyone care?"}},
		{"country abbreviation", "Sales in the U.S. rose sharply. Europe lagged.",
			[]string{"Sales in the U.S. rose sharply.", "Europe lagged."}},
		{"abbreviation ends sentence", "The firm moved to the U.S. The move cost $3m.",
			[]string{"The firm moved to the U.S.", "The move cost $3m."}},
		{"titles", "Dr. Smith met Mr. Jones and Mrs. Brown on Baker St. in London.",
			[]string{"Dr. Smith met Mr. Jones and Mrs. Brown on Baker St. in London."}},
		{"latin", "Some fruits, e.g. apples, keep well, i.e. for months. Others rot.",
			[]string{"Some fruits, e.g. apples, keep well, i.e. for months.", "Others rot."}},
		{"company", "Shares of Acme Inc. Holdings fell. It was bought by Acme Inc. The deal closed.",
			[]string{"Shares of Acme Inc. Holdings fell.", "It was bought by Acme Inc.", "The deal closed."}},
		{"month", "It opened on Jan. 5 and closed in Feb. 2005. Then it reopened.",
			[]string{"It opened on Jan. 5 and closed in Feb. 2005.", "Then it reopened."}},
		{"decimals", "Profit jumped 76% to $1.13bn. Margins rose 3.5% to 12.25%. Fine.",
			[]string{"Profit jumped 76% to $1.13bn.", "Margins rose 3.5% to 12.25%.", "Fine."}},
		{"initials", "The Hobbit by J. R. R. Tolkien sold well. George W. Bush read it.",
			[]string{"The Hobbit by J. R. R. Tolkien sold well.", "George W. Bush read it."}},
		{"quotation", `"We won," he said. "It was hard." The crowd cheered.`,
			[]string{`"We won," he said.`, `"It was hard."`, "The crowd cheered."}},
		{"curly quotation", "She said: “It is over.” Nobody believed her.",
			[]string{"She said: “It is over.”", "Nobody believed her."}},
		{"question inside quotes", `"Why now?" she asked. Nobody knew.`,
			[]string{`"Why now?" she asked.`, "Nobody knew."}},
		{"ellipsis continues", "He paused... and then went on. Later... Silence.",
			[]string{"He paused... and then went on.", "Later...", "Silence."}},
		{"unicode ellipsis", "Wait… Then it came.", []string{"Wait…", "Then it came."}},
		{"glued", "Quarterly profit rose.For the year, sales fell 2%.Analysts were surprised.",
			[]string{"Quarterly profit rose.", "For the year, sales fell 2%.", "Analysts were surprised."}},
		{"glued after quote", `It "worked."Then it broke.`, []string{`It "worked."`, "Then it broke."}},
		{"not glued", "See www.BBC.co.uk and U.S.A. for more.", []string{"See www.BBC.co.uk and U.S.A. for more."}},
		{"paragraphs", "First line without stop\nSecond line. Third.\n\n  ",
			[]string{"First line without stop", "Second line.", "Third."}},
		{"brackets", "Growth slowed (to 2%.) The bank acted.", []string{"Growth slowed (to 2%.)", "The bank acted."}},
		{"number abbreviation", "It is No. 1 in the charts. The answer was no. Then it rained.",
			[]string{"It is No. 1 in the charts.", "The answer was no.", "Then it rained."}},
		{"abbreviation before number", "The U.S. 10-year yield rose. It fell later.",
			[]string{"The U.S. 10-year yield rose.", "It fell later."}},
		{"number after stop", "Sales rose 5%. 2005 will be harder.", []string{"Sales rose 5%.", "2005 will be harder."}},
		{"empty", " \n ", nil},
		{"quotation kept whole", `"We won. It was hard," he said. The crowd cheered.`,
			[]string{`"We won. It was hard," he said.`, "The crowd cheered."}},
		{"curly quotation kept whole", "She said: “It is over. Go home.” Nobody moved.",
			[]string{"She said: “It is over. Go home.”", "Nobody moved."}},
		{"german quotation kept whole", "Er sagte: „Es ist vorbei. Geht nach Hause.“ Niemand ging.",
			[]string{"Er sagte: „Es ist vorbei. Geht nach Hause.“", "Niemand ging."}},
		{"french quotation kept whole", "Il a dit : « C'est fini. Rentrez. » Personne ne bougea.",
			[]string{"Il a dit : « C'est fini. Rentrez. »", "Personne ne bougea."}},
		{"german guillemets", "Er ging. »Komm zurück!«, rief sie. Er blieb.",
			[]string{"Er ging.", "»Komm zurück!«, rief sie.", "Er blieb."}},
		{"quotation open at paragraph end", `He said: "It is over. Go home.`,
			[]string{`He said: "It is over.`, "Go home."}},
		{"chinese", "他说：“我们赢了。”比赛结束了！观众欢呼吗？",
			[]string{"他说：“我们赢了。”", "比赛结束了！", "观众欢呼吗？"}},
		{"japanese", "報道によると、販売された。もちろん認めていません。",
			[]string{"報道によると、販売された。", "もちろん認めていません。"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Sentences(tt.in); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Sentences(%q)\n got %q\nwant %q", tt.in, got, tt.want)
			}
		})
	}
}

func FuzzSentences(f *testing.F) {
	for _, s := range []string{"U.S. Inc. e.g.", "a.B", "…”’)", "\"'“‘(", "x. \xff. Y"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, got := range Sentences(s) {
			if got == "" {
				t.Fatalf("empty sentence from %q", s)
			}
		}
	})
}

package summary

import "testing"

func TestJudge(t *testing.T) {
	title := newTitleKey("Council approves Riverton tram line")
	tests := []struct {
		s    string
		want fit
	}{
		{"The council approved the tram line after a long debate.", fitGood},
		{"Why did the council approve the tram line so quickly?", fitGood},
		{`"We will build it," the mayor said.`, fitGood},
		{"Profit rose 5.3% to $1.2bn in 2004, from $1.1bn in 2003.", fitGood},
		{"iPhone sales rose sharply in the last three months.", fitGood},
		{"£120m was set aside for the new line last year.", fitGood},
		{"Make your browser your own", fitNever},                      // a heading or link label
		{"Photo: a tram in the city centre", fitNever},                // a caption
		{"Here are the steps:", fitNever},                             // a list label
		{"The council said the line would be finished by…", fitNever}, // a cut teaser
		{"Read the rest of the story...", fitNever},
		{`<script src="vendor/app.js"></script>`, fitNever},
		{"addEventListener('fetch', function(event) { event.respondWith(fetch(event.request)); });", fitNever},
		{"$ hg commit -m 'prelim change' && hg push ../repo.", fitNever},
		{"• Lower fares for students and pensioners.", fitNever},
		{"— The Senate (@Senate) October 9, 2018.", fitNever},
		{"Council approves Riverton tram line.", fitNever}, // the title again
		{"Monitoring.", fitWeak},
		{"3.", fitWeak},
		{"consequat.", fitNever}, // a sentence's tail broken off by a line break
		// Captions and credits.
		{"Former Gov. Ann Lee, left, speaks with a shop owner during a campaign stop.", fitNever},
		{"In this March 3, 2016, file photo, a tram waits at the depot.", fitNever},
		{"Workers hold signs at a rally in Riverton, Tuesday, Nov. 19, 2019, calling for higher pay.", fitNever},
		{"An artist's impression of the new tram stop at the station.", fitNever},
		{"Ann Lee, mayor of Riverton, pictured at the tram depot in 2018, when she was a councillor.", fitNever},
		{"The new tram at the depot. (Photo: City of Riverton)", fitNever},
		{"图为马素湘在澳大利亚悉尼游玩时的近影。", fitNever},
		// Calls to action, rows of links, headlines in title case.
		{"Sign up for our newsletter to get the news every morning.", fitNever},
		{"Clique na foto e veja as colunas sobre Formula 1.", fitNever},
		{"Tram news | Bus news | Rail news and more from the region.", fitNever},
		{"Tram Stock Is Falling After Its Earnings Release.", fitNever},
		{"The tram left on Tuesday, and it was full by Nov. 19 of that year.", fitGood},
		{"Clicking a link can expose people to viruses, experts warn.", fitGood},
		// Quotation marks that do not pair up.
		{`He said “somebody should stop it," the office said.`, fitWeak},
		{`Netflix will show the remake of “Saint Seiya“ from next year.`, fitWeak},
		{`„Wir bauen sie“, sagte die Bürgermeisterin am Montag.`, fitGood},
		{`Miasto przyjęło koncepcję „zero waste” w zeszłym roku.`, fitGood},
		{"The mayor called the tram line ‘a promise to the city.", fitWeak}, // cut in a single-quoted quotation
		{"The tram is the city’s and the students’ pride this year.", fitGood},
		{"tempor incididunt ut labore et dolore magna aliqua.", fitWeak},
		{`He added: "The line will open in 2027.`, fitWeak},  // a quotation cut at its end
		{`It was 2027 before it opened," he said.`, fitWeak}, // begun mid-way
		{"他说，如果人们没有感受到充分的大气压力，他们也会觉得喝醉了。", fitGood},
		{"他说了。", fitWeak},
	}
	for _, tt := range tests {
		if got := judge(tt.s, CountWords(tt.s), title, english); got != tt.want {
			t.Errorf("judge(%q) = %d, want %d", tt.s, got, tt.want)
		}
	}
}

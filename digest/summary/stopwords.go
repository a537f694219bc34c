package summary

import (
	"bytes"
	"strings"
)

// stopWords are English function words (pronouns, determiners,
// prepositions, conjunctions, auxiliaries and their contractions). Content
// words that are merely frequent, such as "said", stay: in news they tie
// the quoted, central sentences together.
var stopWords = func() map[string]bool {
	const list = `a about above after again against all am an and any are aren't as at be because been before being
below between both but by can can't cannot couldn't just did didn't do does doesn't doing don't down
during each few for from further had hadn't has hasn't have haven't having he he'd he'll he's her here
here's hers herself him himself his how how's i i'd i'll i'm i've if in into is isn't it it's its itself
let's me more most mustn't my myself no nor not now of off on once only or other ought our ours ourselves
out over own same shan't she she'd she'll she's should shouldn't so some such than that that's the their
theirs them themselves then there there's these they they'd they'll they're they've this those through to
too under until up very was wasn't we we'd we'll we're we've were weren't what what's when when's where
where's which while who who's whom why why's will with won't wouldn't you you'd you'll you're you've
your yours yourself yourselves s t d ll m re ve`
	m := make(map[string]bool, 300)
	for _, w := range strings.Fields(list) {
		m[w] = true
	}
	return m
}()

// IsStopWord reports whether w, a lower-cased token, is an English stop word.
// Curly apostrophes count as straight ones.
func IsStopWord(w string) bool {
	if strings.IndexByte(w, 0xE2) >= 0 && strings.ContainsRune(w, '’') {
		w = strings.ReplaceAll(w, "’", "'")
	}
	return stopWords[w]
}

// isCurlyStop reports whether w is a stop word written with a curly
// apostrophe ("it’s"); the map holds straight ones.
func isCurlyStop(w []byte) bool {
	return bytes.Contains(w, []byte("’")) && stopWords[strings.ReplaceAll(string(w), "’", "'")]
}

package summary

import "strings"

// stopWords are common English function words that carry little topic
// signal: the usual IR list plus contraction parts and reporting filler.
var stopWords = func() map[string]bool {
	const list = `a about above after again against all almost also although am among an and
another any anybody anyone anything are aren't around as at be because been before being
below between both but by can can't cannot could couldn't did didn't do does doesn't doing
don't done down during each either else enough even ever every few for from further get gets
got had hadn't has hasn't have haven't having he he'd he'll he's her here here's hers herself
him himself his how how's however i i'd i'll i'm i've if in into is isn't it it's its itself
just least less let's like many may me might more most much must mustn't my myself neither
never no nor not now of off often on once one only or other others otherwise ought our ours
ourselves out over own per perhaps quite rather same says said say shall shan't she she'd
she'll she's should shouldn't since so some still such than that that's the their theirs them
themselves then there there's therefore these they they'd they'll they're they've this those
though through thus to too toward towards under until up upon us very via was wasn't we we'd
we'll we're we've were weren't what what's whatever when when's whenever where where's
whereas wherever whether which while who who's whoever whom whose why why's will with within
without won't would wouldn't yet you you'd you'll you're you've your yours yourself
yourselves s t d ll m re ve`
	m := make(map[string]bool, 300)
	for _, w := range strings.Fields(list) {
		m[w] = true
	}
	return m
}()

// IsStopWord reports whether w, a lower-cased token, is an English stop word.
// Curly apostrophes count as straight ones.
func IsStopWord(w string) bool {
	if strings.ContainsRune(w, '’') {
		w = strings.ReplaceAll(w, "’", "'")
	}
	return stopWords[w]
}

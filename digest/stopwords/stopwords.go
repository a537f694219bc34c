// Package stopwords holds the project's lists of stop words: function
// words that say little about what a text is about, and whose share tells
// running text from menus and labels. There are four lists, each for one
// use; they differ in content on purpose, and merging them would change
// what each use computes:
//
//   - English (IsEnglish): the summarizer's and curation's list, English
//     pronouns, determiners, prepositions, conjunctions and auxiliaries
//     with their contractions; frequent content words such as "said" stay
//     out, as they tie a news story's central sentences together.
//   - Common (IsCommon): a short list of the commonest function words of
//     the languages pages are most often written in, for the headline and
//     byline tests of text dumps.
//   - Grounding (IsGroundingStop): a short English list that also holds
//     frequent vague words ("said", "new", "also"), which say nothing
//     about whether an LLM's summary keeps to its article.
//   - stopwords-iso (Language, Guess): one list per language, to guess a
//     page's language and measure how dense a line is in its function words.
package stopwords

import (
	"bytes"
	"strings"
)

// setOf builds a read-only set from a space-separated list.
func setOf(list string) map[string]bool {
	m := make(map[string]bool, 300)
	for _, w := range strings.Fields(list) {
		m[w] = true
	}
	return m
}

// english are English function words (pronouns, determiners,
// prepositions, conjunctions, auxiliaries and their contractions).
var english = setOf(`a about above after again against all am an and any are aren't as at be because been before being
below between both but by can can't cannot couldn't just did didn't do does doesn't doing don't down
during each few for from further had hadn't has hasn't have haven't having he he'd he'll he's her here
here's hers herself him himself his how how's i i'd i'll i'm i've if in into is isn't it it's its itself
let's me more most mustn't my myself no nor not now of off on once only or other ought our ours ourselves
out over own same shan't she she'd she'll she's should shouldn't so some such than that that's the their
theirs them themselves then there there's these they they'd they'll they're they've this those through to
too under until up very was wasn't we we'd we'll we're we've were weren't what what's when when's where
where's which while who who's whom why why's will with won't wouldn't you you'd you'll you're you've
your yours yourself yourselves s t d ll m re ve`)

// IsEnglish reports whether w, a lower-cased token, is an English stop
// word. Curly apostrophes count as straight ones.
func IsEnglish(w string) bool {
	if strings.IndexByte(w, 0xE2) >= 0 && strings.ContainsRune(w, '’') {
		w = strings.ReplaceAll(w, "’", "'")
	}
	return english[w]
}

// IsEnglishBytes is IsEnglish for a token in a scratch buffer, without
// allocating for the common case.
func IsEnglishBytes(w []byte) bool {
	return english[string(w)] || bytes.Contains(w, []byte("’")) && english[strings.ReplaceAll(string(w), "’", "'")]
}

// common are frequent function words of the languages pages are most
// often written in (English, Spanish, French, German, Italian,
// Portuguese). Running text is dense in them; menus and labels are not.
var common = setOf(`a about after all also an and any are as at be because been but by can could
did do does for from had has have he her his how i if in into is it its just may more most
my no not of on one only or our out over she so some than that the their them then there
these they this those through to up was we were what when where which while who will with
would you your about after before being between both each other such very should our us
el la los las de del y en que un una por con para es se al lo como más pero sus le su
le la les des du et est un une pour dans que qui ce il pas sur au avec se plus par sont
der die das und ist nicht den dem des ein eine zu mit von auf für im sich auch es wie
il di che è per una con non sono della nel gli le da del
o os as um uma não com para é em do da dos das que`)

// IsCommon reports whether w, a lower-cased word, is in the common list.
func IsCommon(w string) bool { return common[w] }

// grounding is a constant table of English function words and frequent
// vague words.
var grounding = setOf(`the and for are but not you all any can had her was one our out has his how its may new now old see two who did get let put say she too use that with have this will your from they been were said each which their what there when would about into than them then these some could other more also such only over most very after before where while just like between through during because should those being under again further once here both same whom does doing having above below off own few nor`)

// IsGroundingStop reports whether w, a lower-cased word, is left out when
// the grounding check of an LLM's summary counts content words.
func IsGroundingStop(w string) bool { return grounding[w] }

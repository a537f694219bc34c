package summary

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// lang is what the summarizer knows of a language: the function words that
// tell it apart, the openings of a sentence that point back to the one
// before ("It", "However", "Sin embargo", "Dabei"), and which of those are
// mere connectives an editor may drop when the sentence stands alone.
type lang struct {
	name   string
	common set // frequent function words, for detection and as stop words
	back   set // words that, opening a sentence, refer back
	back2  set // openings of two to four words that refer back ("sin embargo", "at the same time")
	// Connectives that may be dropped from the start of a sentence shown
	// without the one before: join words whatever follows ("But", "Mais"),
	// lead phrases only before a comma ("However,", "In addition,"). Verb-
	// second languages (German, Dutch) keep their adverbs: without them the
	// verb would open the sentence.
	join set
	lead set
}

// set holds words; "_" in a spec joins a phrase ("in_addition").
type set map[string]bool

func words(spec string) set {
	m := set{}
	for _, w := range strings.Fields(spec) {
		m[strings.ReplaceAll(w, "_", " ")] = true
	}
	return m
}

// languages are those of the pages the project is measured on (English,
// German, Spanish, French, Polish, Portuguese) and two more close to them.
// Demonstratives that double as articles (German "das", "die") are left
// out of the cues: they open most sentences.
var languages = []*lang{
	{
		name:   "en",
		common: words("the and of to is that in it with was for on are this have has be by not from at as were which"),
		back: words("it its it's they them their theirs he she his her him this these that those such however but " +
			"and also meanwhile instead still yet moreover furthermore then so thus hence here besides nevertheless " +
			"nonetheless likewise otherwise therefore consequently accordingly similarly indeed additionally or nor"),
		// Whole phrases: "At the weekend", "As a child" and "As well as the
		// tax" open sentences that need nothing before them.
		back2: words("in_addition even_so by_contrast in_contrast as_a_result for_example for_instance after_that " +
			"at_the_same_time on_the_other_hand on_the_contrary as_a_consequence by_the_same_token"),
		join: words("but and however meanwhile moreover furthermore nevertheless nonetheless additionally"),
		lead: words("also so yet still instead then thus hence besides indeed consequently therefore accordingly " +
			"likewise similarly in_addition as_well even_so by_contrast in_contrast as_a_result for_example " +
			"for_instance after_that at_the_same_time on_the_other_hand"),
	},
	{
		name:   "de",
		common: words("der die und das ist nicht mit den von sich auch ein eine zu dem für auf werden im wird sind des"),
		back: words("er sie es ihr ihre ihren ihrem ihrer ihres sein seine seinen seinem seiner seines dies diese " +
			"dieser dieses diesen diesem dabei dafür dagegen damit danach darauf daraus darüber darum davon dazu " +
			"dennoch deshalb deswegen daher doch aber jedoch allerdings außerdem zudem ebenfalls auch trotzdem " +
			"somit also dann so hier dort sondern und oder denn"),
		back2: words("aus_diesem vor_allem"),
		join:  words("aber und doch denn"),
	},
	{
		name:   "es",
		common: words("el la de que y los las en del por con una para es se no más al lo como pero sus"),
		back: words("él ella ellos ellas ello esto este esta estos estas eso esa ese esos esas su sus pero además " +
			"también asimismo entonces así aquí allí y o tampoco incluso luego"),
		back2: words("sin_embargo por_eso por_ello por_lo no_obstante de_hecho en_cambio"),
		join:  words("pero y"),
		lead: words("sin_embargo además asimismo no_obstante por_eso por_ello por_lo_tanto de_hecho en_cambio " +
			"también entonces así"),
	},
	{
		name:   "fr",
		common: words("le la les de des et est que une dans pour pas qui sur au du avec il ne se plus par"),
		back: words("il elle ils elles ce cela ceci ça cette ces cet son sa ses leur leurs mais cependant toutefois " +
			"pourtant néanmoins aussi ainsi donc alors puis ensuite et ou or celui celle ceux celles lui c'est"),
		back2: words("en_outre en_effet en_revanche de_plus par_ailleurs par_contre"),
		join:  words("mais et"),
		lead: words("cependant toutefois pourtant néanmoins en_outre en_effet en_revanche de_plus par_ailleurs " +
			"par_contre ainsi donc alors ensuite"),
	},
	{
		name:   "pl",
		common: words("i w na nie się z do jest to że o jak ale po co tak przez od za są dla"),
		back: words("on ona ono oni one to ten ta te tego tej tym ci jego jej ich jednak ale lecz także również " +
			"ponadto dlatego więc zatem tak wtedy tam tu tutaj i oraz a natomiast"),
		back2: words("przy_tym co_więcej poza_tym mimo_to"),
		// Polish word order is free: a dropped adverb leaves a sentence.
		join: words("ale lecz a i oraz jednak ponadto natomiast"),
		lead: words("co_więcej poza_tym mimo_to"),
	},
	{
		name:   "pt",
		common: words("o a os as de que e do da em um uma para não com no na dos se por mais ao"),
		back: words("ele ela eles elas isso isto este esta estes estas esse essa esses essas seu sua seus suas mas " +
			"porém contudo entretanto todavia também assim então aqui ali e ou dele dela deles delas"),
		back2: words("além_disso no_entanto por_isso por_outro"),
		join:  words("mas e"),
		lead:  words("porém contudo entretanto todavia no_entanto além_disso por_isso assim também então"),
	},
	{
		name:   "it",
		common: words("il di che e la per un non in una sono del della con gli le si è anche"),
		back: words("lui lei loro esso essa essi esse questo questa questi queste quello quella suo sua suoi sue " +
			"ma però tuttavia inoltre anche quindi dunque così poi allora qui lì e o infatti"),
		back2: words("in_realtà per_questo"),
		join:  words("ma e"),
		lead:  words("tuttavia inoltre però quindi dunque infatti in_realtà per_questo"),
	},
	{
		name:   "nl",
		common: words("de het een en van is dat niet op te voor met zijn ook die er aan bij"),
		back: words("hij zij ze het dit deze dat die zijn haar hun maar echter toch ook daarom dus daarnaast " +
			"bovendien verder vervolgens dan hier daar en of"),
		join: words("maar en"),
	},
}

// english is the default when a text gives too little to go on.
var english = languages[0]

// noLang is for texts in scripts without these cues (Chinese, Japanese):
// nothing is known to refer back.
var noLang = &lang{}

// detectBytes bounds how much text detection reads.
const detectBytes = 3000

// commonIn maps each language's common words to the languages (bit i for
// languages[i]) that have it.
var commonIn = func() map[string]uint16 {
	m := map[string]uint16{}
	for i, l := range languages {
		for w := range l.common {
			m[w] |= 1 << i
		}
	}
	return m
}()

// detectLang picks the language whose function words are most frequent
// in the opening of the text; English when none stands out.
func detectLang(paragraphs []string) *lang {
	var hits [16]int
	var buf []byte
	cjk, letters, read := 0, 0, 0
	for _, p := range paragraphs {
		if read >= detectBytes {
			break
		}
		p = head(p, detectBytes-read)
		read += len(p) + 1
		for _, r := range p {
			if r >= utf8.RuneSelf && unicode.IsLetter(r) {
				letters++
				if isCJK(r) {
					cjk++
				}
			} else if isASCIILetter(byte(r)) {
				letters++
			}
		}
		eachToken(p, func(tok string) {
			buf = appendLower(buf[:0], tok)
			for m, i := commonIn[string(buf)], 0; m != 0; m, i = m>>1, i+1 {
				if m&1 != 0 {
					hits[i]++
				}
			}
		})
	}
	if letters > 0 && cjk*3 > letters {
		return noLang
	}
	best := 0
	for i := range languages {
		if hits[i] > hits[best] {
			best = i
		}
	}
	if hits[best] < 3 {
		return english
	}
	return languages[best]
}

func isCJK(r rune) bool {
	return unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana, unicode.Hangul)
}

// firstWords returns up to n lower-cased words opening s, with the byte
// offset just after each (apostrophes straightened: "that's").
func firstWords(s string, n int) ([]string, []int) {
	var ws []string
	var ends []int
	start := -1
	for i := 0; i <= len(s) && len(ws) < n; {
		r, size := utf8.RuneError, 1
		if i < len(s) {
			r, size = utf8.DecodeRuneInString(s[i:])
		}
		// Apostrophes and hyphens inside a word keep it whole: "that's",
		// "so-called".
		inWord := i < len(s) && (isWordRune(r) || (r == '\'' || r == '’' || r == '-') && start >= 0 && i+size < len(s) && isLetterAt(s, i+size))
		switch {
		case inWord && start < 0:
			start = i
		case !inWord && start >= 0:
			ws = append(ws, strings.ReplaceAll(strings.ToLower(s[start:i]), "’", "'"))
			ends = append(ends, i)
			start = -1
		}
		i += size
	}
	return ws, ends
}

// refersBack reports whether a sentence opens with a word or pair of words
// that points back to what came before ("However, …", "He added …").
func (l *lang) refersBack(s string) bool {
	ws, _ := firstWords(s, maxLead)
	if len(ws) == 0 {
		return false
	}
	if l.back[ws[0]] {
		return true
	}
	for n := 2; n <= len(ws); n++ {
		if l.back2[strings.Join(ws[:n], " ")] {
			return true
		}
	}
	// "That's", "Here's", "C'est": the word before the apostrophe.
	stem, _, cut := strings.Cut(ws[0], "'")
	return cut && l.back[stem]
}

// maxLead is the longest lead phrase, in words.
const maxLead = 4

// dropConnective returns s without an opening connective ("However, the
// bank …" → "The bank …"), or "" when it opens with none. Quotations are
// left as they are: a quote is never edited.
func (l *lang) dropConnective(s string) string {
	if r, _ := utf8.DecodeRuneInString(s); !unicode.IsLetter(r) {
		return ""
	}
	ws, ends := firstWords(s, maxLead+1)
	cut := -1
	if len(ws) > 1 && l.join[ws[0]] {
		cut = ends[0]
	}
	for n := 1; n <= min(maxLead, len(ws)-1); n++ {
		if l.lead[strings.Join(ws[:n], " ")] && strings.HasPrefix(s[ends[n-1]:], ",") {
			cut = ends[n-1] + 1
		}
	}
	if cut < 0 {
		return ""
	}
	rest := strings.TrimLeftFunc(s[cut:], func(r rune) bool { return unicode.IsSpace(r) || r == ',' })
	r, size := utf8.DecodeRuneInString(rest)
	if !unicode.IsLetter(r) {
		return ""
	}
	return string(unicode.ToUpper(r)) + rest[size:]
}

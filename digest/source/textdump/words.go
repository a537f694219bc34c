package textdump

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// stopWords are frequent function words of the languages pages are most
// often written in. Running text is dense in them; menus and labels are not.
var stopWords = func() map[string]bool {
	const list = `a about after all also an and any are as at be because been but by can could
did do does for from had has have he her his how i if in into is it its just may more most
my no not of on one only or our out over she so some than that the their them then there
these they this those through to up was we were what when where which while who will with
would you your about after before being between both each other such very should our us
el la los las de del y en que un una por con para es se al lo como más pero sus le su
le la les des du et est un une pour dans que qui ce il pas sur au avec se plus par sont
der die das und ist nicht den dem des ein eine zu mit von auf für im sich auch es wie
il di che è per una con non sono della nel gli le da del
o os as um uma não com para é em do da dos das que`
	m := make(map[string]bool, 300)
	for _, w := range strings.Fields(list) {
		m[w] = true
	}
	return m
}()

// boilerPhrases mark navigation, promotion and widgets rather than article
// text. They are matched on word boundaries and are only decisive on short
// lines. (A phrase list, not one big regexp: this runs on every line.)
var boilerPhrases = []string{
	"cookie", "cookies", "privacy policy", "privacy notice", "privacy statement", "terms of use",
	"terms of service", "terms and conditions", "all rights reserved", "©", "copyright", "sign up",
	"sign in", "log in", "login", "subscribe", "newsletter", "newsletters", "share this", "share on",
	"share via", "follow us", "read more", "advertisement", "sponsored", "related articles",
	"related posts", "related stories", "related content", "you may also like", "you might also like",
	"recommended", "click here", "skip to", "skip navigation", "jump to", "leave a comment",
	"leave a reply", "notify me", "your email", "required fields", "powered by", "back to top",
	"load more", "view all", "see all", "trending", "most popular", "most read", "most viewed",
	"permalink", "print this",
}

// boilerLines are whole lines that are widget labels.
var boilerLines = map[string]bool{
	"share": true, "tweet": true, "email": true, "print": true, "reply": true, "report": true,
	"like": true, "menu": true, "search": true, "home": true, "close": true, "next": true,
	"previous": true, "more": true,
}

// agoRE matches relative times under teasers: "32M ago", "2 hours ago".
var agoRE = regexp.MustCompile(`^(about |an? )?\d*\s*(s|m|h|d|w|sec|secs|min|mins|minutes?|hours?|hrs?|days?|weeks?|months?|years?)\s+ago$`)

func isBoilerplate(s string) bool {
	if len(s) > 400 {
		return false
	}
	low := strings.ToLower(s)
	if boilerLines[low] || len(low) < 30 && agoRE.MatchString(low) {
		return true
	}
	for _, p := range boilerPhrases {
		if containsWord(low, p) {
			return true
		}
	}
	return false
}

// containsWord reports whether phrase occurs in s between word boundaries.
func containsWord(s, phrase string) bool {
	for off := 0; off < len(s); {
		i := strings.Index(s[off:], phrase)
		if i < 0 {
			return false
		}
		i += off
		j := i + len(phrase)
		before, _ := utf8.DecodeLastRuneInString(s[:i])
		after, _ := utf8.DecodeRuneInString(s[j:])
		if (i == 0 || !isWordRune(before)) && (j == len(s) || !isWordRune(after)) {
			return true
		}
		off = i + 1
	}
	return false
}

func isWordRune(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) || r == '_' }

// shareWords are share-button and social labels that end up in tag lists.
var shareWords = map[string]bool{
	"facebook": true, "twitter": true, "reddit": true, "email": true, "print": true, "linkedin": true,
	"whatsapp": true, "pinterest": true, "share": true, "tweet": true, "e-mail": true, "comments": true,
	"x": true, "flipboard": true, "pocket": true, "copy link": true, "telegram": true,
}

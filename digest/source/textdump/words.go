package textdump

import (
	"regexp"
	"strings"
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

// boilerRE matches wording that marks navigation, promotion and widgets
// rather than article text. It is only decisive on short lines.
var boilerRE = regexp.MustCompile(`(?i)(\bcookies?\b|privacy (policy|notice|statement)|terms (of|and) (use|service|conditions)|all rights reserved|©|\bcopyright\b|\bsign (up|in)\b|\blog ?in\b|\bsubscribe\b|\bnewsletters?\b|\bshare (this|on|via)\b|follow us|\bread more\b|\badvertisement\b|\bsponsored\b|related (articles|posts|stories|content)|you (may|might) also like|\brecommended\b|click here|skip (to|navigation)|jump to|leave a (comment|reply)|notify me|your email|required fields|powered by|back to top|load more|view all|see all|\btrending\b|most (popular|read|viewed)|\bpermalink\b|\bprint this\b|^(share|tweet|email|print|reply|report|like|menu|search|home|close|next|previous|more)$)`)

func isBoilerplate(s string) bool { return boilerRE.MatchString(s) }

// shareWords are share-button and social labels that end up in tag lists.
var shareWords = map[string]bool{
	"facebook": true, "twitter": true, "reddit": true, "email": true, "print": true, "linkedin": true,
	"whatsapp": true, "pinterest": true, "share": true, "tweet": true, "e-mail": true, "comments": true,
	"x": true, "flipboard": true, "pocket": true, "copy link": true, "telegram": true,
}

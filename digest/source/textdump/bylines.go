package textdump

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/weeklywrap/digest/digest/stopwords"
)

var (
	byRE       = regexp.MustCompile(`(?i)(?:^|[^\pL\pN]\s*)(?:by|par|por|von|door|av|af)[:\s]\s*(.+)$`)
	byPrefixRE = regexp.MustCompile(`(?i)^[\s/|•·–—-]*(?:(?:written|posted|words|story|text|reporting|article|published|updated|analysis|opinion|commentary|column|essay|review|on|at|and)\s*)*$`)
	authorRE   = regexp.MustCompile(`(?i)^(?:author|authors|writer|byline)\s*:\s*(.+)$`)
	bylineCut  = regexp.MustCompile(`\s*(?:[|•·@<(]|[-–—]\s|\s(?:on|at|in|for|updated|published|posted)\b)`)
	categoryRE = regexp.MustCompile(`(?i)^(filed (?:under|to|in)|tags?|tagged(?: with| in)?|topics?|categories|category|posted in|labels?|keywords?|subjects?)\s*:?\s*(.*)$`)
	crumbRE    = regexp.MustCompile(`\s(/|>|»|›|\\)\s`)
	roleRE     = regexp.MustCompile(`(?i)\b(reporter|editor|writer|correspondent|staff|professor|contributor|columnist|analyst|director|chief|head|senior|fellow|author|producer|critic|journalist|founder|ceo|manager|engineer|researcher|student|lecturer|president|officer|news|times|post|press|agency|health)\b`)
	fileLikeRE = regexp.MustCompile(`(?i)(\.(jpe?g|png|gif|webp|svg|pdf|html?)$|^https?:|^www\.)`)
	catSplitRE = regexp.MustCompile(`\s*[,;|•·]\s*`)
)

// byline is an author found in the page.
type byline struct {
	name, role string
}

// parseByline recognizes "By Name, Role" and "Author: Name" lines.
func parseByline(s string) (byline, bool) {
	if utf8.RuneCountInString(s) > 200 {
		return byline{}, false
	}
	s = stripContacts(s)
	var rest string
	if m := authorRE.FindStringSubmatch(s); m != nil {
		rest = m[1]
	} else if m := byRE.FindStringSubmatchIndex(s); m != nil {
		// What comes before "by" may only be a date or a verb like "Posted".
		if !bylinePrefix(s[:m[0]]) {
			return byline{}, false
		}
		rest = s[m[2]:m[3]]
	} else {
		return cjkByline(s)
	}
	if d, ok := findDate(rest); ok {
		rest = rest[:d.start]
	}
	// Names hold no digits: a figure starts a date or a count, even one
	// glued to the name when the dump lost a space ("Name22 Dec").
	if k := strings.IndexAny(rest, "0123456789"); k >= 0 {
		rest = rest[:k]
	}
	// "Name GarberFOXBusiness": the dump glued the outlet to the name.
	if m := gluedRE.FindStringSubmatchIndex(rest); m != nil && !strings.HasPrefix(rest[m[2]:m[3]], "Mac") {
		rest = rest[:m[3]] + ", " + rest[m[4]:]
	}
	// "Name (with A and B)": the co-authors are authors too.
	rest = coAuthorRE.ReplaceAllString(rest, ", $1")
	if loc := bylineCut.FindStringIndex(rest); loc != nil {
		rest = rest[:loc[0]]
	}
	rest = strings.Trim(rest, " ,|-–—:")
	if strings.HasSuffix(rest, ".") && !initialEnd(rest) && !abbrevEnd(rest) {
		rest = strings.TrimSuffix(rest, ".") // the sentence's full stop
	}
	return splitNameRole(rest)
}

// frClockRE is a French clock time ("à 13h36"); \b does not see "à".
var frClockRE = regexp.MustCompile(`(?:^|\s)(?:à\s+)?\d{1,2}h\d{2}\b|(?:^|\s)à(?:\s|$)`)

// gluedRE is a capitalized word run into the next one ("HiltzikBusiness").
var gluedRE = regexp.MustCompile(`\b(\p{Lu}\p{Ll}{2,})(\p{Lu}\S{2,})`)

// coAuthorRE is a parenthesized list of co-authors after a name.
var coAuthorRE = regexp.MustCompile(`(?i)\s*\((?:with|avec|con|mit|met|com)\s+([^()]{3,80})\)`)

// bylinePrefix reports whether what precedes "by" is only a date, a verb
// like "Posted" or the tail of a "Site | date |" line: the last segment
// after a separator is what counts.
func bylinePrefix(pre string) bool {
	if i := strings.LastIndexAny(pre, "|•·"); i >= 0 {
		pre = pre[i:]
	}
	for range 2 {
		d, ok := findDate(pre)
		if !ok {
			break
		}
		pre = pre[:d.start] + " " + pre[d.end:]
	}
	for _, re := range []*regexp.Regexp{clockRE, frClockRE, weekdayRE, dateFillRE} {
		pre = re.ReplaceAllString(pre, " ")
	}
	return byPrefixRE.MatchString(pre)
}

// byAloneRE is a byline label closing its line ("By", "… | Par"), the
// name on the next.
var byAloneRE = regexp.MustCompile(`(?i)(?:^|[|•·]\s*)(?:written by|by|par|por|von|door|author|authors):?$`)

// nameSepRE splits "Name — date — …" lines at the first separator.
var nameSepRE = regexp.MustCompile(`\s*(?:[—–|•·]|\s-\s)\s*`)

// nameThenDate recognizes a line that starts with a person's name and
// goes on, after a separator, with a date: a common blog byline.
func nameThenDate(s string) (byline, bool) {
	loc := nameSepRE.FindStringIndex(s)
	if loc == nil || loc[0] == 0 || utf8.RuneCountInString(s) > 160 {
		return byline{}, false
	}
	m, ok := findDate(s)
	if !ok || m.start < loc[0] || m.start-loc[1] > 12 {
		return byline{}, false
	}
	return nameLine(s[:loc[0]])
}

// splitNameRole separates "Name, Role" and checks that Name looks like one
// or more people's names.
func splitNameRole(s string) (byline, bool) {
	name, role, _ := strings.Cut(s, ",")
	name, role = strings.TrimSpace(name), strings.TrimSpace(role)
	if role != "" && !roleRE.MatchString(role) && looksLikeName(strings.SplitN(role, ",", 2)[0]) && strings.Count(s, ",") <= 4 {
		// "A, B and C": several people, no role.
		if all := strings.TrimSpace(s); looksLikeName(strings.ReplaceAll(all, ",", " ")) && fullNames(all) {
			name, role = all, ""
		}
	}
	if !looksLikeName(strings.ReplaceAll(name, ",", " ")) || stopInName(name) {
		return byline{}, false
	}
	if role == "" {
		name, role = trailingRole(name)
	}
	if len(strings.Fields(role)) > 14 {
		role = ""
	}
	return byline{name: name, role: role}, true
}

// stopInName reports a capitalized function word ("By Any Means
// Necessary"): a title, not a name. Name particles and initials pass.
func stopInName(name string) bool {
	for _, t := range strings.Fields(strings.ReplaceAll(name, ",", " ")) {
		lt := strings.ToLower(t)
		if r, _ := utf8.DecodeRuneInString(t); unicode.IsUpper(r) && titleWords[lt] {
			return true
		}
	}
	return false
}

// titleWords are English function words found in titles, never in names.
var titleWords = map[string]bool{"the": true, "a": true, "an": true, "any": true, "of": true, "for": true,
	"to": true, "in": true, "on": true, "with": true, "from": true, "or": true, "all": true, "this": true,
	"that": true, "your": true, "our": true, "my": true, "its": true, "their": true, "how": true,
	"what": true, "why": true, "when": true}

// jobWords end a name line as its role ("Senior Contributor").
var jobWords = map[string]bool{"reporter": true, "editor": true, "writer": true, "correspondent": true,
	"staff": true, "contributor": true, "columnist": true, "analyst": true, "senior": true, "chief": true,
	"producer": true, "critic": true, "journalist": true, "contributing": true, "associate": true}

// trailingRole splits "Bruce Lee Senior Contributor" into the name and
// the role words closing it.
func trailingRole(name string) (string, string) {
	toks := strings.Fields(name)
	k := len(toks)
	for k > 2 && jobWords[strings.ToLower(toks[k-1])] {
		k--
	}
	if k == len(toks) || strings.Contains(name, ",") {
		return name, ""
	}
	return strings.Join(toks[:k], " "), strings.Join(toks[k:], " ")
}

// looksLikeName accepts one to a few capitalized words, joined by "and" or
// "&" when there are several people.
func looksLikeName(s string) bool {
	toks := strings.Fields(s)
	if len(toks) == 0 || len(toks) > 9 {
		return false
	}
	names := 0
	for _, t := range toks {
		switch {
		case t == "and" || t == "&" || t == "und" || t == "et" || t == "y" || t == "e" || t == "en" || t == "og":
		case isNameToken(t):
			names++
		default:
			return false
		}
	}
	return names >= 1 && isNameToken(toks[0])
}

// initialEnd reports whether s ends with an initial ("Jean-Jacques S.").
func initialEnd(s string) bool {
	last := s[strings.LastIndexByte(s, ' ')+1:]
	return utf8.RuneCountInString(last) == 2
}

// fullNames reports whether every comma-separated part of s has at least
// two words, as a list of people's full names does.
func fullNames(s string) bool {
	for p := range strings.SplitSeq(s, ",") {
		if len(strings.Fields(p)) < 2 {
			return false
		}
	}
	return true
}

// contractionRE matches "I'm", "it's": sentence words, never names.
var contractionRE = regexp.MustCompile(`['’]\p{Ll}{1,2}\b`)

// nameLine accepts a line that is only a person's name (two to four name
// words), optionally followed by ", Role".
func nameLine(s string) (byline, bool) {
	s = stripContacts(s)
	if isBoilerplate(s) || contractionRE.MatchString(s) || len(strings.Fields(s)) > 12 ||
		strings.HasSuffix(s, ".") && !abbrevEnd(s) && !initialEnd(s) {
		return byline{}, false
	}
	b, ok := splitNameRole(parenRE.ReplaceAllString(s, ""))
	if !ok {
		return b, false
	}
	// One person, or two written out in full ("Meg Kinnard and Errin
	// Haines"); "Tom and Jerry" is a title, not two names.
	people := nameJoinRE.Split(b.name, -1)
	if len(people) > 2 {
		return b, false
	}
	for _, p := range people {
		ws := strings.Fields(p)
		if len(ws) < 2 || len(ws) > 4 {
			return b, false
		}
		for _, t := range ws {
			if isInitial(t) {
				continue // "Bruce Y. Lee": an initial, not the Spanish "y"
			}
			if lt := strings.ToLower(strings.Trim(t, ".,")); stopwords.IsCommon(lt) || shareWords[lt] || notNameWords[lt] || month(lt) > 0 {
				return b, false
			}
		}
	}
	return b, true
}

// nameJoinRE joins people's names: a comma or "and" in the common languages.
var nameJoinRE = regexp.MustCompile(`, | (?:and|&|und|et|y|e|en|og|i) `)

// isInitial reports whether t is an initial: one letter and a full stop.
func isInitial(t string) bool {
	l, ok := strings.CutSuffix(strings.TrimSuffix(t, ","), ".")
	return ok && utf8.RuneCountInString(l) == 1 && unicode.IsUpper([]rune(l)[0])
}

// emailRE and handleRE are contact details written after a name in a
// byline ("By Ann Lee ann@example.com", "Ann Lee@annlee"), which the dump
// may glue to the name.
var (
	emailRE  = regexp.MustCompile(`[\w.+-]+@[\w-]+(?:\.[\w-]+)+`)
	handleRE = regexp.MustCompile(`@\w+`)
)

// stripContacts removes e-mail addresses and social handles from a byline,
// leaving a space, so the name alone remains.
func stripContacts(s string) string {
	if !strings.Contains(s, "@") {
		return s
	}
	return strings.TrimSpace(handleRE.ReplaceAllString(emailRE.ReplaceAllString(s, " "), " "))
}

// notNameWords are capitalized words of page furniture that pass for
// names ("Published Wed", "Previous Next").
var notNameWords = map[string]bool{"published": true, "updated": true, "posted": true, "modified": true,
	"previous": true, "next": true, "mon": true, "tue": true, "wed": true, "thu": true, "fri": true, "sat": true,
	"sun": true, "monday": true, "tuesday": true, "wednesday": true, "thursday": true, "friday": true,
	"saturday": true, "sunday": true, "yesterday": true, "introducing": true, "admin": true,
	"news": true, "breaking": true, "latest": true, "key": true, "points": true, "related": true, "popular": true,
	"trending": true, "video": true, "videos": true, "photos": true, "gallery": true, "watch": true, "live": true,
	"sponsored": true, "menu": true, "search": true, "home": true, "subscribe": true, "newsletter": true}

// categoryLabel recognizes "Filed Under", "Tags: a, b" and the like; rest
// holds the categories given on the same line.
func categoryLabel(s string) (rest string, ok bool) {
	if len(s) > 200 {
		return "", false
	}
	m := categoryRE.FindStringSubmatch(s)
	if m == nil {
		return "", false
	}
	if m[2] != "" && !strings.Contains(s, ":") && !strings.HasPrefix(strings.ToLower(s), "filed") {
		return "", false // "Tags are..." is a sentence, not a label
	}
	return m[2], true
}

func splitCategories(s string) []string {
	var out []string
	for c := range strings.SplitSeq(s, ",") {
		for _, p := range catSplitRE.Split(c, -1) {
			if p = strings.TrimSpace(p); p != "" && !shareWords[strings.ToLower(p)] && !fileLikeRE.MatchString(p) {
				out = append(out, p)
			}
		}
	}
	return out
}

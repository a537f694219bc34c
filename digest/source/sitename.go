package source

import (
	"net/url"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/publicsuffix"
)

// How much of a dump's head and foot is searched for the site's name:
// mastheads sit in the first lines, copyright notices in the last.
const (
	siteHeadLines = 40
	siteFootLines = 60
)

var (
	// copyrightRE finds a copyright notice; what follows it names the holder.
	copyrightRE = regexp.MustCompile(`(?i)(?:©|\([cс]\)|&copy;|\bcopyright\b|\bderechos reservados\b)`)
	// yearsRE are the years and ranges of a notice ("2009-2012", "1997 - ").
	yearsRE = regexp.MustCompile(`(?i)\b(?:since\s+|seit\s+|desde\s+|depuis\s+)?(?:19|20)\d\d\b(?:\s*[-–—/]\s*(?:(?:19|20)\d\d\b)?)?`)
	// reservedRE is the "all rights reserved" formula in the common languages.
	reservedRE = regexp.MustCompile(`(?i)\b(?:all rights reserved|some rights reserved|alle rechte vorbehalten|tous droits réservés|todos los derechos reservados|derechos reservados|tutti i diritti riservati|todos os direitos reservados|wszelkie prawa zastrzeżone|alle rechten voorbehouden)\b\.?`)
	// legalFormRE is a company's legal form closing its name: the
	// publication is "Qualisys", not "Qualisys GmbH".
	legalFormRE = regexp.MustCompile(`(?i)[,\s]+(?:inc|ltd|llc|l\.l\.c|limited|private|pvt|gmbh|ag|e\.\s?v|plc|corp|corporation|co|pty|b\.?v|n\.?v|s\.?a|s\.?l|s\.?r\.?l|sas|srl|s\.a\. de c\.v|kg|ug)\.?$`)
	// siteSepRE splits a notice or masthead at what separates its parts.
	siteSepRE = regexp.MustCompile(`\s*(?:[|•·»]|\s[-–—]\s|\.\s|,\s|\s/\s|//)\s*`)
	// footerWordRE is a footer link that follows a bare notice ("© 2024 | Terms").
	footerWordRE = regexp.MustCompile(`(?i)^(?:terms|privacy|impressum|imprint|datenschutz|kontakt|contact|legal|sitemap|cookies?|disclaimer|agb)\b`)
	// notSiteRE marks notices about the software or the photos, not the site.
	notSiteRE = regexp.MustCompile(`(?i)\b(?:theme|wordpress|powered|getty|images?|photos?|foto|bild|licen[cs]ed?|creative commons|shopify|lightbox|plugin|template)\b`)
	// ownerRE marks a group that owns publications ("Vox Media", "Hearst
	// Communications", "Penske Media"): its notice names the owner, often
	// of several sites, not the one the story is from, and a neutral label
	// is better than a wrong name.
	ownerRE = regexp.MustCompile(`(?i)\b(?:media|communications|interactive|publishing|holdings?|network|group|productions|entertainment|ventures|broadcasting|verlag|mediengruppe)\b`)
	// companyRE closes a publisher's name that is the publication's own
	// ("The New York Times Company").
	companyRE = regexp.MustCompile(`(?i)[\s,&]+company$`)
)

// siteName names the publication a page dump came from: the page's own
// spelling of its address's name when it has an address ("The Mercury
// News" for mercurynews.com), else the address's host; without an
// address, the holder named in the page's copyright notice. "" when the
// page says nothing usable.
func siteName(text, pageURL string) string {
	lines := edgeLines(text)
	if host := siteHost(pageURL); host != "" {
		label := hostLabel(host)
		for _, l := range lines {
			for _, part := range siteParts(l) {
				if nameMatchesHost(part, label) {
					return part
				}
			}
		}
		return host
	}
	return copyrightHolder(lines)
}

// edgeLines returns the first and last lines of the dump, the foot first
// and read upwards, so the footer's notice wins over a photo credit.
func edgeLines(text string) []string {
	var all []string
	for l := range strings.SplitSeq(text, "\n") {
		if l = strings.TrimSpace(l); l != "" && len(l) < 400 {
			all = append(all, l)
		}
	}
	var out []string
	for i := len(all) - 1; i >= 0 && i >= len(all)-siteFootLines; i-- {
		out = append(out, all[i])
	}
	for i := 0; i < len(all)-siteFootLines && i < siteHeadLines; i++ {
		out = append(out, all[i])
	}
	return out
}

// siteHost is the host of u without "www."-like prefixes.
func siteHost(u string) string {
	p, err := url.Parse(u)
	if err != nil || p.Hostname() == "" {
		return ""
	}
	h := strings.ToLower(p.Hostname())
	for _, pre := range []string{"www.", "www2.", "m.", "amp.", "mobile."} {
		h = strings.TrimPrefix(h, pre)
	}
	return h
}

// hostLabel is the registrable name of a host: "bbc" for news.bbc.co.uk.
func hostLabel(host string) string {
	d, err := publicsuffix.EffectiveTLDPlusOne(host)
	if err != nil {
		d = host
	}
	if i := strings.IndexByte(d, '.'); i > 0 {
		d = d[:i]
	}
	return squash(d)
}

// siteParts are the candidate names on a line: the line itself when it is
// short, and each part between separators.
func siteParts(l string) []string {
	l = copyrightRE.ReplaceAllString(l, " ")
	l = reservedRE.ReplaceAllString(l, " ")
	l = yearsRE.ReplaceAllString(l, " ")
	var out []string
	for _, p := range append([]string{l}, siteSepRE.Split(l, -1)...) {
		p = cleanName(p)
		if p != "" && utf8.RuneCountInString(p) <= 60 && len(strings.Fields(p)) <= 6 {
			out = append(out, p)
		}
	}
	return out
}

// nameMatchesHost reports whether a name spells the host's label: the
// same letters ("The Mercury News", "Jamaica Gleaner"), or its initials
// ("Deutsche Welle" for dw).
func nameMatchesHost(name, label string) bool {
	if len(label) < 2 {
		return false
	}
	s := squash(name)
	if s == label || strings.TrimPrefix(s, "the") == label || s == strings.TrimPrefix(label, "the") {
		return true
	}
	if len(label) >= 2 && len(label) <= 5 {
		var ini strings.Builder
		words := strings.FieldsFunc(name, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
		for _, w := range words {
			r, _ := utf8.DecodeRuneInString(w)
			ini.WriteRune(unicode.ToLower(r))
		}
		return len(words) >= 2 && ini.String() == label
	}
	return false
}

// copyrightHolder reads the holder from the last copyright notice that
// reads like a site's (with a year or "all rights reserved").
func copyrightHolder(lines []string) string {
	for _, l := range lines {
		loc := copyrightRE.FindStringIndex(l)
		if loc == nil || notSiteRE.MatchString(l) || !(yearsRE.MatchString(l) || reservedRE.MatchString(l)) {
			continue
		}
		// The holder follows the sign ("© 2020 Name"); a notice that ends
		// with it ("Name ©") names it before.
		rest := l[loc[1]:]
		rest = copyrightRE.ReplaceAllString(rest, " ")
		rest = reservedRE.ReplaceAllString(rest, " ")
		rest = yearsRE.ReplaceAllString(rest, " ")
		rest = strings.TrimSpace(strings.TrimLeft(strings.TrimSpace(rest), ":,.-–—|"))
		rest = strings.TrimSpace(strings.TrimPrefix(strings.TrimPrefix(rest, "by "), "By "))
		if rest == "" {
			continue
		}
		name := cleanName(siteSepRE.Split(rest, 2)[0])
		name = cleanName(companyRE.ReplaceAllString(name, ""))
		if utf8.RuneCountInString(name) < 2 || len(strings.Fields(name)) > 6 || utf8.RuneCountInString(name) > 60 ||
			!hasLetter(name) || footerWordRE.MatchString(name) || ownerRE.MatchString(name) {
			continue
		}
		return name
	}
	return ""
}

// cleanName trims punctuation, brackets and a legal form off a name.
func cleanName(s string) string {
	s = strings.TrimFunc(s, func(r rune) bool {
		return unicode.IsSpace(r) || unicode.IsPunct(r) && r != '!' && r != ')' || unicode.IsSymbol(r)
	})
	for {
		t := strings.TrimSpace(legalFormRE.ReplaceAllString(s, ""))
		if t == s || t == "" {
			break
		}
		s = t
	}
	if strings.HasSuffix(s, ")") && !strings.Contains(s, "(") {
		s = strings.TrimSuffix(s, ")")
	}
	return strings.TrimSpace(s)
}

// squash keeps the letters and digits of s, lower-cased.
func squash(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}

func hasLetter(s string) bool {
	for _, r := range s {
		if unicode.IsLetter(r) {
			return true
		}
	}
	return false
}

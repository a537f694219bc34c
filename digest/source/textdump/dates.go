package textdump

import (
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	dps "github.com/markusmobius/go-dateparser"

	"github.com/weeklywrap/digest/digest"
)

// monthNames maps month names and abbreviations to month numbers, in the
// languages pages are most often written in (the CLDR's wide, abbreviated
// and, where a language declines them, genitive forms).
var monthNames = func() map[string]int {
	lists := []string{
		"jan january janvier januar enero gennaio janeiro ene gen janv januari stycznia styczeń styczen sty января январь янв ocak leden ledna",
		"feb february février fevrier februar febrero febbraio fevereiro fév févr fev februari lutego luty lut февраля февраль фев şubat subat únor února",
		"mar march mars märz marzo março mär maart mrt marts marca marzec марта март mart březen března",
		"apr april avril abril aprile abr avr kwietnia kwiecień kwiecien kwi апреля апрель апр nisan duben dubna",
		"may mai mayo maggio maio mag mei maj maja мая май mayıs mayis květen května",
		"jun june juin juni junio giugno junho giu czerwca czerwiec cze июня июнь haziran červen června",
		"jul july juillet juli julio luglio julho juil lug lipca lipiec lip июля июль temmuz červenec července",
		"aug august août aout agosto ago augustus augusti sierpnia sierpień sierpien sie августа август авг ağustos agustos srpen srpna",
		"sep sept september septembre septiembre settembre setembro set września wrzesień wrzesien wrz сентября сентябрь сен eylül eylul září",
		"oct october octobre oktober octubre ottobre outubro okt ott out października październik pazdziernika paź октября октябрь окт ekim říjen října",
		"nov november novembre noviembre novembro listopada listopad lis ноября ноябрь ноя kasım kasim",
		"dec december décembre decembre dezember diciembre dicembre dezembro dez dic déc grudnia grudzień grudzien gru декабря декабрь дек aralık aralik prosinec prosince",
	}
	m := make(map[string]int)
	for i, l := range lists {
		for _, w := range strings.Fields(l) {
			m[w] = i + 1
		}
	}
	return m
}()

// sp is any space, including the no-break and thin spaces pages put in dates.
const sp = `[\s\p{Z}]`

var (
	isoDateRE = regexp.MustCompile(`\b(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2}))?(?:\.\d+)?(Z|[+-]\d{2}:?\d{2})?)?\b`)
	cjkDateRE = regexp.MustCompile(`(\d{4})` + sp + `*[年년]` + sp + `*(\d{1,2})` + sp + `*[月월]` + sp + `*(\d{1,2})`)
	numDateRE = regexp.MustCompile(`(?:^|[^\pN.])(\d{1,2})([/.-])` + sp + `?(\d{1,2})[/.-]` + sp + `?(\d{4}|\d{2})`)
	clockRE   = regexp.MustCompile(`(?i)\b(\d{1,2})[:.](\d{2})(?::(\d{2}))?\s*([ap])?\.?(m\b\.?)?(?:\s*\(?(utc|gmt|[ecmp][sd]t|bst|cet|cest)\)?)?`)
	weekdayRE = regexp.MustCompile(`(?i)\b(mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?`)
	// dateFillRE is what surrounds a date on a dateline: labels, weekdays'
	// punctuation, "on", "at", "um … Uhr".
	dateFillRE = regexp.MustCompile(`(?i)(\b(updated|published|posted|last|modified|on|at|am|pm|a\.m\.|p\.m\.|utc|gmt|[ecmp][sd]t|date|datum|time|and|le|mis|jour|publié|publiée|modifié|actualizado|publicado|atualizado|um|uhr|de|del|às|alle|il|veröffentlicht|aktualisiert|opublikowano|gepubliceerd|publicerad|pubblicato|aggiornato|h)\b|[,|•·:()–—-]|\bà\b)`)
)

var zoneOffsets = map[string]int{"utc": 0, "gmt": 0, "est": -5, "edt": -4, "cst": -6, "cdt": -5,
	"mst": -7, "mdt": -6, "pst": -8, "pdt": -7, "bst": 1, "cet": 1, "cest": 2}

// dateOrder is how a page writes all-numeric dates whose day and month
// could be swapped ("03/05/2022"). The zero value reads slashes and dashes
// month first (American) and dots day first (European).
type dateOrder uint8

const (
	orderUnknown dateOrder = 0
	slashDMY     dateOrder = 1 << iota // slashes and dashes day first
	dotMDY                             // dots month first
)

// dateMatch is a date found in a line.
type dateMatch struct {
	t          time.Time
	start, end int // byte span of the date and any time after it
	numeric    bool
}

// findDate returns the first plausible date in s. Times without a zone are
// read as UTC.
func findDate(s string) (dateMatch, bool) { return findDateOrder(s, orderUnknown) }

// findDateOrder is findDate reading ambiguous numeric dates in order o.
func findDateOrder(s string, o dateOrder) (dateMatch, bool) {
	best := dateMatch{start: -1}
	if !hasDigit(s) || len(s) > 2000 {
		return best, false
	}
	try := func(start, end int, t time.Time, numeric bool) {
		if t.IsZero() || t.Year() < 1990 || t.Year() > 2100 {
			return
		}
		if best.start < 0 || start < best.start {
			best = dateMatch{t: t, start: start, end: end, numeric: numeric}
		}
	}
	// Dates with a four-digit year are looked for only in a window around
	// each year: the month-name patterns are costly on long lines.
	for _, w := range yearWindows(s, 3) {
		ws := s[w[0]:w[1]]
		shift := func(m []int) []int {
			for i := range m {
				if m[i] >= 0 {
					m[i] += w[0]
				}
			}
			return m
		}
		if !numSep(ws) {
			// no "2019-01-03" form here
		} else if m := isoDateRE.FindStringSubmatchIndex(ws); m != nil {
			m = shift(m)
			try(m[0], m[1], isoDate(s, m), false)
		}
		if !strings.ContainsAny(ws, "年년") {
			// no CJK form here
		} else if m := cjkDateRE.FindStringSubmatchIndex(ws); m != nil {
			m = shift(m)
			end := m[1]
			if r, n := utf8.DecodeRuneInString(s[end:]); r == '日' || r == '일' {
				end += n
			}
			try(m[0], end, mkDate(atoi(s[m[2]:m[3]]), atoi(s[m[4]:m[5]]), atoi(s[m[6]:m[7]])), false)
		}
		if start, end, t, ok := monthDate(s, w[0], w[1]); ok {
			try(start, end, t, false)
		}
		if best.start >= 0 {
			break
		}
	}
	if numSep(s) {
		if m := numDateRE.FindStringSubmatchIndex(s); m != nil {
			a, b, ys := atoi(s[m[2]:m[3]]), atoi(s[m[6]:m[7]]), s[m[8]:m[9]]
			y := atoi(ys)
			sep := s[m[4]:m[5]]
			glued := m[9] < len(s) && s[m[9]] >= '0' && s[m[9]] <= '9'
			// A dash needs a four-digit year ("03-10-2004"); with two it is
			// more often a code or a score. So does a year run into digits.
			if len(ys) == 2 && (sep == "-" || glued) {
				y = 0
			} else if y < 100 {
				y += 2000
			}
			mo, d := numericOrder(a, b, sep, o)
			try(m[2], m[9], mkDate(y, mo, d), true)
		}
	}
	if best.start < 0 {
		return best, false
	}
	// A clock time right after the date (or just before it) sets the hour.
	if best.t.Hour() == 0 && best.t.Minute() == 0 {
		rest := s[best.end:]
		if c := clockRE.FindStringSubmatchIndex(rest); c != nil && c[0] <= 20 {
			best.t = withClock(best.t, rest, c)
			best.end += c[1]
		} else if c := clockRE.FindStringSubmatchIndex(s[:best.start]); c != nil && best.start-c[1] <= 20 {
			best.t = withClock(best.t, s[:best.start], c)
			best.start = c[0]
		}
	}
	return best, true
}

// dateTok is a run of digits or of letters in a line.
type dateTok struct {
	start, end int
	num        bool
}

// monthDate finds the first date written with a month's name in s[lo:hi]:
// "3 Jan 2019", "3. Januar 2019", "12 de marzo de 2020", "Sep 21, 2011",
// "Dezember 10, 2019". It reads tokens rather than running one regexp
// with every month name, which is several times faster. It accepts what
// dumps do to dates: a word glued before the day ("Name7. Januar 2022")
// and a second copy glued after the year ("1. November 20161. November").
func monthDate(s string, lo, hi int) (start, end int, t time.Time, ok bool) {
	var buf [48]dateTok
	toks := buf[:0]
	for i := lo; i < hi && len(toks) < cap(buf); {
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case r >= '0' && r <= '9':
			j := i
			for j < hi && s[j] >= '0' && s[j] <= '9' {
				j++
			}
			toks = append(toks, dateTok{i, j, true})
			i = j
		case unicode.IsLetter(r):
			j := i + n
			for j < hi {
				r2, n2 := utf8.DecodeRuneInString(s[j:])
				if !unicode.IsLetter(r2) {
					break
				}
				j += n2
			}
			toks = append(toks, dateTok{i, j, false})
			i = j
		default:
			i += n
		}
	}
	text := func(k int) string { return strings.ToLower(s[toks[k].start:toks[k].end]) }
	// near reports that tokens a and b are separated only by a little
	// space and punctuation of a date.
	near := func(a, b int) bool {
		gap := s[toks[a].end:toks[b].start]
		if len(gap) > 6 {
			return false
		}
		for _, r := range gap {
			if !(unicode.IsSpace(r) || unicode.Is(unicode.Zs, r) || r == '.' || r == ',') {
				return false
			}
		}
		return true
	}
	ordinal := func(k int) bool {
		switch text(k) {
		case "st", "nd", "rd", "th", "er", "e", "º":
			return true
		}
		return false
	}
	// chain reports that tokens a..b follow each other closely.
	chain := func(a, b int) bool {
		for k := a; k < b; k++ {
			if !near(k, k+1) {
				return false
			}
		}
		return true
	}
	dayNum := func(k int) (int, bool) {
		if k < 0 || k >= len(toks) || !toks[k].num || toks[k].end-toks[k].start > 2 {
			return 0, false
		}
		d := atoi(s[toks[k].start:toks[k].end])
		return d, d >= 1 && d <= 31
	}
	// yearAt reads a four-digit year at token k, or the first four digits
	// of a longer run that a glued copy of the date made.
	yearAt := func(k int) (int, int, bool) {
		if k >= len(toks) || !toks[k].num || toks[k].end-toks[k].start < 4 {
			return 0, 0, false
		}
		return atoi(s[toks[k].start : toks[k].start+4]), toks[k].start + 4, true
	}
	// joins are the words between a date's parts in Spanish, Portuguese
	// and English ("12 de marzo de 2020", "3rd of May 2020").
	join := func(k int) bool {
		if k < 0 || k >= len(toks) || toks[k].num {
			return false
		}
		switch text(k) {
		case "de", "del", "of":
			return true
		}
		return false
	}
	for i := range toks {
		if toks[i].num {
			continue
		}
		mo := monthNames[text(i)]
		if mo == 0 {
			continue
		}
		// day month year
		dk := i - 1
		if join(dk) {
			dk--
		}
		if dk >= 1 && !toks[dk].num && ordinal(dk) && toks[dk-1].end == toks[dk].start {
			dk--
		}
		if d, okd := dayNum(dk); okd && chain(dk, i) {
			yk := i + 1
			if join(yk) {
				yk++
			}
			if y, yend, oky := yearAt(yk); oky && chain(i, yk) {
				if t := mkDate(y, mo, d); !t.IsZero() {
					return toks[dk].start, yend, t, true
				}
			}
		}
		// month day, year
		if d, okd := dayNum(i + 1); okd {
			yk := i + 2
			if yk < len(toks) && !toks[yk].num && ordinal(yk) {
				yk++
			}
			if y, yend, oky := yearAt(yk); oky && chain(i, yk) {
				if t := mkDate(y, mo, d); !t.IsZero() {
					return toks[i].start, yend, t, true
				}
			}
		}
	}
	return 0, 0, time.Time{}, false
}

// numericOrder reads the first two numbers of an all-numeric date as
// month and day: a number over 12 can only be the day; otherwise the
// page's order for that separator decides.
func numericOrder(a, b int, sep string, o dateOrder) (mo, d int) {
	switch {
	case a > 12:
		return b, a
	case b > 12:
		return a, b
	case sep == ".":
		if o&dotMDY != 0 {
			return a, b
		}
		return b, a
	case o&slashDMY != 0:
		return b, a
	}
	return a, b
}

func isoDate(s string, m []int) time.Time {
	t := mkDate(atoi(s[m[2]:m[3]]), atoi(s[m[4]:m[5]]), atoi(s[m[6]:m[7]]))
	if t.IsZero() || m[8] < 0 {
		return t
	}
	t = t.Add(time.Duration(atoi(s[m[8]:m[9]]))*time.Hour + time.Duration(atoi(s[m[10]:m[11]]))*time.Minute)
	if m[12] >= 0 {
		t = t.Add(time.Duration(atoi(s[m[12]:m[13]])) * time.Second)
	}
	if m[14] >= 0 && s[m[14]] != 'Z' {
		z := strings.ReplaceAll(s[m[14]:m[15]], ":", "")
		off := time.Duration(atoi(z[1:3]))*time.Hour + time.Duration(atoi(z[3:]))*time.Minute
		if z[0] == '+' {
			off = -off
		}
		t = t.Add(off)
	}
	return t
}

func withClock(t time.Time, s string, c []int) time.Time {
	h, mi := atoi(s[c[2]:c[3]]), atoi(s[c[4]:c[5]])
	if h > 23 || mi > 59 {
		return t
	}
	if c[8] >= 0 {
		pm := strings.EqualFold(s[c[8]:c[9]], "p")
		if h == 12 {
			h = 0
		}
		if pm {
			h += 12
		}
	}
	t = time.Date(t.Year(), t.Month(), t.Day(), h, mi, 0, 0, time.UTC)
	if c[12] >= 0 {
		t = t.Add(-time.Duration(zoneOffsets[strings.ToLower(s[c[12]:c[13]])]) * time.Hour)
	}
	return t
}

func mkDate(y, m, d int) time.Time {
	if m < 1 || m > 12 || d < 1 || d > 31 {
		return time.Time{}
	}
	t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
	if t.Day() != d {
		return time.Time{}
	}
	return t
}

func month(s string) int { return monthNames[strings.ToLower(s)] }

func atoi(s string) int {
	n, _ := strconv.Atoi(s)
	return n
}

// isDateline reports whether a line is mostly a date: what is left after
// removing the date, weekday and filler words is at most a few words.
func isDateline(s string) (time.Time, bool) { return datelineOrder(s, orderUnknown) }

func datelineOrder(s string, o dateOrder) (time.Time, bool) {
	m, ok := findDateOrder(s, o)
	if !ok {
		return time.Time{}, false
	}
	return m.t, fewWordsLeft(s, m, o) <= 4
}

// fewWordsLeft counts the words of s that are not the date m, a second
// date, a weekday, a clock time or filler.
func fewWordsLeft(s string, m dateMatch, o dateOrder) int {
	rest := s[:m.start] + " " + s[m.end:]
	for range 2 { // "published …, updated …" holds a second date
		if m2, ok := findDateOrder(rest, o); ok {
			rest = rest[:m2.start] + " " + rest[m2.end:]
		}
	}
	rest = weekdayRE.ReplaceAllString(rest, " ")
	rest = clockRE.ReplaceAllString(rest, " ")
	rest = dateFillRE.ReplaceAllString(rest, " ")
	return len(strings.Fields(rest))
}

// yearWindows returns up to n spans of s around four-digit numbers,
// widened to word boundaries, where a date with a year could be. A run
// of more digits may be two glued years ("201917/11/2019").
func yearWindows(s string, n int) [][2]int {
	var out [][2]int
	run := 0
	for i := 0; i <= len(s) && len(out) < n; i++ {
		if i < len(s) && s[i] >= '0' && s[i] <= '9' {
			run++
			continue
		}
		if run >= 4 {
			lo, hi := max(0, i-run-48), min(len(s), i+40)
			for lo > 0 && s[lo-1] != ' ' {
				lo--
			}
			for hi < len(s) && s[hi] != ' ' {
				hi++
			}
			out = append(out, [2]int{lo, hi})
		}
		run = 0
	}
	return out
}

// hasYear reports whether s holds a run of four digits: every date form
// but the numeric one needs it, and the check is far cheaper than a regexp.
func hasYear(s string) bool {
	run := 0
	for i := 0; i < len(s); i++ {
		if s[i] >= '0' && s[i] <= '9' {
			run++
			if run == 4 {
				return true
			}
		} else {
			run = 0
		}
	}
	return false
}

// numSep reports a digit followed by "/", "." or "-" and, maybe after a
// space, another digit: what every numeric date holds. It spares the
// regexps the many lines whose full stops end sentences.
func numSep(s string) bool {
	for i := 1; i+1 < len(s); i++ {
		switch s[i] {
		case '/', '.', '-':
			if s[i-1] < '0' || s[i-1] > '9' {
				continue
			}
			j := i + 1
			if s[j] == ' ' && j+1 < len(s) {
				j++
			} else if s[j] == 0xe2 && j+3 < len(s) { // a thin or narrow space (U+2009, U+202F)
				j += 3
			} else if s[j] == 0xc2 && j+2 < len(s) { // a no-break space
				j += 2
			}
			if s[j] >= '0' && s[j] <= '9' {
				return true
			}
		}
	}
	return false
}

func hasDigit(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= '0' && s[i] <= '9' {
			return true
		}
	}
	return false
}

// pageDates is what a page as a whole tells about its dates: the order
// its numeric dates are written in, and when it was saved, which relative
// dates ("2 days ago") count back from and which no publication date can
// follow.
type pageDates struct {
	order  dateOrder
	ref    time.Time
	parser *dps.Parser
	parses int // relative forms handed to the parser, capped per page
}

// maxRelativeParses caps the (costly) library parses per page.
const maxRelativeParses = 4

func newPageDates(lines []line, ref time.Time) *pageDates {
	return &pageDates{order: pageOrder(lines), ref: ref}
}

// pageOrder decides how the page writes numeric dates: from its own
// unambiguous ones ("17/11/2019" can only be day first), else slashes by
// its language (English pages month first, as most English pages are
// American; all others day first) and dots day first.
func pageOrder(lines []line) dateOrder {
	var slash, dot [2]int // votes: [day first, month first]
	the, words := 0, 0
	for _, l := range lines {
		s := l.text
		if numSep(s) {
			for _, m := range numDateRE.FindAllStringSubmatchIndex(s, 4) {
				a, b := atoi(s[m[2]:m[3]]), atoi(s[m[6]:m[7]])
				votes := &slash
				if s[m[4]:m[5]] == "." {
					votes = &dot
				}
				switch {
				case a > 12 && a <= 31 && b <= 12:
					votes[0]++
				case b > 12 && b <= 31 && a <= 12:
					votes[1]++
				}
			}
		}
		for w := range strings.FieldsSeq(s) {
			words++
			if len(w) == 3 && strings.EqualFold(w, "the") {
				the++
			}
		}
	}
	var o dateOrder
	switch {
	case slash[0] > slash[1]:
		o |= slashDMY
	case slash[0] == slash[1] && words >= 50 && the*100 < words*2:
		o |= slashDMY
	}
	if dot[1] > dot[0] {
		o |= dotMDY
	}
	return o
}

// dateline is isDateline for this page: its order, and no date after the
// page was saved. Relative forms are not datelines here: they are looked
// for only beside the body, when the page states no date (laterDate).
func (p *pageDates) dateline(s string) (time.Time, bool) {
	t, ok := datelineOrder(s, p.order)
	if ok && !p.ref.IsZero() && t.After(p.ref.Add(48*time.Hour)) {
		return time.Time{}, false
	}
	return t, ok
}

// relMarkRE finds the word that makes a phrase relative, one per
// language, and says which language the phrase is in.
var relMarkRE = regexp.MustCompile(`(?i)(?:^|[^\pL])(ago|vor|il y a|hace|fa|há|temu|geleden|sedan|siden|назад|önce|前|전)(?:$|[^\pL])`)

var relLang = map[string]string{"ago": "en", "vor": "de", "il y a": "fr", "hace": "es", "fa": "it", "há": "pt",
	"temu": "pl", "geleden": "nl", "sedan": "sv", "siden": "da", "назад": "ru", "önce": "tr", "前": "zh", "전": "ko"}

// yesterdayRE finds "yesterday" and "today" in the same languages.
var yesterdayRE = regexp.MustCompile(`(?i)^(?:[\pL]+:?\s+)?(yesterday|today|gestern|heute|hier|aujourd'hui|ayer|hoy|ieri|oggi|ontem|hoje|wczoraj|dzisiaj|dziś|gisteren|vandaag|igår|idag|вчера|сегодня|dün|bugün|昨日|今日|昨天|今天|어제|오늘)\b`)

var yesterdayLang = map[string]string{"yesterday": "en", "today": "en", "gestern": "de", "heute": "de", "hier": "fr",
	"aujourd'hui": "fr", "ayer": "es", "hoy": "es", "ieri": "it", "oggi": "it", "ontem": "pt", "hoje": "pt",
	"wczoraj": "pl", "dzisiaj": "pl", "dziś": "pl", "gisteren": "nl", "vandaag": "nl", "igår": "sv", "idag": "sv",
	"вчера": "ru", "сегодня": "ru", "dün": "tr", "bugün": "tr", "昨日": "ja", "今日": "ja", "昨天": "zh", "今天": "zh",
	"어제": "ko", "오늘": "ko"}

// relativeDate reads a short relative dateline ("Updated 5 hours ago",
// "vor 2 Tagen", "Gestern, 14:05 Uhr") against the page's time, with the
// dateparser library in the phrase's language. Only short lines that
// hold such a word are tried, and only a few per page.
func (p *pageDates) relativeDate(s string) (time.Time, bool) {
	if p.ref.IsZero() || p.parses >= maxRelativeParses || utf8.RuneCountInString(s) > 60 {
		return time.Time{}, false
	}
	if _, ok := findDateOrder(s, p.order); ok {
		return time.Time{}, false // "Founded May 1, 1998; 18 years ago" dates something else
	}
	var phrase, lang string
	if m := relMarkRE.FindStringSubmatchIndex(s); m != nil && (hasDigit(s) || len(strings.Fields(s)) <= 6) {
		mark := strings.ToLower(s[m[2]:m[3]])
		lang = relLang[mark]
		phrase = relPhrase(s, m[2], m[3], mark)
	} else if m := yesterdayRE.FindStringSubmatchIndex(s); m != nil && len(strings.Fields(s)) <= 5 && clockRE.MatchString(s) {
		lang = yesterdayLang[strings.ToLower(s[m[2]:m[3]])]
		phrase = s[m[2]:]
	}
	if phrase == "" || lang == "" {
		return time.Time{}, false
	}
	if p.parser == nil {
		p.parser = &dps.Parser{}
	}
	p.parses++
	cfg := &dps.Configuration{Languages: []string{lang}, CurrentTime: p.ref.UTC(), DefaultTimezone: time.UTC, StrictParsing: false}
	d, err := p.parser.Parse(cfg, phrase)
	if err != nil || d.IsZero() {
		return time.Time{}, false
	}
	t := d.Time.UTC()
	if t.After(p.ref.Add(time.Hour)) || t.Before(p.ref.AddDate(-30, 0, 0)) {
		return time.Time{}, false
	}
	return t, true
}

// relPhrase cuts the relative phrase around its marker: the number, unit
// and marker ("5 hours ago", from the number on, or the two words before
// "ago" in "an hour ago"), or the marker and the two words after it
// ("vor 2 Tagen").
func relPhrase(s string, i, j int, mark string) string {
	switch mark {
	case "vor", "il y a", "hace", "há":
		after := strings.Fields(s[j:])
		after = after[:min(len(after), 2)]
		return strings.TrimRight(s[i:j]+" "+strings.Join(after, " "), ".,;:")
	}
	before := strings.Fields(s[:i])
	from := max(0, len(before)-2)
	for k := len(before) - 1; k >= max(0, len(before)-4); k-- {
		if hasDigit(before[k]) {
			from = k
			break
		}
	}
	return strings.Join(before[from:], " ") + " " + s[i:j]
}

// pubLabelRE starts a line that gives the publication date.
var pubLabelRE = regexp.MustCompile(`(?i)^\s*(?:published|posted|updated|last updated|date|datum|veröffentlicht|aktualisiert|erschienen|stand|publié|publiée|mis à jour|publicado|actualizado|atualizado|pubblicato|aggiornato|opublikowano|zaktualizowano|gepubliceerd|publicerad|julkaistu)\b`)

// laterDate is the last look for a date when none was found around the
// headline and the body: a line anywhere before the comments that is only
// a date, or a date under a publication label ("Veröffentlicht am …"),
// nearest to where the body starts. Lines among other dates (archive
// lists, teasers) and copyright notices do not count.
func (d *doc) laterDate(a *digest.Article, start, end, limit int) {
	best, bestDist := -1, 0
	var bestT time.Time
	for i := 0; i < limit && i < len(d.lines); i++ {
		if d.used[i] != useNone {
			continue
		}
		s := d.lines[i].text
		if !hasDigit(s) || len(s) > 200 || strings.Contains(s, "©") || strings.Contains(strings.ToLower(s), "copyright") {
			continue
		}
		t, ok := d.dateline(i)
		if !ok {
			continue
		}
		if !pubLabelRE.MatchString(s) {
			m, ok := findDateOrder(s, d.pageDates().order)
			if !ok || fewWordsLeft(s, m, d.pageDates().order) > 0 {
				continue
			}
		}
		if d.amongDates(i) {
			continue
		}
		dist := i - start
		if dist < 0 {
			dist = -dist
		}
		if i > end {
			dist += 20 // after the text: less likely the article's own
		}
		if best < 0 || dist < bestDist {
			best, bestDist, bestT = i, dist, t
		}
	}
	if best >= 0 {
		a.Published, a.PublishedFrom = bestT, digest.DateFromText
		d.takeDateline(a, best)
		return
	}
	// A relative dateline ("vor 2 Stunden") only right around where the
	// text starts: elsewhere such times belong to teasers and widgets.
	for k := range 2 * relativeReach {
		var i int // start, start-1, start+1, start-2, …
		if k%2 == 1 {
			i = start - (k+1)/2
		} else {
			i = start + k/2
		}
		if i < 0 || i >= limit || i >= len(d.lines) || d.used[i] != useNone {
			continue
		}
		if t, ok := d.pageDates().relativeDate(d.lines[i].text); ok {
			a.Published, a.PublishedFrom = t, digest.DateFromRelative
			d.takeDateline(a, i)
			return
		}
	}
}

// takeDateline marks line i as the date's and takes it out of the body,
// which was collected before the last look for a date.
func (d *doc) takeDateline(a *digest.Article, i int) {
	d.used[i] = useDate
	text := d.lines[i].text
	a.Paragraphs = slices.DeleteFunc(a.Paragraphs, func(p string) bool { return p == text })
}

// relativeReach is how many lines from the start of the text a relative
// dateline may stand.
const relativeReach = 8

// amongDates reports whether line i stands among other datelines, as in
// a list of teasers or an archive: two more within three lines.
func (d *doc) amongDates(i int) bool {
	n := 0
	for j := max(0, i-3); j < len(d.lines) && j <= i+3; j++ {
		if j == i {
			continue
		}
		if _, ok := d.dateline(j); ok {
			n++
		}
	}
	return n >= 2
}

// pageDates returns the page's date reading, made on first use for docs
// built without Extract.
func (d *doc) pageDates() *pageDates {
	if d.pd == nil {
		d.pd = newPageDates(d.lines, time.Time{})
	}
	return d.pd
}

package textdump

import (
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"
)

// monthNames maps month names and abbreviations of the languages pages
// are most often written in to month numbers.
var monthNames = func() map[string]int {
	lists := []string{
		"jan january janvier januar enero gennaio janeiro ene gen janv",
		"feb february février fevrier februar febrero febbraio fevereiro fév févr fev",
		"mar march mars märz marzo março mär",
		"apr april avril abril aprile abr avr",
		"may mai mayo maggio maio mag",
		"jun june juin juni junio giugno junho giu",
		"jul july juillet juli julio luglio julho juil lug",
		"aug august août aout agosto ago",
		"sep sept september septembre septiembre settembre setembro set",
		"oct october octobre oktober octubre ottobre outubro okt ott out",
		"nov november novembre noviembre novembro",
		"dec december décembre decembre dezember diciembre dicembre dezembro dez dic déc",
	}
	m := make(map[string]int)
	for i, l := range lists {
		for _, w := range strings.Fields(l) {
			m[w] = i + 1
		}
	}
	return m
}()

// monthRE matches any name in monthNames, longest first.
var monthRE = func() string {
	names := make([]string, 0, len(monthNames))
	for w := range monthNames {
		names = append(names, regexp.QuoteMeta(w))
	}
	sort.Slice(names, func(i, j int) bool {
		return len(names[i]) > len(names[j]) || len(names[i]) == len(names[j]) && names[i] < names[j]
	})
	return `(` + strings.Join(names, "|") + `)`
}()

var (
	isoDateRE  = regexp.MustCompile(`\b(\d{4})[-/](\d{1,2})[-/](\d{1,2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2}))?(?:\.\d+)?(Z|[+-]\d{2}:?\d{2})?)?\b`)
	mdyDateRE  = regexp.MustCompile(`(?i)\b` + monthRE + `\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})\b`)
	dmyDateRE  = regexp.MustCompile(`(?i)\b(\d{1,2})(?:st|nd|rd|th|er|º)?\.?[\s.]+(?:of\s+|de\s+)?` + monthRE + `\.?,?[\s.]+(?:de\s+)?(\d{4})\b`)
	numDateRE  = regexp.MustCompile(`\b(\d{1,2})([/.])(\d{1,2})[/.](\d{4}|\d{2})\b`)
	clockRE    = regexp.MustCompile(`(?i)\b(\d{1,2})[:.](\d{2})(?::(\d{2}))?\s*([ap])?\.?(m\b\.?)?(?:\s*\(?(utc|gmt|[ecmp][sd]t|bst|cet|cest)\)?)?`)
	weekdayRE  = regexp.MustCompile(`(?i)\b(mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?`)
	dateFillRE = regexp.MustCompile(`(?i)(\b(updated|published|posted|last|modified|on|at|am|pm|a\.m\.|p\.m\.|utc|gmt|[ecmp][sd]t|date|time|and|le|mis|jour|publié|publiée|modifié|actualizado|publicado|atualizado|um|uhr|de|del|às|alle|il)\b|[,|•·:()–—-]|\bà\b)`)
)

var zoneOffsets = map[string]int{"utc": 0, "gmt": 0, "est": -5, "edt": -4, "cst": -6, "cdt": -5,
	"mst": -7, "mdt": -6, "pst": -8, "pdt": -7, "bst": 1, "cet": 1, "cest": 2}

// dateMatch is a date found in a line.
type dateMatch struct {
	t          time.Time
	start, end int // byte span of the date and any time after it
}

// findDate returns the first plausible date in s. Times without a zone are
// read as UTC.
func findDate(s string) (dateMatch, bool) {
	best := dateMatch{start: -1}
	if !hasDigit(s) || len(s) > 2000 {
		return best, false
	}
	try := func(m []int, t time.Time) {
		if t.IsZero() || t.Year() < 1990 || t.Year() > 2100 {
			return
		}
		if best.start < 0 || m[0] < best.start {
			best = dateMatch{t: t, start: m[0], end: m[1]}
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
		if m := isoDateRE.FindStringSubmatchIndex(ws); m != nil {
			m = shift(m)
			try(m, isoDate(s, m))
		}
		if m := mdyDateRE.FindStringSubmatchIndex(ws); m != nil {
			m = shift(m)
			try(m, mkDate(atoi(s[m[6]:m[7]]), month(s[m[2]:m[3]]), atoi(s[m[4]:m[5]])))
		}
		if m := dmyDateRE.FindStringSubmatchIndex(ws); m != nil {
			m = shift(m)
			try(m, mkDate(atoi(s[m[6]:m[7]]), month(s[m[4]:m[5]]), atoi(s[m[2]:m[3]])))
		}
		if best.start >= 0 {
			break
		}
	}
	if !strings.ContainsAny(s, "/.") {
		// no numeric date possible
	} else if m := numDateRE.FindStringSubmatchIndex(s); m != nil {
		a, b, y := atoi(s[m[2]:m[3]]), atoi(s[m[6]:m[7]]), atoi(s[m[8]:m[9]])
		if y < 100 {
			y += 2000
		}
		mo, d := a, b // slashes are read month first, dots day first
		if s[m[4]:m[5]] == "." || a > 12 {
			mo, d = b, a
		}
		try(m, mkDate(y, mo, d))
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
func isDateline(s string) (time.Time, bool) {
	m, ok := findDate(s)
	if !ok {
		return time.Time{}, false
	}
	rest := s[:m.start] + " " + s[m.end:]
	for range 2 { // "published …, updated …" holds a second date
		if m2, ok := findDate(rest); ok {
			rest = rest[:m2.start] + " " + rest[m2.end:]
		}
	}
	rest = weekdayRE.ReplaceAllString(rest, " ")
	rest = clockRE.ReplaceAllString(rest, " ")
	rest = dateFillRE.ReplaceAllString(rest, " ")
	return m.t, len(strings.Fields(rest)) <= 4
}

// yearWindows returns up to n spans of s around four-digit numbers,
// widened to word boundaries, where a date with a year could be.
func yearWindows(s string, n int) [][2]int {
	var out [][2]int
	run := 0
	for i := 0; i <= len(s) && len(out) < n; i++ {
		if i < len(s) && s[i] >= '0' && s[i] <= '9' {
			run++
			continue
		}
		if run == 4 {
			lo, hi := max(0, i-4-48), min(len(s), i+40)
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

func hasDigit(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= '0' && s[i] <= '9' {
			return true
		}
	}
	return false
}

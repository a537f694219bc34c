package summary

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Page furniture that reads like a sentence but is not the story: photo
// captions and credits, calls to action, rows of links and headlines set
// in title case. Each cue was checked against the text people marked as
// article in the eval pages and against 1,557 BBC articles: none of them
// fires on a prose sentence there, while they account for most of the
// captions and teasers that summaries of real pages used to pick.

// Phrases found in photo captions and credits, and hardly ever in prose:
// where people stand in the picture (after a comma or in brackets), a
// credit line's label (before a colon), an agency's photo credit.
var (
	commaMarks = []string{", left,", ", right,", ", center,", ", centre,", ", from left,", ", second left,",
		", second right,", ", top,", ", bottom,", ", foreground,", ", background,", ", pictured,", ", pictured at ",
		", pictured in ", ", pictured with ", ", pictured on "}
	parenMarks = []string{"(left)", "(right)", "(center)", "(centre)", "(top)", "(bottom)", "(background)",
		"(foreground)", "(AP Photo", "(Photo"}
	creditLabels = []string{"Photo", "Photo ", "Foto", "Bild", "Image", "Credit", "Photograph"}
	creditMarks  = []string{"Getty Images", "©"}
)

// captionMarksFold are captionMarks compared without case.
var captionMarksFold = []string{
	"file photo", "in this photo", "in this image", "in this picture", "photo illustration",
	"artist's illustration", "artist’s illustration", "artist's impression", "artist’s impression",
	"artist's concept", "artist’s concept", "artist's rendering", "artist’s rendering",
	"pictured above", "pictured below",
}

// captionOpeners open a caption in Chinese and Japanese ("图为": pictured is).
var captionOpeners = []string{"图为", "图片来源", "（图", "(图", "写真：", "写真=", "写真は"}

// isCaption reports whether s reads as a photo caption or credit.
func isCaption(s string) bool {
	// Each list is tried only where its first character stands, so that
	// the common sentence costs a few byte scans.
	if markAt(s, ',', commaMarks) || markAt(s, '(', parenMarks) {
		return true
	}
	for at := 0; ; {
		i := strings.IndexByte(s[at:], ':')
		if i < 0 {
			break
		}
		for _, l := range creditLabels {
			if strings.HasSuffix(s[:at+i], l) {
				return true
			}
		}
		at += i + 1
	}
	for _, m := range creditMarks {
		if strings.Contains(s, m) {
			return true
		}
	}
	for _, p := range captionOpeners {
		if strings.HasPrefix(s, p) {
			return true
		}
	}
	// Every folded mark holds one of these in lower case: only then is
	// the sentence folded.
	if (strings.Contains(s, "hoto") || strings.Contains(s, "mage") || strings.Contains(s, "icture") ||
		strings.Contains(s, "rtist") || strings.Contains(s, "ictured")) && hasFold(s, captionMarksFold) {
		return true
	}
	return hasWeekdayDate(s)
}

// markAt reports whether one of marks, each opening with c, starts at
// some c in s.
func markAt(s string, c byte, marks []string) bool {
	for at := 0; ; {
		i := strings.IndexByte(s[at:], c)
		if i < 0 {
			return false
		}
		for _, m := range marks {
			if strings.HasPrefix(s[at+i:], m) {
				return true
			}
		}
		at += i + 1
	}
}

// hasFold reports whether s holds any of marks (lower case), ignoring case.
func hasFold(s string, marks []string) bool {
	if len(s) > 2000 {
		s = head(s, 2000)
	}
	low := strings.ToLower(s)
	for _, m := range marks {
		if strings.Contains(low, m) {
			return true
		}
	}
	return false
}

var weekdays = []string{"Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"}

// hasWeekdayDate spots the weekday with a full date ("Tuesday, Nov. 19,
// 2019") that news agencies put in captions; their stories say "on
// Tuesday" or "Nov. 19" instead.
func hasWeekdayDate(s string) bool {
	// Each weekday ends in "day": find those first, then the name.
	for at := 0; ; {
		i := strings.Index(s[at:], "day")
		if i < 0 {
			return false
		}
		end := at + i + len("day")
		for _, d := range weekdays {
			if strings.HasSuffix(s[:end], d) && fullDate(strings.TrimPrefix(s[end:], ",")) {
				return true
			}
		}
		at = end
	}
}

// fullDate reports whether s opens with " Month[.] D, YYYY".
func fullDate(s string) bool {
	s, ok := strings.CutPrefix(s, " ")
	if !ok {
		return false
	}
	w := nextWord(s)
	month := strings.TrimSuffix(w, ".")
	if len(month) < 3 || !isMonth(month) {
		return false
	}
	s = strings.TrimPrefix(s[len(w):], " ")
	day := 0
	for day < len(s) && day < 2 && s[day] >= '0' && s[day] <= '9' {
		day++
	}
	if day == 0 || !strings.HasPrefix(s[day:], ", ") {
		return false
	}
	y := s[day+2:]
	return len(y) >= 4 && strings.IndexFunc(y[:4], func(r rune) bool { return r < '0' || r > '9' }) < 0
}

var months = []string{"january", "february", "march", "april", "may", "june", "july", "august", "september",
	"october", "november", "december"}

func isMonth(w string) bool {
	w = strings.ToLower(w)
	for _, m := range months {
		if strings.HasPrefix(m, w) {
			return true
		}
	}
	return false
}

// ctaOpeners open a call to action, in the languages of lang.go and
// whatever the page's language.
var ctaOpeners = []string{
	"click", "sign up", "subscribe", "follow us", "tap here",
	"klicken sie", "klick", "abonnieren sie", "melden sie sich",
	"haz clic", "haga clic", "pincha", "suscríbete", "regístrate",
	"cliquez", "abonnez-vous", "inscrivez-vous",
	"clique", "assine", "inscreva-se",
	"clicca", "iscriviti", "kliknij", "zapisz się", "klik", "abonneer",
}

// isCallToAction reports whether s opens by telling the reader to click,
// sign up or subscribe: a widget's text, not the story's.
func isCallToAction(s string) bool {
	for _, c := range ctaOpeners {
		if len(s) >= len(c) && strings.EqualFold(s[:len(c)], c) && (len(s) == len(c) || !isLetterAt(s, len(c))) {
			return true
		}
	}
	return false
}

// isLinkRow spots a row of links or headlines set between bars.
func isLinkRow(s string) bool { return strings.Contains(s, " | ") }

// titleCaseMids are English function words that a headline in title case
// capitalizes ("Stock Is Falling After Its Earnings") and prose never does
// inside a sentence.
var titleCaseMids = words("is are was were its after how why what will has have over into about than this that " +
	"from with for and of to in on at by as be not can")

// isTitleCase reports whether an English sentence is set in title case: a
// headline or a reference's title, not prose. It needs a capitalized
// function word after the first, and no lower-case word longer than three
// letters.
func isTitleCase(s string) bool {
	n, mid := 0, false
	first := true
	for w := range strings.FieldsFuncSeq(s, func(r rune) bool { return !unicode.IsLetter(r) && r != '\'' && r != '’' }) {
		r, _ := utf8.DecodeRuneInString(w)
		if !unicode.IsLetter(r) {
			continue
		}
		n++
		if unicode.IsLower(r) && utf8.RuneCountInString(w) > 3 {
			return false
		}
		if !first && unicode.IsUpper(r) && titleCaseMids[strings.ToLower(w)] {
			mid = true
		}
		first = false
	}
	return n >= 4 && mid
}

// quotesWellFormed reports whether the quotation marks of s pair up by
// kind: straight ones in pairs; an English “ closed by ”; a low „ closed by
// “ (German) or ” (Polish). A quote opened with one kind and closed with
// another ('“…"'), or '“…“', is a typesetting slip a summary should not
// carry.
func quotesWellFormed(s string) bool {
	straight, open, close, low := 0, 0, 0, 0
	for _, r := range s {
		switch r {
		case '"':
			straight++
		case '“':
			open++
		case '”':
			close++
		case '„':
			low++
		}
	}
	if straight%2 == 1 {
		return false
	}
	if low == 0 {
		return open == close
	}
	return (open+close+low)%2 == 0
}

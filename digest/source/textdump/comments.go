package textdump

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/weeklywrap/digest/digest"
)

var (
	headSepRE  = regexp.MustCompile(`[\s\p{Z}]*(?:[–—|·•-]|\b(?:says|said|wrote|writes|commented|posted|replied)?\s*(?:on|at)|\bsays:?|\bwrote:?)?[\s\p{Z}]*$`)
	formLineRE = regexp.MustCompile(`(?i)^(reply|report|like|share|flag|quote|permalink|edit|delete|\d+ (likes?|replies|points?)|(up|down)vote)$`)
	particleRE = regexp.MustCompile(`^(van|von|de|der|den|da|di|du|del|la|le|bin|al|el|dos|das|st\.?)$`)
)

// commentHead is a parsed comment header line: "Title. Author – date".
type commentHead struct {
	idx    int // first line of the header
	body   int // first line of the comment's text
	title  string
	author string
	date   dateMatch
}

// parseCommentHead recognizes a one-line comment header: some text (an
// optional title, then the author's name) and a date closing the line.
func parseCommentHead(s string) (commentHead, bool) {
	// A header ends with its date: no digit near the end, no header.
	if !hasDigit(s[max(0, len(s)-24):]) {
		return commentHead{}, false
	}
	m, ok := findDate(s)
	if !ok || m.start == 0 {
		return commentHead{}, false
	}
	if tail := strings.TrimSpace(strings.Trim(s[m.end:], " )]")); len(tail) > 3 && !saidRE.MatchString(tail) {
		return commentHead{}, false
	}
	if strings.Contains(s[:m.start], "(@") {
		return commentHead{}, false // an embedded post's signature: "— Name (@handle) date"
	}
	pre := headSepRE.ReplaceAllString(s[:m.start], "")
	pre = strings.TrimSpace(parenRE.ReplaceAllString(pre, ""))
	if pre == "" || utf8.RuneCountInString(pre) > 300 {
		return commentHead{}, false
	}
	title, author := splitTitleAuthor(pre)
	if author == "" {
		return commentHead{}, false
	}
	return commentHead{title: title, author: author, date: m}, true
}

// splitTitleAuthor takes the trailing run of name-like words as the author
// and what precedes it as the comment's title.
func splitTitleAuthor(pre string) (title, author string) {
	toks := strings.Fields(pre)
	n := 0
	for i := len(toks) - 1; i >= 0 && n < 4; i-- {
		// A full stop inside a name only follows an initial.
		if !isNameToken(toks[i]) || strings.HasSuffix(toks[i], ".") && utf8.RuneCountInString(toks[i]) > 2 {
			break
		}
		n++
	}
	if n == 0 {
		return "", ""
	}
	rest := strings.TrimSpace(strings.Join(toks[:len(toks)-n], " "))
	if rest != "" {
		// Only a sentence end tells where a title stops and the name
		// begins; without one this is a headline with a date, not a header.
		last, _ := utf8.DecodeLastRuneInString(rest)
		if !strings.ContainsRune(".?!\"”’)", last) || len(strings.Fields(rest)) < 2 && last == '.' {
			return "", "" // "Rep." or "Dr." before a name is a title, not a comment's
		}
	}
	for _, t := range toks[len(toks)-n:] {
		if headWords[strings.ToLower(t)] {
			return "", ""
		}
	}
	return rest, strings.Join(toks[len(toks)-n:], " ")
}

var (
	saidRE  = regexp.MustCompile(`(?i)^(said|says|wrote|writes|commented)\s*:?$`)
	parenRE = regexp.MustCompile(`\s*\([^)]{0,40}\)`)
)

var saysRE = regexp.MustCompile(`(?i)^(.{1,60}?)\s+(?:says|said|wrote|writes|commented)\s*:?$`)

// parseTwoLineHead recognizes the other common header: the commenter's
// name (often "Name says:") on one line and the date alone on the next.
func parseTwoLineHead(name string, date dateMatch) (commentHead, bool) {
	if m := saysRE.FindStringSubmatch(name); m != nil {
		name = m[1]
	}
	if len(strings.Fields(name)) > 5 || strings.HasSuffix(name, ".") && !strings.Contains(name, " ") {
		return commentHead{}, false
	}
	name = strings.TrimSpace(strings.TrimSuffix(name, ":"))
	if name == "" || isBoilerplate(name) || hasDigit(name) || roleRE.MatchString(name) || byRE.MatchString(name) {
		return commentHead{}, false
	}
	return commentHead{author: name, date: date}, true
}

// headWords are capitalized words of datelines and bylines, not names.
var headWords = map[string]bool{"by": true, "updated": true, "published": true, "posted": true,
	"modified": true, "edited": true, "written": true, "on": true, "at": true, "retrieved": true,
	"accessed": true, "archived": true, "from": true, "original": true, "monday": true, "tuesday": true,
	"wednesday": true, "thursday": true, "friday": true, "saturday": true, "sunday": true, "today": true,
	"yesterday": true}

// isNameToken reports whether a word can be part of a person's name.
func isNameToken(w string) bool {
	if particleRE.MatchString(w) {
		return true
	}
	r, _ := utf8.DecodeRuneInString(w)
	if !unicode.IsUpper(r) {
		return false
	}
	for _, c := range w {
		if !unicode.IsLetter(c) && c != '-' && c != '.' && c != '\'' && c != '’' {
			return false
		}
	}
	return true
}

// extractComments reads the comments whose headers are heads, in order.
// Bodies run to the next header; the last one stops at the first line that
// looks like a form or widget rather than comment text.
func extractComments(lines []line, feats []feat, heads []commentHead) []digest.Comment {
	var out []digest.Comment
	for k, h := range heads {
		end := len(lines)
		if k+1 < len(heads) {
			end = heads[k+1].idx
		}
		var b strings.Builder
		for i := h.body; i < end; i++ {
			s := lines[i].text
			if formLineRE.MatchString(s) {
				continue
			}
			if k+1 == len(heads) && endsComment(s, feats[i]) {
				break
			}
			if b.Len() > 0 {
				if lines[i].gap > 0 {
					b.WriteString("\n\n")
				} else {
					b.WriteString("\n")
				}
			}
			b.WriteString(s)
		}
		out = append(out, digest.Comment{Author: h.author, Title: h.title, Published: h.date.t, Text: b.String()})
	}
	return out
}

func endsComment(s string, f feat) bool {
	if f.cls == clsBad || f.corpusRep {
		return true
	}
	return strings.HasSuffix(s, ":") && f.words <= 6
}

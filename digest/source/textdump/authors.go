package textdump

import (
	"regexp"
	"strings"
)

// cjkLabelRE is a Chinese or Japanese byline label: writer, reporter, or
// the responsible editor that Chinese news pages name instead.
var cjkLabelRE = regexp.MustCompile(`(作者|记者|記者|撰文|责任编辑|責任編輯|编辑|編輯)\s*[:：︱|丨/]\s*`)

// cjkNameRE is a Han name of two to four characters standing alone.
var cjkNameRE = regexp.MustCompile(`^(\p{Han}{2,4})(?:$|[^\p{Han}])`)

// cjkEditor reports whether a label names the editor, not the writer.
func cjkEditor(label string) bool {
	return strings.Contains(label, "编辑") || strings.Contains(label, "編輯")
}

// cjkByline finds "作者：姓名" in a line. A writer label wins over an
// editor label; a label followed by another label ("作者：责任编辑：…")
// names no one.
func cjkByline(s string) (byline, bool) {
	if len(s) > 600 {
		return byline{}, false
	}
	var editor string
	for _, m := range cjkLabelRE.FindAllStringSubmatchIndex(s, 4) {
		after := s[m[1]:]
		n := cjkNameRE.FindStringSubmatch(after)
		if n == nil || strings.HasPrefix(after, "责任") || strings.HasPrefix(after, "責任") {
			continue // an empty field: the next label follows at once
		}
		if l := cjkLabelRE.FindStringIndex(after); l != nil && l[0] == 0 {
			continue
		}
		if !cjkEditor(s[m[2]:m[3]]) {
			return byline{name: n[1]}, true
		}
		if editor == "" {
			editor = n[1]
		}
	}
	return byline{name: editor}, editor != ""
}

var (
	copyrightRE  = regexp.MustCompile(`(?i)^(?:©|ⓒ|\(c\)|copyright)(?:\s*(?:©|\(c\)|copyright|\d{4}(?:\s*[-–]\s*\d{4})?|,))*\s*`)
	copyrightEnd = regexp.MustCompile(`(?i)\s*(?:[.|—–,;:•·(]|\s-\s|\d{4}|\ball rights\b|$)`)
	orgWordRE    = regexp.MustCompile(`(?i)\b(inc|llc|ltd|limited|gmbh|company|corp|corporation|group|media|medien|network|news|press|times|post|productions|communications|software|foundation|society|university|institute|theater|theatre|studios?|publishing|magazine|digital|interactive|online|team|project|contributors)\b`)
)

// copyrightAuthor reads a personal site's author from its footer: "© Name
// 2016-2020" where the same name also stands alone on the page, as a site
// header does. Companies are left out by their words.
func (d *doc) copyrightAuthor() (byline, bool) {
	var alone map[string]int // short lines, by text: where each last stands
	tries := 0
	for i := len(d.lines) - 1; i >= 0 && tries < 5; i-- {
		s := d.lines[i].text
		loc := copyrightRE.FindStringIndex(s)
		if loc == nil || loc[1] == 0 || len(s) > 300 {
			continue
		}
		rest := s[loc[1]:]
		if e := copyrightEnd.FindStringIndex(rest); e != nil {
			rest = rest[:e[0]]
		}
		rest = strings.TrimSpace(rest)
		if rest == "" || orgWordRE.MatchString(rest) {
			continue
		}
		tries++ // a page of copyright lines must not cost a scan each
		b, ok := d.bareNameIn(rest)
		if !ok {
			continue
		}
		if alone == nil {
			alone = make(map[string]int)
			for j, l := range d.lines {
				if len(l.text) <= 80 {
					alone[l.text] = j
				}
			}
		}
		if j, ok := alone[b.name]; ok && j != i {
			return b, true
		}
	}
	return byline{}, false
}

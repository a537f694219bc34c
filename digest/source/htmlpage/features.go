package htmlpage

import (
	"math"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"github.com/weeklywrap/digest/digest/source/textdump"
	"github.com/weeklywrap/digest/digest/stopwords"
)

// features describe one block for the model in model.go. Each is a
// general property of a paragraph and where it sits (how long, how much
// of it is links, whether it ends like a sentence, what kind of element
// holds it, what the elements between it and the article's container are
// called, where it is relative to the article's text), never a site.
type features [nFeatures]float64

const (
	fBias = iota
	fTraf
	fRead
	fWords
	fShort
	fLinks
	fSentence
	fHeading
	fItem
	fCell
	fCaption
	fInMain
	fBefore
	fAfter
	fNear
	fTitle
	fDup
	fTagChrome
	fTagHeader
	fHintRelated
	fHintAuthor
	fHintPromo
	fHintSocial
	fHintChrome
	fHintComment
	fHintContent
	fLinkHeavy
	fCaps
	fAddress
	fCopyright
	fRelPos
	fTail
	fAddBefore
	fAddAfter
	fAddInside
	fAddDup
	fHintLead
	fHintMedia
	fNearBefore
	fNearAfter
	fBoiler
	fStops
	fCredit
	nFeatures
)

var featureNames = [nFeatures]string{
	"bias", "traf", "read", "words", "short", "links", "sentence", "heading", "item", "cell",
	"caption", "in-main", "before", "after", "near", "title", "dup", "tag-chrome", "tag-header",
	"hint-related", "hint-author", "hint-promo", "hint-social", "hint-chrome", "hint-comment",
	"hint-content", "link-heavy", "caps", "address", "copyright", "rel-pos", "tail",
	"add-before", "add-after", "add-inside", "add-dup", "hint-lead", "hint-media", "near-before",
	"near-after", "boiler", "stops", "credit",
}

// hint groups: words in class and id attributes that name what a part of
// a page is for. A word matches a class token exactly, or inside it when
// it has four letters or more ("relatedposts" holds "related").
var hintWords = [...]struct {
	feature int
	words   []string
}{
	{fHintRelated, []string{"related", "relacionad", "recommend", "teaser", "popular", "trending",
		"similar", "readmore", "further", "suggest", "outbrain", "taboola", "also", "more", "next",
		"prev", "latest", "other"}},
	{fHintAuthor, []string{"author", "autor", "byline", "bio", "biography", "profile", "avatar",
		"contributor", "writer", "about"}},
	{fHintPromo, []string{"newsletter", "subscri", "signup", "promo", "cta", "ad", "ads", "advert",
		"anzeige", "werbung", "sponsor", "banner", "donat", "paywall", "premium", "offer", "campaign",
		"marketing"}},
	{fHintSocial, []string{"share", "social", "follow", "tag", "tags", "keyword", "meta", "date",
		"time", "breadcrumb", "rating", "print", "toolbar", "actions", "icon"}},
	{fHintChrome, []string{"nav", "navigation", "menu", "footer", "header", "sidebar", "widget",
		"aside", "cookie", "consent", "legal", "copyright", "disclaimer", "licen", "modal", "popup",
		"overlay", "login", "search", "skip"}},
	{fHintComment, []string{"comment", "disqus", "respon", "discussion", "reply", "kommentar"}},
	{fHintContent, []string{"article", "artikel", "content", "body", "entry", "post", "text",
		"story", "main", "detail", "news", "paragraph"}},
	{fHintLead, []string{"lead", "intro", "summary", "abstract", "chapo", "standfirst", "excerpt",
		"description", "deck", "subtitle", "subline", "teaser", "kicker", "summary"}},
	{fHintMedia, []string{"caption", "credit", "photo", "image", "img", "media", "gallery",
		"slide", "video", "figure", "picture", "foto", "bild"}},
}

// hints is a bit set of the hint groups and telling tags of one element.
type hints uint16

const (
	hTagChrome hints = 1 << (iota + 12)
	hTagHeader
	hTagFigure
)

// elementHints reads the hint groups from n's class and id, and the tags
// that mark page furniture.
func elementHints(n *html.Node) hints {
	var h hints
	switch n.DataAtom {
	case atom.Aside, atom.Nav, atom.Footer, atom.Form, atom.Menu:
		h |= hTagChrome
	case atom.Header:
		h |= hTagHeader
	case atom.Figure, atom.Figcaption, atom.Caption:
		h |= hTagFigure
	}
	for _, a := range n.Attr {
		if a.Key != "class" && a.Key != "id" {
			continue
		}
		for _, tok := range classTokens(a.Val) {
			for g, hw := range hintWords {
				if h&(1<<g) == 0 && matchesHint(tok, hw.words) {
					h |= 1 << g
				}
			}
		}
	}
	return h
}

func matchesHint(tok string, words []string) bool {
	for _, w := range words {
		if tok == w || len(w) >= 4 && strings.Contains(tok, w) {
			return true
		}
	}
	return false
}

// classTokens splits a class or id value into lower-cased words at
// punctuation and at camelCase humps ("ArticleHero__teaser" gives
// "article", "hero", "teaser").
func classTokens(s string) []string {
	var out []string
	start := -1
	prevLower := false
	for i, r := range s {
		letter := unicode.IsLetter(r) || unicode.IsDigit(r)
		if !letter || (unicode.IsUpper(r) && prevLower) {
			if start >= 0 {
				out = append(out, strings.ToLower(s[start:i]))
			}
			start = -1
		}
		if letter && start < 0 {
			start = i
		}
		prevLower = unicode.IsLower(r)
	}
	if start >= 0 {
		out = append(out, strings.ToLower(s[start:]))
	}
	return out
}

// describe fills every block's features.
func (pg *page) describe() {
	// The hints that count are those of the elements between a block and
	// the article's container: a class on <body> or on the container
	// itself says nothing about one paragraph.
	above := map[*html.Node]bool{}
	for n := pg.main; n != nil; n = n.Parent {
		above[n] = true
	}
	// where each block sits in the article's text, as the share of the
	// kept words before it
	regionWords, before := 0, make([]int, len(pg.blocks))
	for i, b := range pg.blocks {
		before[i] = regionWords
		if b.traf && b.inMain {
			regionWords += b.words
		}
	}
	// how many words of other blocks lie between a block and the
	// article's text: a lead or a last paragraph that trafilatura left
	// out sits right against it
	gap := pg.gaps()
	cache := map[*html.Node]hints{}
	seen := map[string]int{}
	texts := make([]string, len(pg.blocks))
	for i := range pg.blocks {
		seen[strings.ToLower(pg.blocks[i].Text)]++
		texts[i] = pg.blocks[i].Text
	}
	// the page's own language, for the share of function words: running
	// text is dense in them, labels, names and menus are not
	lang := stopwords.Guess(texts)
	for i := range pg.blocks {
		b := &pg.blocks[i]
		var h hints
		for n := b.Node; n != nil && n.Type == html.ElementNode && !above[n] && n.DataAtom != atom.Body; n = n.Parent {
			eh, ok := cache[n]
			if !ok {
				eh = elementHints(n)
				cache[n] = eh
			}
			h |= eh
		}
		x := &b.x
		x[fBias] = 1
		x[fTraf] = bit(b.traf)
		x[fRead] = bit(b.read)
		x[fWords] = math.Min(math.Log1p(float64(b.words))/math.Log(100), 1.5)
		x[fShort] = bit(b.words < 5)
		if b.Runes > 0 {
			x[fLinks] = float64(b.LinkRunes) / float64(b.Runes)
		}
		x[fSentence] = bit(endsSentence(b.Text))
		switch b.Node.DataAtom {
		case atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6:
			x[fHeading] = 1
		case atom.Li, atom.Dt, atom.Dd:
			x[fItem] = 1
		case atom.Td, atom.Th:
			x[fCell] = 1
		}
		x[fCaption] = bit(h&hTagFigure != 0)
		x[fInMain] = bit(b.inMain)
		x[fBefore] = bit(b.pos < 0)
		x[fAfter] = bit(b.pos > 0)
		near := 0.0
		if i > 0 && pg.blocks[i-1].traf {
			near += 0.5
		}
		if i+1 < len(pg.blocks) && pg.blocks[i+1].traf {
			near += 0.5
		}
		x[fNear] = near
		x[fTitle] = pg.titleShare(b)
		x[fDup] = bit(seen[strings.ToLower(b.Text)] > 1)
		x[fTagChrome] = bit(h&hTagChrome != 0)
		x[fTagHeader] = bit(h&hTagHeader != 0)
		for g, hw := range hintWords {
			x[hw.feature] = bit(h&(1<<g) != 0)
		}
		// Blocks trafilatura left out are judged apart: most of what it
		// drops is furniture, and some is the article's lead or a list.
		if !b.traf {
			x[fAddBefore] = bit(b.pos < 0)
			x[fAddAfter] = bit(b.pos > 0)
			x[fAddInside] = bit(b.pos == 0)
			x[fAddDup] = x[fDup]
		}
		x[fNearBefore] = bit(b.pos < 0 && gap[i] < 40)
		x[fNearAfter] = bit(b.pos > 0 && gap[i] < 40)
		x[fLinkHeavy] = bit(x[fLinks] >= 0.5)
		x[fCaps] = capsShare(b.Text)
		x[fAddress] = bit(addressRE.MatchString(b.Text))
		x[fCopyright] = bit(strings.Contains(b.Text, "©"))
		// "Read also: …", "Subscribe to our newsletter", "Share": the
		// furniture phrases of the common languages
		x[fBoiler] = bit(textdump.IsBoilerplate(b.Text))
		x[fCredit] = bit(textdump.IsCredit(b.Text, b.words))
		if lang.Known() && b.words >= 3 {
			x[fStops] = lang.StopShare(b.Text)
		}
		if b.pos == 0 && regionWords > 0 {
			x[fRelPos] = float64(before[i]) / float64(regionWords)
			x[fTail] = bit(x[fRelPos] >= 0.85)
		}
	}
}

// addressRE finds web and mail addresses and social handles, which
// promotion and contact lines carry and running text seldom does.
var addressRE = regexp.MustCompile(`(?i)https?://|www\.|\S@\S|(?:^|\s)@\w`)

// capsShare is the share of upper-case letters in a text of two words or
// more: shouted labels and calls to action are written in capitals.
func capsShare(s string) float64 {
	if !strings.Contains(s, " ") {
		return 0
	}
	up, letters := 0, 0
	for _, r := range s {
		if unicode.IsLetter(r) {
			letters++
			if unicode.IsUpper(r) {
				up++
			}
		}
	}
	if letters == 0 {
		return 0
	}
	return float64(up) / float64(letters)
}

// gaps counts, for each block outside the article's text, the words of
// the blocks between it and that text.
func (pg *page) gaps() []int {
	gap := make([]int, len(pg.blocks))
	first, last := -1, -1
	for i, b := range pg.blocks {
		if b.pos == 0 {
			if first < 0 {
				first = i
			}
			last = i
		}
	}
	if first < 0 {
		return gap
	}
	for i, n := first-1, 0; i >= 0; i-- {
		gap[i] = n
		n += pg.blocks[i].words
	}
	for i, n := last+1, 0; i < len(pg.blocks); i++ {
		gap[i] = n
		n += pg.blocks[i].words
	}
	return gap
}

// titleShare is the share of a short block's words that are in the
// title: the headline itself, or a teaser that repeats it.
func (pg *page) titleShare(b *block) float64 {
	if len(pg.title) == 0 || b.words > 40 {
		return 0
	}
	ws := words(b.Text)
	if len(ws) < 2 {
		return 0
	}
	n := 0
	for _, w := range ws {
		if pg.title[w] {
			n++
		}
	}
	return float64(n) / float64(len(ws))
}

func bit(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

// endsSentence reports text that ends as running prose does, after any
// closing quotes or brackets.
func endsSentence(s string) bool {
	s = strings.TrimRightFunc(s, func(r rune) bool {
		return strings.ContainsRune(`"'”’»)]*`, r) || unicode.IsSpace(r)
	})
	r, _ := utf8.DecodeLastRuneInString(s)
	return strings.ContainsRune(".!?…:;。！？", r)
}

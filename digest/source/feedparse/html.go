package feedparse

import (
	"bytes"
	"net/url"
	"regexp"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"github.com/weeklywrap/digest/digest/source/clean"
)

// tagLike spots markup in a body: a tag, a closing tag or an entity-free
// comment. Plain-text bodies (JSON Feed content_text, bare RSS descriptions)
// have none.
var tagLike = regexp.MustCompile(`<(?:[a-zA-Z][a-zA-Z0-9]*[\s/>]|/[a-zA-Z]|!--)`)

func looksHTML(s string) bool { return tagLike.MatchString(s) }

// body turns an item's raw content into sanitized HTML with absolute links
// and the clean paragraphs of its text. Plain text gives no HTML.
func body(raw string, base *url.URL) (htmlOut string, paras []string) {
	if strings.TrimSpace(raw) == "" {
		return "", nil
	}
	if !looksHTML(raw) {
		return "", clean.Paragraphs(raw)
	}
	safe := clean.SanitizeHTML(raw)
	return rewrite(safe, base)
}

// rewrite makes href and src attributes absolute and collects the text of
// each block, in one pass over already sanitized HTML.
func rewrite(safe string, base *url.URL) (string, []string) {
	var out bytes.Buffer
	out.Grow(len(safe) + len(safe)/16)
	var paras []string
	var cur strings.Builder
	flush := func() {
		if t := clean.Text(cur.String()); t != "" {
			paras = append(paras, t)
		}
		cur.Reset()
	}
	hidden := 0
	z := html.NewTokenizer(strings.NewReader(safe))
	for {
		tt := z.Next()
		switch tt {
		case html.ErrorToken:
			flush()
			if len(paras) == 0 && !bytes.Contains(out.Bytes(), []byte("<img")) {
				return "", nil // nothing left a reader could see
			}
			return strings.TrimSpace(out.String()), paras
		case html.TextToken:
			raw := z.Raw()
			if hidden == 0 {
				cur.Write(raw) // still escaped: clean.Text decodes entities once
			}
			out.Write(raw)
		case html.StartTagToken, html.SelfClosingTagToken, html.EndTagToken:
			name, hasAttr := z.TagName()
			a := atom.Lookup(name)
			if clean.IsFragmentHidden(a) {
				if tt == html.StartTagToken {
					hidden++
				} else if tt == html.EndTagToken && hidden > 0 {
					hidden--
				}
			}
			if clean.IsFragmentBlock(a) {
				flush()
			} else if tt != html.EndTagToken && (a == atom.Img || a == atom.Input) {
				cur.WriteByte(' ')
			}
			if hasAttr && base != nil && tt != html.EndTagToken && (a == atom.A || a == atom.Img || a == atom.Source || a == atom.Area) {
				writeResolved(&out, z, name, tt, base)
				continue
			}
			out.Write(z.Raw())
		default:
			out.Write(z.Raw())
		}
	}
}

// writeResolved writes the current tag (its name already read) with href
// and src made absolute.
func writeResolved(out *bytes.Buffer, z *html.Tokenizer, name []byte, tt html.TokenType, base *url.URL) {
	out.WriteByte('<')
	out.Write(name)
	for {
		k, v, more := z.TagAttr()
		val := string(v)
		if string(k) == "href" || string(k) == "src" {
			val = resolve(base, val)
		}
		out.WriteByte(' ')
		out.Write(k)
		out.WriteString(`="`)
		out.WriteString(html.EscapeString(val))
		out.WriteByte('"')
		if !more {
			break
		}
	}
	if tt == html.SelfClosingTagToken {
		out.WriteString("/>")
		return
	}
	out.WriteByte('>')
}

// plain strips markup from a short field such as a title and cleans it.
func plain(s string) string {
	if !strings.ContainsAny(s, "<&") {
		return clean.Text(s)
	}
	if !looksHTML(s) {
		return clean.Text(s)
	}
	var b strings.Builder
	z := html.NewTokenizer(strings.NewReader(s))
	for {
		switch z.Next() {
		case html.ErrorToken:
			return clean.Text(b.String())
		case html.TextToken:
			b.Write(z.Raw())
		case html.StartTagToken, html.EndTagToken, html.SelfClosingTagToken:
			b.WriteByte(' ')
		}
	}
}

package render

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	htmltemplate "html/template"
	"io"
	"mime/quotedprintable"
	"strings"
	"sync"

	"github.com/weeklywrap/digest/digest"
)

// Personal fields, in the order of their placeholder index.
const (
	fieldName = iota
	fieldEmail
	fieldUnsubscribe
	fieldPreferences
	numFields
)

// Prepared is one issue rendered once, ready to be personalized per
// subscriber. It is immutable and safe for concurrent use.
type Prepared struct {
	subject string
	// One rendering per combination of present Personal fields (bit i set
	// when field i is non-empty), so that templates may test
	// {{if .Personal.Name}} and still be personalized by splicing only.
	variants [1 << numFields]variant
}

type variant struct {
	html, text spliced
}

// spliced is a rendering cut at its placeholders: lits[0] field[0] lits[1]
// field[1] … lits[n].
type spliced struct {
	lits   []string
	fields []int
	size   int

	// The literals quoted-printable encoded, made on first use (see
	// writeQP): a send encodes the issue once instead of once per reader.
	qp *encodedLits
}

type encodedLits struct {
	once sync.Once
	lits []string
}

// Prepare renders the issue and its subject once. Placeholders stand where
// the subscriber's values go; they carry a random token so that no title or
// summary can forge one.
func (r *Renderer) Prepare(is *digest.Issue) (*Prepared, error) {
	subject, err := r.Subject(is)
	if err != nil {
		return nil, err
	}
	var nonce [8]byte
	if _, err := rand.Read(nonce[:]); err != nil {
		return nil, fmt.Errorf("render: placeholder token: %w", err)
	}
	token := "wwp" + hex.EncodeToString(nonce[:]) + "f"
	v := r.view(is, subject)
	p := &Prepared{subject: subject}
	var hb, tb bytes.Buffer
	for mask := range p.variants {
		v.Personal = placeholders(token, mask)
		hb.Reset()
		if err := r.html.Execute(&hb, v); err != nil {
			return nil, fmt.Errorf("render: %s for issue %d: %w", HTMLTemplate, is.Number, err)
		}
		tb.Reset()
		if err := r.text.Execute(&tb, v); err != nil {
			return nil, fmt.Errorf("render: %s for issue %d: %w", TextTemplate, is.Number, err)
		}
		p.variants[mask] = variant{
			html: split(hb.String(), token),
			text: split(tb.String(), token),
		}
	}
	return p, nil
}

func placeholders(token string, mask int) Personal {
	var f [numFields]string
	for i := range f {
		if mask&(1<<i) != 0 {
			f[i] = fmt.Sprintf("%s%d", token, i)
		}
	}
	return Personal{Name: f[fieldName], Email: f[fieldEmail], UnsubscribeURL: f[fieldUnsubscribe], PreferencesURL: f[fieldPreferences]}
}

func split(s, token string) spliced {
	sp := spliced{size: len(s), qp: &encodedLits{}}
	for {
		i := strings.Index(s, token)
		if i < 0 || i+len(token) >= len(s) || s[i+len(token)] < '0' || s[i+len(token)] >= '0'+numFields {
			sp.lits = append(sp.lits, s)
			return sp
		}
		sp.lits = append(sp.lits, s[:i])
		sp.fields = append(sp.fields, int(s[i+len(token)]-'0'))
		s = s[i+len(token)+1:]
	}
}

func (sp *spliced) join(vals *[numFields]string) string {
	n := sp.size
	for _, f := range sp.fields {
		n += len(vals[f])
	}
	var b strings.Builder
	b.Grow(n)
	for i, f := range sp.fields {
		b.WriteString(sp.lits[i])
		b.WriteString(vals[f])
	}
	b.WriteString(sp.lits[len(sp.lits)-1])
	return b.String()
}

func (sp *spliced) writeTo(w io.Writer, vals *[numFields]string) (int64, error) {
	var total int64
	for i, lit := range sp.lits {
		n, err := io.WriteString(w, lit)
		total += int64(n)
		if err != nil {
			return total, err
		}
		if i < len(sp.fields) {
			n, err = io.WriteString(w, vals[sp.fields[i]])
			total += int64(n)
			if err != nil {
				return total, err
			}
		}
	}
	return total, nil
}

// writeQP writes the rendering quoted-printable encoded: the literals as
// encoded once, the values encoded here. Encoded pieces are joined by a
// soft line break wherever the one before ends inside a line, so no line
// outgrows 76 characters and the decoded text is the pieces' concatenation
// (the encoder never ends a piece with bare white space, which a line
// break would drop).
func (sp *spliced) writeQP(w io.Writer, vals *[numFields]string) (int64, error) {
	sp.qp.once.Do(func() {
		sp.qp.lits = make([]string, len(sp.lits))
		for i, lit := range sp.lits {
			sp.qp.lits[i] = encodeQP(lit)
		}
	})
	var total int64
	midLine := false
	write := func(piece string) error {
		if piece == "" {
			return nil
		}
		if midLine {
			n, err := io.WriteString(w, "=\r\n")
			total += int64(n)
			if err != nil {
				return err
			}
		}
		n, err := io.WriteString(w, piece)
		total += int64(n)
		midLine = !strings.HasSuffix(piece, "\r\n")
		return err
	}
	for i, lit := range sp.qp.lits {
		if err := write(lit); err != nil {
			return total, err
		}
		if i < len(sp.fields) {
			if err := write(encodeQP(vals[sp.fields[i]])); err != nil {
				return total, err
			}
		}
	}
	return total, nil
}

// encodeQP is s quoted-printable encoded as text (line breaks become CRLF).
func encodeQP(s string) string {
	if s == "" {
		return ""
	}
	var b strings.Builder
	b.Grow(len(s) + len(s)/8)
	qw := quotedprintable.NewWriter(&b)
	_, _ = io.WriteString(qw, s) // a strings.Builder does not fail
	_ = qw.Close()
	return b.String()
}

func (pe Personal) values() [numFields]string {
	return [numFields]string{pe.Name, pe.Email, pe.UnsubscribeURL, pe.PreferencesURL}
}

func (pe Personal) mask() int {
	m := 0
	for i, s := range pe.values() {
		if s != "" {
			m |= 1 << i
		}
	}
	return m
}

// Subject is the issue's subject line.
func (p *Prepared) Subject() string { return p.subject }

// HTML is the HTML part for one subscriber. Values are escaped here the
// way html/template would have: text for the name and address, a checked
// and normalized URL for the links.
func (p *Prepared) HTML(pe Personal) string {
	sp, vals := p.htmlPart(pe)
	return sp.join(&vals)
}

// Text is the plain-text part for one subscriber.
func (p *Prepared) Text(pe Personal) string {
	sp, vals := p.textPart(pe)
	return sp.join(&vals)
}

// htmlPart is the HTML rendering for pe and pe's values as it takes them.
func (p *Prepared) htmlPart(pe Personal) (*spliced, [numFields]string) {
	pe = cleanPersonal(pe)
	vals := pe.values()
	for i := range vals {
		vals[i] = htmltemplate.HTMLEscapeString(vals[i])
	}
	return &p.variants[pe.mask()].html, vals
}

// textPart is the text rendering for pe and pe's values.
func (p *Prepared) textPart(pe Personal) (*spliced, [numFields]string) {
	pe = cleanPersonal(pe)
	return &p.variants[pe.mask()].text, pe.values()
}

// WriteHTML writes what HTML returns to w without building the string,
// for a mailer that streams each message into its own buffer.
func (p *Prepared) WriteHTML(w io.Writer, pe Personal) (int64, error) {
	sp, vals := p.htmlPart(pe)
	return sp.writeTo(w, &vals)
}

// WriteText writes what Text returns to w.
func (p *Prepared) WriteText(w io.Writer, pe Personal) (int64, error) {
	sp, vals := p.textPart(pe)
	return sp.writeTo(w, &vals)
}

// WriteHTMLQP writes what HTML returns quoted-printable encoded (RFC
// 2045: CRLF line ends, lines of at most 76 characters), for a mailer that
// sends the part as it is. The issue's own text is encoded once per
// Prepared; only the subscriber's values are encoded per message, and a
// soft line break joins them to the text around (it decodes to nothing).
func (p *Prepared) WriteHTMLQP(w io.Writer, pe Personal) (int64, error) {
	sp, vals := p.htmlPart(pe)
	return sp.writeQP(w, &vals)
}

// WriteTextQP writes what Text returns quoted-printable encoded, as
// WriteHTMLQP does.
func (p *Prepared) WriteTextQP(w io.Writer, pe Personal) (int64, error) {
	sp, vals := p.textPart(pe)
	return sp.writeQP(w, &vals)
}

// cleanPersonal folds names and addresses to one line and replaces a link
// that is not http(s) or mailto with "#", as html/template does.
func cleanPersonal(pe Personal) Personal {
	pe.Name = oneLine(pe.Name)
	pe.Email = oneLine(pe.Email)
	pe.UnsubscribeURL = safeURL(pe.UnsubscribeURL)
	pe.PreferencesURL = safeURL(pe.PreferencesURL)
	return pe
}

func safeURL(s string) string {
	s = strings.TrimSpace(s)
	if s == "" {
		return ""
	}
	if !hasScheme(s, "https:") && !hasScheme(s, "http:") && !hasScheme(s, "mailto:") {
		return "#"
	}
	return normalizeURL(s)
}

func hasScheme(s, scheme string) bool {
	return len(s) >= len(scheme) && strings.EqualFold(s[:len(scheme)], scheme)
}

// normalizeURL percent-encodes bytes that may not appear in a URL (spaces,
// quotes, controls, non-ASCII) and keeps everything else, like
// html/template's URL normalizer.
func normalizeURL(s string) string {
	const hexd = "0123456789ABCDEF"
	if strings.IndexFunc(s, func(r rune) bool { return !urlSafe(r) }) < 0 {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if urlSafe(rune(c)) {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hexd[c>>4])
		b.WriteByte(hexd[c&15])
	}
	return b.String()
}

func urlSafe(c rune) bool {
	return c > ' ' && c < 0x7f && !strings.ContainsRune("\"'<>\\`{}|^", c)
}

package clean

import (
	"bytes"
	"errors"
	"fmt"
	"mime"
	"net/http"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/gogs/chardet"
	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/htmlindex"
	"golang.org/x/text/encoding/unicode"
)

// ErrBinary is returned by ToUTF8 for data that is not text at all.
var ErrBinary = errors.New("not text")

// prescanSize is how far into a document a charset declaration is looked
// for; browsers use 1024 bytes, but saved pages often put long <head>
// content first.
const prescanSize = 4096

var (
	metaCharset = regexp.MustCompile(`(?i)<meta[^>]*?charset\s*=\s*["']?\s*([a-z0-9_:.+-]+)`)
	xmlEncoding = regexp.MustCompile(`(?i)^\s*<\?xml[^>]*?encoding\s*=\s*["']([a-z0-9_:.+-]+)`)
)

// ToUTF8 returns data as UTF-8. It honours, in order, a byte-order mark,
// the charset parameter of contentType (may be empty), and a declaration in
// the document (<meta charset>, <meta http-equiv> or an XML declaration);
// without any, it detects the charset. Bytes that are valid UTF-8 are kept
// as UTF-8 even under a legacy declaration, because saved and re-served
// pages often keep a stale <meta> after conversion, and decoding them again
// would give mojibake. Binary data, or text that does not decode in any
// charset without damage, gives an error saying what was wrong.
func ToUTF8(data []byte, contentType string) ([]byte, error) {
	if len(data) == 0 {
		return data, nil
	}
	if enc, n := bomEncoding(data); enc != nil {
		return decode(data[n:], enc, "byte-order mark")
	}
	if err := sniffBinary(data); err != nil {
		return nil, err
	}
	declared, from := declaredEncoding(data, contentType)
	if declared != nil && needsDecoding(declared, data) {
		return decode(data, declared, from)
	}
	if utf8.Valid(data) {
		return undoDoubleEncoding(data), nil
	}
	if declared != nil && !isUTF8(declared) {
		return decode(data, declared, from)
	}
	// Declared UTF-8 (or nothing) but invalid. A page with real multi-byte
	// sequences is UTF-8 with a few damaged bytes; one without any is in a
	// legacy charset that nobody declared.
	if declared != nil && hasMultibyte(data) {
		return bytes.ToValidUTF8(data, []byte("\uFFFD")), nil
	}
	enc, name := detect(data)
	return decode(data, enc, "detected "+name)
}

func bomEncoding(data []byte) (encoding.Encoding, int) {
	switch {
	case bytes.HasPrefix(data, []byte{0xEF, 0xBB, 0xBF}):
		return unicode.UTF8, 3
	case bytes.HasPrefix(data, []byte{0xFE, 0xFF}):
		return unicode.UTF16(unicode.BigEndian, unicode.IgnoreBOM), 2
	case bytes.HasPrefix(data, []byte{0xFF, 0xFE}):
		return unicode.UTF16(unicode.LittleEndian, unicode.IgnoreBOM), 2
	}
	return nil, 0
}

// sniffSize is how far into the data the binary sniffers look for NUL
// bytes and control characters.
const sniffSize = 8192

// sniffBinary rejects data that a text decoder would turn into garbage.
func sniffBinary(data []byte) error {
	head := data[:min(len(data), 512)]
	if ct := http.DetectContentType(head); !strings.HasPrefix(ct, "text/") &&
		ct != "application/octet-stream" && !strings.Contains(ct, "xml") && !strings.Contains(ct, "json") {
		return fmt.Errorf("%w: content looks like %s", ErrBinary, ct)
	}
	if i := bytes.IndexByte(data[:min(len(data), sniffSize)], 0); i >= 0 {
		return fmt.Errorf("%w: NUL byte at offset %d", ErrBinary, i)
	}
	return nil
}

// DumpToUTF8 returns a plain-text page dump (what copying a page's text
// gives, package textdump) as UTF-8 text, without a byte-order mark.
// guessed reports that the bytes were not valid UTF-8: they are read as
// Windows-1252, the usual encoding of such a dump, or repaired with U+FFFD.
// Data whose head holds a NUL byte or more than 5% control characters is
// ErrBinary.
//
// It is kept apart from ToUTF8, whose rules are for documents that may
// declare their charset: a dump declares none, so invalid UTF-8 gets one
// guess rather than detection, and the binary test counts control
// characters rather than matching file signatures. Reading dumps with
// ToUTF8 would change the text of some dumps and refuse others.
func DumpToUTF8(data []byte) (text string, guessed bool, err error) {
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	if controlHeavy(data) {
		return "", false, ErrBinary
	}
	if !utf8.Valid(data) {
		dec, derr := charmap.Windows1252.NewDecoder().Bytes(data)
		if derr != nil {
			return strings.ToValidUTF8(string(data), "\uFFFD"), true, nil
		}
		return string(dec), true, nil
	}
	return string(data), false, nil
}

// controlHeavy looks at the head of the data for NUL bytes and control
// characters, which text dumps do not contain.
func controlHeavy(data []byte) bool {
	head := data[:min(len(data), sniffSize)]
	ctl := 0
	for _, b := range head {
		switch {
		case b == 0:
			return true
		case b < 0x20 && b != '\n' && b != '\r' && b != '\t' && b != '\f' && b != '\v':
			ctl++
		}
	}
	return ctl*20 > len(head)
}

// declaredEncoding finds the charset the data claims, and says where the
// claim came from. Unknown labels are ignored, as browsers do.
func declaredEncoding(data []byte, contentType string) (encoding.Encoding, string) {
	if contentType != "" {
		if _, params, err := mime.ParseMediaType(contentType); err == nil && params["charset"] != "" {
			if enc, err := htmlindex.Get(params["charset"]); err == nil {
				return enc, fmt.Sprintf("charset %q in Content-Type", params["charset"])
			}
		}
	}
	head := data[:min(len(data), prescanSize)]
	for _, re := range []*regexp.Regexp{xmlEncoding, metaCharset} {
		if m := re.FindSubmatch(head); m != nil {
			label := string(m[1])
			enc, err := htmlindex.Get(label)
			if err != nil {
				continue
			}
			// A document cannot declare UTF-16 from inside itself in an
			// ASCII-compatible way; HTML treats that claim as UTF-8.
			if name, _ := htmlindex.Name(enc); strings.HasPrefix(name, "utf-16") {
				enc = unicode.UTF8
			}
			return enc, fmt.Sprintf("charset %q declared in the document", label)
		}
	}
	return nil, ""
}

func isUTF8(enc encoding.Encoding) bool {
	name, _ := htmlindex.Name(enc)
	return name == "utf-8"
}

// needsDecoding reports declared charsets whose text can look like valid
// UTF-8: UTF-16 without a BOM (from a header) and 7-bit ISO-2022-JP.
func needsDecoding(enc encoding.Encoding, data []byte) bool {
	name, _ := htmlindex.Name(enc)
	switch {
	case strings.HasPrefix(name, "utf-16"):
		return true
	case name == "iso-2022-jp":
		return bytes.IndexByte(data, 0x1B) >= 0
	}
	return false
}

func hasMultibyte(data []byte) bool {
	for len(data) > 0 {
		r, n := utf8.DecodeRune(data)
		if r != utf8.RuneError && n > 1 {
			return true
		}
		data = data[n:]
	}
	return false
}

// detect guesses the charset of data that is not UTF-8, falling back to
// windows-1252, which decodes every byte and is the commonest legacy
// charset on the web.
func detect(data []byte) (encoding.Encoding, string) {
	det := chardet.NewHtmlDetector()
	if res, err := det.DetectBest(data[:min(len(data), 64<<10)]); err == nil && res.Confidence >= 30 {
		if enc, err := htmlindex.Get(res.Charset); err == nil && !isUTF8(enc) {
			return enc, res.Charset
		}
	}
	enc, _ := htmlindex.Get("windows-1252")
	return enc, "windows-1252"
}

// decode converts data and refuses results where a noticeable share of the
// characters did not decode: that means the charset was wrong, and the
// output would be mojibake.
func decode(data []byte, enc encoding.Encoding, from string) ([]byte, error) {
	out, err := enc.NewDecoder().Bytes(data)
	if err != nil {
		return nil, fmt.Errorf("decode as %s: %w", from, err)
	}
	bad, total := 0, 0
	for _, r := range string(out) {
		total++
		if r == utf8.RuneError {
			bad++
		}
	}
	if bad > 16 && bad*50 > total {
		return nil, fmt.Errorf("decode as %s: %d of %d characters are not valid in that charset", from, bad, total)
	}
	return out, nil
}

// undoDoubleEncoding repairs text encoded to UTF-8 twice. It acts only
// when the marks are frequent and the whole text maps back to windows-1252
// bytes that form valid UTF-8, so correct text is never touched.
func undoDoubleEncoding(data []byte) []byte {
	if countDoubleMarks(data, 3) < 3 {
		return data
	}
	// windows-1252 as browsers decode it: the five bytes the charset leaves
	// undefined map to the C1 controls of the same value.
	toByte := make(map[rune]byte, 128)
	for b := 0x80; b <= 0xFF; b++ {
		r := charmap.Windows1252.DecodeByte(byte(b))
		if r == utf8.RuneError {
			r = rune(b)
		}
		toByte[r] = byte(b)
	}
	back := make([]byte, 0, len(data))
	for _, r := range string(data) {
		switch b, ok := toByte[r]; {
		case r < 0x80:
			back = append(back, byte(r))
		case ok:
			back = append(back, b)
		default:
			return data // a character windows-1252 cannot hold: not double-encoded
		}
	}
	if !utf8.Valid(back) {
		return data
	}
	return back
}

// countDoubleMarks counts, up to limit, the marks of UTF-8 that was
// decoded as windows-1252 and encoded again: one of "ÂÃÄÅâ" (what a UTF-8
// lead byte becomes) followed by what a continuation byte becomes, a
// character in U+0080–U+00BF or one of windows-1252's letters and
// punctuation in 0x80–0x9F ("Ã©" for "é", "â€™" for "’"). A byte scan, as
// a regexp over whole pages costs more than the extraction.
func countDoubleMarks(data []byte, limit int) int {
	n := 0
	for i := 0; n < limit; {
		j := bytes.IndexByte(data[i:], 0xC3)
		if j < 0 {
			break
		}
		i += j + 1
		if i+2 >= len(data) {
			break
		}
		switch data[i] {
		case 0x82, 0x83, 0x84, 0x85, 0xA2: // Â Ã Ä Å â
		default:
			continue
		}
		b0, b1 := data[i+1], data[i+2]
		switch {
		case b0 == 0xC2 && b1 >= 0x80 && b1 <= 0xBF, // U+0080–U+00BF
			b0 == 0xE2 && (b1 == 0x80 || b1 == 0x82 || b1 == 0x84), // – — ‘ ’ “ ” • … € ™
			b0 == 0xC5 || b0 == 0xCB || (b0 == 0xC6 && b1 == 0x92): // Œ œ Š š Ÿ Ž ž ˆ ˜ ƒ
			n++
		}
	}
	return n
}

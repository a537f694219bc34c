package render

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"strings"
	"time"

	"github.com/goodsign/monday"
)

// Catalog holds the labels of one language: the email, its text part, the
// web pages and the notices. The keys are the English strings themselves,
// so English needs no file and a label missing from a language falls back
// to English. Files live at lang/<code>.json in the templates (an operator
// may add or override one with templates_dir); values that take
// arguments use fmt verbs in the same order as the English key.
type Catalog struct {
	Lang    string
	strings map[string]string
	locale  monday.Locale
	long    string // layout of the issue date, "Monday, 2 January 2006"
	short   string // layout of a story's date, "2 Jan 2006"
}

// dateLayouts are the date layouts per language; monday translates the
// day and month names into the locale.
var dateLayouts = map[string]struct {
	locale      monday.Locale
	long, short string
}{
	"en": {monday.LocaleEnGB, "Monday, 2 January 2006", "2 Jan 2006"},
	"de": {monday.LocaleDeDE, "Monday, 2. January 2006", "2. Jan 2006"},
	"fr": {monday.LocaleFrFR, "Monday 2 January 2006", "2 Jan 2006"},
	"es": {monday.LocaleEsES, "Monday, 2 de January de 2006", "2 Jan 2006"},
}

// LoadCatalog reads lang/<lang>.json from fsys. English, and a language
// with no file, use the English keys: a missing file is no error for "en"
// only. lang may carry a region ("de-AT"); its language part chooses.
func LoadCatalog(fsys fs.FS, lang string) (*Catalog, error) {
	code := strings.ToLower(lang)
	if i := strings.IndexAny(code, "-_"); i > 0 {
		code = code[:i]
	}
	if code == "" {
		code = "en"
	}
	c := &Catalog{Lang: code, strings: map[string]string{}}
	d, ok := dateLayouts[code]
	if !ok {
		d = dateLayouts["en"]
	}
	c.locale, c.long, c.short = d.locale, d.long, d.short
	if code == "en" {
		return c, nil
	}
	b, err := fs.ReadFile(fsys, "lang/"+code+".json")
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("render: no catalogue for language %q: add lang/%s.json to templates_dir, or set newsletter.lang to one of en, de, fr, es", lang, code)
	}
	if err != nil {
		return nil, fmt.Errorf("render: catalogue for %q: %w", lang, err)
	}
	if err := json.Unmarshal(b, &c.strings); err != nil {
		return nil, fmt.Errorf("render: lang/%s.json: %w", code, err)
	}
	return c, nil
}

// T is the label s in the catalogue's language, or s itself.
func (c *Catalog) T(s string) string {
	if c == nil {
		return s
	}
	if v, ok := c.strings[s]; ok && v != "" {
		return v
	}
	return s
}

// Tf formats the translated label with args. A nil Catalog is English.
func (c *Catalog) Tf(s string, args ...any) string {
	return fmt.Sprintf(c.T(s), args...)
}

// Keys lists the catalogue's strings, for tests that check a language
// covers them all.
func (c *Catalog) Keys() []string {
	out := make([]string, 0, len(c.strings))
	for k := range c.strings {
		out = append(out, k)
	}
	return out
}

// LongDate is the date, "Sunday, 22 November 2026" in English.
func (c *Catalog) LongDate(t time.Time) string {
	if c == nil {
		return t.Format(dateLayouts["en"].long)
	}
	return monday.Format(t, c.long, c.locale)
}

// Month is the month's name, "March" in English.
func (c *Catalog) Month(t time.Time) string {
	if c == nil {
		return t.Format("January")
	}
	return monday.Format(t, "January", c.locale)
}

// ShortDate is a story's date, "22 Nov 2026" in English.
func (c *Catalog) ShortDate(t time.Time) string {
	if c == nil {
		return t.Format(dateLayouts["en"].short)
	}
	return monday.Format(t, c.short, c.locale)
}

// Funcs are the template functions over the catalogue, t LABEL and
// tf LABEL ARGS…, for every template that shows labels.
func (c *Catalog) Funcs() map[string]any {
	return map[string]any{
		"t":  c.T,
		"tf": c.Tf,
	}
}

// JoinAnd joins names as "A, B and C" in the catalogue's language.
func (c *Catalog) JoinAnd(xs []string) string {
	switch len(xs) {
	case 0:
		return ""
	case 1:
		return xs[0]
	}
	return strings.Join(xs[:len(xs)-1], ", ") + " " + c.T("and") + " " + xs[len(xs)-1]
}

// Duration says how long a link works, in whole days or hours ("2 days").
func (c *Catalog) Duration(d time.Duration) string {
	switch {
	case d == 24*time.Hour:
		return c.T("one day")
	case d >= 24*time.Hour && d%(24*time.Hour) == 0:
		return c.Tf("%d days", int(d/(24*time.Hour)))
	case d == time.Hour:
		return c.T("one hour")
	case d >= time.Hour:
		return c.Tf("%d hours", int(d/time.Hour))
	}
	return c.Tf("%d minutes", int(d/time.Minute))
}

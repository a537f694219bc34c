package textdump

// The phrase lists of this package (navigation, promotion and consent
// notices, picture credits) also tell an HTML page's article paragraphs
// from its furniture; htmlpage reads them through these functions rather
// than keeping lists of its own. (The stop lists both use are in package
// stopwords.)

// IsBoilerplate reports a line or paragraph that reads as page furniture
// in one of the common languages: a widget label, a "Read also:" link, a
// consent or newsletter notice, a copyright line, a cut-off teaser.
// Paragraphs over 400 bytes are never boilerplate.
func IsBoilerplate(s string) bool { return isBoilerplate(s) }

// IsCredit reports a short line of so many words that credits a picture
// ("Foto: dpa", "… / Getty Images") rather than saying something.
func IsCredit(s string, words int) bool { return isCredit(s, words) }

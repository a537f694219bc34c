package textdump

import (
	"regexp"
	"slices"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
)

// boilerPhrases mark navigation, promotion, consent notices and widgets
// rather than article text, in the languages pages are most often written
// in. They are matched on word boundaries and are only decisive on short
// lines. (A phrase list, not one big regexp: this runs on every line.)
var boilerPhrases = []string{
	// English
	"cookie", "cookies", "privacy policy", "privacy notice", "privacy statement", "terms of use",
	"terms of service", "terms and conditions", "all rights reserved", "copyright", "sign up",
	"sign in", "log in", "login", "subscribe", "newsletter", "newsletters", "share this", "share on",
	"share via", "follow us", "read more", "advertisement", "sponsored", "related articles",
	"related posts", "related stories", "related content", "you may also like", "you might also like",
	"recommended", "click here", "skip to", "skip navigation", "jump to", "leave a comment",
	"leave a reply", "notify me", "your email", "required fields", "powered by", "back to top",
	"load more", "view all", "see all", "trending", "most popular", "most read", "most viewed",
	"permalink", "print this", "in your inbox", "to your inbox", "external content", "no comments",
	"unsubscribe", "no spam", "next time i comment", "by submitting", "personal data", "your data",
	"community standards", "community guidelines", "mandatory fields", "your comment", "comment policy",
	"opens in new window", "opens in a new window", "click to share", "click to email", "click to print",
	// German
	"datenschutzerklärung", "datenschutzhinweise", "alle rechte vorbehalten",
	"jetzt abonnieren",
	"folge uns", "folgen sie uns", "jetzt teilen", "artikel teilen", "teilen sie", "mehr zum thema",
	"mehr erfahren", "weitere artikel", "weitere beiträge", "weitere meldungen",
	"lesen sie auch", "lesen sie mehr", "auch interessant", "das könnte sie auch interessieren",
	"das könnte dich auch interessieren", "meistgelesen", "meistgelesene", "schreibe einen kommentar",
	"kommentar schreiben", "keine kommentare", "noch keine kommentare",
	"pflichtfelder", "nächste mal kommentiere", "wieder kommentiere", "externer inhalt", "inhalt laden", "inhalte laden",
	"zum newsletter", "ins postfach", "in dein postfach", "in ihr postfach",
	// French
	"tous droits réservés", "mentions légales", "politique de confidentialité", "lire aussi",
	"à lire aussi", "lire la suite", "voir aussi",
	"laisser un commentaire", "se connecter", "s'inscrire", "en savoir plus", "articles similaires",
	"sur le même sujet",
	// Spanish
	"todos los derechos reservados", "política de privacidad", "lee también", "lea también",
	"vea también", "ver también", "te puede interesar", "le puede interesar",
	"deja un comentario", "iniciar sesión", "leer más",
	"noticias relacionadas", "artículos relacionados",
	// Portuguese
	"todos os direitos reservados", "política de privacidade", "leia também", "veja também",
	"deixe um comentário", "leia mais", "notícias relacionadas",
	// Italian
	"tutti i diritti riservati", "informativa sulla privacy", "leggi anche",
	"lascia un commento", "articoli correlati",
	// Dutch
	"alle rechten voorbehouden", "privacybeleid", "lees ook", "lees meer", "volg ons", "deel dit",
	"gerelateerde artikelen",
	// Polish
	"wszelkie prawa zastrzeżone", "polityka prywatności", "czytaj też", "czytaj także", "czytaj również",
	"zobacz też", "zobacz także", "przeczytaj również", "przeczytaj też",
	"prawem autorskim",
}

// boilerLabels are words that label a widget when they stand nearly alone
// ("Anzeige", "Kommentare", "Teilen") but are ordinary words in a sentence.
var boilerLabels = map[string]bool{
	"werbung": true, "anzeige": true, "kommentare": true, "kommentar": true, "antworten": true, "teilen": true,
	"partager": true, "compartir": true, "condividi": true, "compartilhe": true, "udostępnij": true,
	"komentarze": true, "reklama": true, "publicidad": true, "publicité": true, "publicidade": true,
	"pubblicità": true, "advertentie": true, "reageer": true, "anmelden": true, "registrieren": true,
	"abonnieren": true, "einloggen": true, "abmelden": true, "inloggen": true, "aanmelden": true,
	"iscriviti": true, "seguici": true, "impressum": true, "einwilligung": true, "datenschutz": true,
	"weiterlesen": true, "zaloguj": true, "suscríbete": true, "regístrate": true, "síguenos": true,
	"abonnez-vous": true, "suivez-nous": true, "siga-nos": true, "melden": true, "merken": true,
	"drucken": true, "imprimer": true, "imprimir": true, "stampa": true,
}

// creditRE matches photo captions' credit lines and the credits closing a
// caption: "Foto: …", "Photo: … / Getty Images", "… © Name/pixelio.de",
// "The pier at dawn. Photo: Name".
var creditRE = regexp.MustCompile(`(?i)^(?:foto|fotos|photo|photos|bild|titelbild|beitragsbild|quelle|source|credit|image|images|abbildung|abb\.|fig\.|figure|crédito|créditos|zdjęcie|fot\.|imagen|imagem|photograph|photography|illustration|grafik)\s*:|^credit\p{Lu}|©|\((?:foto|photo|bild)\b|\b(?:getty images|picture[- ]alliance|shutterstock|istock(?:photo)?|unsplash|pixabay|pixelio|fotolia|adobe ?stock|ap photo)\b|[/|]\s*(?:dpa|reuters|afp|ap|epa|imago|ddp)\b|[.)]\s*(?:foto|fotos|photo|photos|bild|image|credit)\s*:\s*[^.!?]{1,60}$`)

// isCredit reports a short line that credits a picture rather than saying
// something: a caption's source, or a caption ending with its credit.
func isCredit(s string, size int) bool {
	if size > 40 || !strings.ContainsAny(s, ":©/(") && !strings.Contains(strings.ToLower(s), "credit") {
		return false
	}
	return creditRE.MatchString(s)
}

// galleryRE is a picture counter opening a caption: "Image 1 of 23",
// "2of4A shopper looks …", "Bild 3 von 12".
var galleryRE = regexp.MustCompile(`^(?:(?:image|photo|picture|slide|foto|bild|imagen|imagem|zdjęcie)\s*\d{1,3}\s*(?:of|/|von|de|sur|di|van|z)\s*\d{1,3}|\d{1,3}of\d{1,3}|\d{1,3}\s*(?:of|/|von|de|sur|di|van|z)\s*\d{1,3}$)`)

// truncated reports a teaser or link label cut off by the page with an
// ellipsis in the middle of a phrase ("… now available via Upd..."). A
// paragraph that trails off after whole sentences is text, unless the page
// cuts many lines so (see cutTeasers).
func truncated(s string) bool {
	rest, ok := cutEnd(s)
	return ok && !strings.Contains(rest, ". ") && !strings.Contains(rest, "? ") && !strings.Contains(rest, "! ")
}

// cutEnd reports a line ending in an ellipsis right after a letter or
// digit, and returns what precedes the ellipsis.
func cutEnd(s string) (string, bool) {
	var rest string
	switch {
	case strings.HasSuffix(s, "..."):
		rest = strings.TrimRight(s, ".")
	case strings.HasSuffix(s, "…"):
		rest = strings.TrimSuffix(s, "…")
	default:
		return "", false
	}
	if len(rest) > 300 || strings.Count(rest, " ") > 40 {
		return "", false
	}
	r, _ := utf8.DecodeLastRuneInString(rest)
	return rest, unicode.IsLetter(r) || unicode.IsDigit(r)
}

// alsoRE opens a link to another story: "Read also: …", "Lesen Sie auch".
var alsoRE = regexp.MustCompile(`(?i)^(?:(?:read|see) (?:also|more)|lesen sie (?:auch|mehr)|lies auch|siehe auch|mehr dazu|(?:à )?lire (?:aussi|également)|voir aussi|(?:lee|lea|vea|ver|mira) (?:también|tambien|además)|(?:leia|veja) (?:também|mais)|leggi anche|lees ook|czytaj (?:też|także|również)|zobacz (?:też|także|również)|przeczytaj (?:też|także|również))\b\s*[:.…>»-]?|^related\s*:`)

// boilerLines are whole lines that are widget labels.
var boilerLines = map[string]bool{
	"share": true, "tweet": true, "email": true, "print": true, "reply": true, "report": true,
	"like": true, "menu": true, "search": true, "home": true, "close": true, "next": true,
	"previous": true, "more": true,
}

// agoRE matches relative times under teasers: "32M ago", "2 hours ago".
var agoRE = regexp.MustCompile(`^(about |an? )?\d*\s*(s|m|h|d|w|sec|secs|min|mins|minutes?|hours?|hrs?|days?|weeks?|months?|years?)\s+ago$`)

func isBoilerplate(s string) bool {
	if len(s) > 400 {
		return false
	}
	low := strings.ToLower(s)
	if boilerLines[low] || len(low) < 30 && agoRE.MatchString(low) {
		return true
	}
	if strings.Contains(low, "©") || alsoRE.MatchString(low) || galleryRE.MatchString(low) || truncated(s) {
		return true
	}
	if len(low) < 60 {
		if ws := strings.FieldsFunc(low, func(r rune) bool { return !isWordRune(r) && r != '-' }); len(ws) <= 4 {
			for _, w := range ws {
				if boilerLabels[w] {
					return true
				}
			}
		}
	}
	ws := strings.FieldsFunc(low, notWord)
	idx := phraseIndex()
	for i, w := range ws {
		for _, p := range idx[w] {
			if i+len(p) <= len(ws) && slices.Equal(ws[i:i+len(p)], p) {
				return true
			}
		}
	}
	return false
}

func notWord(r rune) bool { return !isWordRune(r) }

// phraseIndex maps the first word of each boilerplate phrase to the
// phrases it opens, split into words, so that a line is matched against
// the list in one pass over its words.
var phraseIndex = sync.OnceValue(func() map[string][][]string {
	m := make(map[string][][]string, len(boilerPhrases))
	for _, p := range boilerPhrases {
		if ws := strings.FieldsFunc(p, notWord); len(ws) > 0 {
			m[ws[0]] = append(m[ws[0]], ws)
		}
	}
	return m
})

func isWordRune(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) || r == '_' }

// shareWords are share-button and social labels that end up in tag lists.
var shareWords = map[string]bool{
	"facebook": true, "twitter": true, "reddit": true, "email": true, "print": true, "linkedin": true,
	"whatsapp": true, "pinterest": true, "share": true, "tweet": true, "e-mail": true, "comments": true,
	"x": true, "flipboard": true, "pocket": true, "copy link": true, "telegram": true,
}

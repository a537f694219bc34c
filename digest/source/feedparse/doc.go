// Package feedparse reads RSS 0.9x/1.0/2.0, Atom and JSON Feed documents
// into digest.Articles, and reads and writes OPML subscription lists. It is
// pure: it takes bytes and gives articles, with no network client and no
// store; package feed fetches the bytes and keeps what fetching needs.
//
// Parsing is done by gofeed; this package decides how an item becomes an
// Article:
//
//   - ID is the item's canonical link (scheme and host lower-cased, default
//     port, fragment and tracking parameters such as utm_*, fbclid and gclid
//     removed); else its GUID (a bare GUID such as "123", unique only in its
//     feed, is prefixed with the feed URL and "#"); else "sha256:" and a hash
//     of title and text.
//     A link that cannot identify an item falls back to GUID or hash: the
//     feed's home page, a site root, or a link that different items of the
//     feed share (some feeds point every item at the same page).
//     Items repeating a GUID (or, lacking one, an ID) are kept once: the first.
//   - URL is the item link resolved against the feed's base, with tracking
//     parameters removed; a permalink GUID stands in for a missing link.
//   - Published comes from the item's published date, else its updated date,
//     in UTC, with PublishedFrom = digest.DateFromFeed. An item without a
//     usable date keeps a zero Published and an empty PublishedFrom: the
//     caller decides (the store can record when it first saw the item,
//     digest.DateFromFetch). It is never silently set to "now".
//   - Future dates: Parse reports dates as the feed gives them. ParseDoc,
//     given a Span, leaves out an item dated after Span.TooLate and counts
//     it in Document.Future (package feed sets TooLate a day after the
//     fetch, to absorb time-zone mistakes). It is not clamped to "now",
//     which would invent a date.
//   - HTML (content, else description; the longer text wins when both exist)
//     is sanitized with bluemonday's UGC policy and its links and images are
//     made absolute. Paragraphs is its clean text, split at block elements.
//     Plain-text bodies are split at blank lines and leave HTML empty.
//
// Broken input is read where that is safe and refused clearly where not:
// a document cut short keeps its complete items; JSON Feeds that bend the
// spec (numeric ids, a string for tags, "RSS in JSON") are normalized; an
// HTML page or an OPML list served as a feed gives ErrNotFeed saying which.
//
// Memory follows what is kept: items outside the span are dropped before
// their bodies are sanitized.
package feedparse

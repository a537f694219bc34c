package curate

import (
	"math"
	"math/bits"
	"regexp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/weeklywrap/digest/digest"
	"github.com/weeklywrap/digest/digest/stopwords"
	"github.com/weeklywrap/digest/digest/summary"
	"github.com/weeklywrap/digest/digest/weburl"
)

const (
	shingleSize = 3  // words per shingle
	numBins     = 64 // one-permutation MinHash bins (one per top-6-bit value)
	binShift    = 64 - 6
	minShingles = 8  // below this a text is too thin to compare by content
	openTokens  = 10 // opening words of a paragraph that identify it
	maxOpenings = 30 // paragraphs indexed by their opening, enough for an excerpt
	minTitleLen = 4  // shorter titles ("Weekly links") are too common to be a key
)

// fingerprint is what near-duplicate detection keeps of an article: a
// MinHash signature of its word shingles and a few exact keys. It is small
// (a few hundred bytes) so that 50,000 feed items fit in memory.
type fingerprint struct {
	sig   [numBins]uint32
	size  int      // distinct shingles; 0 when the text is empty
	canon string   // canonical URL, "" when none
	title string   // normalized title, "" when too short to be a key
	words []uint64 // hashes of the title's content words, sorted
	opens []uint64 // hashes of paragraph openings, for excerpts of this text
	src   uint64   // hash of the source's key
}

// storyURL is the canonical URL that identifies a's story, or "" when its
// link cannot: a site's root, or a feed item whose ID is not its link (the
// feed reader falls back to the GUID when several items share one link,
// such as the home page).
func storyURL(a *digest.Article) string {
	c := weburl.MatchKey(a.URL)
	if c == "" && strings.Contains(a.ID, "://") {
		c = weburl.MatchKey(a.ID)
	}
	if !strings.Contains(c, "/") {
		return ""
	}
	if a.Source.Kind == digest.KindFeed && a.ID != "" && !strings.Contains(a.ID, "://") {
		return ""
	}
	return c
}

func (f *fingerprint) thin() bool { return f.size < minShingles }

func fingerprintOf(a *digest.Article) fingerprint {
	f := fingerprint{canon: storyURL(a), src: hashString(sourceKey(a.Source))}
	tt := summary.Tokens(strings.ReplaceAll(cleanTitle(a.Title), "’", "'"))
	if len(tt) >= minTitleLen {
		f.title = strings.Join(tt, " ")
	}
	for _, w := range tt {
		if !stopwords.IsEnglish(w) {
			f.words = append(f.words, hashString(stem(w)))
		}
	}
	slices.Sort(f.words)
	f.words = slices.Compact(f.words)
	// Titles stay out of the shingles: a title-only feed item must count as
	// thin, to be matched by its title key alone.
	var th []uint64
	for _, p := range a.Paragraphs {
		// Links are most of what differs between templated items (a link
		// aggregator's "Article URL: … Comments URL: … Points: 12"), so
		// without them such items are thin, not duplicates.
		if strings.Contains(p, "://") || strings.Contains(p, "www.") {
			p = urlPattern.ReplaceAllString(p, " ")
		}
		start := len(th)
		th = appendWordHashes(th, p)
		if len(th)-start >= openTokens && len(f.opens) < maxOpenings {
			var h uint64
			for _, x := range th[start : start+openTokens] {
				h = mix64(h ^ x)
			}
			f.opens = append(f.opens, h)
		}
	}
	if len(th) < shingleSize {
		return f
	}
	sh := make([]uint64, 0, len(th)-shingleSize+1)
	for i := 0; i+shingleSize <= len(th); i++ {
		sh = append(sh, mix64(th[i]^bits.RotateLeft64(th[i+1], 21)^bits.RotateLeft64(th[i+2], 42)))
	}
	f.size = distinct(sh)
	f.sig = oneperm(sh)
	return f
}

// oneperm computes a one-permutation MinHash: the top bits pick the bin,
// the low bits compete for its minimum, so one hash per shingle suffices
// (k independent hashes would cost k times as much on 50,000 items). Empty
// bins borrow from the next filled one, offset by the distance, so short
// texts still compare bin by bin (densified one-permutation hashing).
func oneperm(sh []uint64) [numBins]uint32 {
	var sig [numBins]uint32
	var filled uint64
	for i := range sig {
		sig[i] = ^uint32(0)
	}
	for _, h := range sh {
		b := h >> binShift
		if v := uint32(h); v <= sig[b] {
			sig[b] = v
			filled |= 1 << b
		}
	}
	if filled == 0 || filled == ^uint64(0) {
		return sig
	}
	var out [numBins]uint32
	for i := range numBins {
		for d := range numBins {
			j := (i + d) % numBins
			if filled&(1<<j) != 0 {
				out[i] = sig[j] + uint32(d)*0x9E3779B9
				break
			}
		}
	}
	return out
}

// distinct counts the distinct hashes in sh: exactly for short texts, by
// linear counting over a bitmap for long ones, where sorting each text's
// shingles would be most of the cost at 50,000 items.
func distinct(sh []uint64) int {
	const bitsN = 8192
	if len(sh) <= 256 {
		s := slices.Clone(sh)
		slices.Sort(s)
		return len(slices.Compact(s))
	}
	var bm [bitsN / 64]uint64
	for _, h := range sh {
		b := h % bitsN
		bm[b/64] |= 1 << (b % 64)
	}
	zeros := 0
	for _, w := range bm {
		zeros += 64 - bits.OnesCount64(w)
	}
	if zeros == 0 {
		return len(sh)
	}
	n := -bitsN * math.Log(float64(zeros)/bitsN)
	return min(len(sh), int(math.Round(n)))
}

// jaccard estimates the Jaccard similarity of two shingle sets.
func jaccard(a, b *fingerprint) float64 {
	if a.size == 0 || b.size == 0 {
		return 0
	}
	n := 0
	for i := range numBins {
		if a.sig[i] == b.sig[i] {
			n++
		}
	}
	return float64(n) / numBins
}

// containment estimates how much of the smaller text lies in the larger,
// from the Jaccard estimate and the set sizes: |A∩B| = J(|A|+|B|)/(1+J).
// It finds a feed excerpt inside the full page a seed holds.
func containment(a, b *fingerprint, j float64) float64 {
	small := min(a.size, b.size)
	if small == 0 {
		return 0
	}
	inter := j * float64(a.size+b.size) / (1 + j)
	return min(1, inter/float64(small))
}

// cleanTitle drops trailing " | Site" or " - Author - Site" parts so that a
// page title and a feed title of the same story agree.
func cleanTitle(t string) string {
	for {
		cut := -1
		for _, sep := range []string{" | ", " – ", " — ", " - ", " · ", " :: "} {
			if i := strings.LastIndex(t, sep); i > 0 && i > cut && len(strings.Fields(t[i:])) <= 5 {
				cut = i
			}
		}
		if cut < 0 || len(strings.Fields(t[:cut])) < 2 {
			return t
		}
		t = t[:cut]
	}
}

// appendWordHashes appends a hash of each lower-cased word of s (runs of
// letters and digits), without allocating a string per word: at 50,000
// feed items tokenizing is most of the cost.
func appendWordHashes(dst []uint64, s string) []uint64 {
	const offset, prime = 14695981039346656037, 1099511628211
	h, in := uint64(offset), false
	for _, r := range s {
		switch {
		case r < utf8.RuneSelf && ('a' <= r && r <= 'z' || '0' <= r && r <= '9'):
		case r < utf8.RuneSelf && 'A' <= r && r <= 'Z':
			r += 'a' - 'A'
		case r >= utf8.RuneSelf && (unicode.IsLetter(r) || unicode.IsNumber(r)):
			r = unicode.ToLower(r)
		default:
			if in {
				dst = append(dst, h)
				h, in = offset, false
			}
			continue
		}
		h = (h ^ uint64(r)) * prime
		in = true
	}
	if in {
		dst = append(dst, h)
	}
	return dst
}

var urlPattern = regexp.MustCompile(`(?i)\b(?:https?://|www\.)\S+`)

// titleSim is the Dice coefficient of two titles' content words.
func titleSim(a, b *fingerprint) float64 {
	if len(a.words) == 0 || len(b.words) == 0 {
		return 0
	}
	common, i, j := 0, 0, 0
	for i < len(a.words) && j < len(b.words) {
		switch {
		case a.words[i] == b.words[j]:
			common++
			i++
			j++
		case a.words[i] < b.words[j]:
			i++
		default:
			j++
		}
	}
	return 2 * float64(common) / float64(len(a.words)+len(b.words))
}

// hashString is FNV-1a, inlined: hash/fnv would allocate once per token.
func hashString(s string) uint64 {
	h := uint64(14695981039346656037)
	for i := 0; i < len(s); i++ {
		h ^= uint64(s[i])
		h *= 1099511628211
	}
	return h
}

// mix64 is the splitmix64 finalizer: it spreads every input bit over the
// output so the top bits can pick a bin.
func mix64(x uint64) uint64 {
	x ^= x >> 30
	x *= 0xbf58476d1ce4e5b9
	x ^= x >> 27
	x *= 0x94d049bb133111eb
	x ^= x >> 31
	return x
}

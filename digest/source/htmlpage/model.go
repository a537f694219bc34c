package htmlpage

import "math"

// The model is two logistic regressions fitted on labelled pages (see
// fit_test.go). The first reads each block's own features; the second
// reads the first's verdict beside its neighbours', the way a reader
// takes a short line between two paragraphs of the article as part of it,
// and a heading over a list of links as part of the list.

// weights of the first stage, over a block's features (features.go).
var weights = features{
	fBias:        -1.558,
	fTraf:        1.061,
	fRead:        0.947,
	fWords:       2.521,
	fShort:       -0.096,
	fLinks:       -1.531,
	fSentence:    0.706,
	fHeading:     -0.250,
	fItem:        1.139,
	fCell:        0.000,
	fCaption:     -1.007,
	fInMain:      0.220,
	fBefore:      -0.869,
	fAfter:       -1.400,
	fNear:        1.179,
	fTitle:       0.825,
	fDup:         0.575,
	fTagChrome:   -0.724,
	fTagHeader:   0.128,
	fHintRelated: -0.289,
	fHintAuthor:  -1.227,
	fHintPromo:   -0.979,
	fHintSocial:  -0.922,
	fHintChrome:  -0.482,
	fHintComment: -1.490,
	fHintContent: 0.253,
	fLinkHeavy:   -0.213,
	fCaps:        -0.935,
	fAddress:     -0.086,
	fCopyright:   -0.264,
	fRelPos:      -0.872,
	fTail:        -0.786,
	fAddBefore:   -0.090,
	fAddAfter:    -1.089,
	fAddInside:   0.118,
	fAddDup:      -0.414,
	fHintLead:    0.232,
	fHintMedia:   -1.400,
	fNearBefore:  0.185,
	fNearAfter:   -0.587,
	fBoiler:      -2.609,
	fStops:       -0.250,
	fCredit:      -1.315,
}

// context features of the second stage.
type context [nContext]float64

const (
	cBias = iota
	cLogit
	cPrev
	cNext
	cHeadNext
	cShortNear
	nContext
)

var contextNames = [nContext]string{"bias", "logit", "prev", "next", "head-next", "short-near"}

var contextWeights = context{
	cBias:      -0.159,
	cLogit:     1.053,
	cPrev:      0.302,
	cNext:      -0.080,
	cHeadNext:  0.039,
	cShortNear: 0.480,
}

// threshold is the probability above which a block is kept, chosen with
// the penalty by TestFitModel's cross-validation (snippet F1 first, then
// the benchmark's F1).
const threshold = 0.6

// score sets every block's probability of being article text.
func (pg *page) score() {
	pg.scoreWith(weights, contextWeights)
}

func (pg *page) scoreWith(w features, cw context) {
	z := make([]float64, len(pg.blocks))
	first := make([]float64, len(pg.blocks))
	for i := range pg.blocks {
		z[i] = dot(w[:], pg.blocks[i].x[:])
		first[i] = sigmoid(z[i])
	}
	for i := range pg.blocks {
		c := pg.context(i, z, first)
		pg.blocks[i].p = sigmoid(dot(cw[:], c[:]))
	}
}

// context is block i's second-stage features given every block's
// first-stage logit and probability.
func (pg *page) context(i int, z, first []float64) context {
	var c context
	c[cBias] = 1
	c[cLogit] = z[i]
	c[cPrev] = mean(first[max(i-2, 0):i])
	c[cNext] = mean(first[min(i+1, len(first)):min(i+3, len(first))])
	if pg.blocks[i].x[fHeading] != 0 && i+1 < len(first) {
		c[cHeadNext] = first[i+1]
	}
	if pg.blocks[i].x[fShort] != 0 && i > 0 && i+1 < len(first) {
		c[cShortNear] = min(first[i-1], first[i+1])
	}
	return c
}

func mean(v []float64) float64 {
	if len(v) == 0 {
		return 0
	}
	s := 0.0
	for _, x := range v {
		s += x
	}
	return s / float64(len(v))
}

func dot(w, x []float64) float64 {
	z := 0.0
	for k := range w {
		z += w[k] * x[k]
	}
	return z
}

func sigmoid(z float64) float64 { return 1 / (1 + math.Exp(-z)) }

// keep lists the blocks whose probability reaches min, in page order.
func (pg *page) keep(min float64) []int {
	var out []int
	for i, b := range pg.blocks {
		if b.p >= min {
			out = append(out, i)
		}
	}
	return out
}

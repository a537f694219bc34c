package htmlpage

import "math"

// The model is two logistic regressions fitted on labelled pages (see
// fit_test.go). The first reads each block's own features; the second
// reads the first's verdict beside its neighbours', the way a reader
// takes a short line between two paragraphs of the article as part of it,
// and a heading over a list of links as part of the list.

// weights of the first stage, over a block's features (features.go).
var weights = features{
	fBias:        -1.923,
	fTraf:        1.059,
	fRead:        0.850,
	fWords:       2.800,
	fShort:       0.027,
	fLinks:       -1.602,
	fSentence:    0.723,
	fHeading:     -0.185,
	fItem:        1.342,
	fCell:        0.000,
	fCaption:     -1.157,
	fInMain:      0.235,
	fBefore:      -0.755,
	fAfter:       -1.441,
	fNear:        1.090,
	fTitle:       0.805,
	fDup:         0.691,
	fTagChrome:   -0.702,
	fTagHeader:   0.161,
	fHintRelated: -0.316,
	fHintAuthor:  -1.132,
	fHintPromo:   -1.262,
	fHintSocial:  -0.950,
	fHintChrome:  -0.563,
	fHintComment: -1.500,
	fHintContent: 0.229,
	fLinkHeavy:   -0.321,
	fCaps:        -1.010,
	fAddress:     0.004,
	fCopyright:   -1.618,
	fRelPos:      -0.887,
	fTail:        -0.711,
	fAddBefore:   -0.146,
	fAddAfter:    -1.102,
	fAddInside:   0.189,
	fAddDup:      -0.470,
	fHintLead:    0.157,
	fHintMedia:   -1.430,
	fNearBefore:  0.246,
	fNearAfter:   -0.594,
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
	cBias:      -0.086,
	cLogit:     1.059,
	cPrev:      0.123,
	cNext:      -0.066,
	cHeadNext:  0.101,
	cShortNear: 0.433,
}

// threshold is the probability above which a block is kept.
const threshold = 0.5

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

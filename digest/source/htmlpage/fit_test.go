package htmlpage

import (
	"encoding/json"
	"flag"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The block model's weights are fitted on labelled pages that stay out of
// the repository (the project's evaluation sets):
//
//	go test ./digest/source/htmlpage -run TestFitModel -v \
//	    -fit.pages DIR -fit.snippets DIR [-fit.check DIR,DIR]
//
// -fit.pages holds folders with page.html and gold.txt (the article text);
// -fit.snippets folders with page.html and snippets.json ("with": bits of
// the article, "without": bits of the page that are not). -fit.check names
// held-out folders of either kind, scored but never fitted on. The test
// prints two-fold cross-validated figures over the penalty (-fit.lambda)
// and the threshold (model.go), the weights as Go source for model.go,
// and per set the snippet F1 and the 4-gram F1 of the kept text.
var (
	fitPages    = flag.String("fit.pages", "", "folders with page.html and gold.txt to fit the block model on")
	fitSnippets = flag.String("fit.snippets", "", "folders with page.html and snippets.json to fit the block model on")
	fitCheck    = flag.String("fit.check", "", "comma-separated held-out folders of either kind, only scored")
	fitLambda   = flag.Float64("fit.lambda", 1, "L2 penalty of the fit")
)

// sample is one labelled block.
type sample struct {
	x     []float64
	y, w  float64
	page  int
	block int
}

// fitPage is one evaluation page: its blocks and what it is scored on.
type fitPage struct {
	name     string
	pg       *page
	gold     string   // article text (pages sets)
	with     []string // snippet sets
	without  []string
	hasBlock bool
}

func loadFitPages(t *testing.T, dir string) []fitPage {
	t.Helper()
	items, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var out []fitPage
	for _, it := range items {
		d := filepath.Join(dir, it.Name())
		data, err := os.ReadFile(filepath.Join(d, "page.html"))
		if err != nil {
			continue
		}
		fp := fitPage{name: it.Name()}
		if g, err := os.ReadFile(filepath.Join(d, "gold.txt")); err == nil {
			fp.gold = string(g)
		} else if s, err := os.ReadFile(filepath.Join(d, "snippets.json")); err == nil {
			var sn struct{ With, Without []string }
			if err := json.Unmarshal(s, &sn); err != nil {
				t.Fatalf("%s: %v", d, err)
			}
			fp.with, fp.without = sn.With, sn.Without
		} else {
			continue
		}
		_, pg, _ := extract(data, Options{})
		if pg == nil {
			pg = &page{}
		}
		fp.pg = pg
		out = append(out, fp)
	}
	return out
}

func normSpace(s string) string { return strings.Join(strings.Fields(s), " ") }

// labels turns a page's annotations into labelled blocks. A pages-set block
// is article text when its words run in the gold text; a snippet labels
// the blocks that hold it. Each page weighs the same in total.
func labels(fp fitPage, page int) []sample {
	var out []sample
	bs := fp.pg.blocks
	if fp.gold != "" {
		gold := " " + strings.Join(words(fp.gold), " ") + " "
		total := 0.0
		for i, b := range bs {
			ws := words(b.Text)
			if len(ws) == 0 {
				continue
			}
			y := 0.0
			if strings.Contains(gold, " "+strings.Join(ws, " ")+" ") {
				y = 1
			}
			w := math.Min(float64(len(ws)), 50)
			total += w
			out = append(out, sample{y: y, w: w, page: page, block: i})
		}
		for i := range out {
			out[i].w /= total / 6 // as much as the six snippets of a snippet page
		}
		return out
	}
	add := func(snips []string, y float64) {
		for _, sn := range snips {
			sn = normSpace(sn)
			var hit []int
			for i, b := range bs {
				if strings.Contains(b.Text, sn) {
					hit = append(hit, i)
					break
				}
			}
			if hit == nil {
				// a snippet across blocks labels each block inside it
				for i, b := range bs {
					if len(b.Text) >= 10 && strings.Contains(sn, b.Text) {
						hit = append(hit, i)
					}
				}
			}
			for _, i := range hit {
				out = append(out, sample{y: y, w: 1 / float64(len(hit)), page: page, block: i})
			}
		}
	}
	add(fp.with, 1)
	add(fp.without, 0)
	return out
}

// fitLogistic fits weights by Newton's method on the weighted log loss
// with an L2 penalty (not on the bias, the first feature).
func fitLogistic(samples []sample, n int, lambda float64) []float64 {
	w := make([]float64, n)
	for iter := 0; iter < 25; iter++ {
		g := make([]float64, n)
		h := make([][]float64, n)
		for a := range h {
			h[a] = make([]float64, n)
		}
		for _, s := range samples {
			p := sigmoid(dot(w, s.x))
			for a := range n {
				if s.x[a] == 0 {
					continue
				}
				g[a] += s.w * (p - s.y) * s.x[a]
				for b := range n {
					h[a][b] += s.w * p * (1 - p) * s.x[a] * s.x[b]
				}
			}
		}
		for a := range n {
			if a > 0 {
				g[a] += lambda * w[a]
				h[a][a] += lambda
			}
			h[a][a] += 1e-9
		}
		step := solve(h, g)
		for a := range w {
			w[a] -= step[a]
		}
	}
	return w
}

// solve solves h x = g by Gaussian elimination with partial pivoting.
func solve(h [][]float64, g []float64) []float64 {
	n := len(g)
	for c := 0; c < n; c++ {
		p := c
		for r := c + 1; r < n; r++ {
			if math.Abs(h[r][c]) > math.Abs(h[p][c]) {
				p = r
			}
		}
		h[c], h[p] = h[p], h[c]
		g[c], g[p] = g[p], g[c]
		for r := c + 1; r < n; r++ {
			f := h[r][c] / h[c][c]
			for k := c; k < n; k++ {
				h[r][k] -= f * h[c][k]
			}
			g[r] -= f * g[c]
		}
	}
	x := make([]float64, n)
	for r := n - 1; r >= 0; r-- {
		s := g[r]
		for k := r + 1; k < n; k++ {
			s -= h[r][k] * x[k]
		}
		x[r] = s / h[r][r]
	}
	return x
}

// model is both stages' weights.
type model struct {
	w  features
	cw context
}

// fit fits the first stage on the blocks' features, then the second on
// the context the first gives.
func fit(pages []fitPage, samples []sample, lambda float64) model {
	for i := range samples {
		s := &samples[i]
		s.x = pages[s.page].pg.blocks[s.block].x[:]
	}
	var m model
	copy(m.w[:], fitLogistic(samples, nFeatures, lambda))
	ctx := make([]sample, len(samples))
	for i, s := range samples {
		pg := pages[s.page].pg
		z := make([]float64, len(pg.blocks))
		first := make([]float64, len(pg.blocks))
		for k := range pg.blocks {
			z[k] = dot(m.w[:], pg.blocks[k].x[:])
			first[k] = sigmoid(z[k])
		}
		c := pg.context(s.block, z, first)
		s.x = c[:]
		ctx[i] = s
	}
	copy(m.cw[:], fitLogistic(ctx, nContext, lambda))
	return m
}

// evaluate scores pages with the weights: snippet F1 over the snippet
// pages, and the 4-gram F1 of the benchmark (per-page normalised counts)
// over the gold pages.
func evaluate(pages []fitPage, m model, min float64) (snipF1, benchF1 float64) {
	var tp, fp, fn int
	var zt, zf, zn float64
	for _, p := range pages {
		var kept []string
		p.pg.scoreWith(m.w, m.cw)
		for _, i := range p.pg.keep(min) {
			kept = append(kept, p.pg.blocks[i].Text)
		}
		text := normSpace(strings.Join(kept, " "))
		if p.gold == "" {
			for _, s := range p.with {
				if strings.Contains(text, normSpace(s)) {
					tp++
				} else {
					fn++
				}
			}
			for _, s := range p.without {
				if strings.Contains(text, normSpace(s)) {
					fp++
				}
			}
			continue
		}
		a, b, c := shingleCounts(words(text), words(p.gold))
		if s := a + b + c; s > 0 {
			zt, zf, zn = zt+a/s, zf+b/s, zn+c/s
		} else {
			zt++
		}
	}
	if tp+fp+fn > 0 {
		snipF1 = 2 * float64(tp) / float64(2*tp+fp+fn)
	}
	if zt > 0 {
		pr, rc := zt/(zt+zf), zt/(zt+zn)
		benchF1 = 2 * pr * rc / (pr + rc)
	}
	return snipF1, benchF1
}

func shingleCounts(pred, gold []string) (tp, fp, fn float64) {
	sh := func(t []string) map[string]int {
		m := map[string]int{}
		for i := 0; i+4 <= len(t); i++ {
			m[strings.Join(t[i:i+4], " ")]++
		}
		return m
	}
	p, g := sh(pred), sh(gold)
	for k, v := range p {
		tp += float64(min(v, g[k]))
		fp += float64(max(v-g[k], 0))
	}
	for k, v := range g {
		fn += float64(max(v-p[k], 0))
	}
	return tp, fp, fn
}

func TestFitModel(t *testing.T) {
	if *fitPages == "" && *fitSnippets == "" {
		t.Skip("no -fit.pages or -fit.snippets given")
	}
	var train []fitPage
	for _, d := range []string{*fitPages, *fitSnippets} {
		if d != "" {
			train = append(train, loadFitPages(t, d)...)
		}
	}
	var samples []sample
	for i, p := range train {
		samples = append(samples, labels(p, i)...)
	}
	// Two-fold cross-validation over pages for the penalty and the
	// threshold.
	mins := []float64{0.4, 0.5, 0.6, 0.7}
	for _, lambda := range []float64{0.3, 1, 3, 10} {
		sf, bf := make([]float64, len(mins)), make([]float64, len(mins))
		for fold := range 2 {
			var tr, te []fitPage
			for i, p := range train {
				if i%2 == fold {
					te = append(te, p)
				} else {
					tr = append(tr, p)
				}
			}
			var ss []sample
			for i, p := range tr {
				ss = append(ss, labels(p, i)...)
			}
			m := fit(tr, ss, lambda)
			for k, min := range mins {
				s, b := evaluate(te, m, min)
				sf[k], bf[k] = sf[k]+s/2, bf[k]+b/2
			}
		}
		for k, min := range mins {
			t.Logf("lambda %g threshold %.1f: cross-validated snippet F1 %.4f, bench F1 %.4f", lambda, min, sf[k], bf[k])
		}
	}
	m := fit(train, samples, *fitLambda)
	var src strings.Builder
	src.WriteString("var weights = features{\n")
	for k, v := range m.w {
		fmt.Fprintf(&src, "\tf%s: %.3f,\n", goName(featureNames[k]), v)
	}
	src.WriteString("}\n\nvar contextWeights = context{\n")
	for k, v := range m.cw {
		fmt.Fprintf(&src, "\tc%s: %.3f,\n", goName(contextNames[k]), v)
	}
	src.WriteString("}\n")
	t.Log("\n" + src.String())
	report := func(name string, pages []fitPage) {
		for _, min := range []float64{0.3, 0.4, 0.5, 0.6, 0.7} {
			sf, bf := evaluate(pages, m, min)
			t.Logf("%s threshold %.1f: snippet F1 %.4f, bench F1 %.4f", name, min, sf, bf)
		}
		sf, bf := evaluate(pages, model{w: features{fBias: -5, fTraf: 10}, cw: context{cLogit: 1}}, 0.5)
		t.Logf("%s trafilatura alone: snippet F1 %.4f, bench F1 %.4f", name, sf, bf)
	}
	report("fitted", train)
	if *fitCheck != "" {
		var check []fitPage
		for _, d := range strings.Split(*fitCheck, ",") {
			check = append(check, loadFitPages(t, d)...)
		}
		report("held out", check)
	}
}

// goName turns "hint-related" into "HintRelated".
func goName(s string) string {
	parts := strings.Split(s, "-")
	for i, p := range parts {
		parts[i] = strings.ToUpper(p[:1]) + p[1:]
	}
	return strings.Join(parts, "")
}

var showPage = flag.String("show", "", "an HTML file whose blocks TestShowBlocks prints with their probability and features")

// TestShowBlocks prints how the model sees a page, to study a wrong
// extraction: go test ./digest/source/htmlpage -run TestShowBlocks -v -show FILE
func TestShowBlocks(t *testing.T) {
	if *showPage == "" {
		t.Skip("no -show given")
	}
	data, err := os.ReadFile(*showPage)
	if err != nil {
		t.Fatal(err)
	}
	art, pg, err := extract(data, Options{})
	if pg == nil {
		t.Fatalf("no page: %v", err)
	}
	for _, b := range pg.blocks {
		var fs []string
		for k, v := range b.x {
			if v != 0 && k > fBias {
				fs = append(fs, fmt.Sprintf("%s=%.2g", featureNames[k], v))
			}
		}
		t.Logf("%.2f %-10s %.80q %s", b.p, b.Node.Data, b.Text, strings.Join(fs, " "))
	}
	t.Logf("confidence %.2f, low %v, %d words", art.Confidence, art.LowConfidence, art.Words())
}

package summary

import (
	"cmp"
	"math"
	"slices"
)

// maxChain bounds how many sentences referring back one to the other a
// summary takes as one piece.
const maxChain = 16

// choose picks up to k sentences greedily by maximal marginal relevance,
// λ·score − (1−λ)·(highest similarity to a chosen sentence), where sim is
// the n×n similarity matrix. A sentence that refers back comes with the
// sentences it needs, and is worth the mean of what it brings. A sentence
// at least maxSim similar to one chosen is never taken: MMR's penalty alone
// lets a caption or quote printed twice in a page in twice. It returns
// indexes in choice order.
func choose(sents []sentence, sim, scores []float64, c *rules, k int, lambda, maxSim float64) []int {
	n := len(sents)
	top := max(scores[argmax(scores)], 1e-12)
	redund := make([]float64, n)
	used := make([]bool, n)
	var picked []int
	for len(picked) < k {
		best, bestFrom, bestVal := -1, 0, 0.0
		for i := range sents {
			if used[i] || !c.usable[i] || redund[i] >= maxSim {
				continue
			}
			from := i // the first sentence i needs that is not chosen yet
			for from > 0 && c.dep[from] && !used[from-1] {
				from--
			}
			head := from // the sentence the run leans on
			for head > 0 && c.dep[head] {
				head--
			}
			if len(picked)+i-from+1 > k || i-from >= maxChain || i > head && !trimOK(c, used, head) {
				continue
			}
			v := 0.0
			for j := from; j <= i; j++ {
				if !used[j] {
					v += lambda*scores[j]/top - (1-lambda)*redund[j]
				}
			}
			v /= float64(i - from + 1)
			if best < 0 || v > bestVal {
				best, bestFrom, bestVal = i, from, v
			}
		}
		if best < 0 {
			break
		}
		for j := bestFrom; j <= best; j++ {
			if used[j] {
				continue
			}
			used[j] = true
			picked = append(picked, j)
			for i := range sents {
				redund[i] = max(redund[i], sim[i*n+j])
			}
		}
	}
	return picked
}

// trimOK reports whether sentences may follow the sentence at head, which
// opens a run of sentences referring back one to the other: not when it is
// shown without its connective, which only suits a sentence standing
// alone (the sentences after it lean on it as it was written).
func trimOK(c *rules, used []bool, head int) bool {
	return c.alone[head] == "" || head > 0 && used[head-1]
}

// fill picks the sentences for a word budget: the set of highest total
// value that fits, where a sentence's value grows with its score and its
// length and each budget word used is worth FillWeight/budget. Measured on
// news with long references, filling the budget with whole sentences beats
// the greedy stop-at-first-misfit by about three ROUGE-2 points. Before
// that, any sentence nearly repeating a better one (MaxSimilarity) is
// dropped: the knapsack has no notion of redundancy itself. Sentences that
// refer back form groups with the sentence they need: the knapsack takes
// a group's first few sentences or none.
func fill(sents []sentence, sim, scores []float64, c *rules, budget int, o Options) []int {
	n := len(sents)
	adj := make([]float64, n)
	for i, s := range scores {
		adj[i] = s * math.Pow(float64(max(sents[i].words, 1)), o.LengthExp)
	}
	top := max(adj[argmax(adj)], 1e-12)
	value := make([]float64, n)
	for i := range adj {
		value[i] = math.Pow(adj[i]/top, o.Sharpness) + o.FillWeight*float64(sents[i].words)/float64(budget)
	}
	ok := make([]bool, n)
	for i := range sents {
		if !c.usable[i] || c.dep[i] && !ok[i-1] {
			continue
		}
		ok[i] = true
		for j := range sents {
			if j != i && c.usable[j] && sim[i*n+j] >= o.MaxSimilarity && (adj[j] > adj[i] || adj[j] == adj[i] && j < i) {
				ok[i] = false
				break
			}
		}
	}
	var groups [][]int
	for i := 0; i < n; i++ {
		if !ok[i] || c.dep[i] {
			continue
		}
		g := []int{i}
		for i+1 < n && ok[i+1] && c.dep[i+1] && len(g) < maxChain && c.alone[g[0]] == "" {
			i++
			g = append(g, i)
		}
		groups = append(groups, g)
	}
	if picked, fits := knapsack(sents, groups, value, budget); fits {
		return picked
	}
	return greedyFill(sents, groups, adj, budget)
}

// greedyFill is the fallback for budgets too large for the knapsack table:
// best sentence first, with the sentences of its group it needs, skipping
// what no longer fits.
func greedyFill(sents []sentence, groups [][]int, adj []float64, budget int) []int {
	type at struct{ g, k int }
	var order []at
	for g, grp := range groups {
		for k := range grp {
			order = append(order, at{g, k})
		}
	}
	slices.SortStableFunc(order, func(a, b at) int { return cmp.Compare(adj[groups[b.g][b.k]], adj[groups[a.g][a.k]]) })
	taken := make([]int, len(groups)) // sentences taken from the start of each group
	var picked []int
	words := 0
	for _, x := range order {
		if x.k < taken[x.g] {
			continue
		}
		need := 0
		for _, i := range groups[x.g][taken[x.g] : x.k+1] {
			need += sents[i].words
		}
		if words+need <= budget {
			picked = append(picked, groups[x.g][taken[x.g]:x.k+1]...)
			taken[x.g] = x.k + 1
			words += need
		}
	}
	return picked
}

package summary

import (
	"cmp"
	"math"
	"slices"
)

// choose picks up to k sentences greedily by maximal marginal relevance,
// λ·score − (1−λ)·(highest similarity to a chosen sentence), where sim is
// the n×n similarity matrix. It returns indexes in choice order.
func choose(sents []sentence, sim, scores []float64, k int, lambda float64) []int {
	n := len(sents)
	top := max(scores[argmax(scores)], 1e-12)
	redund := make([]float64, n)
	used := make([]bool, n)
	var picked []int
	for len(picked) < k {
		best, bestVal := -1, 0.0
		for i := range sents {
			if used[i] {
				continue
			}
			v := lambda*scores[i]/top - (1-lambda)*redund[i]
			if best < 0 || v > bestVal {
				best, bestVal = i, v
			}
		}
		if best < 0 {
			break
		}
		used[best] = true
		picked = append(picked, best)
		for i := range sents {
			redund[i] = max(redund[i], sim[i*n+best])
		}
	}
	return picked
}

// fill picks the sentences for a word budget: the set of highest total
// value that fits, where a sentence's value grows with its score and its
// length and each budget word used is worth FillWeight/budget. Measured on
// news with long references, filling the budget with whole sentences beats
// the greedy stop-at-first-misfit by about three ROUGE-2 points. Before
// that, any sentence nearly repeating a better one (MaxSimilarity) is
// dropped: the knapsack has no notion of redundancy itself.
func fill(sents []sentence, sim, scores []float64, budget int, o Options) []int {
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
	cand := make([]int, 0, n)
	for i := range sents {
		dup := false
		for j := range sents {
			if j != i && sim[i*n+j] >= o.MaxSimilarity && (adj[j] > adj[i] || adj[j] == adj[i] && j < i) {
				dup = true
				break
			}
		}
		if !dup {
			cand = append(cand, i)
		}
	}
	if picked, ok := knapsack(sents, cand, value, budget); ok {
		return picked
	}
	return greedyFill(sents, cand, adj, budget)
}

// greedyFill is the fallback for budgets too large for the knapsack table:
// best first, skipping sentences that no longer fit.
func greedyFill(sents []sentence, cand []int, adj []float64, budget int) []int {
	order := slices.Clone(cand)
	slices.SortStableFunc(order, func(a, b int) int { return cmp.Compare(adj[b], adj[a]) })
	var picked []int
	words := 0
	for _, i := range order {
		if words+sents[i].words <= budget {
			picked = append(picked, i)
			words += sents[i].words
		}
	}
	return picked
}

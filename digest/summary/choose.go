package summary

// choose greedily adds the sentence with the best marginal relevance,
// λ·score − (1−λ)·(similarity to what is already chosen), among those that
// still fit the budget (sim is the n×n similarity matrix), until nothing more fits. With a word budget a long
// sentence that does not fit is skipped for shorter ones, so the summary
// fills its budget. It returns indexes into sents, in choice order.
func choose(sents []sentence, sim, scores []float64, b Budget, lambda float64) []int {
	n := len(sents)
	top := 0.0
	for _, s := range scores {
		top = max(top, s)
	}
	if top == 0 {
		top = 1
	}
	redund := make([]float64, n) // highest similarity to a chosen sentence
	used := make([]bool, n)
	var picked []int
	words := 0
	for b.Words > 0 || len(picked) < b.Sentences {
		best, bestVal := -1, 0.0
		for i := range sents {
			if used[i] || b.Words > 0 && words+sents[i].words > b.Words {
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
		words += sents[best].words
		for i := range sents {
			if !used[i] {
				redund[i] = max(redund[i], sim[i*n+best])
			}
		}
	}
	if len(picked) == 0 && n > 0 {
		// Nothing fits the word budget: the best sentence alone, whole.
		best := 0
		for i := range scores {
			if scores[i] > scores[best] {
				best = i
			}
		}
		picked = append(picked, best)
	}
	return picked
}

package summary

// maxCells bounds the knapsack table (groups × budget words), about 4 MB:
// far beyond any news article at any useful budget.
const maxCells = 1 << 22

// knapsack returns the choice of highest total value whose words fit
// within budget, by dynamic programming over word counts, where from each
// group it takes the first k sentences for some k, or none (a multiple-
// choice knapsack: a sentence that refers back needs the ones before it).
// It reports false when the table would exceed maxCells. Every sentence
// counts at least one word, so a group's options never cost nothing.
func knapsack(sents []sentence, groups [][]int, value []float64, budget int) ([]int, bool) {
	w := budget + 1
	if budget <= 0 || len(groups)*w > maxCells {
		return nil, false
	}
	best := make([]float64, w) // best[c]: highest value using exactly c words, -1 if none
	for c := 1; c < w; c++ {
		best[c] = -1
	}
	take := make([]uint8, len(groups)*w) // sentences taken from the group at capacity c
	size := make([]int, maxChain+1)
	gain := make([]float64, maxChain+1)
	for g, grp := range groups {
		for k, i := range grp {
			size[k+1] = size[k] + max(sents[i].words, 1)
			gain[k+1] = gain[k] + value[i]
		}
		for c := budget; c >= 1; c-- {
			for k := 1; k <= len(grp) && size[k] <= c; k++ {
				if b := best[c-size[k]]; b >= 0 && b+gain[k] > best[c] {
					best[c] = b + gain[k]
					take[g*w+c] = uint8(k)
				}
			}
		}
	}
	end := argmax(best)
	var picked []int
	for g := len(groups) - 1; g >= 0 && end > 0; g-- {
		if k := int(take[g*w+end]); k > 0 {
			picked = append(picked, groups[g][:k]...)
			for _, i := range groups[g][:k] {
				end -= max(sents[i].words, 1)
			}
		}
	}
	return picked, true
}

package summary

// maxCells bounds the knapsack table (sentences × budget words), about
// 4 MB of booleans: far beyond any news article at any useful budget.
const maxCells = 1 << 22

// knapsack returns the subset of cand with the highest total value whose
// words fit within budget, by dynamic programming over word counts. It
// reports false when the table would exceed maxCells.
func knapsack(sents []sentence, cand []int, value []float64, budget int) ([]int, bool) {
	w := budget + 1
	if budget <= 0 || len(cand)*w > maxCells {
		return nil, false
	}
	best := make([]float64, w) // best[c]: highest value using exactly c words, -1 if none
	for c := 1; c < w; c++ {
		best[c] = -1
	}
	take := make([]bool, len(cand)*w)
	for k, i := range cand {
		size := sents[i].words
		for c := budget; c >= size; c-- {
			if best[c-size] < 0 {
				continue
			}
			if v := best[c-size] + value[i]; v > best[c] {
				best[c] = v
				take[k*w+c] = true
			}
		}
	}
	end := argmax(best)
	var picked []int
	for k := len(cand) - 1; k >= 0 && end > 0; k-- {
		if take[k*w+end] {
			i := cand[k]
			picked = append(picked, i)
			end -= sents[i].words
		}
	}
	return picked, true
}

package summary

import (
	"reflect"
	"slices"
	"testing"
)

func sized(words ...int) []sentence {
	s := make([]sentence, len(words))
	for i, w := range words {
		s[i].words = w
	}
	return s
}

func TestKnapsackBeatsGreedy(t *testing.T) {
	// Budget 10: greedy by value takes the 6-word sentence and then only
	// fits nothing else; the best set is the two 5-word sentences.
	sents := sized(6, 5, 5)
	value := []float64{1.0, 0.8, 0.8}
	got, ok := knapsack(sents, [][]int{{0}, {1}, {2}}, value, 10)
	slices.Sort(got)
	if !ok || !reflect.DeepEqual(got, []int{1, 2}) {
		t.Errorf("knapsack = %v, %v; want [1 2], true", got, ok)
	}
	if g := greedyFill(sents, [][]int{{0}, {1}, {2}}, value, 10); !reflect.DeepEqual(g, []int{0}) {
		t.Errorf("greedyFill = %v, want [0]", g)
	}
}

func TestKnapsackLimits(t *testing.T) {
	sents := sized(3, 4)
	if got, ok := knapsack(sents, [][]int{{0}, {1}}, []float64{1, 1}, 2); !ok || len(got) != 0 {
		t.Errorf("nothing fits: got %v, %v", got, ok)
	}
	if _, ok := knapsack(sents, [][]int{{0}, {1}}, []float64{1, 1}, maxCells); ok {
		t.Error("a table over maxCells should be refused")
	}
}

func TestGreedyFillSkipsMisfits(t *testing.T) {
	sents := sized(8, 5, 3, 2)
	got := greedyFill(sents, [][]int{{0}, {1}, {2}, {3}}, []float64{0.9, 1, 0.5, 0.4}, 10)
	if !reflect.DeepEqual(got, []int{1, 2, 3}) {
		t.Errorf("greedyFill = %v, want [1 2 3] (8 words no longer fit after 5)", got)
	}
}

func TestFillDropsNearDuplicates(t *testing.T) {
	title, paras := readArticle(t, "tram.txt")
	dup := "Riverton city council has approved a new tram line linking the railway station with the hospital, at a cost of £120m."
	paras = append(paras, dup)
	got := Summarize(title, paras, Budget{Words: 1000})
	n := 0
	for _, s := range got {
		if s == dup {
			n++
		}
	}
	if n != 1 {
		t.Errorf("the repeated sentence appears %d times, want once", n)
	}
}

package summary

import (
	"flag"
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

var update = flag.Bool("update", false, "update golden files")

// TestSummarizeGolden pins the summaries of the fixture at several budgets,
// so that a change in ranking shows up as a readable diff. Regenerate with
// go test ./digest/summary -run Golden -update, and read the diff.
func TestSummarizeGolden(t *testing.T) {
	title, paras := readArticle(t, "tram.txt")
	var out strings.Builder
	for _, b := range []Budget{{Sentences: 1}, {Sentences: 2}, {Words: 60}, {Words: 120}} {
		fmt.Fprintf(&out, "## %+v\n", b)
		for _, s := range Summarize(title, paras, b) {
			fmt.Fprintln(&out, s)
		}
	}
	const golden = "testdata/tram.golden"
	if *update {
		if err := os.WriteFile(golden, []byte(out.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if out.String() != string(want) {
		t.Errorf("summaries changed:\n got:\n%s\nwant:\n%s", out.String(), want)
	}
}

func FuzzSummarize(f *testing.F) {
	f.Add("Title", "One. Two here. Three is longer than two.\n\nFour.", 5)
	f.Add("", "U.S. Inc. e.g. “Quoted.” …", 0)
	f.Add("T", "The plan was approved on Monday by the council. However, it was delayed by a week.\n\nHe said: \"It works. We tested it.\"", 12)
	f.Fuzz(func(t *testing.T, title, text string, words int) {
		words %= 1000
		paras := strings.Split(text, "\n\n")
		got := Summarize(title, paras, Budget{Words: words})
		all := Sentences(strings.Join(paras, "\n"))
		standsAlone := false
		for _, s := range all {
			standsAlone = standsAlone || judge(s, CountWords(s), newTitleKey(title), detectLang(paras)) == fitGood && !english.refersBack(s)
		}
		if standsAlone && len(got) == 0 {
			t.Fatalf("no summary of %q", text)
		}
		n, at := 0, -1
		for _, s := range got {
			n += CountWords(s)
			if !complete(s) || looksLikeCode(s) {
				t.Fatalf("picked %q, which is no whole sentence", s)
			}
			// A sentence may be shown without its opening connective
			// ("However, the bank …" as "The bank …"): then it is the end
			// of a sentence of the text, its first letter raised.
			k := slices.IndexFunc(all[at+1:], func(a string) bool { return a == s || withoutConnective(a, s) })
			if k < 0 {
				t.Fatalf("%q is not a sentence of the text after %d: %q", s, at, all)
			}
			at += k + 1
		}
		if words > 0 && n > words && len(got) > 1 {
			t.Fatalf("%d words for a budget of %d: %q", n, words, got)
		}
	})
}

// withoutConnective says whether shown is sentence with words dropped from
// its start and the first letter left raised.
func withoutConnective(sentence, shown string) bool {
	r, size := utf8.DecodeRuneInString(shown)
	rest := shown[size:]
	if len(shown) >= len(sentence) || !strings.HasSuffix(sentence, rest) {
		return false
	}
	orig, _ := utf8.DecodeLastRuneInString(sentence[:len(sentence)-len(rest)])
	return orig == r || unicode.ToUpper(orig) == r
}

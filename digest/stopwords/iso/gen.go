//go:build ignore

// gen writes words.txt from stopwords-iso.json, the data file of the
// stopwords-iso collection (npm package stopwords-iso, MIT licence):
//
//	npm pack stopwords-iso@1.1.0 && tar xzf stopwords-iso-1.1.0.tgz
//	go run gen.go package/stopwords-iso.json > words.txt
//
// Languages written without spaces between words (Chinese, Japanese,
// Thai) are left out: their text is measured by characters. Entries with
// digits, spaces or apostrophes and single letters are left out too, as
// the page's words are split the same way.
package main

import (
	"encoding/json"
	"fmt"
	"os"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

func main() {
	data, err := os.ReadFile(os.Args[1])
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	var lists map[string][]string
	if err := json.Unmarshal(data, &lists); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	langs := make([]string, 0, len(lists))
	for l := range lists {
		if l != "zh" && l != "ja" && l != "th" {
			langs = append(langs, l)
		}
	}
	slices.Sort(langs)
	for _, l := range langs {
		var ws []string
		for _, w := range lists[l] {
			w = strings.ToLower(w)
			if utf8.RuneCountInString(w) < 2 || strings.ContainsFunc(w, func(r rune) bool {
				return unicode.IsDigit(r) || unicode.IsSpace(r) || r == '\'' || r == '’'
			}) {
				continue
			}
			ws = append(ws, w)
		}
		slices.Sort(ws)
		fmt.Printf("%s\t%s\n", l, strings.Join(slices.Compact(ws), " "))
	}
}

package main

import "fmt"

// plural writes a count with its noun in the right number: "1 error",
// "2 errors", "0 errors".
func plural(n int, one, many string) string {
	if n == 1 {
		return fmt.Sprintf("%d %s", n, one)
	}
	return fmt.Sprintf("%d %s", n, many)
}

package feedparse

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// FuzzParse checks that no input makes Parse or ParseOPML panic.
func FuzzParse(f *testing.F) {
	files, _ := filepath.Glob("testdata/*")
	for _, p := range files {
		if data, err := os.ReadFile(p); err == nil && filepath.Ext(p) != ".golden" {
			f.Add(data)
		}
	}
	f.Add([]byte(`{"items":[{"id":1,"tags":"x","author":"y","attachments":{}}]}`))
	f.Add([]byte(`{"rss":{"channel":{"item":{"guid":{"#value":"a"},"link":"http://x/"}}}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		arts, err := Parse(bytes.NewReader(data), Options{Name: "fuzz"}, "https://example.com/feed")
		if err == nil {
			for _, a := range arts {
				if a.ID == "" {
					t.Errorf("article without ID: %+v", a)
				}
			}
		}
		_, _ = ParseOPML(bytes.NewReader(data))
	})
}

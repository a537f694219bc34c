package feedparse

import (
	"strings"
	"testing"

	"github.com/mmcdole/gofeed"
)

func TestDeclareUTF8(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{`<?xml version="1.0" encoding="ISO-8859-1"?><rss/>`, `<?xml version="1.0" encoding="utf-8"?><rss/>`},
		{` <?xml version='1.0' encoding='windows-1252' ?><feed/>`, ` <?xml version='1.0' encoding="utf-8" ?><feed/>`},
		{`<?xml version="1.0" encoding="UTF-8"?><rss/>`, `<?xml version="1.0" encoding="UTF-8"?><rss/>`},
		{`<?xml version="1.0"?><rss/>`, `<?xml version="1.0"?><rss/>`},
		{`<rss encoding="latin1"/>`, `<rss encoding="latin1"/>`},
		{``, ``},
	} {
		if got := string(declareUTF8([]byte(tc.in))); got != tc.want {
			t.Errorf("declareUTF8(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// The root is found past the first kilobytes too, as gofeed alone finds it.
func TestDetectTypeLongPrologue(t *testing.T) {
	long := "<!-- " + strings.Repeat("padding ", 5000) + "-->"
	for _, tc := range []struct {
		name, doc string
		want      gofeed.FeedType
	}{
		{"rss", `<?xml version="1.0"?><rss version="2.0"><channel/></rss>`, gofeed.FeedTypeRSS},
		{"atom after a long comment", `<?xml version="1.0"?>` + long + `<feed xmlns="http://www.w3.org/2005/Atom"/>`, gofeed.FeedTypeAtom},
		{"rss with a long channel", `<rss version="2.0"><channel><title>` + strings.Repeat("x", 40000) + `</title></channel></rss>`, gofeed.FeedTypeRSS},
		{"html after a long comment", long + `<html><body/></html>`, gofeed.FeedTypeUnknown},
		{"json", `{"version": "https://jsonfeed.org/version/1.1", "items": []}`, gofeed.FeedTypeJSON},
	} {
		if got := detectType([]byte(tc.doc)); got != tc.want {
			t.Errorf("%s: type %v, want %v", tc.name, got, tc.want)
		}
	}
}

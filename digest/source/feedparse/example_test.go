package feedparse_test

import (
	"fmt"
	"os"
	"strings"

	"github.com/weeklywrap/digest/digest/source/feedparse"
)

func ExampleParse() {
	doc := `<rss version="2.0"><channel><title>Harbour</title><link>https://harbour.example/</link>
<item><title>Ferry &amp; fog</title><link>/news/ferry?utm_source=rss</link>
<pubDate>Wed, 04 Nov 2026 17:00:00 +0100</pubDate>
<description>&lt;p&gt;No ferry tonight.&lt;/p&gt;&lt;p&gt;A bus runs instead.&lt;/p&gt;</description></item>
</channel></rss>`
	arts, err := feedparse.Parse(strings.NewReader(doc), feedparse.Options{Name: "Harbour", Categories: []string{"local"}}, "https://harbour.example/feed.xml")
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, a := range arts {
		fmt.Println(a.ID)
		fmt.Println(a.Title, "|", a.Published.Format("2006-01-02 15:04"), a.PublishedFrom, "|", a.Categories)
		fmt.Printf("%q\n", a.Paragraphs)
	}
	// Output:
	// https://harbour.example/news/ferry
	// Ferry & fog | 2026-11-04 16:00 feed | [local]
	// ["No ferry tonight." "A bus runs instead."]
}

func ExampleWriteOPML() {
	feeds := []feedparse.Options{
		{Name: "Harbour", URL: "https://harbour.example/feed.xml", Categories: []string{"Local"}},
		{Name: "Lab Log", URL: "https://lab.example/rss"},
	}
	if err := feedparse.WriteOPML(os.Stdout, "Digest feeds", feeds); err != nil {
		fmt.Println(err)
	}
	// Output:
	// <?xml version="1.0" encoding="UTF-8"?>
	// <opml version="2.0">
	//   <head>
	//     <title>Digest feeds</title>
	//   </head>
	//   <body>
	//     <outline text="Local" title="Local">
	//       <outline type="rss" text="Harbour" title="Harbour" xmlUrl="https://harbour.example/feed.xml" category="Local"/>
	//     </outline>
	//     <outline type="rss" text="Lab Log" title="Lab Log" xmlUrl="https://lab.example/rss"/>
	//   </body>
	// </opml>
}

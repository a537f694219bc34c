package benchtest

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"strings"
	"time"
)

// The benchmarks' feeds: enough to show what a large operator's weekly run
// costs, each with a realistic history (one item a day) so that a weekly
// window holds about a seventh of what is fetched.
const (
	Feeds     = 1000
	FeedItems = 50
)

var words = strings.Fields(`the harbour council said on tuesday that spring tides would arrive early
this year and that moorings along the north quay must be cleared before the storm season begins
researchers at the university measured water levels for three decades and found a steady rise
fishermen say catches have changed while ferry operators plan new timetables for the winter
engineers proposed a new sea wall although residents argued about its cost and its height
the minister promised funding next spring yet local groups want answers before the election
volunteers counted birds along the estuary and reported fewer terns than last summer`)

func sentence(r *rand.Rand) string {
	w := make([]string, 8+r.IntN(13))
	for i := range w {
		w[i] = words[r.IntN(len(words))]
	}
	w[0] = strings.ToUpper(w[0][:1]) + w[0][1:]
	return strings.Join(w, " ") + "."
}

// body is an article of about 2.5 KB with the markup real feeds carry:
// paragraphs with links and emphasis, a heading, a quote, an image, a list,
// entities, and now and then a tracking pixel or a script to sanitize.
func body(r *rand.Rand, feed, item int) string {
	var b strings.Builder
	paras := 3 + r.IntN(3)
	for p := 0; p < paras; p++ {
		switch {
		case p == 2:
			fmt.Fprintf(&b, "<h2>%s</h2>\n", strings.TrimSuffix(sentence(r), "."))
		case p == 3 && item%3 == 0:
			fmt.Fprintf(&b, "<blockquote><p>&ldquo;%s&rdquo;</p></blockquote>\n", sentence(r))
		}
		b.WriteString("<p>")
		for s := 0; s < 2+r.IntN(2); s++ {
			b.WriteString(sentence(r) + " ")
		}
		fmt.Fprintf(&b, `Read <a href="/%d/%d/report.html?utm_source=rss&amp;utm_medium=feed">the <em>full</em> report</a> &amp; <strong>comments</strong>.</p>`+"\n", feed, item)
	}
	fmt.Fprintf(&b, `<figure><img src="/img/%d-%d.jpg" alt="The north quay" width="640" height="360"><figcaption>%s</figcaption></figure>`+"\n", feed, item, sentence(r))
	fmt.Fprintf(&b, "<ul><li>%s</li><li>%s</li><li>%s</li></ul>\n", sentence(r), sentence(r), sentence(r))
	if item%4 == 0 {
		fmt.Fprintf(&b, `<img src="https://stats%d.example/pixel.gif?id=%d" width="1" height="1"><script>track(%d)</script>`+"\n", feed, item, item)
	}
	return b.String()
}

// Feed writes feed i: RSS 2.0 for even i, Atom for odd, FeedItems items,
// one a day (at a random hour) going back from a day or so before the slot.
// The same i and slot give the same bytes.
func Feed(i int, slot time.Time) []byte {
	r := rand.New(rand.NewPCG(uint64(i), 11))
	newest := slot.Add(-time.Duration(1+r.IntN(60)) * time.Hour)
	var b bytes.Buffer
	atom := i%2 == 1
	if atom {
		fmt.Fprintf(&b, `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="en"><title>Harbour Notes %d</title><subtitle>News from the coast</subtitle>
<link rel="alternate" type="text/html" href="https://site%d.example/"/><link rel="self" href="https://site%d.example/feed.atom"/>
<id>tag:site%d.example,2026:feed</id><updated>%s</updated><generator uri="https://wordpress.org/">WordPress</generator>
`, i, i, i, i, newest.Format(time.RFC3339))
	} else {
		fmt.Fprintf(&b, `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:atom="http://www.w3.org/2005/Atom">
<channel><title>Coastal Weekly %d</title><link>https://site%d.example/</link><description>News from the coast</description>
<atom:link href="https://site%d.example/feed.xml" rel="self" type="application/rss+xml"/><language>en-gb</language><lastBuildDate>%s</lastBuildDate>
`, i, i, i, newest.Format(time.RFC1123Z))
	}
	for j := 0; j < FeedItems; j++ {
		when := newest.Add(-time.Duration(j)*24*time.Hour - time.Duration(r.IntN(600))*time.Minute)
		title := strings.TrimSuffix(sentence(r), ".")
		slug := fmt.Sprintf("%d/%02d/post-%d", when.Year(), when.Month(), j)
		text := body(r, i, j)
		if atom {
			fmt.Fprintf(&b, `<entry><title type="html">%s</title><link rel="alternate" type="text/html" href="https://site%d.example/%s"/>
<id>tag:site%d.example,2026:post-%d</id><published>%s</published><updated>%s</updated>
<author><name>Writer %d</name></author><category term="coast"/><category term="topic-%d"/>
<summary type="html">%s</summary><content type="html"><![CDATA[%s]]></content></entry>
`, title, i, slug, i, j, when.Format(time.RFC3339), when.Add(time.Hour).Format(time.RFC3339), j%5, j%7, sentence(r), text)
		} else {
			fmt.Fprintf(&b, `<item><title>%s</title><link>https://site%d.example/%s</link>
<comments>https://site%d.example/%s#comments</comments><dc:creator><![CDATA[Writer %d]]></dc:creator><pubDate>%s</pubDate>
<category><![CDATA[coast]]></category><category><![CDATA[topic-%d]]></category><guid isPermaLink="false">https://site%d.example/?p=%d</guid>
<description><![CDATA[<p>%s</p>]]></description><content:encoded><![CDATA[%s]]></content:encoded></item>
`, title, i, slug, i, slug, j%5, when.Format(time.RFC1123Z), j%7, i, j, sentence(r), text)
		}
	}
	if atom {
		b.WriteString("</feed>\n")
	} else {
		b.WriteString("</channel></rss>\n")
	}
	return b.Bytes()
}

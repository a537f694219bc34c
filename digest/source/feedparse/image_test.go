package feedparse

import (
	"strings"
	"testing"

	"github.com/weeklywrap/digest/digest"
)

const imageFeed = `<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:media="http://search.yahoo.com/mrss/" xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd">
<channel><title>Pictures</title><link>https://pics.example.org/</link>
<item><title>Content image</title><link>https://pics.example.org/1</link><description>One.</description>
  <media:content url="https://cdn.example.org/a.mp4" medium="video"/>
  <media:content url="https://cdn.example.org/1.jpg" medium="image" width="1200" height="800"><media:title>A ferry at dawn</media:title></media:content></item>
<item><title>Thumbnail</title><link>https://pics.example.org/2</link><description>Two.</description>
  <media:thumbnail url="/thumbs/2.png" width="300" height="200"/></item>
<item><title>Group</title><link>https://pics.example.org/3</link><description>Three.</description>
  <media:group><media:content url="https://cdn.example.org/3.webp" type="image/webp"/></media:group></item>
<item><title>Enclosure</title><link>https://pics.example.org/4</link><description>Four.</description>
  <enclosure url="https://cdn.example.org/4.mp3" type="audio/mpeg" length="1"/>
  <enclosure url="https://cdn.example.org/4.jpg" type="image/jpeg" length="1"/></item>
<item><title>Hostile</title><link>https://pics.example.org/5</link><description>Five.</description>
  <media:content url="javascript:alert(1)" medium="image"/>
  <media:thumbnail url="data:image/png;base64,AAAA"/></item>
<item><title>Itunes</title><link>https://pics.example.org/6</link><description>Six.</description>
  <itunes:image href="https://cdn.example.org/6.png"/></item>
<item><title>None</title><link>https://pics.example.org/7</link><description>Seven, without a picture.</description></item>
</channel></rss>`

// Lead images come from Media RSS content and thumbnails, image
// enclosures and itunes:image, with the sizes and titles the feed gives;
// other schemes and audio or video are not images.
func TestLeadImages(t *testing.T) {
	arts, err := Parse(strings.NewReader(imageFeed), Options{Name: "Pictures", URL: "https://pics.example.org/feed.xml"}, "https://pics.example.org/feed.xml")
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]*digest.Image{
		"Content image": {URL: "https://cdn.example.org/1.jpg", Width: 1200, Height: 800, Alt: "A ferry at dawn"},
		"Thumbnail":     {URL: "https://pics.example.org/thumbs/2.png", Width: 300, Height: 200},
		"Group":         {URL: "https://cdn.example.org/3.webp"},
		"Enclosure":     {URL: "https://cdn.example.org/4.jpg"},
		"Hostile":       nil,
		"Itunes":        {URL: "https://cdn.example.org/6.png"},
		"None":          nil,
	}
	if len(arts) != len(want) {
		t.Fatalf("%d items, want %d", len(arts), len(want))
	}
	for _, a := range arts {
		w, ok := want[a.Title]
		if !ok {
			t.Errorf("unexpected item %q", a.Title)
			continue
		}
		switch {
		case w == nil && a.Image != nil:
			t.Errorf("%s: image %+v, want none", a.Title, *a.Image)
		case w != nil && (a.Image == nil || *a.Image != *w):
			t.Errorf("%s: image %+v, want %+v", a.Title, a.Image, *w)
		}
	}
}

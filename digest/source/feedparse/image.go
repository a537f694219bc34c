package feedparse

import (
	"path"
	"strconv"
	"strings"

	"github.com/mmcdole/gofeed"
	ext "github.com/mmcdole/gofeed/extensions"

	"github.com/weeklywrap/digest/digest"
)

// leadImage is the image an item names for itself, in the order feeds
// mean them: Media RSS content that is an image (alone or in a
// media:group), a media:thumbnail (of the item or of its content), an image
// enclosure, then what gofeed found (itunes:image, the first image of the
// body). Only absolute http(s) URLs are kept; sizes are what the feed says.
func (m *mapper) leadImage(it *gofeed.Item) *digest.Image {
	media := it.Extensions["media"]
	var contents []ext.Extension
	contents = append(contents, media["content"]...)
	for _, g := range media["group"] {
		contents = append(contents, g.Children["content"]...)
	}
	for _, c := range contents {
		if isImage(c.Attrs["medium"], c.Attrs["type"], c.Attrs["url"]) {
			if img := m.image(c.Attrs["url"], c.Attrs["width"], c.Attrs["height"], mediaAlt(c)); img != nil {
				return img
			}
		}
	}
	thumbs := append([]ext.Extension(nil), media["thumbnail"]...)
	for _, c := range contents {
		thumbs = append(thumbs, c.Children["thumbnail"]...)
	}
	for _, g := range media["group"] {
		thumbs = append(thumbs, g.Children["thumbnail"]...)
	}
	for _, t := range thumbs {
		if img := m.image(t.Attrs["url"], t.Attrs["width"], t.Attrs["height"], ""); img != nil {
			return img
		}
	}
	for _, e := range it.Enclosures {
		if e != nil && strings.HasPrefix(strings.ToLower(e.Type), "image/") {
			if img := m.image(e.URL, "", "", ""); img != nil {
				return img
			}
		}
	}
	if it.Image != nil {
		return m.image(it.Image.URL, "", "", it.Image.Title)
	}
	return nil
}

// isImage tells an image from the audio and video that media:content
// also carries: by medium, by MIME type, else by the file's extension.
func isImage(medium, mime, u string) bool {
	switch {
	case medium != "":
		return strings.EqualFold(medium, "image")
	case mime != "":
		return strings.HasPrefix(strings.ToLower(mime), "image/")
	}
	if i := strings.IndexAny(u, "?#"); i >= 0 {
		u = u[:i]
	}
	switch strings.ToLower(path.Ext(u)) {
	case ".jpg", ".jpeg", ".png", ".gif", ".webp", ".avif":
		return true
	}
	return false
}

// mediaAlt is a text alternative from media:content's own title or
// description.
func mediaAlt(c ext.Extension) string {
	for _, n := range []string{"title", "description"} {
		if v := childValue(c, n); v != "" {
			return v
		}
	}
	return ""
}

func (m *mapper) image(raw, w, h, alt string) *digest.Image {
	u := resolve(m.base, strings.TrimSpace(raw))
	if !looksLikeURL(u) {
		return nil
	}
	img := &digest.Image{URL: u, Alt: clipAlt(plain(alt))}
	img.Width, _ = strconv.Atoi(strings.TrimSpace(w))
	img.Height, _ = strconv.Atoi(strings.TrimSpace(h))
	if img.Width <= 0 || img.Height <= 0 {
		img.Width, img.Height = 0, 0
	}
	return img
}

// clipAlt keeps an alt text to a sentence's length.
func clipAlt(s string) string {
	if r := []rune(s); len(r) > 150 {
		s = string(r[:150])
	}
	return s
}

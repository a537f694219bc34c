package feedparse

import (
	"encoding/json"
	"strconv"
)

// JSON Feed in the wild bends the spec: numeric ids, a string for tags, a
// single author object where a list belongs, and the "RSS in JSON" of
// Scripting News. gofeed's decoder rejects all of it, so a feed that fails
// is normalized here and decoded again.

var jsonStringFields = []string{
	"id", "url", "external_url", "title", "content_html", "content_text", "summary",
	"image", "banner_image", "date_published", "date_modified", "language",
	"home_page_url", "feed_url", "description", "icon", "favicon", "version", "user_comment",
}

// normalizeJSONFeed rewrites data into a shape gofeed's JSON Feed decoder
// accepts; it returns an error when data is not a JSON object at all.
func normalizeJSONFeed(data []byte) ([]byte, error) {
	var doc map[string]any
	if err := json.Unmarshal(data, &doc); err != nil {
		return nil, err
	}
	if rss, ok := doc["rss"].(map[string]any); ok && doc["items"] == nil {
		doc = rssInJSON(rss)
	}
	fixObject(doc)
	items, _ := doc["items"].([]any)
	kept := items[:0]
	for _, it := range items {
		if m, ok := it.(map[string]any); ok {
			fixObject(m)
			kept = append(kept, m)
		}
	}
	doc["items"] = kept
	return json.Marshal(doc)
}

func fixObject(m map[string]any) {
	for _, k := range jsonStringFields {
		switch v := m[k].(type) {
		case nil, string:
			if v == nil {
				delete(m, k)
			}
		case float64:
			m[k] = strconv.FormatFloat(v, 'f', -1, 64)
		case bool:
			m[k] = strconv.FormatBool(v)
		default:
			delete(m, k)
		}
	}
	switch v := m["tags"].(type) {
	case string:
		m["tags"] = []any{v}
	case []any:
		tags := []any{}
		for _, t := range v {
			switch t := t.(type) {
			case string:
				tags = append(tags, t)
			case float64:
				tags = append(tags, strconv.FormatFloat(t, 'f', -1, 64))
			}
		}
		m["tags"] = tags
	case nil:
	default:
		delete(m, "tags")
	}
	if a := author(m["author"]); a != nil {
		m["author"] = a
	} else {
		delete(m, "author")
	}
	var authors []any
	switch v := m["authors"].(type) {
	case []any:
		for _, x := range v {
			if a := author(x); a != nil {
				authors = append(authors, a)
			}
		}
	default:
		if a := author(v); a != nil {
			authors = append(authors, a)
		}
	}
	if authors != nil {
		m["authors"] = authors
	} else {
		delete(m, "authors")
	}
	switch v := m["attachments"].(type) {
	case []any:
	case map[string]any:
		m["attachments"] = []any{v}
	default:
		delete(m, "attachments")
	}
}

func author(v any) map[string]any {
	switch a := v.(type) {
	case string:
		if a != "" {
			return map[string]any{"name": a}
		}
	case map[string]any:
		out := map[string]any{}
		for _, k := range []string{"name", "url", "avatar"} {
			if s, ok := a[k].(string); ok {
				out[k] = s
			}
		}
		if len(out) > 0 {
			return out
		}
	}
	return nil
}

// rssInJSON maps {"rss": {"channel": {"item": [...]}}} to JSON Feed.
func rssInJSON(rss map[string]any) map[string]any {
	ch, _ := rss["channel"].(map[string]any)
	out := map[string]any{"version": "https://jsonfeed.org/version/1.1"}
	if ch == nil {
		return out
	}
	out["title"], out["home_page_url"], out["description"] = ch["title"], ch["link"], ch["description"]
	raw := ch["item"]
	if one, ok := raw.(map[string]any); ok {
		raw = []any{one}
	}
	list, _ := raw.([]any)
	var items []any
	for _, x := range list {
		it, ok := x.(map[string]any)
		if !ok {
			continue
		}
		guid := it["guid"]
		if g, ok := guid.(map[string]any); ok {
			guid = g["#value"]
		}
		items = append(items, map[string]any{
			"id": guid, "url": it["link"], "title": it["title"],
			"content_html": it["description"], "date_published": it["pubDate"],
			"author": it["author"], "tags": it["category"],
		})
	}
	out["items"] = items
	return out
}

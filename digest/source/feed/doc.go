// Package feed fetches RSS, Atom and JSON Feed documents, from HTTP(S) or
// local files, and hands their bytes to package feedparse, which maps items
// to digest.Articles (see there for the mapping). Fetch leaves out an item
// dated more than FutureSlack (a day, to absorb time-zone mistakes) after
// the fetch as a feed bug, whatever the window, and counts it in
// Result.Future so the operator sees it.
//
// Fetching is polite (see Fetcher): one shared client with connect and total
// timeouts, a body size cap that fails instead of truncating (also after
// decompression), a redirect limit, conditional GET, Cache-Control/ttl/
// Retry-After freshness (capped at a day), per-host and global concurrency
// limits, and bounded retries of transient errors (connection failures, 500,
// 502, 503, 504, 429; never timeouts, which would only multiply the wait).
// A 304, or a skip while fresh, carries articles only when a BodyCache holds
// the last good body; without one the caller must have kept them.
// DirCache also keeps, in the same file, what the body's last parse gave
// for one window: a second run for the same window (preview, then send)
// reads those articles instead of parsing the body again.
//
// Memory follows what is kept, not what is fetched: items outside the
// window are dropped before their bodies are sanitized, and bodies waiting
// between download and parse are bounded (Limits.Global plus two per CPU)
// instead of one per feed.
package feed

-- Every status change bumps version. A confirm link carries the version it
-- was sent at, so a link from before an unsubscribe confirms nothing.
ALTER TABLE subscribers ADD COLUMN version INTEGER NOT NULL DEFAULT 0;

-- Addresses never to be mailed again (hard bounces, complaints), apart from
-- the subscribers so that removing or erasing a subscriber does not lift
-- the suppression. Keyed by the SHA-256 of the lower-cased address, so an
-- erasure leaves no address behind.
CREATE TABLE suppressions (
	email_hash TEXT    PRIMARY KEY,
	reason     TEXT    NOT NULL DEFAULT '',
	created_at INTEGER NOT NULL
);

-- What the listing pages (/, /issues, /feed.xml) show, so they never
-- decode a whole issue.
ALTER TABLE issues ADD COLUMN subject  TEXT NOT NULL DEFAULT '';
ALTER TABLE issues ADD COLUMN intro    TEXT NOT NULL DEFAULT '';
ALTER TABLE issues ADD COLUMN built_at INTEGER;
UPDATE issues SET
	subject  = COALESCE(json_extract(data, '$.subject'), ''),
	intro    = COALESCE(json_extract(data, '$.intro'), ''),
	built_at = CASE WHEN json_extract(data, '$.built_at') LIKE '0001-%' THEN NULL
		ELSE CAST(unixepoch(json_extract(data, '$.built_at'), 'subsec') * 1000000 AS INTEGER) END;
-- An issue keeps what it shows; the stories it left out were only for
-- preview --explain, and a big feed made them most of the row.
UPDATE issues SET data = json_remove(data, '$.skipped') WHERE json_extract(data, '$.skipped') IS NOT NULL;

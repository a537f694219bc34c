-- Drafts under review (review.mode veto or approve): one per slot, with the
-- editors' edits (keyed by story, applied over the curated issue), the
-- links editors added, and the desk's sign-in links and sessions.
CREATE TABLE drafts (
	slot       INTEGER PRIMARY KEY,
	data       TEXT    NOT NULL,
	state      TEXT    NOT NULL,
	version    INTEGER NOT NULL DEFAULT 1,
	number     INTEGER,
	built_at   INTEGER NOT NULL,
	updated_at INTEGER NOT NULL,
	checked_at INTEGER,
	reminded   INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX drafts_state ON drafts (state, slot);

CREATE TABLE draft_edits (
	id     INTEGER PRIMARY KEY AUTOINCREMENT,
	slot   INTEGER NOT NULL REFERENCES drafts (slot),
	story  TEXT    NOT NULL DEFAULT '',
	kind   TEXT    NOT NULL,
	value  TEXT    NOT NULL DEFAULT '',
	editor TEXT    NOT NULL,
	at     INTEGER NOT NULL
);
CREATE INDEX draft_edits_slot ON draft_edits (slot, id);

CREATE TABLE links (
	id       INTEGER PRIMARY KEY AUTOINCREMENT,
	url      TEXT    NOT NULL,
	note     TEXT    NOT NULL DEFAULT '',
	article  TEXT    NOT NULL,
	added_by TEXT    NOT NULL,
	added_at INTEGER NOT NULL,
	slot     INTEGER -- the draft it joined; NULL while it waits for the next one
);
CREATE INDEX links_slot ON links (slot, id);

CREATE TABLE desk_signins (
	id         INTEGER PRIMARY KEY AUTOINCREMENT,
	editor     TEXT    NOT NULL,
	expires_at INTEGER NOT NULL,
	used_at    INTEGER
);

CREATE TABLE desk_sessions (
	hash       TEXT    PRIMARY KEY, -- SHA-256 of the cookie's value; the value itself is never stored
	editor     TEXT    NOT NULL,
	created_at INTEGER NOT NULL,
	expires_at INTEGER NOT NULL
);

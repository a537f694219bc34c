-- Times are INTEGER microseconds since the Unix epoch, UTC; NULL means unknown.
CREATE TABLE subscribers (
	id           INTEGER PRIMARY KEY AUTOINCREMENT,
	email        TEXT    NOT NULL UNIQUE,
	name         TEXT    NOT NULL DEFAULT '',
	status       TEXT    NOT NULL,
	topics       TEXT    NOT NULL DEFAULT '[]',
	paused       INTEGER NOT NULL DEFAULT 0,
	created_at   INTEGER NOT NULL,
	confirmed_at INTEGER,
	hard_bounces INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX subscribers_receiving ON subscribers (status, paused, id);

CREATE TABLE issues (
	number     INTEGER PRIMARY KEY,
	slot       INTEGER NOT NULL UNIQUE,
	data       TEXT    NOT NULL,
	html       TEXT    NOT NULL DEFAULT '',
	text       TEXT    NOT NULL DEFAULT '',
	created_at INTEGER NOT NULL
);

CREATE TABLE seen (
	id    TEXT    PRIMARY KEY,
	issue INTEGER NOT NULL REFERENCES issues (number)
);

CREATE TABLE deliveries (
	id            INTEGER PRIMARY KEY AUTOINCREMENT,
	issue         INTEGER NOT NULL REFERENCES issues (number),
	subscriber_id INTEGER NOT NULL REFERENCES subscribers (id) ON DELETE CASCADE,
	state         TEXT    NOT NULL,
	attempts      INTEGER NOT NULL DEFAULT 0,
	next_attempt  INTEGER NOT NULL,
	claimed_until INTEGER,
	last_error    TEXT    NOT NULL DEFAULT '',
	message_id    TEXT    NOT NULL DEFAULT '',
	sent_at       INTEGER,
	-- due_at is when the row may next be claimed: next_attempt while pending,
	-- claimed_until while sending, NULL once sent or failed. One indexed
	-- column lets a claim read only the rows it takes.
	due_at        INTEGER,
	UNIQUE (issue, subscriber_id)
);
CREATE INDEX deliveries_due ON deliveries (issue, due_at);
CREATE INDEX deliveries_state ON deliveries (issue, state);
CREATE INDEX deliveries_subscriber ON deliveries (subscriber_id);

CREATE TABLE feeds (
	url                  TEXT PRIMARY KEY,
	etag                 TEXT    NOT NULL DEFAULT '',
	last_modified        TEXT    NOT NULL DEFAULT '',
	fresh_until          INTEGER,
	last_fetched         INTEGER,
	last_error           TEXT    NOT NULL DEFAULT '',
	consecutive_failures INTEGER NOT NULL DEFAULT 0,
	failing_since        INTEGER
);

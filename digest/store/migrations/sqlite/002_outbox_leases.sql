-- Delivery claims carry their owner (one token per sending run), so a live
-- run can renew its own claims (the heartbeat) and notice when one was taken
-- over after it stalled past the lease.
ALTER TABLE deliveries ADD COLUMN claimed_by TEXT NOT NULL DEFAULT '';
-- The heartbeat finds a run's live claims without reading the whole table.
CREATE INDEX deliveries_claims ON deliveries (claimed_by) WHERE state = 'sending';

-- The outbox: notices (confirm, welcome, the editors' review mails) kept
-- until the relay accepts them. message is the composed content as JSON;
-- it is emptied once sent, since a confirmation carries a working link.
-- Rows follow the deliveries' life cycle: pending -> sending -> sent | failed.
CREATE TABLE outbox (
	id            INTEGER PRIMARY KEY AUTOINCREMENT,
	kind          TEXT    NOT NULL,
	subscriber_id INTEGER REFERENCES subscribers (id) ON DELETE CASCADE,
	recipient     TEXT    NOT NULL,
	message       TEXT    NOT NULL,
	state         TEXT    NOT NULL,
	attempts      INTEGER NOT NULL DEFAULT 0,
	due_at        INTEGER, -- as in deliveries: next attempt or claim expiry; NULL when done
	claimed_by    TEXT    NOT NULL DEFAULT '',
	last_error    TEXT    NOT NULL DEFAULT '',
	message_id    TEXT    NOT NULL DEFAULT '',
	created_at    INTEGER NOT NULL,
	sent_at       INTEGER
);
CREATE INDEX outbox_due ON outbox (due_at);
CREATE INDEX outbox_recipient ON outbox (recipient, kind, created_at);
CREATE INDEX outbox_subscriber ON outbox (subscriber_id);

-- Named leases: one holder at a time, kept alive by renewal, taken over
-- once expired. "build" makes issue building one-at-a-time across processes.
CREATE TABLE leases (
	name       TEXT    PRIMARY KEY,
	owner      TEXT    NOT NULL,
	expires_at INTEGER NOT NULL
);

-- The web version of a test send (`digest send --to`), so its "view in
-- browser" link works although no issue was stored.
CREATE TABLE test_copies (
	key        TEXT    PRIMARY KEY,
	html       TEXT    NOT NULL,
	created_at INTEGER NOT NULL
);

-- The shared sending budget: one row per limit, holding the earliest time
-- (microseconds since the epoch) the next message may go. Every instance on
-- the store takes its slot from here, so mail.per_second and mail.per_hour
-- hold for all of them together, not for each.
CREATE TABLE send_budget (
	name    TEXT   PRIMARY KEY,
	next_at INTEGER NOT NULL
);

-- Bounces and complaints reported after the SMTP session: provider
-- webhooks (SES, Postmark, Mailgun, SendGrid) and DSN / ARF mail read from
-- a mailbox. Keyed by the address hash, as the suppression list is, so an
-- erasure leaves no address here. (source, event_id) is the provider's
-- own id of the event: a replayed or retried event is recorded once.
CREATE TABLE feedback_events (
	id         INTEGER PRIMARY KEY AUTOINCREMENT,
	source     TEXT        NOT NULL,
	event_id   TEXT        NOT NULL,
	kind       TEXT        NOT NULL,
	email_hash TEXT        NOT NULL,
	detail     TEXT        NOT NULL DEFAULT '',
	created_at INTEGER     NOT NULL,
	UNIQUE (source, event_id)
);
CREATE INDEX feedback_events_created ON feedback_events (created_at);

-- Soft bounces (mailbox full, greylisted, deferred past the provider's
-- retries) are counted, never suppressed on.
ALTER TABLE subscribers ADD COLUMN soft_bounces INTEGER NOT NULL DEFAULT 0;

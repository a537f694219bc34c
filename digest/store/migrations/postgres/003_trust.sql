-- Every status change bumps version. A confirm link carries the version it
-- was sent at, so a link from before an unsubscribe confirms nothing.
ALTER TABLE subscribers ADD COLUMN version BIGINT NOT NULL DEFAULT 0;

-- Addresses never to be mailed again (hard bounces, complaints), apart from
-- the subscribers so that removing or erasing a subscriber does not lift
-- the suppression. Keyed by the SHA-256 of the lower-cased address, so an
-- erasure leaves no address behind.
CREATE TABLE suppressions (
	email_hash TEXT        PRIMARY KEY,
	reason     TEXT        NOT NULL DEFAULT '',
	created_at TIMESTAMPTZ NOT NULL
);

-- What the listing pages (/, /issues, /feed.xml) show, so they never
-- decode a whole issue.
ALTER TABLE issues ADD COLUMN subject  TEXT NOT NULL DEFAULT '';
ALTER TABLE issues ADD COLUMN intro    TEXT NOT NULL DEFAULT '';
ALTER TABLE issues ADD COLUMN built_at TIMESTAMPTZ;
-- Row by row, so that one issue whose text PostgreSQL cannot convert (a
-- \u0000 escape) keeps its old form instead of failing the migration: it
-- still reads, only slower.
DO $$
DECLARE r RECORD;
BEGIN
	FOR r IN SELECT number FROM issues LOOP
		BEGIN
			UPDATE issues SET
				subject  = COALESCE(data->>'subject', ''),
				intro    = COALESCE(data->>'intro', ''),
				built_at = NULLIF((data->>'built_at')::timestamptz, '0001-01-01T00:00:00Z')
			WHERE number = r.number;
			-- An issue keeps what it shows; the stories it left out were
			-- only for preview --explain, and a big feed made them most of
			-- the row.
			UPDATE issues SET data = (data::jsonb - 'skipped')::json
			WHERE number = r.number AND (data::jsonb) ? 'skipped';
		EXCEPTION WHEN others THEN
			NULL;
		END;
	END LOOP;
END $$;

// Package store implements digest.Store twice over database/sql: on SQLite
// (modernc.org/sqlite, pure Go; the default, one file in WAL mode) and on
// PostgreSQL (pgx). Both share one implementation; a small dialect covers
// placeholders, time encoding and row locking, and each has its own embedded
// migrations, applied by Open and recorded in schema_migrations.
//
// SQLite writes go through a single connection that begins transactions
// IMMEDIATE, so concurrent writers in one process queue up in the pool and
// never see SQLITE_BUSY; reads use a separate pool and run alongside them.
// PostgreSQL claims deliveries with FOR UPDATE SKIP LOCKED and serializes
// issue creation with a transaction-level advisory lock. Claims carry
// their owner's token so a live run can renew them (a heartbeat); named
// leases (a row each, taken over once expired) make issue building
// one-at-a-time across processes on either database.
package store

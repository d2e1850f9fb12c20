//! The PostgreSQL schema: the same tables, columns and rules as SQLite's (times as RFC 3339
//! text, compared as text), created by its own versioned migrations. `sg_schema.version` counts
//! the migrations applied; a database whose version is newer than this program knows is
//! refused, never downgraded. Replicas starting together migrate one at a time (an advisory
//! lock held by the migrating transaction).
//!
//! Beside SQLite's tables: `chain_head`, one row holding the log's last `seq` and `hash`. Every
//! transaction that appends to the log first locks that row (`SELECT … FOR UPDATE`), so writers
//! on any number of servers append one after another: no fork, no gap.

use super::db::Db;
use crate::store::GENESIS;

/// Advisory lock key for migrations ("sg-migr" in ASCII).
const MIGRATE_LOCK: i64 = 0x0073_672d_6d69_6772;

/// Schema migrations; `sg_schema.version` is the number applied. Append, never edit.
const MIGRATIONS: &[&str] = &[
    // 1: everything SQLite's migrations 1 to 3 built, in one step (contacts, the append-only
    // consent log, each purpose's state, idempotency answers, the outbox, policies kept by
    // hash, settings), and the chain head row.
    "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
     CREATE TABLE contacts (
        id BIGSERIAL PRIMARY KEY,
        contact_key TEXT NOT NULL,
        email_key TEXT UNIQUE,
        email TEXT, email_display TEXT,
        phone_e164 TEXT, phone_type TEXT, phone_display TEXT, phone_extension TEXT,
        given_name TEXT, family_name TEXT, country TEXT,
        locale TEXT NOT NULL,
        created_at TEXT NOT NULL, updated_at TEXT NOT NULL,
        pending_since TEXT, confirmed_at TEXT);
     CREATE UNIQUE INDEX contacts_phone_only ON contacts (phone_e164) WHERE email_key IS NULL;
     CREATE INDEX contacts_pending ON contacts (pending_since) WHERE pending_since IS NOT NULL;
     CREATE TABLE consent_events (
        seq BIGINT PRIMARY KEY,
        contact_key TEXT NOT NULL,
        action TEXT NOT NULL CHECK (action IN ('request', 'grant', 'withdraw')),
        purpose TEXT NOT NULL,
        policy_id TEXT NOT NULL, policy_version TEXT NOT NULL, policy_hash TEXT NOT NULL,
        text_hash TEXT,
        rendered_checked BOOLEAN NOT NULL, required_to_submit BOOLEAN NOT NULL,
        locale TEXT NOT NULL, method TEXT NOT NULL,
        received_at TEXT NOT NULL, claimed_at TEXT, user_agent TEXT,
        prev_hash TEXT NOT NULL, hash TEXT NOT NULL);
     CREATE FUNCTION consent_events_append_only() RETURNS trigger LANGUAGE plpgsql AS
        $$ BEGIN RAISE EXCEPTION 'consent_events is append-only'; END $$;
     CREATE TRIGGER consent_events_no_update BEFORE UPDATE OR DELETE ON consent_events
        FOR EACH ROW EXECUTE FUNCTION consent_events_append_only();
     CREATE TRIGGER consent_events_no_truncate BEFORE TRUNCATE ON consent_events
        FOR EACH STATEMENT EXECUTE FUNCTION consent_events_append_only();
     CREATE TABLE chain_head (
        one BOOLEAN PRIMARY KEY DEFAULT true CHECK (one),
        seq BIGINT NOT NULL, hash TEXT NOT NULL);
     INSERT INTO chain_head (seq, hash) VALUES (0, 'GENESIS');
     CREATE TABLE consent_state (
        contact_id BIGINT NOT NULL, purpose TEXT NOT NULL,
        action TEXT NOT NULL, seq BIGINT NOT NULL, at TEXT NOT NULL,
        PRIMARY KEY (contact_id, purpose));
     CREATE TABLE idempotency (
        key TEXT PRIMARY KEY, fingerprint TEXT NOT NULL,
        status BIGINT NOT NULL, body TEXT NOT NULL, created_at TEXT NOT NULL);
     CREATE INDEX idempotency_age ON idempotency (created_at);
     CREATE TABLE outbox (
        id BIGSERIAL PRIMARY KEY,
        kind TEXT NOT NULL,
        contact_id BIGINT,
        payload TEXT NOT NULL,
        created_at TEXT NOT NULL,
        attempts BIGINT NOT NULL DEFAULT 0,
        next_attempt_at TEXT NOT NULL,
        sent_at TEXT, dead_at TEXT, last_error TEXT);
     CREATE INDEX outbox_due ON outbox (next_attempt_at) WHERE sent_at IS NULL AND dead_at IS NULL;
     CREATE INDEX outbox_contact ON outbox (contact_id, created_at) WHERE contact_id IS NOT NULL;
     CREATE TABLE policies (
        hash TEXT PRIMARY KEY, n BIGSERIAL, policy_id TEXT NOT NULL, version TEXT NOT NULL,
        json TEXT NOT NULL, stored_at TEXT NOT NULL, used_at TEXT NOT NULL);",
    // 2: SQLite's migration 4 (webhooks): the endpoints `serve` runs with, and the outbox's
    // endpoint and event id per webhook row.
    "CREATE TABLE webhook_endpoints (
        url TEXT PRIMARY KEY, events TEXT NOT NULL, include TEXT NOT NULL);
     ALTER TABLE outbox ADD COLUMN endpoint TEXT;
     ALTER TABLE outbox ADD COLUMN event_id TEXT;
     CREATE INDEX outbox_webhook ON outbox (endpoint, contact_id, id)
        WHERE kind = 'webhook' AND sent_at IS NULL AND dead_at IS NULL;",
    // 3: SQLite's migration 5 (attribution): each contact's first and latest source.
    "CREATE TABLE attribution (
        contact_id BIGINT NOT NULL,
        touch TEXT NOT NULL CHECK (touch IN ('first', 'last')),
        path TEXT, utm_source TEXT, utm_medium TEXT, utm_campaign TEXT, utm_term TEXT,
        utm_content TEXT, form_id TEXT,
        at TEXT NOT NULL,
        PRIMARY KEY (contact_id, touch));",
    // 4: SQLite's migration 6 (custom fields): one JSON object per contact, kept as text (as on
    // SQLite, so `migrate` copies it as it is), checked to be an object.
    "ALTER TABLE contacts ADD COLUMN custom TEXT
        CHECK (custom IS NULL OR jsonb_typeof(custom::jsonb) = 'object');",
];

/// Applies the migrations this database lacks; refuses a newer schema.
pub(super) fn migrate(db: &mut Db) -> Result<(), String> {
    let e = |e: postgres::Error| e.to_string();
    db.batch("BEGIN").map_err(e)?;
    let done = (|| {
        db.client
            .execute("SELECT pg_advisory_xact_lock($1)", &[&MIGRATE_LOCK])
            .map_err(e)?;
        db.batch("CREATE TABLE IF NOT EXISTS sg_schema (version BIGINT NOT NULL)")
            .map_err(e)?;
        let current = current(db)?;
        if current > MIGRATIONS.len() as i64 {
            return Err(format!(
                "schema version {current} is newer than this program knows ({})",
                MIGRATIONS.len()
            ));
        }
        for (i, sql) in MIGRATIONS.iter().enumerate().skip(current as usize) {
            let sql = sql.replace("'GENESIS'", &format!("'{GENESIS}'"));
            db.batch(&sql)
                .map_err(|err| format!("migration {}: {err}", i + 1))?;
        }
        let n = MIGRATIONS.len() as i64;
        db.client
            .execute("DELETE FROM sg_schema", &[])
            .and_then(|_| {
                db.client
                    .execute("INSERT INTO sg_schema VALUES ($1)", &[&n])
            })
            .map_err(e)?;
        Ok(())
    })();
    match done {
        Ok(()) => db.batch("COMMIT").map_err(e),
        Err(err) => {
            let _ = db.batch("ROLLBACK");
            Err(err)
        }
    }
}

fn current(db: &mut Db) -> Result<i64, String> {
    let row = db
        .client
        .query_opt("SELECT version FROM sg_schema", &[])
        .map_err(|e| e.to_string())?;
    Ok(row.map_or(0, |r| r.get(0)))
}

/// The schema version of a database opened for reading; an error unless this program wrote it.
pub(super) fn version(db: &mut Db) -> Result<i64, String> {
    let exists: bool = db
        .client
        .query_one("SELECT to_regclass('sg_schema') IS NOT NULL", &[])
        .map_err(|e| e.to_string())?
        .get(0);
    let version = if exists { current(db)? } else { 0 };
    if version < 1 || version > MIGRATIONS.len() as i64 {
        return Err(format!("schema version {version}"));
    }
    Ok(version)
}

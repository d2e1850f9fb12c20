//! The SQLite schema: versioned migrations applied in order, `PRAGMA user_version` counting how
//! many ran. A file whose version is newer than this program knows is refused, never downgraded.

use rusqlite::Connection;

/// One migration: SQL run as it is, or a change that needs a value read first ([`Step::Code`]).
pub(super) enum Step {
    /// Statements run as one batch.
    Sql(&'static str),
    /// A function run on the migrating connection, inside the migration's transaction.
    Code(fn(&Connection) -> rusqlite::Result<()>),
}

/// Schema migrations; `PRAGMA user_version` is the number applied. Append, never edit.
pub(super) const MIGRATIONS: &[Step] = &[
    // 1: contacts, the consent log, each purpose's current state, idempotency answers, settings.
    // Indexes are few on purpose: a new signup appends to every table in key order and touches
    // one random index page (email_key), so a group commit writes few pages. `consent_state` is
    // the log's latest action per contact and purpose, written in the same transaction.
    Step::Sql(
        "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) STRICT;
     CREATE TABLE contacts (
        id INTEGER PRIMARY KEY,
        contact_key TEXT NOT NULL,
        email_key TEXT UNIQUE,
        email TEXT, email_display TEXT,
        phone_e164 TEXT, phone_type TEXT, phone_display TEXT, phone_extension TEXT,
        given_name TEXT, family_name TEXT, country TEXT,
        locale TEXT NOT NULL,
        created_at TEXT NOT NULL, updated_at TEXT NOT NULL) STRICT;
     CREATE TABLE consent_events (
        seq INTEGER PRIMARY KEY,
        contact_key TEXT NOT NULL,
        action TEXT NOT NULL CHECK (action IN ('grant', 'withdraw')),
        purpose TEXT NOT NULL,
        policy_id TEXT NOT NULL, policy_version TEXT NOT NULL, policy_hash TEXT NOT NULL,
        text_hash TEXT,
        rendered_checked INTEGER NOT NULL, required_to_submit INTEGER NOT NULL,
        locale TEXT NOT NULL, method TEXT NOT NULL,
        received_at TEXT NOT NULL, claimed_at TEXT, user_agent TEXT,
        prev_hash TEXT NOT NULL, hash TEXT NOT NULL) STRICT;
     CREATE TRIGGER consent_events_no_update BEFORE UPDATE ON consent_events
        BEGIN SELECT RAISE(ABORT, 'consent_events is append-only'); END;
     CREATE TRIGGER consent_events_no_delete BEFORE DELETE ON consent_events
        BEGIN SELECT RAISE(ABORT, 'consent_events is append-only'); END;
     CREATE UNIQUE INDEX contacts_phone_only ON contacts (phone_e164) WHERE email_key IS NULL;
     CREATE TABLE consent_state (
        contact_id INTEGER NOT NULL, purpose TEXT NOT NULL,
        action TEXT NOT NULL, seq INTEGER NOT NULL, at TEXT NOT NULL,
        PRIMARY KEY (contact_id, purpose)) WITHOUT ROWID, STRICT;
     CREATE TABLE idempotency (
        key TEXT PRIMARY KEY, fingerprint TEXT NOT NULL,
        status INTEGER NOT NULL, body TEXT NOT NULL, created_at TEXT NOT NULL) STRICT;",
    ),
    // 2: double opt-in and the transactional outbox. The consent log learns a third action,
    // `request` (a signup whose grants wait for the address to be confirmed): SQLite cannot
    // change a CHECK, so the table is rebuilt (rows copied as they are, hashes untouched, the
    // append-only triggers re-created). A contact awaiting confirmation has `pending_since`
    // (its latest request; the sweep erases it `confirm_within_days` later), a confirmed one
    // `confirmed_at`. `outbox` holds what must leave the server after a commit (kind `mail`
    // today; webhooks later), written in the same transaction as the change it reports, so a
    // crash between commit and send loses nothing: the sender finds it at the next start.
    Step::Sql(
        "CREATE TABLE consent_events_v2 (
        seq INTEGER PRIMARY KEY,
        contact_key TEXT NOT NULL,
        action TEXT NOT NULL CHECK (action IN ('request', 'grant', 'withdraw')),
        purpose TEXT NOT NULL,
        policy_id TEXT NOT NULL, policy_version TEXT NOT NULL, policy_hash TEXT NOT NULL,
        text_hash TEXT,
        rendered_checked INTEGER NOT NULL, required_to_submit INTEGER NOT NULL,
        locale TEXT NOT NULL, method TEXT NOT NULL,
        received_at TEXT NOT NULL, claimed_at TEXT, user_agent TEXT,
        prev_hash TEXT NOT NULL, hash TEXT NOT NULL) STRICT;
     INSERT INTO consent_events_v2 SELECT seq, contact_key, action, purpose, policy_id,
        policy_version, policy_hash, text_hash, rendered_checked, required_to_submit, locale,
        method, received_at, claimed_at, user_agent, prev_hash, hash
        FROM consent_events ORDER BY seq;
     DROP TRIGGER consent_events_no_update;
     DROP TRIGGER consent_events_no_delete;
     DROP TABLE consent_events;
     ALTER TABLE consent_events_v2 RENAME TO consent_events;
     CREATE TRIGGER consent_events_no_update BEFORE UPDATE ON consent_events
        BEGIN SELECT RAISE(ABORT, 'consent_events is append-only'); END;
     CREATE TRIGGER consent_events_no_delete BEFORE DELETE ON consent_events
        BEGIN SELECT RAISE(ABORT, 'consent_events is append-only'); END;
     ALTER TABLE contacts ADD COLUMN pending_since TEXT;
     ALTER TABLE contacts ADD COLUMN confirmed_at TEXT;
     CREATE INDEX contacts_pending ON contacts (pending_since) WHERE pending_since IS NOT NULL;
     CREATE TABLE outbox (
        id INTEGER PRIMARY KEY,
        kind TEXT NOT NULL,
        contact_id INTEGER,
        payload TEXT NOT NULL,
        created_at TEXT NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 0,
        next_attempt_at TEXT NOT NULL,
        sent_at TEXT, dead_at TEXT, last_error TEXT) STRICT;
     CREATE INDEX outbox_due ON outbox (next_attempt_at) WHERE sent_at IS NULL AND dead_at IS NULL;
     CREATE INDEX outbox_contact ON outbox (contact_id, created_at) WHERE contact_id IS NOT NULL;",
    ),
    // 3: every policy a server ran with, by the hash its consent events record, so an access
    // request shows the exact purpose text a person saw after the policy file has changed;
    // `used_at` is the last server start with it (the purge reads the latest `retention_days`).
    Step::Sql(
        "CREATE TABLE policies (
        hash TEXT PRIMARY KEY, policy_id TEXT NOT NULL, version TEXT NOT NULL,
        json TEXT NOT NULL, stored_at TEXT NOT NULL, used_at TEXT NOT NULL) STRICT;",
    ),
    // 4: webhooks. `webhook_endpoints` is the set `serve` was started with (URL, event filter,
    // extra payload fields), kept in the file so that every writer (the server's writer thread,
    // `erase` and the sweeps in other processes) queues the same events. A webhook is one outbox
    // row per event and endpoint (kind `webhook`): `endpoint` is its URL, `event_id` the stable
    // `webhook-id` every endpoint and every attempt of the event share.
    Step::Sql(
        "CREATE TABLE webhook_endpoints (
        url TEXT PRIMARY KEY, events TEXT NOT NULL, include TEXT NOT NULL) STRICT;
     ALTER TABLE outbox ADD COLUMN endpoint TEXT;
     ALTER TABLE outbox ADD COLUMN event_id TEXT;
     CREATE INDEX outbox_webhook ON outbox (endpoint, contact_id, id)
        WHERE kind = 'webhook' AND sent_at IS NULL AND dead_at IS NULL;",
    ),
    // 5: where each contact came from (`store::sqlite::attribution`): its first and latest
    // source (page path, UTM parameters, form id), attribution kept apart from the consent log.
    Step::Sql(
        "CREATE TABLE attribution (
        contact_id INTEGER NOT NULL,
        touch TEXT NOT NULL CHECK (touch IN ('first', 'last')),
        path TEXT, utm_source TEXT, utm_medium TEXT, utm_campaign TEXT, utm_term TEXT,
        utm_content TEXT, form_id TEXT,
        at TEXT NOT NULL,
        PRIMARY KEY (contact_id, touch)) WITHOUT ROWID, STRICT;",
    ),
    // 6: the values of the policy's custom fields (`custom_fields`), one JSON object per contact
    // (id → string, list of strings, boolean or integer), as validation normalized them.
    Step::Sql(
        "ALTER TABLE contacts ADD COLUMN custom TEXT
        CHECK (custom IS NULL OR (json_valid(custom) AND json_type(custom) = 'object'));",
    ),
    // 7: the consent log's action CHECK as comparisons. SQLite evaluates a CHECK `IN` list of
    // three or more constants through an ephemeral b-tree built anew for every row inserted,
    // about 12% of the writer's instructions per signup (callgrind). Same rule, same rows.
    Step::Code(action_check_as_comparisons),
    // 8: a new person's first grants live in the contact's own row, not one `consent_state`
    // row each: a signup writes one b-tree fewer (7,900 writer instructions and about 5 µs of
    // CPU a signup, benches/server-profile.md, seventeenth session). The table keeps every
    // later change as `consent_changes`; `consent_state` is now a view with the same rows as
    // before: the row's first grants (purpose i's event is `first_seq + i`, at `created_at`)
    // not since changed, then every change. Existing rows all move with the table's rename.
    Step::Sql(
        "ALTER TABLE consent_state RENAME TO consent_changes;
     ALTER TABLE contacts ADD COLUMN first_grants TEXT;
     ALTER TABLE contacts ADD COLUMN first_seq INTEGER;
     CREATE VIEW consent_state (contact_id, purpose, action, seq, at) AS
        SELECT c.id, j.value, 'grant', c.first_seq + j.key, c.created_at
          FROM contacts c, json_each(c.first_grants) j
         WHERE c.first_grants IS NOT NULL
           AND NOT EXISTS (SELECT 1 FROM consent_changes x
                            WHERE x.contact_id = c.id AND x.purpose = j.value)
        UNION ALL
        SELECT contact_id, purpose, action, seq, at FROM consent_changes;",
    ),
];

/// Rewrites `consent_events`' CHECK on `action` from an `IN` list to `=` comparisons, in place:
/// SQLite's documented procedure for changing a CHECK without copying the table (schema editing,
/// then the schema version bumped so every other connection reads the table's definition again;
/// `RESET` makes this one read it again too). The two are the same rule, so every stored row
/// satisfies the new one; an O(1) step however long the log.
fn action_check_as_comparisons(conn: &Connection) -> rusqlite::Result<()> {
    const IN_LIST: &str = "CHECK (action IN ('request', 'grant', 'withdraw'))";
    const COMPARISONS: &str =
        "CHECK (action = 'request' OR action = 'grant' OR action = 'withdraw')";
    let version: i64 = conn.query_row("PRAGMA schema_version", [], |r| r.get(0))?;
    conn.execute_batch("PRAGMA writable_schema = ON")?;
    let edited = conn.execute(
        "UPDATE sqlite_master SET sql = replace(sql, ?1, ?2)
         WHERE type = 'table' AND name = 'consent_events' AND instr(sql, ?1) > 0",
        [IN_LIST, COMPARISONS],
    );
    let bumped = conn.execute_batch(&format!(
        "PRAGMA schema_version = {}; PRAGMA writable_schema = RESET;",
        version + 1
    ));
    edited?;
    bumped?;
    // The table must parse as edited before the transaction commits.
    conn.prepare("SELECT action FROM consent_events LIMIT 0")?;
    Ok(())
}

/// Applies every migration `conn`'s file has not had yet, each in its own transaction.
pub(super) fn migrate(conn: &Connection) -> Result<(), String> {
    let current = user_version(conn).map_err(|e| e.to_string())?;
    if current > MIGRATIONS.len() as i64 {
        return Err(format!(
            "schema version {current} is newer than this program knows ({})",
            MIGRATIONS.len()
        ));
    }
    for (i, step) in MIGRATIONS.iter().enumerate().skip(current as usize) {
        apply(conn, step, i + 1).map_err(|e| format!("migration {}: {e}", i + 1))?;
    }
    Ok(())
}

/// Runs `step` as schema version `n` in one `IMMEDIATE` transaction (rolled back on error).
/// The version is read again under the write lock: another process opening the same file
/// (`serve` and a CLI command started together after an upgrade) may have applied the step
/// since `migrate` looked, and then this one has nothing to do.
fn apply(conn: &Connection, step: &Step, n: usize) -> rusqlite::Result<()> {
    conn.execute_batch("BEGIN IMMEDIATE")?;
    let done = apply_locked(conn, step, n).and_then(|()| conn.execute_batch("COMMIT"));
    if done.is_err() && !conn.is_autocommit() {
        let _ = conn.execute_batch("ROLLBACK");
    }
    done
}

/// [`apply`]'s work inside its transaction: `step` and the version it brings, unless the file
/// already has them.
fn apply_locked(conn: &Connection, step: &Step, n: usize) -> rusqlite::Result<()> {
    if user_version(conn)? >= n as i64 {
        return Ok(());
    }
    match step {
        Step::Sql(sql) => conn.execute_batch(sql)?,
        Step::Code(change) => change(conn)?,
    }
    conn.execute_batch(&format!("PRAGMA user_version = {n}"))
}

/// The number of migrations the file has had.
fn user_version(conn: &Connection) -> rusqlite::Result<i64> {
    conn.query_row("PRAGMA user_version", [], |r| r.get(0))
}

/// The schema version of a file opened read-only; an error unless it is one this program wrote.
pub(super) fn version(conn: &Connection) -> Result<i64, String> {
    let version = user_version(conn).map_err(|e| e.to_string())?;
    if version < 1 || version > MIGRATIONS.len() as i64 {
        return Err(format!("schema version {version}"));
    }
    Ok(version)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::sqlite::tests::fresh_dir;

    /// An event row with every NOT NULL column: `?1` its `seq`, `?2` its `action`.
    const INSERT_EVENT: &str = "INSERT INTO consent_events (seq, contact_key, action, purpose,
        policy_id, policy_version, policy_hash, rendered_checked, required_to_submit, locale,
        method, received_at, prev_hash, hash)
        VALUES (?1, 'k', ?2, 'news', 'p', '1', 'h', 0, 0, 'en', 'api', 't', 'a', 'b')";

    fn insert_event(conn: &Connection, seq: i64, action: &str) -> rusqlite::Result<usize> {
        conn.execute(INSERT_EVENT, rusqlite::params![seq, action])
    }

    /// Whether appending an event builds an ephemeral b-tree (the `IN`-list CHECK does).
    fn append_uses_ephemeral(conn: &Connection) -> bool {
        let mut stmt = conn.prepare(&format!("EXPLAIN {INSERT_EVENT}")).unwrap();
        let ops: Vec<String> = stmt
            .query_map(rusqlite::params![1, "grant"], |r| r.get(1))
            .unwrap()
            .map(Result::unwrap)
            .collect();
        ops.iter().any(|op| op == "OpenEphemeral")
    }

    #[test]
    fn a_new_file_checks_the_action_without_an_ephemeral_table_and_still_refuses_others() {
        let conn = Connection::open_in_memory().unwrap();
        migrate(&conn).unwrap();
        assert!(!append_uses_ephemeral(&conn));
        for (seq, action) in [(1, "request"), (2, "grant"), (3, "withdraw")] {
            insert_event(&conn, seq, action).unwrap();
        }
        let refused = insert_event(&conn, 4, "maybe").unwrap_err().to_string();
        assert!(refused.contains("CHECK constraint failed"), "{refused}");
    }

    #[test]
    fn a_version_6_file_keeps_its_log_and_its_other_connections_see_the_new_check() {
        let dir = fresh_dir("sg-schema7");
        let path = dir.join("v6.db");
        let conn = Connection::open(&path).unwrap();
        conn.execute_batch("PRAGMA journal_mode = WAL").unwrap();
        for (i, step) in MIGRATIONS[..6].iter().enumerate() {
            apply(&conn, step, i + 1).unwrap();
        }
        insert_event(&conn, 1, "grant").unwrap();
        // A second connection (another process, say) that has the old definition loaded.
        let other = Connection::open(&path).unwrap();
        assert!(append_uses_ephemeral(&other));

        migrate(&conn).unwrap();
        assert_eq!(user_version(&conn).unwrap(), MIGRATIONS.len() as i64);
        assert!(!append_uses_ephemeral(&conn));
        let ok: String = conn
            .query_row("PRAGMA integrity_check", [], |r| r.get(0))
            .unwrap();
        assert_eq!(ok, "ok");
        let kept: String = other
            .query_row("SELECT action FROM consent_events WHERE seq = 1", [], |r| {
                r.get(0)
            })
            .unwrap();
        assert_eq!(kept, "grant");
        // Its first statement after the migration saw the new schema version and reloaded.
        assert!(!append_uses_ephemeral(&other));
        assert!(insert_event(&other, 2, "maybe").is_err());
        let edit = other.execute("UPDATE consent_events SET action = 'withdraw'", []);
        assert!(edit.unwrap_err().to_string().contains("append-only"));
        drop((conn, other));
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn a_version_7_file_keeps_every_state_and_first_grants_in_a_row_read_as_states() {
        let conn = Connection::open_in_memory().unwrap();
        for (i, step) in MIGRATIONS[..7].iter().enumerate() {
            apply(&conn, step, i + 1).unwrap();
        }
        let contact = "INSERT INTO contacts (id, contact_key, locale, created_at, updated_at)
            VALUES (?1, 'k', 'en', ?2, ?2)";
        conn.execute(contact, rusqlite::params![1, "t1"]).unwrap();
        conn.execute(contact, rusqlite::params![2, "t1"]).unwrap();
        conn.execute_batch(
            "INSERT INTO consent_state VALUES (1, 'news', 'grant', 1, 't1'),
                (1, 'offers', 'withdraw', 3, 't2'), (2, 'news', 'grant', 4, 't3');",
        )
        .unwrap();
        let states = |c: &Connection| -> Vec<(i64, String, String, i64, String)> {
            let sql = "SELECT contact_id, purpose, action, seq, at FROM consent_state
                ORDER BY contact_id, purpose";
            let mut stmt = c.prepare(sql).unwrap();
            let rows = stmt.query_map([], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
            });
            rows.unwrap().map(Result::unwrap).collect()
        };
        let before = states(&conn);

        migrate(&conn).unwrap();
        assert_eq!(states(&conn), before, "every stored state reads as it did");
        // A new person with two first grants (events 5 and 6), then a later change to one.
        conn.execute(
            "INSERT INTO contacts (id, contact_key, locale, created_at, updated_at,
                first_grants, first_seq) VALUES (3, 'k3', 'en', 't5', 't5', '[\"news\",\"offers\"]', 5)",
            [],
        )
        .unwrap();
        let third = |c: &Connection| {
            states(c)
                .into_iter()
                .filter(|s| s.0 == 3)
                .collect::<Vec<_>>()
        };
        let grant =
            |p: &str, seq, at: &str| (3, p.to_owned(), "grant".to_owned(), seq, at.to_owned());
        assert_eq!(
            third(&conn),
            [grant("news", 5, "t5"), grant("offers", 6, "t5")]
        );
        conn.execute(
            "INSERT INTO consent_changes VALUES (3, 'news', 'withdraw', 7, 't7')",
            [],
        )
        .unwrap();
        let withdrawn = (
            3,
            "news".to_owned(),
            "withdraw".to_owned(),
            7,
            "t7".to_owned(),
        );
        assert_eq!(third(&conn), [withdrawn, grant("offers", 6, "t5")]);
    }

    #[test]
    fn a_process_that_read_the_version_before_another_migrated_applies_nothing_twice() {
        let dir = fresh_dir("sg-schema-race");
        let path = dir.join("new.db");
        // Both open the new file; `late` has read version 0 when `first` migrates it all.
        let late = Connection::open(&path).unwrap();
        let first = Connection::open(&path).unwrap();
        migrate(&first).unwrap();
        let schema = |c: &Connection| -> (String, i64) {
            let sql = "SELECT group_concat(sql, ';') FROM sqlite_master";
            let text = c.query_row(sql, [], |r| r.get(0)).unwrap();
            let version = c.query_row("PRAGMA schema_version", [], |r| r.get(0));
            (text, version.unwrap())
        };
        let before = schema(&first);
        // What `late`'s `migrate` goes on to do: each step finds itself applied under the lock
        // (it used to fail on "table meta already exists" and stop that process starting).
        for (i, step) in MIGRATIONS.iter().enumerate() {
            apply(&late, step, i + 1).unwrap();
        }
        assert_eq!(schema(&late), before);
        assert_eq!(user_version(&late).unwrap(), MIGRATIONS.len() as i64);
        drop((late, first));
        let _ = std::fs::remove_dir_all(&dir);
    }
}

//! The embedded store: one SQLite file in WAL mode with `synchronous=FULL`, versioned migrations,
//! `contacts` (one row per person, unique dedup key), append-only `consent_events` chained by hash,
//! and the `Idempotency-Key` answers. Writes go through the single writer thread
//! ([`super::writer`]); this module opens the file and reads it (export, chain check).

use super::chain::{Event, GENESIS};
use rusqlite::{params, Connection, OpenFlags, OptionalExtension};
use std::fmt;
use std::path::Path;

/// Schema migrations; `PRAGMA user_version` is the number applied. Append, never edit.
const MIGRATIONS: &[&str] = &[
    // 1: contacts, the consent log, each purpose's current state, idempotency answers, settings.
    // Indexes are few on purpose: a new signup appends to every table in key order and touches
    // one random index page (email_key), so a group commit writes few pages. `consent_state` is
    // the log's latest action per contact and purpose, written in the same transaction.
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
];

/// A store that cannot be opened or used; the message is for the operator.
#[derive(Debug)]
pub struct StoreError(pub String);

impl fmt::Display for StoreError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for StoreError {}

fn fail(path: &Path, what: &str, e: impl fmt::Display) -> StoreError {
    StoreError(format!("{}: {what}: {e}", path.display()))
}

/// What an operator should read for a SQLite error met while opening the store.
fn explain(path: &Path, e: &rusqlite::Error) -> StoreError {
    use rusqlite::ErrorCode;
    let why = match e.sqlite_error_code() {
        Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked) => {
            "the database is locked by another process (another server or a shell holding a \
             write transaction); stop it and start again"
        }
        Some(ErrorCode::ReadOnly) => {
            "the database is not writable (read-only file, directory or file system)"
        }
        Some(ErrorCode::CannotOpen | ErrorCode::PermissionDenied) => {
            let why = "cannot open the database file, or its -wal/-shm files beside it, for \
                       writing (missing directory, no permission, or a read-only file system)";
            return match os_reason(path) {
                Some(os) => fail(path, why, format!("{e} ({os})")),
                None => fail(path, why, e),
            };
        }
        Some(ErrorCode::NotADatabase) => "the file exists but is not a SQLite database",
        Some(ErrorCode::DatabaseCorrupt) => "the database file is corrupt",
        Some(ErrorCode::DiskFull) => "the disk is full",
        _ => "cannot use the database",
    };
    fail(path, why, e)
}

/// What the OS says about opening `path` for writing (no side effect: nothing is created or
/// truncated), to name the cause SQLite's "unable to open database file" hides.
fn os_reason(path: &Path) -> Option<String> {
    match std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .open(path)
    {
        Ok(_) => None,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => path
            .parent()
            .filter(|d| !d.as_os_str().is_empty() && !d.exists())
            .map(|d| format!("directory {} does not exist", d.display())),
        Err(e) => Some(e.to_string()),
    }
}

/// Opens (creating if needed) the database for writing: WAL, `synchronous=FULL`, migrated, and
/// proven writable (a write lock is taken and released), so a read-only, locked or foreign file
/// is a clear start-up error instead of a 503 on the first signup.
pub fn open(path: &Path) -> Result<Connection, StoreError> {
    let conn = Connection::open(path).map_err(|e| explain(path, &e))?;
    conn.busy_timeout(std::time::Duration::from_secs(5))
        .map_err(|e| explain(path, &e))?;
    let mode: String = conn
        .query_row("PRAGMA journal_mode=WAL", [], |r| r.get(0))
        .map_err(|e| explain(path, &e))?;
    if !mode.eq_ignore_ascii_case("wal") {
        return Err(fail(path, "cannot switch to WAL mode", mode));
    }
    conn.execute_batch("PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;")
        .map_err(|e| explain(path, &e))?;
    if conn.is_readonly(rusqlite::MAIN_DB).unwrap_or(false) {
        return Err(fail(
            path,
            "the database is not writable (read-only file, directory or file system)",
            "SQLite could open it only for reading",
        ));
    }
    migrate(&conn).map_err(|e| fail(path, "migration failed", e))?;
    conn.execute_batch("BEGIN IMMEDIATE; ROLLBACK;")
        .map_err(|e| explain(path, &e))?;
    Ok(conn)
}

/// Copies the write-ahead log into the database in the background (PASSIVE checkpoints never
/// block the writer), every half second until `stop`, then once fully. The writer connection's
/// own auto-checkpoint is turned off, so a commit never waits for a checkpoint's fsyncs.
///
/// The same thread sweeps `Idempotency-Key` answers older than `idempotency_ttl` about once a
/// second, oldest first, in bounded deletes ([`sweep_idempotency`]).
pub fn checkpointer(
    path: &Path,
    stop: std::sync::Arc<std::sync::atomic::AtomicBool>,
    idempotency_ttl: std::time::Duration,
    clock: super::clock::Clock,
) -> Result<std::thread::JoinHandle<()>, StoreError> {
    use std::sync::atomic::Ordering;
    let conn = Connection::open(path).map_err(|e| fail(path, "cannot open database", e))?;
    conn.busy_timeout(std::time::Duration::from_secs(5))
        .and_then(|()| conn.execute_batch("PRAGMA synchronous=FULL;"))
        .map_err(|e| fail(path, "cannot configure database", e))?;
    std::thread::Builder::new()
        .name("signup-guard-checkpoint".into())
        .spawn(move || {
            let mut tick: u32 = 0;
            'run: loop {
                tick = tick.wrapping_add(1);
                if tick % 2 == 0 {
                    if let Err(e) = sweep_idempotency(&conn, &clock.ago(idempotency_ttl)) {
                        super::log::error("idempotency_sweep_failed", &e.to_string());
                    }
                }
                for _ in 0..10 {
                    if stop.load(Ordering::Relaxed) {
                        break 'run;
                    }
                    std::thread::sleep(std::time::Duration::from_millis(50));
                }
                if let Err(e) = conn.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |_| Ok(())) {
                    super::log::error("checkpoint_failed", &e.to_string());
                }
            }
            let _ = conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()));
        })
        .map_err(|e| fail(path, "cannot start the checkpoint thread", e))
}

/// Rows one sweep statement deletes; small, so the writer never waits long for the lock.
pub const SWEEP_BATCH: i64 = 500;

/// Deletes `Idempotency-Key` answers created before `cutoff` (RFC 3339), oldest first (insertion order), in statements of
/// at most [`SWEEP_BATCH`] rows and at most 20 per call; returns how many went. A statement that
/// finds nothing expired takes no write lock.
pub fn sweep_idempotency(conn: &Connection, cutoff: &str) -> rusqlite::Result<usize> {
    let mut total = 0;
    for _ in 0..20 {
        let n = conn
            .prepare_cached(
                "DELETE FROM idempotency WHERE created_at < ?1 AND rowid IN
                    (SELECT rowid FROM idempotency ORDER BY rowid LIMIT ?2)",
            )?
            .execute(params![cutoff, SWEEP_BATCH])?;
        total += n;
        if (n as i64) < SWEEP_BATCH {
            break;
        }
    }
    Ok(total)
}

/// Opens an existing database read-only (export, chain check).
pub fn open_read(path: &Path) -> Result<Connection, StoreError> {
    if !path.exists() {
        return Err(StoreError(format!("{}: no such database", path.display())));
    }
    let conn = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY)
        .map_err(|e| fail(path, "cannot open database", e))?;
    let version: i64 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .map_err(|e| fail(path, "not a signup-guard database", e))?;
    if version < 1 || version > MIGRATIONS.len() as i64 {
        return Err(fail(
            path,
            "not a signup-guard database",
            format!("schema version {version}"),
        ));
    }
    Ok(conn)
}

fn migrate(conn: &Connection) -> Result<(), String> {
    let current: i64 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .map_err(|e| e.to_string())?;
    if current > MIGRATIONS.len() as i64 {
        return Err(format!(
            "schema version {current} is newer than this program knows ({})",
            MIGRATIONS.len()
        ));
    }
    for (i, sql) in MIGRATIONS.iter().enumerate().skip(current as usize) {
        conn.execute_batch(&format!(
            "BEGIN IMMEDIATE; {sql}; PRAGMA user_version = {}; COMMIT;",
            i + 1
        ))
        .map_err(|e| format!("migration {}: {e}", i + 1))?;
    }
    Ok(())
}

/// The server secret: `from_env` when given, else the stored one, else 32 fresh random bytes
/// (SQLite's `randomblob`, seeded from the OS) stored for next time.
pub fn secret(conn: &Connection, from_env: Option<&str>) -> Result<Vec<u8>, StoreError> {
    if let Some(s) = from_env.filter(|s| !s.is_empty()) {
        return Ok(s.as_bytes().to_vec());
    }
    let err = |e: rusqlite::Error| StoreError(format!("cannot read or store the secret: {e}"));
    let stored: Option<String> = conn
        .query_row("SELECT value FROM meta WHERE key = 'secret'", [], |r| {
            r.get(0)
        })
        .optional()
        .map_err(err)?;
    if let Some(hex) = stored {
        return Ok(hex.into_bytes());
    }
    let hex: String = conn
        .query_row("SELECT lower(hex(randomblob(32)))", [], |r| r.get(0))
        .map_err(err)?;
    conn.execute(
        "INSERT OR IGNORE INTO meta (key, value) VALUES ('secret', ?1)",
        [&hex],
    )
    .map_err(err)?;
    let kept: String = conn
        .query_row("SELECT value FROM meta WHERE key = 'secret'", [], |r| {
            r.get(0)
        })
        .map_err(err)?;
    Ok(kept.into_bytes())
}

/// The last event's sequence number and hash (0 and [`GENESIS`] for an empty log).
pub fn chain_head(conn: &Connection) -> rusqlite::Result<(i64, String)> {
    Ok(conn
        .query_row(
            "SELECT seq, hash FROM consent_events ORDER BY seq DESC LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?
        .unwrap_or((0, GENESIS.to_owned())))
}

/// Appends one event with its hash (the caller chose `seq` and `prev_hash` from the head).
pub fn insert_event(conn: &Connection, e: &Event, hash: &str) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "INSERT INTO consent_events (seq, contact_key, action, purpose, policy_id, policy_version,
            policy_hash, text_hash, rendered_checked, required_to_submit, locale, method,
            received_at, claimed_at, user_agent, prev_hash, hash)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17)",
    )?
    .execute(params![
        e.seq,
        e.contact_key,
        e.action,
        e.purpose,
        e.policy_id,
        e.policy_version,
        e.policy_hash,
        e.text_hash,
        e.rendered_checked,
        e.required_to_submit,
        e.locale,
        e.method,
        e.received_at,
        e.claimed_at,
        e.user_agent,
        e.prev_hash,
        hash
    ])?;
    Ok(())
}

/// The outcome of checking the consent log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChainCheck {
    /// Every link holds: the number of events and the head hash.
    Intact {
        /// Events checked.
        events: u64,
        /// The last event's hash (keep it elsewhere to detect truncation).
        head: String,
    },
    /// The first broken link: its `seq` and what is wrong.
    Broken {
        /// The event's sequence number.
        seq: i64,
        /// What does not hold.
        reason: String,
    },
}

/// Recomputes every event's hash in order and checks each `prev_hash` link.
pub fn verify_chain(conn: &Connection) -> rusqlite::Result<ChainCheck> {
    let mut stmt = conn.prepare(
        "SELECT seq, contact_key, action, purpose, policy_id, policy_version, policy_hash,
                text_hash, rendered_checked, required_to_submit, locale, method, received_at,
                claimed_at, user_agent, prev_hash, hash
         FROM consent_events ORDER BY seq",
    )?;
    let mut rows = stmt.query([])?;
    let mut prev = GENESIS.to_owned();
    let mut expected_seq = 1;
    let mut events = 0;
    while let Some(r) = rows.next()? {
        let e = Event {
            seq: r.get(0)?,
            contact_key: r.get(1)?,
            action: r.get(2)?,
            purpose: r.get(3)?,
            policy_id: r.get(4)?,
            policy_version: r.get(5)?,
            policy_hash: r.get(6)?,
            text_hash: r.get(7)?,
            rendered_checked: r.get(8)?,
            required_to_submit: r.get(9)?,
            locale: r.get(10)?,
            method: r.get(11)?,
            received_at: r.get(12)?,
            claimed_at: r.get(13)?,
            user_agent: r.get(14)?,
            prev_hash: r.get(15)?,
        };
        let stored: String = r.get(16)?;
        let broken = |reason: String| Ok(ChainCheck::Broken { seq: e.seq, reason });
        if e.seq != expected_seq {
            return broken(format!("expected event {expected_seq}: events are missing"));
        }
        if e.prev_hash != prev {
            return broken("prev_hash does not match the previous event's hash".into());
        }
        if e.hash() != stored {
            return broken("contents do not match its hash (the row was edited)".into());
        }
        prev = stored;
        expected_seq += 1;
        events += 1;
    }
    Ok(ChainCheck::Intact { events, head: prev })
}

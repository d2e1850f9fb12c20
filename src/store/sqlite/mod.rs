//! The SQLite backend: one file in WAL mode, versioned migrations ([`schema`]), `contacts` (one
//! row per person, unique dedup key), append-only `consent_events` chained by hash, each
//! purpose's current state, and the `Idempotency-Key` answers. Signups and withdrawals go
//! through the single writer thread ([`writer`]), which commits at `synchronous=NORMAL` and
//! answers only after it has fsynced the WAL past the commit ([`durable`]); every
//! other connection (erasure, which takes the same write lock from another connection or
//! process, and the checkpoint thread) commits at `synchronous=FULL` but the webhook delivery
//! connections, whose claims and marks may be lost to a power failure at the cost of a second
//! post ([`webhook_queue`]); export and the chain check read only. The outbox (mail and
//! webhook rows) is written in the transaction of the change it reports ([`webhooks`]).

mod attribution;
mod backup;
mod chain;
mod checkpoint;
mod contacts;
mod dump;
mod durable;
#[cfg(test)]
mod durable_tests;
mod erase;
mod export;
mod idempotency;
mod optin;
mod outbox;
mod people;
mod policies;
mod retention;
mod schema;
#[cfg(test)]
mod tests;
mod webhook_queue;
#[cfg(test)]
mod webhook_tests;
mod webhooks;
mod writer;

use super::{
    AccessContact, BackupReport, ChainCheck, ChainHead, EraseTarget, Erased, ExportRow, Keys,
    LinkRow, OutboxItem, OutboxOutcome, Purged, Retention, Stats, StoreError, WriteError,
    WriterHandle, WriterOptions,
};
use crate::clock::Clock;
use crate::policy::Policy;
use rusqlite::{Connection, ErrorCode, OpenFlags, OptionalExtension};
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;
use std::sync::Arc;
use std::time::Duration;

/// An open SQLite store: its connection and the file's path (the writer's checkpoint thread
/// opens its own connection to it).
pub(crate) struct Sqlite {
    conn: Connection,
    path: PathBuf,
    /// Test hooks for the writer's fsync (off unless a test sets them).
    pub(crate) faults: durable::Faults,
}

impl From<rusqlite::Error> for WriteError {
    fn from(e: rusqlite::Error) -> Self {
        match e.sqlite_error_code() {
            Some(ErrorCode::DiskFull | ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked) => {
                WriteError::Unavailable(e.to_string())
            }
            Some(ErrorCode::ReadOnly | ErrorCode::CannotOpen | ErrorCode::SystemIoFailure) => {
                WriteError::Unavailable(e.to_string())
            }
            _ => WriteError::Internal(e.to_string()),
        }
    }
}

/// A read that failed after the store was opened (export, chain check, stats).
fn read_err(e: rusqlite::Error) -> StoreError {
    StoreError(format!("cannot read the database: {e}"))
}

/// Turns off SQLite's memory statistics, once per process and before its first connection: with
/// them on (the bundled build's default), every allocation and free inside SQLite takes a global
/// mutex. Mutexes were 6% of the writer thread's samples under load, this one among them
/// (benches/server-profile.md). Nothing here reads the statistics (`sqlite3_memory_used`, soft
/// heap limits). Called after SQLite has started (a connection opened earlier in the process),
/// it changes nothing.
fn skip_memory_statistics() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        // SAFETY: SQLITE_CONFIG_MEMSTATUS takes one int; sqlite3_config is safe to call before
        // sqlite3_initialize and answers SQLITE_MISUSE (ignored) after it.
        let _ = unsafe {
            rusqlite::ffi::sqlite3_config(
                rusqlite::ffi::SQLITE_CONFIG_MEMSTATUS,
                0 as std::ffi::c_int,
            )
        };
    });
}

impl Sqlite {
    /// Opens (creating if needed) the database for writing: WAL, `synchronous=FULL`, migrated,
    /// and proven writable (a write lock is taken and released).
    pub(crate) fn open(path: &Path) -> Result<Sqlite, StoreError> {
        skip_memory_statistics();
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
        schema::migrate(&conn).map_err(|e| fail(path, "migration failed", e))?;
        conn.execute_batch("BEGIN IMMEDIATE; ROLLBACK;")
            .map_err(|e| explain(path, &e))?;
        Ok(Sqlite {
            conn,
            path: path.to_owned(),
            faults: durable::Faults::default(),
        })
    }

    /// Opens an existing database read-only (export, chain check).
    pub(crate) fn open_read(path: &Path) -> Result<Sqlite, StoreError> {
        if !path.exists() {
            return Err(StoreError(format!("{}: no such database", path.display())));
        }
        let conn = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY)
            .map_err(|e| fail(path, "cannot open database", e))?;
        schema::version(&conn).map_err(|e| fail(path, "not a signup-guard database", e))?;
        Ok(Sqlite {
            conn,
            path: path.to_owned(),
            faults: durable::Faults::default(),
        })
    }

    /// The server secret: `from_env` when given, else the stored one, else 32 fresh random
    /// bytes (SQLite's `randomblob`, seeded from the OS) stored for next time.
    pub(crate) fn secret(&self, from_env: Option<&str>) -> Result<Vec<u8>, StoreError> {
        if let Some(s) = from_env.filter(|s| !s.is_empty()) {
            return Ok(s.as_bytes().to_vec());
        }
        let err = |e: rusqlite::Error| StoreError(format!("cannot read or store the secret: {e}"));
        let read = |conn: &Connection| {
            conn.query_row("SELECT value FROM meta WHERE key = 'secret'", [], |r| {
                r.get::<_, String>(0)
            })
            .optional()
        };
        if let Some(hex) = read(&self.conn).map_err(err)? {
            return Ok(hex.into_bytes());
        }
        let hex: String = self
            .conn
            .query_row("SELECT lower(hex(randomblob(32)))", [], |r| r.get(0))
            .map_err(err)?;
        self.conn
            .execute(
                "INSERT OR IGNORE INTO meta (key, value) VALUES ('secret', ?1)",
                [&hex],
            )
            .map_err(err)?;
        // Another process may have stored its own first: keep whichever is stored.
        let kept = read(&self.conn).map_err(err)?.unwrap_or(hex);
        Ok(kept.into_bytes())
    }

    /// Starts the writer thread (and its sync and checkpoint threads) on this connection.
    pub(crate) fn start_writer(
        self,
        keys: Keys,
        options: WriterOptions,
    ) -> Result<(WriterHandle, std::thread::JoinHandle<()>), StoreError> {
        writer::spawn(self.conn, &self.path, keys, options, self.faults)
    }

    /// See [`super::Store::erase`].
    pub(crate) fn erase(&mut self, target: &EraseTarget, at: &str) -> Result<Erased, WriteError> {
        erase::erase(&mut self.conn, target, at)
    }

    /// See [`super::Store::export`].
    pub(crate) fn export<E: From<StoreError>>(
        &self,
        links: Option<(&Keys, &str)>,
        each: impl FnMut(ExportRow) -> Result<(), E>,
    ) -> Result<(), E> {
        export::export(&self.conn, links, each)
    }

    /// See [`super::Store::custom_ids`].
    pub(crate) fn custom_ids(&self) -> Result<Vec<String>, StoreError> {
        export::custom_ids(&self.conn).map_err(read_err)
    }

    /// See [`super::Store::purposes`].
    pub(crate) fn purposes(&self) -> Result<Vec<String>, StoreError> {
        export::purposes(&self.conn).map_err(read_err)
    }

    /// See [`super::Store::links`].
    pub(crate) fn links<E: From<StoreError>>(
        &self,
        keys: &Keys,
        base: &str,
        purpose: Option<&str>,
        each: impl FnMut(LinkRow) -> Result<(), E>,
    ) -> Result<(), E> {
        people::links(&self.conn, keys, base, purpose, each)
    }

    /// See [`super::Store::keys_match`].
    pub(crate) fn keys_match(&self, keys: &Keys) -> Result<Option<bool>, StoreError> {
        people::keys_match(&self.conn, keys).map_err(read_err)
    }

    /// See [`super::Store::access`].
    pub(crate) fn access(
        &self,
        target: &EraseTarget,
        keys: &Keys,
        base: &str,
    ) -> Result<Vec<AccessContact>, StoreError> {
        people::access(&self.conn, target, keys, base).map_err(read_err)
    }

    /// See [`super::Store::keep_policy`].
    pub(crate) fn keep_policy(&self, policy: &Policy, at: &str) -> Result<(), StoreError> {
        let json = serde_json::to_string(policy)
            .map_err(|e| StoreError(format!("cannot serialize the policy: {e}")))?;
        let hash = crate::digest::sha256_hex(&json);
        policies::keep(&self.conn, &hash, &policy.id, &policy.version, &json, at)
            .map_err(|e| fail(&self.path, "cannot keep the policy", e))
    }

    /// See [`super::Store::latest_policy`].
    pub(crate) fn latest_policy(&self) -> Result<Option<Policy>, StoreError> {
        let json = policies::latest(&self.conn).map_err(read_err)?;
        json.map(|j| Policy::from_json(&j))
            .transpose()
            .map_err(|e| fail(&self.path, "the kept policy does not load", e))
    }

    /// See [`super::Store::purge`].
    pub(crate) fn purge(
        &mut self,
        rule: Retention,
        now_ms: u64,
        dry_run: bool,
    ) -> Result<Vec<Purged>, WriteError> {
        retention::purge(&mut self.conn, rule, now_ms, dry_run)
    }

    /// See [`super::Store::start_retention_sweep`].
    pub(crate) fn start_retention_sweep(
        self,
        rule: Retention,
        clock: Clock,
        tick: Duration,
        stop: Arc<AtomicBool>,
    ) -> Result<std::thread::JoinHandle<()>, StoreError> {
        let path = self.path.clone();
        retention::spawn_sweep(self.conn, rule, clock, tick, stop)
            .map_err(|e| fail(&path, "cannot start the retention sweep", e))
    }

    /// See [`super::Store::backup`].
    pub(crate) fn backup(&self, out: &Path) -> Result<BackupReport, StoreError> {
        backup::backup(&self.conn, &self.path, out)
    }

    /// See [`super::Store::restore`].
    pub(crate) fn restore(from: &Path, to: &Path) -> Result<BackupReport, StoreError> {
        backup::restore(from, to)
    }

    /// Streams every table (as `migrate` copies them) in one read transaction.
    #[cfg_attr(not(feature = "postgres"), allow(dead_code))]
    pub(crate) fn dump(&self, each: super::copy::Sink<'_>) -> Result<(), StoreError> {
        self.conn.execute_batch("BEGIN").map_err(read_err)?;
        let done = super::copy::TABLES
            .iter()
            .try_for_each(|t| dump::rows(&self.conn, t, |cells| each(t, cells)));
        let _ = self.conn.execute_batch("COMMIT");
        done
    }

    /// See [`super::Store::verify_chain`].
    pub(crate) fn verify_chain(&self) -> Result<ChainCheck, StoreError> {
        chain::verify(&self.conn).map_err(read_err)
    }

    /// See [`super::Store::chain_head`].
    pub(crate) fn chain_head(&self) -> Result<ChainHead, StoreError> {
        chain::head(&self.conn).map_err(read_err)
    }

    /// See [`super::Store::stats`].
    pub(crate) fn stats(&self) -> Result<Stats, StoreError> {
        export::stats(&self.conn).map_err(read_err)
    }

    /// See [`super::Store::expire_pending`].
    pub(crate) fn expire_pending(&mut self, cutoff: &str, at: &str) -> Result<Erased, WriteError> {
        optin::expire(&mut self.conn, cutoff, at)
    }

    /// See [`super::Store::outbox_claim`].
    pub(crate) fn outbox_claim(
        &self,
        kind: &str,
        now: &str,
        lease_until: &str,
        limit: usize,
    ) -> Result<Vec<OutboxItem>, StoreError> {
        outbox::claim(&self.conn, kind, now, lease_until, limit).map_err(outbox_err)
    }

    /// See [`super::Store::outbox_finish`].
    pub(crate) fn outbox_finish(&self, id: i64, outcome: &OutboxOutcome) -> Result<(), StoreError> {
        outbox::finish(&self.conn, id, outcome).map_err(outbox_err)
    }

    /// See [`super::Store::mail_address`].
    pub(crate) fn mail_address(&self, contact_id: i64) -> Result<Option<String>, StoreError> {
        outbox::mail_address(&self.conn, contact_id).map_err(read_err)
    }
}

/// An outbox claim or mark that failed (busy beyond the timeout, disk full): the sender retries.
fn outbox_err(e: rusqlite::Error) -> StoreError {
    StoreError(format!("cannot update the outbox: {e}"))
}

fn fail(path: &Path, what: &str, e: impl fmt::Display) -> StoreError {
    StoreError(format!("{}: {what}: {e}", path.display()))
}

/// What an operator should read for a SQLite error met while opening the store.
fn explain(path: &Path, e: &rusqlite::Error) -> StoreError {
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

//! The store (feature `store`, which `server` enables): contacts, the hash-chained consent log,
//! `Idempotency-Key` answers and the server secret, behind one small API that the HTTP service
//! and the CLI call. Every SQL statement of the project lives under this module.
//!
//! [`Store`] is an enum of backends behind one face; today the only one is an embedded SQLite
//! file (WAL; every acknowledged commit fsynced). A second backend (PostgreSQL) adds a variant
//! and implements the same operations: open and migrate, start the single writer thread (group
//! commit, answers on tokio oneshots through a [`WriterHandle`]), erase, export rows, verify the
//! chain, read the chain head and stats; and for the operator: unsubscribe links, access
//! reports, policies kept by hash, the retention purge and its daily sweep, proven backups and
//! restore ([`records`] holds what they return). The invariants every backend keeps:
//!
//! - a submission is answered only after its transaction committed *and* reached stable
//!   storage. The SQLite writer commits a batch, fsyncs the WAL and only then answers its
//!   requests (the argument is in the SQLite writer's module comment); a failed fsync answers
//!   503 to that batch and every later one and stops the writer, never a `201`;
//! - the writer thread is the only writer of signups and withdrawals (erasure takes the same
//!   write lock and continues the chain from the real head);
//! - consent events are append-only, each linking `prev_hash` to `hash` ([`chain`]);
//! - personal data lives only in contacts; events name people by `contact_key`;
//! - what must leave the server after a commit (a confirmation mail, a webhook event per
//!   configured endpoint) is written to the outbox in that commit, so no crash loses it; the
//!   sender or the webhook threads claim, send and mark it ([`Store::webhook_claim`]).
//!
//! ```no_run
//! use signup_guard::store::{ChainCheck, Store};
//! let store = Store::open_read(std::path::Path::new("signup-guard.db"))?;
//! if let ChainCheck::Intact { events, .. } = store.verify_chain()? {
//!     println!("{events} events, {} contacts", store.stats()?.contacts);
//! }
//! # Ok::<(), signup_guard::store::StoreError>(())
//! ```

mod canonical;
pub mod chain;
mod copy;
mod erase_rule;
mod jobs;
pub mod keys;
mod operator;
mod optin_rule;
#[cfg(feature = "postgres")]
mod postgres;
pub mod records;
mod retention_rule;
mod shapes;
mod signup;
mod sqlite;
mod webhook_events;
mod webhooks;

pub use chain::{Action, ChainCheck, ChainHead, Event, GENESIS};
pub use copy::MigrateReport;
pub use jobs::{
    Answer, Confirm, ConfirmMail, Confirmed, EventMeta, Grant, Submit, Withdraw, WriteError,
    WriterHandle, WriterOptions, QUEUE,
};
pub use keys::{unsubscribe_url, Keys};
pub use records::{
    AccessContact, AccessEvent, Attribution, BackupReport, LinkRow, PurgeReason, Purged, Retention,
    Touch, DEFAULT_GRACE_DAYS,
};
pub use shapes::{ConsentStatus, EraseTarget, Erased, ExportRow, OutboxItem, OutboxOutcome, Stats};
pub use webhooks::{
    Delivery, WebhookItem, WebhookRoute, WebhookRow, WEBHOOK_EVENTS, WEBHOOK_FIELDS,
};

use std::fmt;
use std::path::Path;
use std::thread::JoinHandle;

/// A store that cannot be opened or used; the message is for the operator.
#[derive(Debug)]
pub struct StoreError(pub String);

impl fmt::Display for StoreError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for StoreError {}

/// An opened store: for writing ([`Store::open`]) or reading only ([`Store::open_read`]).
pub struct Store(Backend);

/// The backends; each variant implements every operation of [`Store`].
enum Backend {
    Sqlite(sqlite::Sqlite),
    /// Feature `postgres`: a database several servers share.
    #[cfg(feature = "postgres")]
    Postgres(postgres::Postgres),
}

/// Whether `--db` names a PostgreSQL database (`postgres://…`, `postgresql://…`) rather than a
/// SQLite file: the commands dispatch on it.
pub fn is_database_url(db: &Path) -> bool {
    pg_url(db).is_some()
}

/// The PostgreSQL URL `db` names (`postgres://…`), if it is one rather than a file path.
fn pg_url(db: &Path) -> Option<&str> {
    db.to_str()
        .filter(|s| s.starts_with("postgres://") || s.starts_with("postgresql://"))
}

/// The error for a PostgreSQL URL given to a build without the feature.
#[cfg(not(feature = "postgres"))]
fn no_postgres(url: &str) -> StoreError {
    let _ = url;
    StoreError(
        "store.unsupported: this build has no PostgreSQL support (build with --features postgres)"
            .into(),
    )
}

impl Store {
    /// Opens (creating if needed) the SQLite store at `path` for writing: WAL,
    /// `synchronous=FULL` (the writer thread commits at `NORMAL` and fsyncs the WAL itself before
    /// answering), migrated, and proven writable, so a read-only, locked or foreign file
    /// is a clear start-up error instead of a 503 on the first signup.
    ///
    /// A `postgres://user@host/db` URL (feature `postgres`) opens that database instead:
    /// connected, migrated the same way, shared by every server given the same URL.
    pub fn open(path: &Path) -> Result<Store, StoreError> {
        if let Some(url) = pg_url(path) {
            #[cfg(feature = "postgres")]
            return postgres::Postgres::open(url).map(|p| Store(Backend::Postgres(p)));
            #[cfg(not(feature = "postgres"))]
            return Err(no_postgres(url));
        }
        sqlite::Sqlite::open(path).map(|s| Store(Backend::Sqlite(s)))
    }

    /// Opens an existing SQLite store read-only (export, chain check), safe beside a server.
    /// A `postgres://` URL connects to that database (which must already be a signup-guard one).
    pub fn open_read(path: &Path) -> Result<Store, StoreError> {
        if let Some(url) = pg_url(path) {
            #[cfg(feature = "postgres")]
            return postgres::Postgres::open_read(url).map(|p| Store(Backend::Postgres(p)));
            #[cfg(not(feature = "postgres"))]
            return Err(no_postgres(url));
        }
        sqlite::Sqlite::open_read(path).map(|s| Store(Backend::Sqlite(s)))
    }

    /// The server secret: `from_env` when given, else the stored one, else 32 fresh random bytes
    /// stored for next time.
    pub fn secret(&self, from_env: Option<&str>) -> Result<Vec<u8>, StoreError> {
        match &self.0 {
            Backend::Sqlite(s) => s.secret(from_env),
            #[cfg(feature = "postgres")]
            Backend::Postgres(p) => p.secret(from_env),
        }
    }

    /// Starts the single writer thread on this store; it ends (after committing what it holds)
    /// when every handle is dropped. Join the returned thread on shutdown.
    pub fn start_writer(
        self,
        keys: Keys,
        options: WriterOptions,
    ) -> Result<(WriterHandle, JoinHandle<()>), StoreError> {
        match self.0 {
            Backend::Sqlite(s) => s.start_writer(keys, options),
            #[cfg(feature = "postgres")]
            Backend::Postgres(p) => p.start_writer(keys, options),
        }
    }

    /// Erases a person (GDPR Art. 17) in one write transaction beside a running server: each
    /// still-granted purpose gets a `withdraw` event (method `erasure`) at the real head of the
    /// chain, the contact keeps only its id, `contact_key`, locale and timestamps, and every
    /// stored idempotency answer that shows the person is deleted. The log is never edited.
    pub fn erase(&mut self, target: &EraseTarget, at: &str) -> Result<Erased, WriteError> {
        match &mut self.0 {
            Backend::Sqlite(s) => s.erase(target, at),
            #[cfg(feature = "postgres")]
            Backend::Postgres(p) => p.erase(target, at),
        }
    }

    /// Streams every contact not erased, in creation order, with each purpose's current state,
    /// to `each`; stops at the first error.
    pub fn export<E: From<StoreError>>(
        &self,
        each: impl FnMut(ExportRow) -> Result<(), E>,
    ) -> Result<(), E> {
        match &self.0 {
            Backend::Sqlite(s) => s.export(None, each),
            #[cfg(feature = "postgres")]
            Backend::Postgres(p) => p.export(None, each),
        }
    }

    /// Like [`Store::export`], each row with an unsubscribe link (under the public `base` URL)
    /// per purpose granted now.
    pub fn export_with_links<E: From<StoreError>>(
        &self,
        keys: &Keys,
        base: &str,
        each: impl FnMut(ExportRow) -> Result<(), E>,
    ) -> Result<(), E> {
        match &self.0 {
            Backend::Sqlite(s) => s.export(Some((keys, base)), each),
            #[cfg(feature = "postgres")]
            Backend::Postgres(p) => p.export(Some((keys, base)), each),
        }
    }

    /// Every custom field id any contact has a value for, sorted (the export's `custom_` columns).
    pub fn custom_ids(&self) -> Result<Vec<String>, StoreError> {
        match &self.0 {
            Backend::Sqlite(s) => s.custom_ids(),
            #[cfg(feature = "postgres")]
            Backend::Postgres(p) => p.custom_ids(),
        }
    }

    /// Every purpose any contact has granted or withdrawn, sorted (the export's link columns).
    pub fn purposes(&self) -> Result<Vec<String>, StoreError> {
        match &self.0 {
            Backend::Sqlite(s) => s.purposes(),
            #[cfg(feature = "postgres")]
            Backend::Postgres(p) => p.purposes(),
        }
    }

    /// Recomputes every event's hash in order and checks each `prev_hash` link.
    pub fn verify_chain(&self) -> Result<ChainCheck, StoreError> {
        match &self.0 {
            Backend::Sqlite(s) => s.verify_chain(),
            #[cfg(feature = "postgres")]
            Backend::Postgres(p) => p.verify_chain(),
        }
    }

    /// The last event's sequence number and hash.
    pub fn chain_head(&self) -> Result<ChainHead, StoreError> {
        match &self.0 {
            Backend::Sqlite(s) => s.chain_head(),
            #[cfg(feature = "postgres")]
            Backend::Postgres(p) => p.chain_head(),
        }
    }

    /// How many rows each part of the store holds.
    pub fn stats(&self) -> Result<Stats, StoreError> {
        match &self.0 {
            Backend::Sqlite(s) => s.stats(),
            #[cfg(feature = "postgres")]
            Backend::Postgres(p) => p.stats(),
        }
    }

    /// Erases, as [`Store::erase`] does, every contact still waiting for its double opt-in
    /// confirmation whose latest request is older than `cutoff` (RFC 3339), at the server time
    /// `at`; waiting requests get `withdraw` events (method `unconfirmed`). Bounded per call;
    /// takes no write lock when nothing is due. `serve` runs it beside its other sweeps.
    pub fn expire_pending(&mut self, cutoff: &str, at: &str) -> Result<Erased, WriteError> {
        match &mut self.0 {
            Backend::Sqlite(s) => s.expire_pending(cutoff, at),
            #[cfg(feature = "postgres")]
            Backend::Postgres(p) => p.expire_pending(cutoff, at),
        }
    }

    /// Claims up to `limit` outbox rows of `kind` (`mail`) due at `now` (RFC 3339) for sending: each attempt is
    /// counted and the row leased until `lease_until`, so a sender that dies mid-send leaves it
    /// to the next start and two senders never take the same row at once.
    pub fn outbox_claim(
        &self,
        kind: &str,
        now: &str,
        lease_until: &str,
        limit: usize,
    ) -> Result<Vec<OutboxItem>, StoreError> {
        match &self.0 {
            Backend::Sqlite(s) => s.outbox_claim(kind, now, lease_until, limit),
            #[cfg(feature = "postgres")]
            Backend::Postgres(p) => p.outbox_claim(kind, now, lease_until, limit),
        }
    }

    /// Records what became of a claimed outbox row.
    pub fn outbox_finish(&self, id: i64, outcome: &OutboxOutcome) -> Result<(), StoreError> {
        match &self.0 {
            Backend::Sqlite(s) => s.outbox_finish(id, outcome),
            #[cfg(feature = "postgres")]
            Backend::Postgres(p) => p.outbox_finish(id, outcome),
        }
    }

    /// The address to mail a contact at; `None` once erased.
    pub fn mail_address(&self, contact_id: i64) -> Result<Option<String>, StoreError> {
        match &self.0 {
            Backend::Sqlite(s) => s.mail_address(contact_id),
            #[cfg(feature = "postgres")]
            Backend::Postgres(p) => p.mail_address(contact_id),
        }
    }
}

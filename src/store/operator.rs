//! The operator's side of the [`Store`] API: unsubscribe links, access reports, policies kept by
//! hash, the retention purge and its sweep, proven backups, restore and migration. The same
//! dispatch to the backend as in `mod.rs`, in a file of its own.

#[cfg(not(feature = "postgres"))]
use super::no_postgres;
#[cfg(feature = "postgres")]
use super::postgres;
use super::sqlite;
use super::{
    pg_url, AccessContact, Backend, BackupReport, ChainCheck, EraseTarget, Keys, LinkRow,
    MigrateReport, Purged, Retention, Store, StoreError, WriteError,
};
use crate::clock::Clock;
use crate::policy::Policy;
use std::path::Path;
use std::sync::atomic::AtomicBool;
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::Duration;

impl Store {
    /// Streams an unsubscribe link for each contact on the list and each purpose it grants now
    /// (only `purpose` when given): what a mailing tool puts in `List-Unsubscribe`.
    pub fn links<E: From<StoreError>>(
        &self,
        keys: &Keys,
        base: &str,
        purpose: Option<&str>,
        each: impl FnMut(LinkRow) -> Result<(), E>,
    ) -> Result<(), E> {
        match &self.0 {
            Backend::Sqlite(s) => s.links(keys, base, purpose, each),
            #[cfg(feature = "postgres")]
            Backend::Postgres(p) => p.links(keys, base, purpose, each),
        }
    }

    /// Whether `keys` are the ones the stored contacts were keyed with (`None`: no contact to
    /// check): links made with another secret would not work, so commands refuse them.
    pub fn keys_match(&self, keys: &Keys) -> Result<Option<bool>, StoreError> {
        match &self.0 {
            Backend::Sqlite(s) => s.keys_match(keys),
            #[cfg(feature = "postgres")]
            Backend::Postgres(p) => p.keys_match(keys),
        }
    }

    /// Everything kept about the person `target` names (an access request, GDPR Art. 15): each
    /// matching contact row, its consent states and links, and every consent event with the
    /// exact purpose text shown, from the policy kept under the event's hash.
    pub fn access(
        &self,
        target: &EraseTarget,
        keys: &Keys,
        base: &str,
    ) -> Result<Vec<AccessContact>, StoreError> {
        match &self.0 {
            Backend::Sqlite(s) => s.access(target, keys, base),
            #[cfg(feature = "postgres")]
            Backend::Postgres(p) => p.access(target, keys, base),
        }
    }

    /// Keeps `policy` by its hash (or marks it used at `at`), so the texts a person saw can be
    /// shown after the policy file changes; `serve` calls it at start.
    pub fn keep_policy(&self, policy: &Policy, at: &str) -> Result<(), StoreError> {
        match &self.0 {
            Backend::Sqlite(s) => s.keep_policy(policy, at),
            #[cfg(feature = "postgres")]
            Backend::Postgres(p) => p.keep_policy(policy, at),
        }
    }

    /// The policy the latest server start ran with, if any was kept.
    pub fn latest_policy(&self) -> Result<Option<Policy>, StoreError> {
        match &self.0 {
            Backend::Sqlite(s) => s.latest_policy(),
            #[cfg(feature = "postgres")]
            Backend::Postgres(p) => p.latest_policy(),
        }
    }

    /// Erases, as [`Store::erase`] does (withdrawal method `retention`), every contact whose
    /// last activity is older than `rule.retention_days`, and every contact with no purpose
    /// granted for longer than `rule.grace_days`, at `now_ms`; `dry_run` only lists them.
    /// Separate from the double opt-in sweep of never-confirmed contacts.
    pub fn purge(
        &mut self,
        rule: Retention,
        now_ms: u64,
        dry_run: bool,
    ) -> Result<Vec<Purged>, WriteError> {
        match &mut self.0 {
            Backend::Sqlite(s) => s.purge(rule, now_ms, dry_run),
            #[cfg(feature = "postgres")]
            Backend::Postgres(p) => p.purge(rule, now_ms, dry_run),
        }
    }

    /// Runs [`Store::purge`] on this connection at start and then once a day by `clock`
    /// (looking every `tick`) on its own thread, until `stop` is set.
    pub fn start_retention_sweep(
        self,
        rule: Retention,
        clock: Clock,
        tick: Duration,
        stop: Arc<AtomicBool>,
    ) -> Result<JoinHandle<()>, StoreError> {
        match self.0 {
            Backend::Sqlite(s) => s.start_retention_sweep(rule, clock, tick, stop),
            #[cfg(feature = "postgres")]
            Backend::Postgres(p) => p.start_retention_sweep(rule, clock, tick, stop),
        }
    }

    /// Writes a consistent copy of this (possibly live) store to `out`, which must not exist,
    /// and proves it before reporting: integrity check, every chain link, row counts, and its
    /// chain head found in the live log. SQLite files only: on PostgreSQL the error
    /// `store.unsupported` points to `pg_dump`.
    pub fn backup(&self, out: &Path) -> Result<BackupReport, StoreError> {
        match &self.0 {
            Backend::Sqlite(s) => s.backup(out),
            #[cfg(feature = "postgres")]
            Backend::Postgres(p) => p.backup(),
        }
    }

    /// Proves the backup at `from` as [`Store::backup`] does and writes it to `to`, which must
    /// not exist (stop the server and move the damaged file and its `-wal` aside first).
    /// SQLite files only: on PostgreSQL, `pg_restore` (error `store.unsupported`).
    pub fn restore(from: &Path, to: &Path) -> Result<BackupReport, StoreError> {
        if pg_url(from).is_some() || pg_url(to).is_some() {
            return Err(StoreError(
                "store.unsupported: `restore` works on SQLite files only; on PostgreSQL use \
                 pg_restore (or `migrate --from FILE.db --to postgres://…` for a SQLite backup)"
                    .into(),
            ));
        }
        sqlite::Sqlite::restore(from, to)
    }

    /// Copies everything in the SQLite file `from` (contacts, the consent log with its hashes,
    /// states, idempotency answers, the outbox, kept policies, the secret) into the empty
    /// PostgreSQL database `to`, then proves the copy: every chain link, the same head, the
    /// same counts. The source's chain must verify first. Stop the server on `from` first.
    pub fn migrate(from: &Path, to: &Path) -> Result<MigrateReport, StoreError> {
        let Some(url) = pg_url(to) else {
            return Err(StoreError(
                "store.unsupported: migrate copies into PostgreSQL (--to postgres://…)".into(),
            ));
        };
        if pg_url(from).is_some() {
            return Err(StoreError(
                "store.unsupported: migrate copies from a SQLite file (--from FILE.db)".into(),
            ));
        }
        if !from.exists() {
            return Err(StoreError(format!("{}: no such database", from.display())));
        }
        // Opened for writing so an older file is migrated first: every column is there to copy.
        let source = sqlite::Sqlite::open(from)?;
        if let ChainCheck::Broken { seq, reason } = source.verify_chain()? {
            return Err(StoreError(format!(
                "{}: the consent log is broken at event {seq} ({reason}); nothing copied",
                from.display()
            )));
        }
        let (stats, head) = (source.stats()?, source.chain_head()?);
        #[cfg(feature = "postgres")]
        return postgres::load::load(url, &mut |sink| source.dump(sink), stats, &head);
        #[cfg(not(feature = "postgres"))]
        {
            let _ = (stats, head);
            Err(no_postgres(url))
        }
    }
}

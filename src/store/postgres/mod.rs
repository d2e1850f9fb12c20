//! The PostgreSQL backend (feature `postgres`): the same tables and rules as the SQLite file
//! ([`schema`]), for several `serve` replicas writing one database. Each replica's writer
//! thread ([`writer`]) commits its jobs in groups, with `synchronous_commit = on`, answering
//! only after `COMMIT` returned; every transaction that appends to the consent log first locks
//! the one `chain_head` row, which makes the replicas append one after another to one chain.
//! Every other operation opens its own connection, as SQLite's do. What only a file can do
//! (`backup` by `VACUUM INTO`, `restore`) answers [`UNSUPPORTED`]: PostgreSQL has `pg_dump`.
//! Webhook events are queued and delivered as on SQLite ([`webhooks`], [`webhook_queue`]).

mod attribution;
mod chain;
mod contacts;
mod db;
mod erase;
pub(crate) mod load;
mod optin;
mod outbox;
mod read;
mod schema;
mod webhook_queue;
mod webhooks;
mod writer;

use super::{
    AccessContact, BackupReport, ChainCheck, ChainHead, EraseTarget, Erased, ExportRow, Keys,
    LinkRow, OutboxItem, OutboxOutcome, Purged, Retention, Stats, StoreError, WriteError,
    WriterHandle, WriterOptions,
};
use crate::clock::Clock;
use crate::policy::Policy;
use db::{read_err, redact, Db};
use std::cell::RefCell;
use std::sync::atomic::AtomicBool;
use std::sync::Arc;
use std::time::Duration;

/// The stable code of an operation PostgreSQL stores do not offer.
pub(crate) const UNSUPPORTED: &str = "store.unsupported";

/// An open PostgreSQL store: one connection (in a `RefCell`: the reads of [`super::Store`]
/// take `&self`, and a connection runs one statement at a time) and the URL it came from.
pub(crate) struct Postgres {
    db: RefCell<Db>,
    url: String,
}

impl Postgres {
    /// Connects, migrates (refusing a newer schema) and proves the database writable.
    pub(crate) fn open(url: &str) -> Result<Postgres, StoreError> {
        let mut db = Db::connect(url).map_err(|e| fail(url, "cannot connect", e))?;
        schema::migrate(&mut db).map_err(|e| fail(url, "migration failed", e))?;
        Ok(Postgres {
            db: RefCell::new(db),
            url: url.to_owned(),
        })
    }

    /// Connects to an existing signup-guard database for reading.
    pub(crate) fn open_read(url: &str) -> Result<Postgres, StoreError> {
        let mut db = Db::connect(url).map_err(|e| fail(url, "cannot connect", e))?;
        schema::version(&mut db).map_err(|e| fail(url, "not a signup-guard database", e))?;
        Ok(Postgres {
            db: RefCell::new(db),
            url: url.to_owned(),
        })
    }

    /// Runs `f` on the connection, connected again first if it was lost (the mail sender and
    /// the sweeps hold their store for the server's life: a database restart must not end them).
    fn with<T>(&self, f: impl FnOnce(&mut Db) -> T) -> T {
        let mut db = self.db.borrow_mut();
        reconnect(&mut db, &self.url);
        f(&mut db)
    }

    /// The connection for a write, connected again first if it was lost.
    fn conn(&mut self) -> &mut Db {
        let db = self.db.get_mut();
        reconnect(db, &self.url);
        db
    }

    /// See [`super::Store::secret`]: 32 random bytes from the server (`gen_random_uuid`'s
    /// strong random source, hashed), stored once; every replica reads the same.
    pub(crate) fn secret(&self, from_env: Option<&str>) -> Result<Vec<u8>, StoreError> {
        if let Some(s) = from_env.filter(|s| !s.is_empty()) {
            return Ok(s.as_bytes().to_vec());
        }
        let err = |e: postgres::Error| StoreError(format!("cannot read or store the secret: {e}"));
        self.with(|db| {
            db.exec(
                "INSERT INTO meta (key, value) VALUES ('secret', encode(sha256(convert_to(
                    gen_random_uuid()::text || gen_random_uuid()::text || clock_timestamp()::text,
                    'UTF8')), 'hex')) ON CONFLICT (key) DO NOTHING",
                &[],
            )
            .map_err(err)?;
            let hex: String = db
                .one("SELECT value FROM meta WHERE key = 'secret'", &[])
                .map_err(err)?
                .get(0);
            Ok(hex.into_bytes())
        })
    }

    /// See [`super::Store::start_writer`].
    pub(crate) fn start_writer(
        self,
        keys: Keys,
        options: WriterOptions,
    ) -> Result<(WriterHandle, std::thread::JoinHandle<()>), StoreError> {
        writer::spawn(self.url, self.db.into_inner(), keys, options)
    }

    /// See [`super::Store::erase`].
    pub(crate) fn erase(&mut self, target: &EraseTarget, at: &str) -> Result<Erased, WriteError> {
        erase::erase(self.conn(), target, at)
    }

    /// See [`super::Store::export`].
    pub(crate) fn export<E: From<StoreError>>(
        &self,
        links: Option<(&Keys, &str)>,
        each: impl FnMut(ExportRow) -> Result<(), E>,
    ) -> Result<(), E> {
        self.with(|db| read::export(db, links, each))
    }

    /// See [`super::Store::custom_ids`].
    pub(crate) fn custom_ids(&self) -> Result<Vec<String>, StoreError> {
        self.with(read::custom_ids).map_err(read_err)
    }

    /// See [`super::Store::purposes`].
    pub(crate) fn purposes(&self) -> Result<Vec<String>, StoreError> {
        self.with(read::purposes).map_err(read_err)
    }

    /// See [`super::Store::links`].
    pub(crate) fn links<E: From<StoreError>>(
        &self,
        keys: &Keys,
        base: &str,
        purpose: Option<&str>,
        each: impl FnMut(LinkRow) -> Result<(), E>,
    ) -> Result<(), E> {
        self.with(|db| read::links(db, keys, base, purpose, each))
    }

    /// See [`super::Store::keys_match`].
    pub(crate) fn keys_match(&self, keys: &Keys) -> Result<Option<bool>, StoreError> {
        self.with(|db| read::keys_match(db, keys)).map_err(read_err)
    }

    /// See [`super::Store::access`].
    pub(crate) fn access(
        &self,
        target: &EraseTarget,
        keys: &Keys,
        base: &str,
    ) -> Result<Vec<AccessContact>, StoreError> {
        self.with(|db| read::access(db, target, keys, base))
            .map_err(read_err)
    }

    /// See [`super::Store::keep_policy`].
    pub(crate) fn keep_policy(&self, policy: &Policy, at: &str) -> Result<(), StoreError> {
        let json = serde_json::to_string(policy)
            .map_err(|e| StoreError(format!("cannot serialize the policy: {e}")))?;
        let hash = crate::digest::sha256_hex(&json);
        self.with(|db| read::keep_policy(db, &hash, &policy.id, &policy.version, &json, at))
            .map_err(|e| StoreError(format!("cannot keep the policy: {e}")))
    }

    /// See [`super::Store::latest_policy`].
    pub(crate) fn latest_policy(&self) -> Result<Option<Policy>, StoreError> {
        let Some(json) = self.with(read::latest_policy).map_err(read_err)? else {
            return Ok(None);
        };
        Policy::from_json(&json)
            .map(Some)
            .map_err(|e| fail(&self.url, "the kept policy does not load", e))
    }

    /// See [`super::Store::purge`].
    pub(crate) fn purge(
        &mut self,
        rule: Retention,
        now_ms: u64,
        dry_run: bool,
    ) -> Result<Vec<Purged>, WriteError> {
        erase::purge(self.conn(), rule, now_ms, dry_run)
    }

    /// See [`super::Store::start_retention_sweep`].
    pub(crate) fn start_retention_sweep(
        self,
        rule: Retention,
        clock: Clock,
        tick: Duration,
        stop: Arc<AtomicBool>,
    ) -> Result<std::thread::JoinHandle<()>, StoreError> {
        let url = self.url.clone();
        erase::spawn_sweep(self.db.into_inner(), url.clone(), rule, clock, tick, stop)
            .map_err(|e| fail(&url, "cannot start the retention sweep", e))
    }

    /// See [`super::Store::set_webhook_endpoints`].
    pub(crate) fn set_webhook_endpoints(
        &self,
        routes: &[super::WebhookRoute],
        now: &str,
    ) -> Result<(), StoreError> {
        self.with(|db| webhooks::set_endpoints(db, routes, now))
            .map_err(|e| StoreError(format!("cannot store the webhook endpoints: {e}")))
    }

    /// See [`super::Store::webhook_claim`].
    pub(crate) fn webhook_claim(
        &self,
        endpoint: &str,
        now: &str,
        lease_until: &str,
        limit: usize,
    ) -> Result<Vec<super::WebhookItem>, StoreError> {
        self.with(|db| webhook_queue::claim(db, endpoint, now, lease_until, limit))
            .map_err(outbox_err)
    }

    /// See [`super::Store::webhook_finish`].
    pub(crate) fn webhook_finish(
        &self,
        outcomes: &[(i64, super::Delivery)],
    ) -> Result<(), StoreError> {
        self.with(|db| webhook_queue::finish(db, outcomes))
            .map_err(outbox_err)
    }

    /// See [`super::Store::webhook_list`].
    pub(crate) fn webhook_list(
        &self,
        since: &str,
        each: impl FnMut(super::WebhookRow),
    ) -> Result<(), StoreError> {
        self.with(|db| webhook_queue::list(db, since, each))
            .map_err(read_err)
    }

    /// See [`super::Store::webhook_retry`] and [`super::Store::webhook_replay`].
    pub(crate) fn webhook_requeue(
        &self,
        delivered: bool,
        since: &str,
        endpoint: Option<&str>,
        now: &str,
    ) -> Result<usize, StoreError> {
        self.with(|db| webhook_queue::requeue(db, delivered, since, endpoint, now))
            .map(|n| usize::try_from(n).unwrap_or(usize::MAX))
            .map_err(outbox_err)
    }

    /// See [`super::Store::backup`]: not on PostgreSQL.
    pub(crate) fn backup(&self) -> Result<BackupReport, StoreError> {
        Err(unsupported(
            "backup",
            "use pg_dump (e.g. pg_dump -Fc) or the server's own backups",
        ))
    }

    /// See [`super::Store::verify_chain`].
    pub(crate) fn verify_chain(&self) -> Result<ChainCheck, StoreError> {
        self.with(chain::verify).map_err(read_err)
    }

    /// See [`super::Store::chain_head`].
    pub(crate) fn chain_head(&self) -> Result<ChainHead, StoreError> {
        self.with(chain::head).map_err(read_err)
    }

    /// See [`super::Store::stats`].
    pub(crate) fn stats(&self) -> Result<Stats, StoreError> {
        self.with(read::stats).map_err(read_err)
    }

    /// See [`super::Store::expire_pending`].
    pub(crate) fn expire_pending(&mut self, cutoff: &str, at: &str) -> Result<Erased, WriteError> {
        optin::expire(self.conn(), cutoff, at)
    }

    /// See [`super::Store::outbox_claim`].
    pub(crate) fn outbox_claim(
        &self,
        kind: &str,
        now: &str,
        lease_until: &str,
        limit: usize,
    ) -> Result<Vec<OutboxItem>, StoreError> {
        self.with(|db| outbox::claim(db, kind, now, lease_until, limit))
            .map_err(outbox_err)
    }

    /// See [`super::Store::outbox_finish`].
    pub(crate) fn outbox_finish(&self, id: i64, outcome: &OutboxOutcome) -> Result<(), StoreError> {
        self.with(|db| outbox::finish(db, id, outcome))
            .map_err(outbox_err)
    }

    /// See [`super::Store::mail_address`].
    pub(crate) fn mail_address(&self, contact_id: i64) -> Result<Option<String>, StoreError> {
        self.with(|db| outbox::mail_address(db, contact_id))
            .map_err(read_err)
    }
}

/// Replaces a lost connection with a new one to `url` (left as it is when that fails too: the
/// operation then reports the error, and the next call tries again).
fn reconnect(db: &mut Db, url: &str) {
    if db.is_closed() {
        if let Ok(fresh) = Db::connect(url) {
            *db = fresh;
        }
    }
}

/// The error of an operation only SQLite files offer, with the stable code first.
pub(crate) fn unsupported(what: &str, instead: &str) -> StoreError {
    StoreError(format!(
        "{UNSUPPORTED}: `{what}` works on SQLite files only; on PostgreSQL {instead}"
    ))
}

fn outbox_err(e: postgres::Error) -> StoreError {
    StoreError(format!("cannot update the outbox: {e}"))
}

fn fail(url: &str, what: &str, e: impl std::fmt::Display) -> StoreError {
    StoreError(format!("{}: {what}: {e}", redact(url)))
}

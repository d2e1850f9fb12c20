//! The writer thread of one replica: one connection, group commit. It takes every job waiting
//! in its queue (up to [`MAX_BATCH`]), opens one transaction, locks the chain head row (every
//! replica's writer, erasure and the purge wait there, so the log is appended by one transaction
//! at a time: no fork, no gap), applies each job inside its own savepoint (released in the round
//! trip that opens the next one), writes the head back and commits. The session runs
//! `synchronous_commit = on`, so `COMMIT` returns only once the server has flushed its WAL: each
//! request is answered after that, never before.
//!
//! A job that fails rolls back to its savepoint alone. The contact's insert yields to a row
//! another transaction stored first (`ON CONFLICT DO NOTHING`, then the update); a job that
//! still meets a unique-key violation is tried once more, and then finds the row. A lost
//! connection, a server shutting down or a failed `COMMIT` answers the whole batch
//! `Unavailable` (503): a commit whose answer was lost may have happened, but nothing is ever
//! answered `201` without one. The next batch connects again, so the service recovers when
//! PostgreSQL is back, without a restart.

use super::chain::{lock_head, store_head};
use super::db::{Db, RACED};
use super::erase::Rows;
use super::webhooks::Hooks;
use super::{contacts, optin, outbox, webhook_queue};
use crate::store::jobs::{queue, Job, Outcome};
use crate::store::optin_rule;
use crate::store::{Keys, StoreError, WriteError, WriterHandle, WriterOptions};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::sync::mpsc;

/// Most jobs committed in one transaction.
const MAX_BATCH: usize = 512;

/// Starts the writer thread on `db` (reconnecting to `url` when the connection is lost) and the
/// replica's sweep thread (expired idempotency answers, unconfirmed signups, old outbox rows
/// and webhook rows).
pub(super) fn spawn(
    url: String,
    db: Db,
    keys: Keys,
    options: WriterOptions,
) -> Result<(WriterHandle, std::thread::JoinHandle<()>), StoreError> {
    let stop = Arc::new(AtomicBool::new(false));
    let (handle, rx) = queue();
    let reachable = handle.reachability();
    let sweeper = spawn_sweeps(url.clone(), stop.clone(), reachable.clone(), &options)?;
    let mut writer = Writer {
        url,
        db: Some(db),
        keys,
        options,
        reachable,
    };
    let thread = std::thread::Builder::new()
        .name("signup-guard-writer".into())
        .spawn(move || {
            writer.run(rx);
            stop.store(true, Ordering::Relaxed);
            let _ = sweeper.join();
        })
        .map_err(|e| StoreError(format!("cannot start the writer thread: {e}")))?;
    Ok((handle, thread))
}

struct Writer {
    url: String,
    /// `None` after the connection was lost, until the next batch connects again.
    db: Option<Db>,
    keys: Keys,
    options: WriterOptions,
    /// Set after each batch: false when PostgreSQL could not be reached (`/healthz`).
    reachable: Arc<AtomicBool>,
}

impl Writer {
    fn run(&mut self, mut rx: mpsc::Receiver<Job>) {
        let mut batch = Vec::with_capacity(MAX_BATCH);
        while let Some(first) = rx.blocking_recv() {
            batch.push(first);
            while batch.len() < MAX_BATCH {
                match rx.try_recv() {
                    Ok(job) => batch.push(job),
                    Err(_) => break,
                }
            }
            let done = self.commit_batch(&batch);
            let down = matches!(done, Err(WriteError::Unavailable(_)));
            self.reachable.store(!down, Ordering::Relaxed);
            match done {
                Ok(outs) => {
                    if let Some(pause) = self.options.pause_after_commit {
                        std::thread::sleep(pause);
                    }
                    // Every answer first, then the requests freed (as the SQLite writer does):
                    // the answers wake their requests' tasks close together.
                    let answered = batch.drain(..).zip(outs);
                    let spent: Vec<_> = answered.map(|(job, out)| job.reply(Ok(out))).collect();
                    drop(spent);
                }
                Err(e) => {
                    crate::log::error("commit_failed", &format!("{e:?}"));
                    for job in batch.drain(..) {
                        drop(job.reply(Err(e.clone())));
                    }
                }
            }
        }
    }

    /// The connection, connecting again if it was lost.
    fn db(&mut self) -> Result<&mut Db, WriteError> {
        if self.db.as_ref().is_some_and(Db::is_closed) {
            self.db = None;
        }
        if self.db.is_none() {
            let db = Db::connect(&self.url)
                .map_err(|e| WriteError::Unavailable(format!("cannot reach PostgreSQL: {e}")))?;
            crate::log::info("store_reconnected", "PostgreSQL connection open again");
            self.db = Some(db);
        }
        self.db
            .as_mut()
            .ok_or_else(|| WriteError::Unavailable("no connection".into()))
    }

    /// Applies and commits the batch; each job's answer, or the error every job hears.
    fn commit_batch(&mut self, batch: &[Job]) -> Result<Vec<Outcome>, WriteError> {
        let keys = self.keys.clone();
        let clock = self.options.clock.clone();
        let ttl = self.options.idempotency_ttl;
        let db = self.db()?;
        let done = (|| {
            db.batch("BEGIN")?;
            let mut head = lock_head(db)?;
            let hooks = Hooks::load(db)?;
            let mut expired_before: Option<String> = None;
            let mut outs = Vec::with_capacity(batch.len());
            // The savepoint of the last job that succeeded, still open: released in the same
            // round trip that opens the next job's (or by `COMMIT`), one round trip less a job.
            let mut held = false;
            for job in batch {
                let mut tries = 0;
                let out = loop {
                    tries += 1;
                    db.batch(if held {
                        "RELEASE job; SAVEPOINT job"
                    } else {
                        "SAVEPOINT job"
                    })?;
                    held = false;
                    let head0 = head.clone();
                    let out = match job {
                        Job::Submit(s, _) => {
                            let before = match (&s.idempotency, &expired_before) {
                                (None, _) => "",
                                (Some(_), Some(t)) => t.as_str(),
                                (Some(_), None) => expired_before.insert(clock.ago(ttl)),
                            };
                            Outcome::Submit(contacts::submit(
                                db, &keys, &mut head, s, before, &hooks,
                            ))
                        }
                        Job::Withdraw(w, _) => {
                            Outcome::Withdraw(contacts::withdraw(db, &keys, &mut head, w, &hooks))
                        }
                        Job::Confirm(c, _) => {
                            let rows = &mut Rows::new(db);
                            Outcome::Confirm(optin_rule::confirm(rows, &keys, &mut head, c))
                        }
                    };
                    let Some(e) = out.error() else {
                        held = true;
                        break out;
                    };
                    if db.is_closed() {
                        return Err(e.clone());
                    }
                    head = head0;
                    db.batch("ROLLBACK TO job; RELEASE job")?;
                    // A unique-key race met once is tried again: the row is there now.
                    let raced = matches!(e, WriteError::Internal(m) if m.starts_with(RACED));
                    if !(raced && tries < 2) {
                        break out;
                    }
                };
                outs.push(out);
            }
            store_head(db, &head)?;
            db.batch("COMMIT")?;
            Ok(outs)
        })();
        if done.is_err() {
            if let Some(db) = self.db.as_mut() {
                if db.is_closed() || db.batch("ROLLBACK").is_err() {
                    self.db = None;
                }
            }
        }
        done.map_err(|e: WriteError| match e {
            WriteError::Internal(m) => WriteError::Unavailable(m),
            other => other,
        })
    }
}

/// The replica's sweeps, once a second on their own connection until `stop`: expired
/// idempotency answers, signups never confirmed, outbox rows sent or dead two days ago.
fn spawn_sweeps(
    url: String,
    stop: Arc<AtomicBool>,
    reachable: Arc<AtomicBool>,
    options: &WriterOptions,
) -> Result<std::thread::JoinHandle<()>, StoreError> {
    let clock = options.clock.clone();
    let ttl = options.idempotency_ttl;
    let confirm_within = options.confirm_within;
    std::thread::Builder::new()
        .name("signup-guard-sweep".into())
        .spawn(move || {
            let mut db: Option<Db> = None;
            let mut swept = Instant::now() - Duration::from_secs(1);
            while !stop.load(Ordering::Relaxed) {
                std::thread::sleep(Duration::from_millis(20));
                if swept.elapsed() < Duration::from_secs(1) {
                    continue;
                }
                swept = Instant::now();
                if db.as_ref().is_none_or(Db::is_closed) {
                    db = Db::connect(&url).ok();
                }
                // The probe `/healthz` reports: this thread's connection, open or reopened.
                reachable.store(db.is_some(), Ordering::Relaxed);
                let Some(conn) = db.as_mut() else { continue };
                if let Err(e) = conn.exec(
                    "DELETE FROM idempotency WHERE key IN (SELECT key FROM idempotency
                        WHERE created_at < $1 ORDER BY created_at LIMIT 10000)",
                    &[&clock.ago(ttl)],
                ) {
                    crate::log::error("idempotency_sweep_failed", &e.to_string());
                }
                match optin::expire(conn, &clock.ago(confirm_within), &clock.now()) {
                    Ok(done) if done.contacts > 0 => {
                        crate::log::info("unconfirmed_erased", &done.contacts.to_string());
                    }
                    Ok(_) => {}
                    Err(e) => crate::log::error("unconfirmed_sweep_failed", &format!("{e:?}")),
                }
                const KEEP_SENT: Duration = Duration::from_secs(2 * 86_400);
                if let Err(e) = outbox::prune(conn, &clock.ago(KEEP_SENT)) {
                    crate::log::error("outbox_prune_failed", &e.to_string());
                }
                let keep = Duration::from_secs(webhook_queue::KEEP_DAYS * 86_400);
                if let Err(e) = webhook_queue::prune(conn, &clock.ago(keep)) {
                    crate::log::error("webhook_prune_failed", &e.to_string());
                }
            }
        })
        .map_err(|e| StoreError(format!("cannot start the sweep thread: {e}")))
}

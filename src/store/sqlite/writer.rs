//! The single writer: one thread owns the write connection and commits in groups. It takes every
//! job waiting in its queue (up to [`MAX_BATCH`]), applies each inside its own savepoint, commits
//! them all with one `COMMIT` (one fsync at `synchronous=FULL`), and only then answers each
//! request. So durability costs one fsync per batch, not per request, and nothing is acknowledged
//! before it is on disk. A job that fails rolls back alone; a failed commit fails the whole batch
//! and the in-memory chain head is left as it was. `SQLITE_FULL` and I/O errors may make SQLite
//! roll back the whole transaction even mid-batch: then every request of the batch hears 503,
//! and the next batch starts clean (a disk that fills and empties needs no restart).
//!
//! A second thread checkpoints the write-ahead log and sweeps expired idempotency answers.

use super::{chain, contacts, fail, idempotency};
use crate::clock::Clock;
use crate::store::chain::ChainHead;
use crate::store::jobs::{queue, Job, Reply};
use crate::store::{Answer, Keys, StoreError, WriteError, WriterHandle, WriterOptions};
use rusqlite::{Connection, TransactionBehavior};
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::mpsc;

/// Most jobs committed in one transaction.
pub(super) const MAX_BATCH: usize = 1024;

/// Starts the writer thread on `conn` (the database at `db`); it ends when every handle is
/// dropped and the queue is empty, then stops its checkpoint thread.
pub(super) fn spawn(
    conn: Connection,
    db: &Path,
    keys: Keys,
    options: WriterOptions,
) -> Result<(WriterHandle, std::thread::JoinHandle<()>), StoreError> {
    let head =
        chain::head(&conn).map_err(|e| StoreError(format!("cannot read the consent log: {e}")))?;
    let stop = Arc::new(AtomicBool::new(false));
    let checkpointer = checkpointer(
        db,
        stop.clone(),
        options.idempotency_ttl,
        options.clock.clone(),
    )?;
    conn.execute_batch(
        "PRAGMA wal_autocheckpoint = 0; PRAGMA cache_size = -32768; PRAGMA journal_size_limit = 67108864;",
    )
    .map_err(|e| StoreError(format!("cannot configure the database: {e}")))?;
    let (handle, rx) = queue();
    let mut writer = Writer {
        conn,
        keys,
        head,
        options,
    };
    let thread = std::thread::Builder::new()
        .name("signup-guard-writer".into())
        .spawn(move || {
            writer.run(rx);
            stop.store(true, Ordering::Relaxed);
            let _ = checkpointer.join();
        })
        .map_err(|e| StoreError(format!("cannot start the writer thread: {e}")))?;
    Ok((handle, thread))
}

struct Writer {
    conn: Connection,
    keys: Keys,
    head: ChainHead,
    options: WriterOptions,
}

/// A job applied (or failed), waiting for the batch's commit before its answer is sent.
enum Done {
    Submit(Reply<Answer>, Result<Answer, WriteError>),
    Withdraw(Reply<bool>, Result<bool, WriteError>),
}

impl Done {
    /// Sends the answer, or `failed` instead when the batch was not committed.
    fn answer(self, failed: Option<&WriteError>) {
        match self {
            Done::Submit(tx, r) => {
                let _ = tx.send(failed.map_or(r, |e| Err(e.clone())));
            }
            Done::Withdraw(tx, r) => {
                let _ = tx.send(failed.map_or(r, |e| Err(e.clone())));
            }
        }
    }

    /// The error this job met, if any.
    fn error(&self) -> Option<&WriteError> {
        match self {
            Done::Submit(_, r) => r.as_ref().err(),
            Done::Withdraw(_, r) => r.as_ref().err(),
        }
    }
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
            self.commit_batch(&mut batch);
        }
    }

    fn commit_batch(&mut self, batch: &mut Vec<Job>) {
        let head0 = self.head.clone();
        let mut done = Vec::with_capacity(batch.len());
        let outcome = self.apply_all(batch.drain(..), &mut done);
        if let Err(e) = outcome {
            // Nothing of this batch is stored: every request hears so, and the head is restored.
            crate::log::error("commit_failed", &format!("{e:?}"));
            self.head = head0;
            for d in done {
                d.answer(Some(&e));
            }
            return;
        }
        if let Some(pause) = self.options.pause_after_commit {
            std::thread::sleep(pause);
        }
        for d in done {
            d.answer(None);
        }
    }

    fn apply_all(
        &mut self,
        mut jobs: impl Iterator<Item = Job>,
        done: &mut Vec<Done>,
    ) -> Result<(), WriteError> {
        if !self.conn.is_autocommit() {
            // A failed COMMIT or ROLLBACK (disk full, I/O error) may have left a transaction
            // open; end it, or every later batch would fail to begin and the writer stay stuck.
            let _ = self.conn.execute_batch("ROLLBACK");
        }
        // Read the chain head under the write lock: if another process also wrote to this file
        // (an old server still draining during a restart), the chain continues from the real
        // head instead of forking or colliding on `seq`. One indexed lookup per batch.
        let begun = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .and_then(|tx| chain::head(&tx).map(|head| (tx, head)));
        let mut tx = match begun {
            Ok((tx, head)) => {
                self.head = head;
                tx
            }
            Err(e) => return Err(fail_all(jobs, WriteError::from(e), done)),
        };
        while let Some(job) = jobs.next() {
            let head0 = self.head.clone();
            let mut sp = match tx.savepoint() {
                Ok(sp) => sp,
                Err(e) => {
                    let e = WriteError::from(e);
                    push_failed(job, &e, done);
                    return Err(fail_all(jobs, e, done));
                }
            };
            sp.set_drop_behavior(rusqlite::DropBehavior::Rollback);
            let applied = match job {
                Job::Submit(s, reply) => {
                    let expired_before = self.options.clock.ago(self.options.idempotency_ttl);
                    let r = contacts::submit(&sp, &self.keys, &mut self.head, &s, &expired_before);
                    let r = r.and_then(|a| sp.commit().map(|_| a).map_err(WriteError::from));
                    Done::Submit(reply, r)
                }
                Job::Withdraw(w, reply) => {
                    let r = contacts::withdraw(&sp, &self.keys, &mut self.head, &w);
                    let r = r.and_then(|a| sp.commit().map(|_| a).map_err(WriteError::from));
                    Done::Withdraw(reply, r)
                }
            };
            let cause = applied.error().map(|e| format!("{e:?}"));
            done.push(applied);
            if let Some(cause) = cause {
                self.head = head0;
                // SQLITE_FULL, IOERR and the like may roll back the whole transaction: then the
                // rest of the batch must not run in autocommit mode, and nothing here is stored.
                if tx.is_autocommit() {
                    // Keep the cause (e.g. "database or disk is full") for the operator's log.
                    let e = WriteError::Unavailable(format!(
                        "the transaction was rolled back: {cause}"
                    ));
                    return Err(fail_all(jobs, e, done));
                }
            }
        }
        tx.commit().map_err(WriteError::from)
    }
}

/// Fails every job left with `e`; returns `e` for the batch.
fn fail_all(jobs: impl Iterator<Item = Job>, e: WriteError, done: &mut Vec<Done>) -> WriteError {
    for job in jobs {
        push_failed(job, &e, done);
    }
    e
}

fn push_failed(job: Job, e: &WriteError, done: &mut Vec<Done>) {
    done.push(match job {
        Job::Submit(_, r) => Done::Submit(r, Err(e.clone())),
        Job::Withdraw(_, r) => Done::Withdraw(r, Err(e.clone())),
    });
}

/// Copies the write-ahead log into the database in the background (PASSIVE checkpoints never
/// block the writer), every half second until `stop`, then once fully. The writer connection's
/// own auto-checkpoint is turned off, so a commit never waits for a checkpoint's fsyncs.
///
/// The same thread sweeps `Idempotency-Key` answers older than `idempotency_ttl` about once a
/// second, oldest first, in bounded deletes ([`idempotency::sweep`]).
fn checkpointer(
    path: &Path,
    stop: Arc<AtomicBool>,
    idempotency_ttl: Duration,
    clock: Clock,
) -> Result<std::thread::JoinHandle<()>, StoreError> {
    let conn = Connection::open(path).map_err(|e| fail(path, "cannot open database", e))?;
    conn.busy_timeout(Duration::from_secs(5))
        .and_then(|()| conn.execute_batch("PRAGMA synchronous=FULL;"))
        .map_err(|e| fail(path, "cannot configure database", e))?;
    std::thread::Builder::new()
        .name("signup-guard-checkpoint".into())
        .spawn(move || {
            let mut tick: u32 = 0;
            'run: loop {
                tick = tick.wrapping_add(1);
                if tick % 2 == 0 {
                    if let Err(e) = idempotency::sweep(&conn, &clock.ago(idempotency_ttl)) {
                        crate::log::error("idempotency_sweep_failed", &e.to_string());
                    }
                }
                for _ in 0..10 {
                    if stop.load(Ordering::Relaxed) {
                        break 'run;
                    }
                    std::thread::sleep(Duration::from_millis(50));
                }
                if let Err(e) = conn.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |_| Ok(())) {
                    crate::log::error("checkpoint_failed", &e.to_string());
                }
            }
            let _ = conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()));
        })
        .map_err(|e| fail(path, "cannot start the checkpoint thread", e))
}

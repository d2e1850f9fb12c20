//! The writer's transaction: `BEGIN IMMEDIATE` and the chain head read again under the write
//! lock ([`Writer::begin`]), each job's statements ([`Writer::apply`], running [`contacts`] or
//! [`optin`]), and one `COMMIT` for all of them ([`Writer::commit`]). A job that fails fails alone: one that
//! failed before it changed a row (nearly all: an invalid token, a reused key) left nothing to
//! undo, and for one that failed later the batch is rolled back and applied again with a
//! savepoint per job, so that it rolls back to its savepoint alone. `SQLITE_FULL` and I/O errors
//! may make SQLite roll back the whole transaction even mid-way: then every request in it hears
//! 503, and a transaction a failed `COMMIT` or `ROLLBACK` left open is ended before the next one
//! begins (a disk that fills and empties needs no restart). Each job's outcome waits as a
//! [`Done`] until the transaction is committed and synced.

use super::Writer;
use crate::store::chain::ChainHead;
use crate::store::jobs::{Job, Outcome, Spent};
use crate::store::sqlite::erase::Rows;
use crate::store::sqlite::webhooks::Hooks;
use crate::store::sqlite::{chain, contacts, optin};
use crate::store::WriteError;

/// A job applied (or failed) with its outcome, waiting for the batch's commit and sync before
/// its answer is sent.
pub(in crate::store::sqlite) struct Done(Job, Outcome);

impl Done {
    /// Sends the answer, or `failed` instead when the batch was not committed or not synced;
    /// the request, for the caller to free.
    pub(in crate::store::sqlite) fn answer(self, failed: Option<&WriteError>) -> Spent {
        let Done(job, outcome) = self;
        job.reply(failed.map_or(Ok(outcome), |e| Err(e.clone())))
    }
}

/// The writer's open transaction, and the jobs applied in it, which wait for its `COMMIT`.
pub(super) struct Open {
    /// The chain head before the transaction, restored if it is rolled back.
    head0: ChainHead,
    /// Each job with its outcome, in the order applied (set once the whole batch is applied).
    pub(super) done: Vec<Done>,
    /// Idempotency answers older than this are forgotten: judged once per transaction (the TTL
    /// is hours; a transaction lasts milliseconds), and only if a job carries a key.
    expired_before: Option<String>,
    /// The webhook endpoints, read once under the transaction's write lock (nothing changes
    /// them before it ends).
    hooks: Option<Hooks>,
}

/// Why [`Writer::apply`] stopped the transaction.
pub(super) enum Stop {
    /// A job failed after it had changed rows, with no savepoint to undo them alone: the
    /// transaction must be rolled back and the batch applied again, a savepoint per job.
    Redo,
    /// The transaction is gone (or cannot go on): every job of it hears this error.
    Lost(WriteError),
}

impl Writer {
    /// Runs one of the connection's cached statements (transaction control: parsed once).
    fn exec(&self, sql: &str) -> rusqlite::Result<()> {
        self.conn.prepare_cached(sql)?.execute([]).map(|_| ())
    }

    /// Opens a write transaction and reads the chain head under its lock: if another process
    /// also wrote to this file (an old server still draining during a restart), the chain
    /// continues from the real head instead of forking or colliding on `seq`.
    pub(super) fn begin(&mut self) -> Result<Open, WriteError> {
        if !self.conn.is_autocommit() {
            // A failed COMMIT or ROLLBACK (disk full, I/O error) may have left a transaction
            // open; end it, or every later batch would fail to begin and the writer stay stuck.
            let _ = self.exec("ROLLBACK");
        }
        let head0 = self.head.clone();
        let begun = self.exec("BEGIN IMMEDIATE").and_then(|()| {
            let head = chain::head(&self.conn)?;
            Ok((head, Hooks::load(&self.conn)?))
        });
        match begun {
            Ok((head, hooks)) => {
                self.head = head;
                Ok(Open {
                    head0,
                    done: Vec::new(),
                    expired_before: None,
                    hooks,
                })
            }
            Err(e) => {
                if !self.conn.is_autocommit() {
                    let _ = self.exec("ROLLBACK");
                }
                Err(WriteError::from(e))
            }
        }
    }

    /// Applies `job` in `open`; its outcome, to be answered once the batch is committed and
    /// synced. With `savepoint`, the job runs in a savepoint of its own, so that a failure rolls
    /// back its rows alone. Without, a job that fails before it changed any row (an invalid
    /// unsubscribe token, a reused `Idempotency-Key`: nearly every failure) leaves nothing to
    /// undo, and one that fails later asks for the batch to be applied again with savepoints
    /// ([`Stop::Redo`]). The savepoints cost about 7,000 instructions a signup (the statements
    /// and the copies of each page a job touches), so they are taken only when needed.
    pub(super) fn apply(
        &mut self,
        open: &mut Open,
        job: &Job,
        savepoint: bool,
    ) -> Result<Outcome, Stop> {
        let lost = |e: rusqlite::Error| Stop::Lost(WriteError::from(e));
        let head0 = self.head.clone();
        let changes0 = self.conn.total_changes();
        if savepoint {
            self.exec("SAVEPOINT job").map_err(lost)?;
        }
        let rows = &mut Rows::with_hooks(&self.conn, &open.hooks);
        let (keys, head) = (&self.keys, &mut self.head);
        let outcome = match job {
            Job::Submit(s, _) => {
                let expired_before = match (&s.idempotency, &open.expired_before) {
                    (None, _) => "",
                    (Some(_), Some(t)) => t.as_str(),
                    (Some(_), None) => open
                        .expired_before
                        .insert(self.options.clock.ago(self.options.idempotency_ttl)),
                };
                Outcome::Submit(contacts::submit(rows, keys, head, s, expired_before))
            }
            Job::Withdraw(w, _) => Outcome::Withdraw(contacts::withdraw(rows, keys, head, w)),
            Job::Confirm(c, _) => Outcome::Confirm(optin::confirm(rows, keys, head, c)),
        };
        let Some(e) = outcome.error() else {
            if savepoint {
                self.exec("RELEASE job").map_err(lost)?;
            }
            return Ok(outcome);
        };
        self.head = head0;
        // SQLITE_FULL, IOERR and the like may roll back the whole transaction: then nothing
        // of it is stored, and no later job may run in autocommit mode.
        if self.conn.is_autocommit() {
            // Keep the cause (e.g. "database or disk is full") for the operator's log.
            return Err(Stop::Lost(WriteError::Unavailable(format!(
                "the transaction was rolled back: {e:?}"
            ))));
        }
        if savepoint {
            self.exec("ROLLBACK TO job")
                .and_then(|()| self.exec("RELEASE job"))
                .map_err(lost)?;
            return Ok(outcome);
        }
        // A statement that fails is undone by SQLite itself; only the job's completed
        // statements count here. None changed a row: nothing of the job is stored.
        if self.conn.total_changes() == changes0 {
            return Ok(outcome);
        }
        Err(Stop::Redo)
    }

    /// Commits `open`; its outcomes, to be answered once an fsync covers the commit, or the
    /// error every job of it hears when nothing of it is stored.
    pub(super) fn commit(&mut self, open: Open) -> Result<Vec<Done>, (Vec<Done>, WriteError)> {
        match self.exec("COMMIT") {
            Ok(()) => Ok(open.done),
            Err(e) => {
                let e = WriteError::from(e);
                Err((self.fail(open, e.clone()), e))
            }
        }
    }

    /// Rolls `open` back (if SQLite has not already) and restores the chain head; its jobs,
    /// each of which must now hear the transaction's error.
    pub(super) fn fail(&mut self, open: Open, e: WriteError) -> Vec<Done> {
        crate::log::error("commit_failed", &format!("{e:?}"));
        self.undo(open)
    }

    /// Rolls `open` back (if SQLite has not already) and restores the chain head; the outcomes
    /// it held, none of them stored.
    pub(super) fn undo(&mut self, open: Open) -> Vec<Done> {
        if !self.conn.is_autocommit() {
            let _ = self.exec("ROLLBACK");
        }
        self.head = open.head0;
        open.done
    }
}

/// Pairs each job with its outcome (the two lists in the same order).
pub(super) fn pair(jobs: Vec<Job>, outcomes: Vec<Outcome>) -> Vec<Done> {
    jobs.into_iter()
        .zip(outcomes)
        .map(|(job, outcome)| Done(job, outcome))
        .collect()
}

/// Answers every outcome in `done`, then every job in `jobs` not yet applied, with `e`: none of
/// them is stored.
pub(super) fn refuse(done: Vec<Done>, jobs: impl IntoIterator<Item = Job>, e: &WriteError) {
    done.into_iter().for_each(|d| drop(d.answer(Some(e))));
    jobs.into_iter()
        .for_each(|job| drop(job.reply(Err(e.clone()))));
}

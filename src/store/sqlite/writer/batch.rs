//! The writer's transaction: `BEGIN IMMEDIATE` and the chain head read again under the write
//! lock ([`Writer::begin`]), each job's statements ([`contacts`], [`optin`]) in a savepoint of
//! its own ([`Writer::apply`]), and one `COMMIT` for all of them ([`Writer::commit`]). A job
//! that fails rolls back to its savepoint alone. `SQLITE_FULL` and I/O errors may make SQLite
//! roll back the whole transaction even mid-way: then every request in it hears 503, and a
//! transaction a failed `COMMIT` or `ROLLBACK` left open is ended before the next one begins
//! (a disk that fills and empties needs no restart). Each job's outcome waits as a [`Done`]
//! until the transaction is committed and synced.

use super::Writer;
use crate::store::chain::ChainHead;
use crate::store::jobs::{Job, Reply};
use crate::store::sqlite::{chain, contacts, optin};
use crate::store::{Answer, Confirmed, WriteError};

/// A job applied (or failed), waiting for the batch's commit and sync before its answer is sent.
pub(in crate::store::sqlite) enum Done {
    Submit(Reply<Answer>, Result<Answer, WriteError>),
    Withdraw(Reply<bool>, Result<bool, WriteError>),
    Confirm(Reply<Confirmed>, Result<Confirmed, WriteError>),
}

impl Done {
    /// Sends the answer, or `failed` instead when the batch was not committed or not synced.
    pub(in crate::store::sqlite) fn answer(self, failed: Option<&WriteError>) {
        match self {
            Done::Submit(tx, r) => {
                let _ = tx.send(failed.map_or(r, |e| Err(e.clone())));
            }
            Done::Withdraw(tx, r) => {
                let _ = tx.send(failed.map_or(r, |e| Err(e.clone())));
            }
            Done::Confirm(tx, r) => {
                let _ = tx.send(failed.map_or(r, |e| Err(e.clone())));
            }
        }
    }

    /// The error this job met, if any.
    fn error(&self) -> Option<&WriteError> {
        match self {
            Done::Submit(_, r) => r.as_ref().err(),
            Done::Withdraw(_, r) => r.as_ref().err(),
            Done::Confirm(_, r) => r.as_ref().err(),
        }
    }
}

/// The writer's open transaction: the jobs applied in it so far, which wait for its `COMMIT`.
pub(super) struct Open {
    /// The chain head before the transaction, restored if it is rolled back.
    head0: ChainHead,
    /// Each job's outcome, in the order applied.
    pub(super) done: Vec<Done>,
    /// Idempotency answers older than this are forgotten: judged once per transaction (the TTL
    /// is hours; a transaction lasts milliseconds), and only if a job carries a key.
    expired_before: Option<String>,
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
        let begun = self
            .exec("BEGIN IMMEDIATE")
            .and_then(|()| chain::head(&self.conn));
        match begun {
            Ok(head) => {
                self.head = head;
                Ok(Open {
                    head0,
                    done: Vec::new(),
                    expired_before: None,
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

    /// Applies `job` in its own savepoint of `open`, pushing its outcome onto `open.done`. An
    /// error means the whole transaction is gone (rolled back): [`Writer::fail`] must follow.
    pub(super) fn apply(&mut self, open: &mut Open, job: Job) -> Result<(), WriteError> {
        let head0 = self.head.clone();
        if let Err(e) = self.exec("SAVEPOINT job") {
            let e = WriteError::from(e);
            push_failed(job, &e, &mut open.done);
            return Err(e);
        }
        let applied = match job {
            Job::Submit(s, reply) => {
                let expired_before = match (&s.idempotency, &open.expired_before) {
                    (None, _) => "",
                    (Some(_), Some(t)) => t.as_str(),
                    (Some(_), None) => open
                        .expired_before
                        .insert(self.options.clock.ago(self.options.idempotency_ttl)),
                };
                let r =
                    contacts::submit(&self.conn, &self.keys, &mut self.head, &s, expired_before);
                Done::Submit(reply, r)
            }
            Job::Withdraw(w, reply) => {
                let r = contacts::withdraw(&self.conn, &self.keys, &mut self.head, &w);
                Done::Withdraw(reply, r)
            }
            Job::Confirm(c, reply) => {
                let r = optin::confirm(&self.conn, &self.keys, &mut self.head, &c);
                Done::Confirm(reply, r)
            }
        };
        let failed = applied.error().map(|e| format!("{e:?}"));
        open.done.push(applied);
        let Some(cause) = failed else {
            return self.exec("RELEASE job").map_err(WriteError::from);
        };
        self.head = head0;
        // SQLITE_FULL, IOERR and the like may roll back the whole transaction: then nothing
        // of it is stored, and no later job may run in autocommit mode.
        if self.conn.is_autocommit() {
            // Keep the cause (e.g. "database or disk is full") for the operator's log.
            return Err(WriteError::Unavailable(format!(
                "the transaction was rolled back: {cause}"
            )));
        }
        self.exec("ROLLBACK TO job")
            .and_then(|()| self.exec("RELEASE job"))
            .map_err(WriteError::from)
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
        if !self.conn.is_autocommit() {
            let _ = self.exec("ROLLBACK");
        }
        self.head = open.head0;
        open.done
    }
}

/// Answers every outcome in `done`, then every job in `jobs` not yet applied, with `e`: none of
/// them is stored.
pub(super) fn refuse(done: Vec<Done>, jobs: impl IntoIterator<Item = Job>, e: &WriteError) {
    let mut all = done;
    for job in jobs {
        push_failed(job, e, &mut all);
    }
    all.into_iter().for_each(|d| d.answer(Some(e)));
}

/// Fails `job` with `e`.
fn push_failed(job: Job, e: &WriteError, done: &mut Vec<Done>) {
    done.push(match job {
        Job::Submit(_, r) => Done::Submit(r, Err(e.clone())),
        Job::Withdraw(_, r) => Done::Withdraw(r, Err(e.clone())),
        Job::Confirm(_, r) => Done::Confirm(r, Err(e.clone())),
    });
}

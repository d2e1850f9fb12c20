//! One batch in one transaction on the writer's connection: `BEGIN IMMEDIATE` and the chain head
//! read again under the write lock, a savepoint per job (none for a batch of one: the
//! transaction is the job), each job's statements ([`contacts`], [`optin`]), and one `COMMIT`.
//! A job that fails rolls back to its savepoint alone. `SQLITE_FULL` and I/O errors may make
//! SQLite roll back the whole transaction even mid-batch: then every request of the batch hears
//! 503, and a transaction a failed `COMMIT` or `ROLLBACK` left open is ended before the next
//! batch begins (a disk that fills and empties needs no restart). Each job's outcome waits as a
//! [`Done`] until the batch is committed and synced.

use super::Writer;
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

impl Writer {
    /// Runs one of the connection's cached statements (transaction control: parsed once).
    fn exec(&self, sql: &str) -> rusqlite::Result<()> {
        self.conn.prepare_cached(sql)?.execute([]).map(|_| ())
    }

    /// Applies `jobs` in one transaction, pushing each one's outcome onto `done`; the error
    /// every job of the batch hears when nothing of it is stored.
    pub(super) fn apply_all(
        &mut self,
        mut jobs: std::vec::Drain<'_, Job>,
        done: &mut Vec<Done>,
    ) -> Result<(), WriteError> {
        if !self.conn.is_autocommit() {
            // A failed COMMIT or ROLLBACK (disk full, I/O error) may have left a transaction
            // open; end it, or every later batch would fail to begin and the writer stay stuck.
            let _ = self.exec("ROLLBACK");
        }
        // Read the chain head under the write lock: if another process also wrote to this file
        // (an old server still draining during a restart), the chain continues from the real
        // head instead of forking or colliding on `seq`. One indexed lookup per batch.
        let begun = self
            .exec("BEGIN IMMEDIATE")
            .and_then(|()| chain::head(&self.conn));
        match begun {
            Ok(head) => self.head = head,
            Err(e) => {
                if !self.conn.is_autocommit() {
                    let _ = self.exec("ROLLBACK");
                }
                return Err(fail_all(jobs, WriteError::from(e), done));
            }
        }
        // A batch of one needs no savepoint: if its job fails, the transaction is rolled back.
        let single = jobs.len() == 1;
        // Idempotency answers older than this are forgotten: judged once per batch (the TTL is
        // hours; a batch takes milliseconds), and only if a job carries a key.
        let mut expired_before: Option<String> = None;
        while let Some(job) = jobs.next() {
            let head0 = self.head.clone();
            if !single {
                if let Err(e) = self.exec("SAVEPOINT job") {
                    let e = WriteError::from(e);
                    push_failed(job, &e, done);
                    return Err(self.abandon(jobs, e, done));
                }
            }
            let applied = match job {
                Job::Submit(s, reply) => {
                    let expired_before = match (&s.idempotency, &expired_before) {
                        (None, _) => "",
                        (Some(_), Some(t)) => t.as_str(),
                        (Some(_), None) => expired_before
                            .insert(self.options.clock.ago(self.options.idempotency_ttl)),
                    };
                    let r = contacts::submit(
                        &self.conn,
                        &self.keys,
                        &mut self.head,
                        &s,
                        expired_before,
                    );
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
            let released = match (&failed, single) {
                (None, false) => self.exec("RELEASE job").map_err(WriteError::from),
                _ => Ok(()),
            };
            done.push(applied);
            if let Err(e) = released {
                return Err(self.abandon(jobs, e, done));
            }
            let Some(cause) = failed else { continue };
            self.head = head0;
            // SQLITE_FULL, IOERR and the like may roll back the whole transaction: then the
            // rest of the batch must not run in autocommit mode, and nothing here is stored.
            if self.conn.is_autocommit() {
                // Keep the cause (e.g. "database or disk is full") for the operator's log.
                let e =
                    WriteError::Unavailable(format!("the transaction was rolled back: {cause}"));
                return Err(fail_all(jobs, e, done));
            }
            let undone = if single {
                self.exec("ROLLBACK")
            } else {
                self.exec("ROLLBACK TO job")
                    .and_then(|()| self.exec("RELEASE job"))
            };
            if let Err(e) = undone {
                return Err(self.abandon(jobs, WriteError::from(e), done));
            }
            if single {
                // Nothing to commit; the answer (the job's own error) still waits for a sync,
                // since it may rest on what an unsynced batch stored (a reused key).
                return Ok(());
            }
        }
        self.exec("COMMIT").map_err(|e| {
            if !self.conn.is_autocommit() {
                let _ = self.exec("ROLLBACK");
            }
            WriteError::from(e)
        })
    }

    /// Rolls the batch's transaction back and fails every job left with `e`.
    fn abandon(
        &self,
        jobs: impl Iterator<Item = Job>,
        e: WriteError,
        done: &mut Vec<Done>,
    ) -> WriteError {
        if !self.conn.is_autocommit() {
            let _ = self.exec("ROLLBACK");
        }
        fail_all(jobs, e, done)
    }
}

/// Fails every job left with `e`; returns `e` for the batch.
pub(super) fn fail_all(
    jobs: impl Iterator<Item = Job>,
    e: WriteError,
    done: &mut Vec<Done>,
) -> WriteError {
    for job in jobs {
        push_failed(job, &e, done);
    }
    e
}

/// Fails `job` with `e`.
fn push_failed(job: Job, e: &WriteError, done: &mut Vec<Done>) {
    done.push(match job {
        Job::Submit(_, r) => Done::Submit(r, Err(e.clone())),
        Job::Withdraw(_, r) => Done::Withdraw(r, Err(e.clone())),
        Job::Confirm(_, r) => Done::Confirm(r, Err(e.clone())),
    });
}

//! The single writer: one thread owns the write connection and commits in groups. It takes
//! every job queued into one transaction ([`batch`]: each job fails alone, recovery after
//! `SQLITE_FULL` and I/O errors), and the jobs queued while it applies them too (up to
//! [`MAX_BATCH`] in all), commits them with one `COMMIT`, fsyncs the WAL ([`super::durable`])
//! and only then answers each request. Jobs that arrive during the commit and the fsync wait in
//! the queue for the next batch, so the slower the disk, the larger the batches. A failed commit
//! fails every job in it and the in-memory chain head is left as it was. This module starts the
//! writer with its checkpoint thread, runs its loop, and bounds the WAL between two commits.
//!
//! # Group commit, and why a `201` means "on stable storage"
//!
//! The write connection runs `synchronous=NORMAL`: `COMMIT` writes the batch's frames to the
//! WAL with write(2) and returns at once; the writer then fsyncs the WAL through its own
//! descriptor and answers. That is what `synchronous=FULL` does inside `COMMIT`, done here so
//! that a failed fsync poisons the store for good and the WAL file is checked before it is
//! trusted ([`super::durable`]). Other connections can *see* a commit for the length of that
//! fsync before it is durable; no client is told about it before. The writer does not apply the
//! next batch while it fsyncs: a sync thread that overlapped the two (until 2026-12-07) stored
//! more signups per second with the store alone, but on a small VM its hand-offs cost the
//! HTTP service more CPU than the overlap saved (benches/server-profile.md, thirteenth session).
//! The cases that matter:
//!
//! - **Later batches read earlier ones** (a re-signup answering `200`, an `Idempotency-Key`
//!   replay, the chain head): each batch is synced before the next one begins.
//! - **Checkpoints**: at `NORMAL` and `FULL` alike SQLite fsyncs the WAL before a checkpoint
//!   copies frames into the database and fsyncs the database before it records them as copied,
//!   so no frame reaches the database file ahead of its WAL copy being durable.
//! - **WAL restarts**: SQLite rewrites the WAL from its start only after every frame was
//!   checkpointed (so earlier batches are already in the synced database file), and it fsyncs
//!   the new header before writing frames after it (`NORMAL` keeps that sync). Frames of the new
//!   generation carry new salts, so recovery never mixes them with old ones.
//! - **Crashes**: SIGKILL loses nothing written (the frames are in the page cache, which
//!   outlives the process). A power loss may lose a commit written before its fsync; it was not
//!   answered. Recovery keeps the WAL's longest valid prefix (cumulative checksums), which holds
//!   every synced commit.
//! - **The file**: the writer fsyncs `<db>-wal` through its own descriptor, which syncs the same
//!   inode SQLite writes; it checks device and inode against the path before each fsync. While
//!   this connection is open SQLite never deletes or replaces its WAL (only the last connection
//!   to close may), so a mismatch means the file was swapped outside SQLite and nothing more is
//!   acknowledged.
//! - **Failures**: a failed `COMMIT` (`SQLITE_FULL`, I/O) answers its batch 503 at once and
//!   restores the chain head; a failed fsync poisons the store ([`super::durable`]): 503 for
//!   that batch and everything after, the writer stops (health turns red), and no checkpoint or
//!   close-time checkpoint runs.
//!
//! # Checkpoints
//!
//! The writer's own auto-checkpoint is off. A second thread runs a PASSIVE checkpoint only when
//! the writer has been quiet for a tick ([`super::checkpoint::QUIET`]), so checkpoint I/O (database writes and their
//! fsyncs, which share the device's flushes with the WAL's) stays out of busy periods. Under
//! sustained load that thread never gets a quiet turn, and a PASSIVE checkpoint from another
//! connection can never restart the WAL anyway (the writer keeps appending past what it
//! copied). So once the WAL holds [`WAL_CAP_PAGES`] frames, as the WAL hook reports after each
//! commit, the writer asks the checkpoint thread to copy the bulk beside it, then copies the
//! frames committed meanwhile itself, between two batches: the next transaction restarts the
//! WAL from its start, which bounds it, and the writer stalls only for that short tail. At
//! shutdown the checkpoint thread runs a TRUNCATE checkpoint.
//!
//! The same thread sweeps expired idempotency answers, unconfirmed signups and old outbox rows.

mod batch;

pub(super) use batch::Done;
use batch::Open;

use super::chain;
use super::durable::{Faults, Health, Syncer};
use crate::store::chain::ChainHead;
use crate::store::jobs::{queue, Job};
use crate::store::{Keys, StoreError, WriteError, WriterHandle, WriterOptions};
use batch::{pair, refuse, Stop};
use rusqlite::config::DbConfig;
use rusqlite::Connection;
use std::cell::Cell;
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::task::{Context, Poll, Waker};

use tokio::sync::mpsc;

/// Most jobs committed in one transaction.
pub(super) const MAX_BATCH: usize = 1024;

/// WAL frames (pages) after which the writer checkpoints itself: 32 MiB of 4 KiB pages. The WAL
/// file is trimmed to `journal_size_limit` (64 MiB) when it restarts.
pub(super) const WAL_CAP_PAGES: i32 = 8192;

thread_local! {
    /// Frames in the WAL after the writer thread's last commit (set by the WAL hook, which runs
    /// on the committing thread).
    static WAL_FRAMES: Cell<i32> = const { Cell::new(0) };
}

/// The WAL hook: remembers the WAL's size after each commit.
fn note_wal_frames(_: &rusqlite::hooks::Wal, frames: std::ffi::c_int) -> rusqlite::Result<()> {
    WAL_FRAMES.with(|f| f.set(frames));
    Ok(())
}

/// Starts the writer thread on `conn` (the database at `db`), with its sync and checkpoint
/// threads; it ends when every handle is dropped and the queue is empty, after every answer is
/// sent, then stops the checkpoint thread.
pub(super) fn spawn(
    conn: Connection,
    db: &Path,
    keys: Keys,
    options: WriterOptions,
    faults: Faults,
) -> Result<(WriterHandle, std::thread::JoinHandle<()>), StoreError> {
    let head =
        chain::head(&conn).map_err(|e| StoreError(format!("cannot read the consent log: {e}")))?;
    let stop = Arc::new(AtomicBool::new(false));
    let health = Arc::new(Health::default());
    let checkpointer = super::checkpoint::spawn(
        db,
        stop.clone(),
        health.clone(),
        options.idempotency_ttl,
        options.confirm_within,
        options.clock.clone(),
    )?;
    // `wal_autocheckpoint = 0` replaces the connection's WAL hook, so the hook comes after it.
    conn.execute_batch(
        "PRAGMA wal_autocheckpoint = 0; PRAGMA cache_size = -32768;
         PRAGMA journal_size_limit = 67108864; PRAGMA synchronous = NORMAL;",
    )
    .map_err(|e| StoreError(format!("cannot configure the database: {e}")))?;
    conn.wal_hook(Some(note_wal_frames));
    let syncer = Syncer::new(db, health.clone(), options.pause_after_commit, faults);
    let (handle, rx) = queue();
    let mut writer = Writer {
        conn,
        keys,
        head,
        options,
        health,
        syncer,
        wal_cap: faults.wal_cap_pages.unwrap_or(WAL_CAP_PAGES),
        checkpoint_at: faults.wal_cap_pages.unwrap_or(WAL_CAP_PAGES),
        bulk_requested: false,
        pause_after_apply: faults.pause_after_apply,
    };
    let thread = std::thread::Builder::new()
        .name("signup-guard-writer".into())
        .spawn(move || {
            writer.run(rx);
            let Writer { conn, health, .. } = writer;
            stop.store(true, Ordering::Relaxed);
            let _ = checkpointer.join();
            if health.is_poisoned() {
                // The WAL holds commits no fsync proved: leave it to SQLite's recovery.
                let _ = conn.set_db_config(DbConfig::SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, true);
            }
        })
        .map_err(|e| StoreError(format!("cannot start the writer thread: {e}")))?;
    Ok((handle, thread))
}

struct Writer {
    conn: Connection,
    keys: Keys,
    head: ChainHead,
    options: WriterOptions,
    health: Arc<Health>,
    /// Makes each commit durable, then answers it.
    syncer: Syncer,
    /// WAL frames past which the writer checkpoints ([`WAL_CAP_PAGES`] but in tests).
    wal_cap: i32,
    /// WAL frames at which the writer checkpoints next.
    checkpoint_at: i32,
    /// Whether the checkpoint thread was asked to copy the bulk of the WAL.
    bulk_requested: bool,
    /// A test hook ([`Faults::pause_after_apply`]); `None` in production.
    pause_after_apply: Option<std::time::Duration>,
}

/// Wakes the writer thread when a job arrives (the queue's waker).
struct Unpark(std::thread::Thread);

impl std::task::Wake for Unpark {
    fn wake(self: Arc<Self>) {
        self.0.unpark();
    }

    fn wake_by_ref(self: &Arc<Self>) {
        self.0.unpark();
    }
}

impl Writer {
    /// Takes every job queued (up to [`MAX_BATCH`]) into one transaction, commits it, makes it
    /// durable and answers it; then the next batch, until the queue is closed and empty.
    fn run(&mut self, mut rx: mpsc::Receiver<Job>) {
        let waker = Waker::from(Arc::new(Unpark(std::thread::current())));
        while let Some(first) = Self::next(&mut rx, &waker) {
            let mut jobs = vec![first];
            while jobs.len() < MAX_BATCH {
                match rx.try_recv() {
                    Ok(job) => jobs.push(job),
                    Err(_) => break,
                }
            }
            if self.health.is_poisoned() {
                // Durability can no longer be proven: refuse, and stop taking jobs (the queue
                // closes, so the service reports itself unhealthy).
                let e = WriteError::Unavailable("the store cannot sync its log; restart".into());
                refuse(Vec::new(), jobs, &e);
                crate::log::error("writer_stopped", "a WAL fsync failed; no more writes");
                return;
            }
            if let Some(open) = self.apply_jobs(jobs, &mut rx) {
                self.commit_open(open);
                self.checkpoint_if_large();
            }
        }
    }

    /// The next job, waiting for one if the queue is empty; `None` once every handle is
    /// dropped and the queue is empty.
    fn next(rx: &mut mpsc::Receiver<Job>, waker: &Waker) -> Option<Job> {
        let mut cx = Context::from_waker(waker);
        loop {
            match rx.poll_recv(&mut cx) {
                Poll::Ready(next) => return next,
                // Woken by the queue's waker (an unpark that came first makes this return at
                // once, so no wake-up is lost).
                Poll::Pending => std::thread::park(),
            }
        }
    }

    /// Applies `jobs` in a new transaction, then the jobs queued meanwhile (up to
    /// [`MAX_BATCH`] in all): a request that arrives while a batch is being applied joins it
    /// rather than waiting for its fsync and the next batch, which also spreads the commit and
    /// the fsync over more jobs. The transaction still open, or `None` when it failed, in which
    /// case every job in it has heard the error. The jobs run without savepoints first; if one
    /// fails after it changed rows, the transaction is rolled back and the batch applied again
    /// with a savepoint per job ([`Writer::apply`]), taking no more from the queue.
    fn apply_jobs(&mut self, mut jobs: Vec<Job>, rx: &mut mpsc::Receiver<Job>) -> Option<Open> {
        let mut savepoints = false;
        loop {
            let mut o = match self.begin() {
                Ok(o) => o,
                Err(e) => {
                    crate::log::error("commit_failed", &format!("cannot begin: {e:?}"));
                    refuse(Vec::new(), jobs, &e);
                    return None;
                }
            };
            let mut outcomes = Vec::with_capacity(jobs.len());
            let mut stopped = None;
            let mut next = 0;
            while stopped.is_none() {
                if next == jobs.len() {
                    if savepoints || jobs.len() >= MAX_BATCH {
                        break;
                    }
                    match rx.try_recv() {
                        Ok(job) => jobs.push(job),
                        Err(_) => break,
                    }
                }
                match self.apply(&mut o, &jobs[next], savepoints) {
                    Ok(outcome) => outcomes.push(outcome),
                    Err(stop) => stopped = Some(stop),
                }
                next += 1;
                if let Some(pause) = self.pause_after_apply {
                    std::thread::sleep(pause);
                }
            }
            match stopped {
                None => {
                    o.done = pair(jobs, outcomes);
                    return Some(o);
                }
                Some(Stop::Redo) => {
                    self.undo(o);
                    savepoints = true;
                }
                Some(Stop::Lost(e)) => {
                    // Nothing of this transaction is stored: every request in it hears so.
                    let done = self.fail(o, e.clone());
                    refuse(done, jobs, &e);
                    return None;
                }
            }
        }
    }

    /// Commits `open`, fsyncs the WAL and answers its jobs, or answers them with the error.
    fn commit_open(&mut self, open: Open) {
        let done = match self.commit(open) {
            Ok(done) => done,
            Err((done, e)) => return refuse(done, [], &e),
        };
        self.health.commits.fetch_add(1, Ordering::Relaxed);
        self.syncer.make_durable(done);
    }

    /// Bounds the WAL in two steps once it is past the cap. First the checkpoint thread copies
    /// the bulk of it beside the writer (which keeps committing); then the writer itself copies
    /// the few frames committed meanwhile, between two batches, so the next write transaction
    /// restarts the WAL from its start. Only that short second step stalls the writer. When a
    /// reader keeps part of the WAL in use, it tries again after a quarter of the cap more.
    fn checkpoint_if_large(&mut self) {
        let frames = WAL_FRAMES.with(Cell::get);
        if frames < self.checkpoint_at {
            if frames < self.wal_cap {
                self.checkpoint_at = self.wal_cap;
            }
            return;
        }
        if !self.bulk_requested {
            self.bulk_requested = true;
            self.health.checkpoint_wanted.store(true, Ordering::SeqCst);
            return;
        }
        let bulk_done = !self.health.checkpoint_wanted.load(Ordering::SeqCst);
        // A checkpoint thread that cannot keep up does not let the WAL grow past twice the cap.
        if !bulk_done && frames < self.checkpoint_at.saturating_add(self.wal_cap) {
            return;
        }
        self.bulk_requested = false;
        let done = self
            .conn
            .query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    r.get::<_, i64>(1)?,
                    r.get::<_, i64>(2)?,
                ))
            });
        self.checkpoint_at = match done {
            // Not busy, and every frame copied: the next transaction restarts the WAL.
            Ok((0, log, copied)) if log == copied => self.wal_cap,
            Ok(_) => frames.saturating_add(self.wal_cap / 4),
            Err(e) => {
                crate::log::error("checkpoint_failed", &e.to_string());
                frames.saturating_add(self.wal_cap / 4)
            }
        };
    }
}

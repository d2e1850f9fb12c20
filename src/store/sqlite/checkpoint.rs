//! The checkpoint thread: copies the write-ahead log into the database when the writer is quiet
//! or asks (its WAL passed the cap), sweeps expired idempotency answers, erases signups never
//! confirmed in time and prunes the outbox, and truncates the WAL at shutdown. Why checkpoints wait for quiet moments: see [`super::writer`].

use super::durable::Health;
use super::{fail, idempotency, optin, outbox, webhook_queue};
use crate::clock::Clock;
use crate::store::StoreError;
use rusqlite::config::DbConfig;
use rusqlite::Connection;
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// How long the writer must have been idle before the checkpoint thread copies the WAL.
pub(super) const QUIET: Duration = Duration::from_millis(50);
/// How often the checkpoint thread looks at the writer.
const TICK: Duration = Duration::from_millis(10);

/// Copies the write-ahead log into the database in the background with PASSIVE checkpoints
/// (which never block the writer): when the writer asks (its WAL passed the cap), and when the
/// writer has committed nothing for [`QUIET`] and something is new since the last one; at
/// `stop`, once fully (TRUNCATE). Nothing is checkpointed once the store is poisoned.
///
/// The same thread sweeps `Idempotency-Key` answers older than `idempotency_ttl` about once a
/// second, oldest first, in bounded deletes ([`idempotency::sweep`]); in the same turn it erases
/// contacts whose double opt-in request is older than `confirm_within` ([`optin::expire`]) and
/// deletes outbox rows sent or dead more than two days ago ([`outbox::prune`]; webhook rows
/// after two weeks, [`webhook_queue::prune`]).
pub(super) fn spawn(
    path: &Path,
    stop: Arc<AtomicBool>,
    health: Arc<Health>,
    idempotency_ttl: Duration,
    confirm_within: Duration,
    clock: Clock,
) -> Result<std::thread::JoinHandle<()>, StoreError> {
    let mut conn = Connection::open(path).map_err(|e| fail(path, "cannot open database", e))?;
    conn.busy_timeout(Duration::from_secs(5))
        .and_then(|()| conn.execute_batch("PRAGMA synchronous=FULL;"))
        .map_err(|e| fail(path, "cannot configure database", e))?;
    let checkpoint = move |conn: &Connection| {
        if let Err(e) = conn.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |_| Ok(())) {
            crate::log::error("checkpoint_failed", &e.to_string());
        }
    };
    std::thread::Builder::new()
        .name("signup-guard-checkpoint".into())
        .spawn(move || {
            let mut swept = Instant::now();
            let mut seen = health.commits.load(Ordering::Relaxed);
            let mut seen_at = Instant::now();
            let mut checkpointed = seen;
            while !stop.load(Ordering::Relaxed) {
                std::thread::sleep(TICK);
                if health.is_poisoned() {
                    continue;
                }
                let now = health.commits.load(Ordering::Relaxed);
                if health.checkpoint_wanted.load(Ordering::SeqCst) {
                    checkpoint(&conn);
                    checkpointed = now;
                    health.checkpoint_wanted.store(false, Ordering::SeqCst);
                }
                if now != seen {
                    (seen, seen_at) = (now, Instant::now());
                } else if now != checkpointed && seen_at.elapsed() >= QUIET {
                    checkpointed = now;
                    checkpoint(&conn);
                }
                if swept.elapsed() >= Duration::from_secs(1) {
                    swept = Instant::now();
                    if let Err(e) = idempotency::sweep(&conn, &clock.ago(idempotency_ttl)) {
                        crate::log::error("idempotency_sweep_failed", &e.to_string());
                    }
                    let at = clock.now();
                    match optin::expire(&mut conn, &clock.ago(confirm_within), &at) {
                        Ok(done) if done.contacts > 0 => {
                            let n = done.contacts.to_string();
                            crate::log::info("unconfirmed_erased", &n);
                        }
                        Ok(_) => {}
                        Err(e) => crate::log::error("unconfirmed_sweep_failed", &format!("{e:?}")),
                    }
                    const KEEP_SENT: Duration = Duration::from_secs(2 * 86_400);
                    if let Err(e) = outbox::prune(&conn, &clock.ago(KEEP_SENT)) {
                        crate::log::error("outbox_prune_failed", &e.to_string());
                    }
                    let keep = Duration::from_secs(webhook_queue::KEEP_DAYS * 86_400);
                    if let Err(e) = webhook_queue::prune(&conn, &clock.ago(keep)) {
                        crate::log::error("webhook_prune_failed", &e.to_string());
                    }
                }
            }
            if health.is_poisoned() {
                let _ = conn.set_db_config(DbConfig::SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, true);
            } else {
                let _ = conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()));
            }
        })
        .map_err(|e| fail(path, "cannot start the checkpoint thread", e))
}

//! The transactional outbox in PostgreSQL, as on SQLite: rows queued in the writer's
//! transaction, claimed with a lease (`FOR UPDATE SKIP LOCKED`, so the senders of several
//! replicas never take the same row), marked sent, retried or dead, pruned; the mail limits.

use super::db::Db;
use crate::clock::format_ms;
use crate::store::{OutboxItem, OutboxOutcome};

/// The kind of a mail row.
pub(super) const MAIL: &str = "mail";
/// At most one mail to an address per this many milliseconds (10 minutes)...
const MAIL_GAP_MS: u64 = 10 * 60 * 1000;
/// ...and at most this many a day.
const MAILS_PER_DAY: i64 = 3;

/// Queues `payload` of `kind` (about contact `contact_id`), due at once.
pub(super) fn queue(
    db: &mut Db,
    kind: &str,
    contact_id: Option<i64>,
    payload: &str,
    now: &str,
) -> Result<(), postgres::Error> {
    db.exec(
        "INSERT INTO outbox (kind, contact_id, payload, created_at, next_attempt_at)
         VALUES ($1, $2, $3, $4, $4)",
        &[&kind, &contact_id, &payload, &now],
    )?;
    Ok(())
}

/// Whether another mail to contact `id` is within the limits at `now_ms`.
pub(super) fn mail_allowed(db: &mut Db, id: i64, now_ms: u64) -> Result<bool, postgres::Error> {
    let day = format_ms(now_ms.saturating_sub(24 * 3600 * 1000));
    let r = db.one(
        "SELECT count(*), max(created_at) FROM outbox
         WHERE contact_id = $1 AND kind = 'mail' AND created_at > $2",
        &[&id, &day],
    )?;
    let (count, last): (i64, Option<String>) = (r.get(0), r.get(1));
    let gap = format_ms(now_ms.saturating_sub(MAIL_GAP_MS));
    Ok(count < MAILS_PER_DAY && last.is_none_or(|l| l <= gap))
}

/// Claims up to `limit` rows of `kind` due at `now`, each leased until `lease_until`.
pub(super) fn claim(
    db: &mut Db,
    kind: &str,
    now: &str,
    lease_until: &str,
    limit: usize,
) -> Result<Vec<OutboxItem>, postgres::Error> {
    let limit = i64::try_from(limit).unwrap_or(i64::MAX);
    let rows = db.all(
        "UPDATE outbox SET attempts = attempts + 1, next_attempt_at = $2
         WHERE id IN (SELECT id FROM outbox
                      WHERE sent_at IS NULL AND dead_at IS NULL AND next_attempt_at <= $1
                        AND kind = $4
                      ORDER BY next_attempt_at, id LIMIT $3 FOR UPDATE SKIP LOCKED)
         RETURNING id, kind, contact_id, payload, attempts, created_at",
        &[&now, &lease_until, &limit, &kind],
    )?;
    let mut items: Vec<OutboxItem> = rows
        .iter()
        .map(|r| OutboxItem {
            id: r.get(0),
            kind: r.get(1),
            contact_id: r.get(2),
            payload: r.get(3),
            attempts: u32::try_from(r.get::<_, i64>(4)).unwrap_or(u32::MAX),
            created_at: r.get(5),
        })
        .collect();
    items.sort_by_key(|i| i.id);
    Ok(items)
}

/// Records what became of a claimed row.
pub(super) fn finish(db: &mut Db, id: i64, outcome: &OutboxOutcome) -> Result<(), postgres::Error> {
    match outcome {
        OutboxOutcome::Sent { at } => db.exec(
            "UPDATE outbox SET sent_at = $2, last_error = NULL WHERE id = $1",
            &[&id, at],
        ),
        OutboxOutcome::Retry { at, error } => db.exec(
            "UPDATE outbox SET next_attempt_at = $2, last_error = $3 WHERE id = $1",
            &[&id, at, error],
        ),
        OutboxOutcome::Dead { at, error } => db.exec(
            "UPDATE outbox SET dead_at = $2, last_error = $3 WHERE id = $1",
            &[&id, at, error],
        ),
    }?;
    Ok(())
}

/// Drops the unsent rows about contact `id` (erasure).
pub(super) fn forget_unsent(db: &mut Db, id: i64) -> Result<u64, postgres::Error> {
    db.exec(
        "DELETE FROM outbox WHERE contact_id = $1 AND sent_at IS NULL",
        &[&id],
    )
}

/// Deletes rows sent or dead before `cutoff`.
pub(super) fn prune(db: &mut Db, cutoff: &str) -> Result<u64, postgres::Error> {
    db.exec(
        "DELETE FROM outbox WHERE kind != 'webhook' AND ((sent_at IS NOT NULL AND sent_at < $1)
            OR (dead_at IS NOT NULL AND dead_at < $1))",
        &[&cutoff],
    )
}

/// The address to mail contact `id` at: `None` when it was erased (or has none).
pub(super) fn mail_address(db: &mut Db, id: i64) -> Result<Option<String>, postgres::Error> {
    Ok(db
        .opt("SELECT email FROM contacts WHERE id = $1", &[&id])?
        .and_then(|r| r.get(0)))
}

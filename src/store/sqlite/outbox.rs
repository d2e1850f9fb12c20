//! The transactional outbox in SQLite: what must leave the server after a commit (kind `mail`:
//! a confirmation mail; webhooks later), queued in the same transaction as the change it
//! reports, then claimed, sent and marked by a sender outside the writer. A claim leases a row
//! (its next attempt moves past the lease), so a sender that dies mid-send leaves it to the
//! next start instead of losing it; a row is `sent` or `dead` once, never deleted before the
//! prune. The per-address mail limits read the same rows.

use crate::clock::format_ms;
use crate::store::{OutboxItem, OutboxOutcome};
use rusqlite::{params, Connection, OptionalExtension};

/// The kind of a mail row.
pub(super) const MAIL: &str = "mail";

/// At most one mail to an address per this many milliseconds (10 minutes)...
const MAIL_GAP_MS: u64 = 10 * 60 * 1000;
/// ...and at most this many a day.
const MAILS_PER_DAY: i64 = 3;

/// Queues `payload` of `kind` (about contact `contact_id`), due at once.
pub(super) fn queue(
    conn: &Connection,
    kind: &str,
    contact_id: Option<i64>,
    payload: &str,
    now: &str,
) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "INSERT INTO outbox (kind, contact_id, payload, created_at, next_attempt_at)
         VALUES (?1, ?2, ?3, ?4, ?4)",
    )?
    .execute(params![kind, contact_id, payload, now])?;
    Ok(())
}

/// Whether another mail to contact `id` is within the limits at `now_ms`: none queued in the
/// last 10 minutes and fewer than 3 in the last day (sent or not).
pub(super) fn mail_allowed(conn: &Connection, id: i64, now_ms: u64) -> rusqlite::Result<bool> {
    let day = format_ms(now_ms.saturating_sub(24 * 3600 * 1000));
    let (count, last): (i64, Option<String>) = conn
        .prepare_cached(
            "SELECT count(*), max(created_at) FROM outbox
             WHERE contact_id = ?1 AND kind = 'mail' AND created_at > ?2",
        )?
        .query_row(params![id, day], |r| Ok((r.get(0)?, r.get(1)?)))?;
    let gap = format_ms(now_ms.saturating_sub(MAIL_GAP_MS));
    Ok(count < MAILS_PER_DAY && last.is_none_or(|l| l <= gap))
}

/// Claims up to `limit` rows of `kind` due at `now`: each attempt counted and leased until
/// `lease_until` (another claim skips it meanwhile), oldest due first.
pub(super) fn claim(
    conn: &Connection,
    kind: &str,
    now: &str,
    lease_until: &str,
    limit: usize,
) -> rusqlite::Result<Vec<OutboxItem>> {
    let mut stmt = conn.prepare_cached(
        "UPDATE outbox SET attempts = attempts + 1, next_attempt_at = ?2
         WHERE id IN (SELECT id FROM outbox
                      WHERE sent_at IS NULL AND dead_at IS NULL AND next_attempt_at <= ?1
                        AND kind = ?4
                      ORDER BY next_attempt_at, id LIMIT ?3)
         RETURNING id, kind, contact_id, payload, attempts, created_at",
    )?;
    let rows = stmt.query_map(params![now, lease_until, limit as i64, kind], |r| {
        Ok(OutboxItem {
            id: r.get(0)?,
            kind: r.get(1)?,
            contact_id: r.get(2)?,
            payload: r.get(3)?,
            attempts: r.get(4)?,
            created_at: r.get(5)?,
        })
    })?;
    let mut items: Vec<OutboxItem> = rows.collect::<rusqlite::Result<_>>()?;
    items.sort_by_key(|i| i.id);
    Ok(items)
}

/// Records what became of a claimed row.
pub(super) fn finish(conn: &Connection, id: i64, outcome: &OutboxOutcome) -> rusqlite::Result<()> {
    let (sql, at, error) = match outcome {
        OutboxOutcome::Sent { at } => (
            "UPDATE outbox SET sent_at = ?2, last_error = ?3 WHERE id = ?1",
            at,
            None,
        ),
        OutboxOutcome::Retry { at, error } => (
            "UPDATE outbox SET next_attempt_at = ?2, last_error = ?3 WHERE id = ?1",
            at,
            Some(error.as_str()),
        ),
        OutboxOutcome::Dead { at, error } => (
            "UPDATE outbox SET dead_at = ?2, last_error = ?3 WHERE id = ?1",
            at,
            Some(error.as_str()),
        ),
    };
    conn.prepare_cached(sql)?.execute(params![id, at, error])?;
    Ok(())
}

/// Drops the unsent rows about contact `id` (erasure: nothing more goes to the person).
pub(super) fn forget_unsent(conn: &Connection, id: i64) -> rusqlite::Result<usize> {
    conn.prepare_cached("DELETE FROM outbox WHERE contact_id = ?1 AND sent_at IS NULL")?
        .execute([id])
}

/// Deletes rows sent or dead before `cutoff` (kept that long for the mail limits); how many.
/// Webhook rows have their own, longer, retention ([`super::webhook_queue::prune`]).
pub(super) fn prune(conn: &Connection, cutoff: &str) -> rusqlite::Result<usize> {
    conn.prepare_cached(
        "DELETE FROM outbox WHERE kind != 'webhook' AND ((sent_at IS NOT NULL AND sent_at < ?1)
            OR (dead_at IS NOT NULL AND dead_at < ?1))",
    )?
    .execute([cutoff])
}

/// The address to mail contact `id` at: `None` when it was erased (or has none).
pub(super) fn mail_address(conn: &Connection, id: i64) -> rusqlite::Result<Option<String>> {
    Ok(conn
        .prepare_cached("SELECT email FROM contacts WHERE id = ?1")?
        .query_row([id], |r| r.get::<_, Option<String>>(0))
        .optional()?
        .flatten())
}

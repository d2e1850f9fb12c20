//! `Idempotency-Key` answers in SQLite: the key, the payload's fingerprint and the exact answer,
//! stored in the same transaction as the contact, so a retry after a lost response replays it.
//! An answer older than the TTL is forgotten on sight and swept in the background.

use crate::store::{Answer, WriteError};
use rusqlite::{params, Connection, OptionalExtension};

/// Rows one sweep statement deletes; small, so the writer never waits long for the lock.
pub(super) const SWEEP_BATCH: i64 = 500;

/// The stored answer to replay for `key`: `None` when the key is new (or its answer older than
/// `expired_before`, which is then deleted), [`WriteError::KeyReused`] when it came with another
/// payload.
pub(super) fn replay(
    conn: &Connection,
    key: &str,
    fingerprint: &str,
    expired_before: &str,
) -> Result<Option<Answer>, WriteError> {
    let seen: Option<(String, i64, String, String)> = conn
        .prepare_cached(
            "SELECT fingerprint, status, body, created_at FROM idempotency WHERE key = ?1",
        )?
        .query_row([key], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
        .optional()?;
    let Some((fp, status, body, created)) = seen else {
        return Ok(None);
    };
    // A record past its age is forgotten even before the sweep removes it: the key is new.
    if created.as_str() < expired_before {
        conn.prepare_cached("DELETE FROM idempotency WHERE key = ?1")?
            .execute([key])?;
        return Ok(None);
    }
    if fp != fingerprint {
        return Err(WriteError::KeyReused);
    }
    Ok(Some(Answer {
        status: u16::try_from(status).unwrap_or(200),
        body,
        unsubscribe: Vec::new(),
        replayed: true,
        mail_queued: false,
    }))
}

/// Keeps the answer given to `key` (in the caller's transaction).
pub(super) fn remember(
    conn: &Connection,
    key: &str,
    fingerprint: &str,
    answer: &Answer,
    now: &str,
) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "INSERT INTO idempotency (key, fingerprint, status, body, created_at) VALUES (?1, ?2, ?3, ?4, ?5)",
    )?
    .execute(params![key, fingerprint, answer.status, answer.body, now])?;
    Ok(())
}

/// Deletes every stored answer whose body contains `needle` (erasure); how many went.
pub(super) fn forget_containing(conn: &Connection, needle: &str) -> rusqlite::Result<usize> {
    conn.prepare_cached("DELETE FROM idempotency WHERE instr(body, ?1) > 0")?
        .execute([needle])
}

/// Deletes answers created before `cutoff` (RFC 3339), oldest first (insertion order), in
/// statements of at most [`SWEEP_BATCH`] rows and at most 20 per call; returns how many went.
/// A statement that finds nothing expired takes no write lock.
pub(super) fn sweep(conn: &Connection, cutoff: &str) -> rusqlite::Result<usize> {
    let mut total = 0;
    for _ in 0..20 {
        let n = conn
            .prepare_cached(
                "DELETE FROM idempotency WHERE created_at < ?1 AND rowid IN
                    (SELECT rowid FROM idempotency ORDER BY rowid LIMIT ?2)",
            )?
            .execute(params![cutoff, SWEEP_BATCH])?;
        total += n;
        if (n as i64) < SWEEP_BATCH {
            break;
        }
    }
    Ok(total)
}

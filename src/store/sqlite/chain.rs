//! The consent log in SQLite: read the head, append an event at it (and record the purpose's
//! current state beside it), and stream every event through the chain [`Verifier`]. The table's
//! triggers refuse any `UPDATE` or `DELETE`, so the log only grows.

use crate::store::chain::{Action, ChainCheck, ChainHead, Event, EventRef, Verifier};
use rusqlite::{params, Connection, OptionalExtension};

/// The last event's sequence number and hash (0 and [`crate::store::GENESIS`] when empty).
pub(super) fn head(conn: &Connection) -> rusqlite::Result<ChainHead> {
    Ok(conn
        .prepare_cached("SELECT seq, hash FROM consent_events ORDER BY seq DESC LIMIT 1")?
        .query_row([], |r| {
            Ok(ChainHead {
                seq: r.get(0)?,
                hash: r.get(1)?,
            })
        })
        .optional()?
        .unwrap_or_default())
}

/// Appends `event` at `head` (setting its `seq` and `prev_hash`) and moves `head` to it.
pub(super) fn append(
    conn: &Connection,
    head: &mut ChainHead,
    event: EventRef<'_>,
) -> rusqlite::Result<()> {
    let seq = head.seq + 1;
    let event = EventRef {
        seq,
        prev_hash: &head.hash,
        ..event
    };
    let hash = event.hash();
    conn.prepare_cached(
        "INSERT INTO consent_events (seq, contact_key, action, purpose, policy_id, policy_version,
            policy_hash, text_hash, rendered_checked, required_to_submit, locale, method,
            received_at, claimed_at, user_agent, prev_hash, hash)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17)",
    )?
    .execute(params![
        event.seq,
        event.contact_key,
        event.action,
        event.purpose,
        event.policy_id,
        event.policy_version,
        event.policy_hash,
        event.text_hash,
        event.rendered_checked,
        event.required_to_submit,
        event.locale,
        event.method,
        event.received_at,
        event.claimed_at,
        event.user_agent,
        event.prev_hash,
        hash
    ])?;
    *head = ChainHead { seq, hash };
    Ok(())
}

/// Records the latest action for a contact and purpose (the log stays the evidence).
pub(super) fn set_state(
    conn: &Connection,
    contact_id: i64,
    purpose: &str,
    action: Action,
    seq: i64,
    at: &str,
) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "INSERT INTO consent_changes (contact_id, purpose, action, seq, at) VALUES (?1, ?2, ?3, ?4, ?5)
         ON CONFLICT (contact_id, purpose) DO UPDATE SET action = ?3, seq = ?4, at = ?5",
    )?
    .execute(params![contact_id, purpose, action.as_str(), seq, at])?;
    Ok(())
}

/// Recomputes every event's hash in order and checks each `prev_hash` link.
pub(super) fn verify(conn: &Connection) -> rusqlite::Result<ChainCheck> {
    let mut stmt = conn.prepare(
        "SELECT seq, contact_key, action, purpose, policy_id, policy_version, policy_hash,
                text_hash, rendered_checked, required_to_submit, locale, method, received_at,
                claimed_at, user_agent, prev_hash, hash
         FROM consent_events ORDER BY seq",
    )?;
    let mut rows = stmt.query([])?;
    let mut verifier = Verifier::new();
    while let Some(r) = rows.next()? {
        let e = Event {
            seq: r.get(0)?,
            contact_key: r.get(1)?,
            action: r.get(2)?,
            purpose: r.get(3)?,
            policy_id: r.get(4)?,
            policy_version: r.get(5)?,
            policy_hash: r.get(6)?,
            text_hash: r.get(7)?,
            rendered_checked: r.get(8)?,
            required_to_submit: r.get(9)?,
            locale: r.get(10)?,
            method: r.get(11)?,
            received_at: r.get(12)?,
            claimed_at: r.get(13)?,
            user_agent: r.get(14)?,
            prev_hash: r.get(15)?,
        };
        if let Err(broken) = verifier.check(&e, r.get(16)?) {
            return Ok(broken);
        }
    }
    Ok(verifier.finish())
}

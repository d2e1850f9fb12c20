//! Erasure (GDPR Art. 17) in SQLite, in one `IMMEDIATE` transaction that waits for a running
//! server's writer (busy timeout) and continues the chain from the real head: a `withdraw` event
//! (method `erasure`) per purpose still granted, the contact row blanked but for its id,
//! `contact_key`, locale and timestamps, and the idempotency answers that show the person
//! deleted. The log is never edited; a later signup with the same address is a fresh row.
//! [`blank`] is the one way a contact is erased: also by the sweep of unconfirmed signups; it
//! drops undelivered outbox rows about the person and queues `contact.erased` webhooks.

use super::chain::{append, head, set_state};
use super::idempotency;
use crate::store::chain::{Action, ChainHead, EventRef};
use crate::store::{EraseTarget, Erased, EventMeta, WriteError};
use rusqlite::{params, Connection, TransactionBehavior};

/// A contact to blank: id, `contact_key`, locale, and the personal values its stored answers
/// may show (email, email display, phone).
pub(super) type Row = (
    i64,
    String,
    String,
    Option<String>,
    Option<String>,
    Option<String>,
);

/// The columns of a [`Row`], for `SELECT {ROW} FROM contacts WHERE …`.
pub(super) const ROW: &str = "id, contact_key, locale, email, email_display, phone_e164";

/// Reads a [`Row`] selected with [`ROW`].
pub(super) fn row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Row> {
    Ok((
        r.get(0)?,
        r.get(1)?,
        r.get(2)?,
        r.get(3)?,
        r.get(4)?,
        r.get(5)?,
    ))
}

/// Erases every contact `target` names, at the server time `at`.
pub(super) fn erase(
    conn: &mut Connection,
    target: &EraseTarget,
    at: &str,
) -> Result<Erased, WriteError> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let mut chain = head(&tx)?;
    let rows: Vec<Row> = {
        // The email key is indexed; an address the parser refuses can only match as stored, and
        // a phone number may sit on any row (both scan the table, inside the write lock).
        let (filter, arg) = match target {
            EraseTarget::Email { key: Some(key), .. } => ("email_key = ?1", key),
            EraseTarget::Email { key: None, raw } => ("email = ?1", raw),
            EraseTarget::Phone(e164) => ("phone_e164 = ?1", e164),
        };
        let sql = format!("SELECT {ROW} FROM contacts WHERE {filter}");
        let mut stmt = tx.prepare(&sql)?;
        let found = stmt.query_map([arg], row)?;
        found.collect::<rusqlite::Result<_>>()?
    };
    let mut done = Erased::default();
    for row in rows {
        blank(&tx, &mut chain, row, at, "erasure", &mut done)?;
    }
    tx.commit()?;
    Ok(done)
}

/// Erases one contact inside the caller's write transaction, continuing the chain at `chain`:
/// a `withdraw` event (with `method`) per purpose still granted or waiting for confirmation,
/// the stored answers that show the person deleted, unsent mail to them dropped, and the row
/// blanked but for its id, `contact_key`, locale and timestamps. Counts go into `done`.
pub(super) fn blank(
    tx: &Connection,
    chain: &mut ChainHead,
    row: Row,
    at: &str,
    method: &'static str,
    done: &mut Erased,
) -> rusqlite::Result<()> {
    let (id, contact_key, locale, email, display, phone) = row;
    let open: Vec<(String, String, String, String)> = {
        let mut stmt = tx.prepare_cached(
            "SELECT s.purpose, e.policy_id, e.policy_version, e.policy_hash
             FROM consent_state s JOIN consent_events e ON e.seq = s.seq
             WHERE s.contact_id = ?1 AND s.action IN ('grant', 'request') ORDER BY s.purpose",
        )?;
        let found = stmt.query_map([id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?;
        found.collect::<rusqlite::Result<_>>()?
    };
    for (purpose, policy_id, policy_version, policy_hash) in open {
        let meta = EventMeta {
            policy_id,
            policy_version,
            policy_hash,
            locale: locale.clone(),
            method,
            received_at: at.to_owned(),
            claimed_at: None,
            user_agent: None,
        };
        let event = EventRef::new(&meta, &contact_key, Action::Withdraw, &purpose);
        append(tx, chain, event)?;
        set_state(tx, id, &purpose, Action::Withdraw, chain.seq, at)?;
        done.events += 1;
    }
    // The stored answers carry the contact as JSON: find them by the JSON form of each
    // personal value (the same encoder wrote them). Deleting another person's answer that
    // happens to share a value only costs that client a replay.
    let needles: Vec<String> = [email, display, phone]
        .into_iter()
        .flatten()
        .filter_map(|v| serde_json::to_string(&v).ok())
        .collect();
    for needle in needles {
        done.idempotency += idempotency::forget_containing(tx, &needle)?;
    }
    // Undelivered webhooks about the person carry their data: they go with it, and the
    // endpoints hear `contact.erased` (the opaque key only) instead.
    super::outbox::forget_unsent(tx, id)?;
    if let Some(hooks) = super::webhooks::Hooks::load(tx)? {
        hooks.erased(tx, id, &contact_key, at)?;
    }
    super::attribution::forget(tx, id)?;
    tx.prepare_cached(
        "UPDATE contacts SET email_key = NULL, email = NULL, email_display = NULL,
            phone_e164 = NULL, phone_type = NULL, phone_display = NULL, phone_extension = NULL,
            given_name = NULL, family_name = NULL, country = NULL, pending_since = NULL,
            custom = NULL, updated_at = ?2
         WHERE id = ?1",
    )?
    .execute(params![id, at])?;
    done.contacts += 1;
    Ok(())
}

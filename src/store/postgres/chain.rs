//! The consent log in PostgreSQL: lock and read the head, append at it (recording the purpose's
//! current state beside it), write the head back, and stream every event through the chain
//! [`Verifier`]. The lock on the one `chain_head` row is the serialization point of every
//! replica: held from the start of a writing transaction to its commit.

use super::db::Db;
use crate::store::chain::{Action, ChainCheck, ChainHead, Event, EventRef, Verifier};

/// Locks the head row for this transaction (others wait) and reads it.
pub(super) fn lock_head(db: &mut Db) -> Result<ChainHead, postgres::Error> {
    let r = db.one("SELECT seq, hash FROM chain_head FOR UPDATE", &[])?;
    Ok(ChainHead {
        seq: r.get(0),
        hash: r.get(1),
    })
}

/// Writes `head` back to the locked row (before the commit that releases it).
pub(super) fn store_head(db: &mut Db, head: &ChainHead) -> Result<(), postgres::Error> {
    db.exec(
        "UPDATE chain_head SET seq = $1, hash = $2",
        &[&head.seq, &head.hash],
    )?;
    Ok(())
}

/// The last event's sequence number and hash, read without a lock (from the log itself).
pub(super) fn head(db: &mut Db) -> Result<ChainHead, postgres::Error> {
    Ok(db
        .opt(
            "SELECT seq, hash FROM consent_events ORDER BY seq DESC LIMIT 1",
            &[],
        )?
        .map(|r| ChainHead {
            seq: r.get(0),
            hash: r.get(1),
        })
        .unwrap_or_default())
}

/// Appends `event` at `head` (setting its `seq` and `prev_hash`) and moves `head` to it.
pub(super) fn append(
    db: &mut Db,
    head: &mut ChainHead,
    event: EventRef<'_>,
) -> Result<(), postgres::Error> {
    let seq = head.seq + 1;
    let event = EventRef {
        seq,
        prev_hash: &head.hash,
        ..event
    };
    let hash = event.hash();
    db.exec(
        "INSERT INTO consent_events (seq, contact_key, action, purpose, policy_id, policy_version,
            policy_hash, text_hash, rendered_checked, required_to_submit, locale, method,
            received_at, claimed_at, user_agent, prev_hash, hash)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)",
        &[
            &event.seq,
            &event.contact_key,
            &event.action,
            &event.purpose,
            &event.policy_id,
            &event.policy_version,
            &event.policy_hash,
            &event.text_hash,
            &event.rendered_checked,
            &event.required_to_submit,
            &event.locale,
            &event.method,
            &event.received_at,
            &event.claimed_at,
            &event.user_agent,
            &event.prev_hash,
            &hash,
        ],
    )?;
    *head = ChainHead { seq, hash };
    Ok(())
}

/// Records the latest action for a contact and purpose (the log stays the evidence).
pub(super) fn set_state(
    db: &mut Db,
    contact_id: i64,
    purpose: &str,
    action: Action,
    seq: i64,
    at: &str,
) -> Result<(), postgres::Error> {
    db.exec(
        "INSERT INTO consent_state (contact_id, purpose, action, seq, at) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (contact_id, purpose) DO UPDATE SET action = $3, seq = $4, at = $5",
        &[&contact_id, &purpose, &action.as_str(), &seq, &at],
    )?;
    Ok(())
}

/// Recomputes every event's hash in order and checks each `prev_hash` link, streaming the log
/// through a cursor (a portal of 1000 rows at a time) in one read-only snapshot.
pub(super) fn verify(db: &mut Db) -> Result<ChainCheck, postgres::Error> {
    let mut tx = db
        .client
        .build_transaction()
        .read_only(true)
        .isolation_level(postgres::IsolationLevel::RepeatableRead)
        .start()?;
    let portal = tx.bind(
        "SELECT seq, contact_key, action, purpose, policy_id, policy_version, policy_hash,
                text_hash, rendered_checked, required_to_submit, locale, method, received_at,
                claimed_at, user_agent, prev_hash, hash
         FROM consent_events ORDER BY seq",
        &[],
    )?;
    let mut verifier = Verifier::new();
    loop {
        let rows = tx.query_portal(&portal, 1000)?;
        if rows.is_empty() {
            break;
        }
        for r in rows {
            let e = Event {
                seq: r.get(0),
                contact_key: r.get(1),
                action: r.get(2),
                purpose: r.get(3),
                policy_id: r.get(4),
                policy_version: r.get(5),
                policy_hash: r.get(6),
                text_hash: r.get(7),
                rendered_checked: r.get(8),
                required_to_submit: r.get(9),
                locale: r.get(10),
                method: r.get(11),
                received_at: r.get(12),
                claimed_at: r.get(13),
                user_agent: r.get(14),
                prev_hash: r.get(15),
            };
            if let Err(broken) = verifier.check(&e, r.get(16)) {
                return Ok(broken);
            }
        }
    }
    tx.commit()?;
    Ok(verifier.finish())
}

//! Erasure (GDPR Art. 17) in SQLite, in one `IMMEDIATE` transaction that waits for a running
//! server's writer (busy timeout) and continues the chain from the real head: a `withdraw` event
//! (method `erasure`) per purpose still granted, the contact row blanked but for its id,
//! `contact_key`, locale and timestamps, and the idempotency answers that show the person
//! deleted. The log is never edited; a later signup with the same address is a fresh row.
//! What erasing one contact does is decided once for both backends
//! ([`crate::store::erase_rule::blank`], also the sweep of unconfirmed signups and the retention
//! purge); [`Rows`] reads and writes its rows.

use super::chain::{append, head, set_state};
use super::idempotency;
use super::webhooks::Hooks;
use crate::store::chain::{Action, ChainHead, EventRef};
use crate::store::erase_rule::{blank, EraseRows, Logged, Written};
use crate::store::{EraseTarget, Erased, WriteError};
use rusqlite::{params, Connection, TransactionBehavior};

pub(super) use crate::store::erase_rule::Row;

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
        blank(
            &mut Rows::new(&tx),
            &mut chain,
            row,
            at,
            "erasure",
            &mut done,
        )?;
    }
    tx.commit()?;
    Ok(done)
}

/// The rows the backend-neutral rules read and write, on the caller's transaction: this
/// backend's one implementation of [`EraseRows`] (here), `SignupRows` ([`super::contacts`]) and
/// `OptinRows` ([`super::optin`]), so each statement is written once.
pub(super) struct Rows<'c>(
    pub(super) &'c Connection,
    /// The webhook endpoints as the writer's transaction found them (read once a batch: they
    /// change only under the write lock); `None`: read at each change.
    Option<&'c Option<Hooks>>,
);

impl<'c> Rows<'c> {
    /// Rows on `conn` that read the webhook endpoints at each change.
    pub(super) fn new(conn: &'c Connection) -> Self {
        Rows(conn, None)
    }

    /// Rows on `conn` with the endpoints the writer's transaction read.
    pub(super) fn with_hooks(conn: &'c Connection, hooks: &'c Option<Hooks>) -> Self {
        Rows(conn, Some(hooks))
    }
}

impl EraseRows for Rows<'_> {
    type Hooks = Hooks;

    fn hooks(&mut self) -> Written<Option<Hooks>> {
        match self.1 {
            Some(hooks) => Ok(hooks.clone()),
            None => Ok(Hooks::load(self.0)?),
        }
    }

    fn queue_erased(&mut self, hooks: &Hooks, id: i64, key: &str, at: &str) -> Written {
        Ok(hooks.erased(self.0, id, key, at)?)
    }

    fn log(&mut self, head: &mut ChainHead, id: i64, e: EventRef<'_>, action: Action) -> Written {
        append(self.0, head, e)?;
        let (purpose, at) = (e.purpose, e.received_at);
        Ok(set_state(self.0, id, purpose, action, head.seq, at)?)
    }

    fn open(&mut self, id: i64, granted_too: bool) -> Written<Vec<Logged>> {
        let mut stmt = self.0.prepare_cached(
            "SELECT s.purpose, e.text_hash, e.required_to_submit, e.policy_id, e.policy_version,
                    e.policy_hash, e.locale
             FROM consent_state s JOIN consent_events e ON e.seq = s.seq
             WHERE s.contact_id = ?1 AND (s.action = 'request' OR (?2 AND s.action = 'grant'))
             ORDER BY s.purpose",
        )?;
        let found = stmt.query_map(params![id, granted_too], |r| {
            Ok(Logged {
                purpose: r.get(0)?,
                text_hash: r.get(1)?,
                required: r.get(2)?,
                policy_id: r.get(3)?,
                policy_version: r.get(4)?,
                policy_hash: r.get(5)?,
                locale: r.get(6)?,
            })
        })?;
        Ok(found.collect::<rusqlite::Result<_>>()?)
    }

    fn forget_answers_containing(&mut self, needle: &str) -> Written<usize> {
        Ok(idempotency::forget_containing(self.0, needle)?)
    }

    fn forget_unsent(&mut self, id: i64) -> Written {
        super::outbox::forget_unsent(self.0, id)?;
        Ok(())
    }

    fn forget_attribution(&mut self, id: i64) -> Written {
        Ok(super::attribution::forget(self.0, id)?)
    }

    fn blank_row(&mut self, id: i64, at: &str) -> Written {
        self.0
            .prepare_cached(
                "UPDATE contacts SET email_key = NULL, email = NULL, email_display = NULL,
                    phone_e164 = NULL, phone_type = NULL, phone_display = NULL,
                    phone_extension = NULL, given_name = NULL, family_name = NULL, country = NULL,
                    pending_since = NULL, custom = NULL, updated_at = ?2
                 WHERE id = ?1",
            )?
            .execute(params![id, at])?;
        Ok(())
    }
}

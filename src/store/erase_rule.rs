//! Erasing one contact, backend-neutral: [`blank`] is the one way a contact is erased (a GDPR
//! erasure, the sweep of double opt-in signups never confirmed, the retention purge), so SQLite
//! and PostgreSQL erase alike. The steps: a `withdraw` event (with the caller's method) per
//! purpose still granted or waiting for confirmation, the stored answers that show the person
//! deleted, undelivered outbox rows about them dropped and `contact.erased` queued instead, the
//! attribution rows deleted, and the contact row blanked but for its id, `contact_key`, locale
//! and timestamps. The log is never edited. Each backend only reads and writes the rows
//! ([`EraseRows`]) with its own statements, inside the caller's write transaction.

use super::chain::{Action, ChainHead, EventRef};
use super::{Erased, EventMeta, WriteError};

/// A contact to blank: id, `contact_key`, locale, and the personal values its stored answers
/// may show (email, email display, phone).
pub(crate) type Row = (
    i64,
    String,
    String,
    Option<String>,
    Option<String>,
    Option<String>,
);

/// What a row operation gives back: its value, or the store's error.
pub(crate) type Written<T = ()> = Result<T, WriteError>;

/// A purpose waiting for confirmation (or granted), and what its latest event recorded: the
/// policy, text hash and locale the person was shown (a withdrawal or grant names the same).
pub(crate) struct Logged {
    pub(crate) purpose: String,
    pub(crate) text_hash: Option<String>,
    pub(crate) required: bool,
    pub(crate) policy_id: String,
    pub(crate) policy_version: String,
    pub(crate) policy_hash: String,
    pub(crate) locale: String,
}

/// The rows erasure reads and writes, each with the backend's own statements, inside the
/// caller's write transaction (which holds the chain's head).
pub(crate) trait EraseRows {
    /// The configured webhook endpoints, loaded once per change.
    type Hooks;
    /// The webhook endpoints (`None` when there are none: no snapshot, no event).
    fn hooks(&mut self) -> Written<Option<Self::Hooks>>;
    /// Queues `contact.erased` (the opaque `key` only) for each endpoint wanting it.
    fn queue_erased(&mut self, hooks: &Self::Hooks, id: i64, key: &str, at: &str) -> Written;
    /// Appends `e` at `head` (its `seq` and `prev_hash` set there), moves `head` to it, and
    /// records it as contact `id`'s latest `action` on its purpose (at its `received_at`).
    fn log(&mut self, head: &mut ChainHead, id: i64, e: EventRef<'_>, action: Action) -> Written;
    /// Contact `id`'s purposes waiting for confirmation (with `granted_too`, the granted ones
    /// as well), by purpose.
    fn open(&mut self, id: i64, granted_too: bool) -> Written<Vec<Logged>>;
    /// Deletes the stored `Idempotency-Key` answers whose body contains `needle`; how many.
    fn forget_answers_containing(&mut self, needle: &str) -> Written<usize>;
    /// Deletes contact `id`'s outbox rows not yet sent (mail and webhooks: they carry its data).
    fn forget_unsent(&mut self, id: i64) -> Written;
    /// Deletes contact `id`'s attribution rows.
    fn forget_attribution(&mut self, id: i64) -> Written;
    /// Blanks contact `id`'s personal columns (and `pending_since`); `updated_at` = `at`.
    fn blank_row(&mut self, id: i64, at: &str) -> Written;
}

/// Erases one contact inside the caller's write transaction, continuing the chain at `chain`,
/// at the server time `at`, its withdrawals with `method` (`erasure`, `unconfirmed`,
/// `retention`). Counts go into `done`.
pub(crate) fn blank<R: EraseRows>(
    rows: &mut R,
    chain: &mut ChainHead,
    row: Row,
    at: &str,
    method: &'static str,
    done: &mut Erased,
) -> Written {
    let (id, contact_key, locale, email, display, phone) = row;
    for open in rows.open(id, true)? {
        let meta = EventMeta {
            policy_id: open.policy_id,
            policy_version: open.policy_version,
            policy_hash: open.policy_hash,
            locale: locale.clone(),
            method,
            received_at: at.to_owned(),
            claimed_at: None,
            user_agent: None,
        };
        let event = EventRef::new(&meta, &contact_key, Action::Withdraw, &open.purpose);
        rows.log(chain, id, event, Action::Withdraw)?;
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
        done.idempotency += rows.forget_answers_containing(&needle)?;
    }
    // Undelivered webhooks about the person carry their data: they go with it, and the
    // endpoints hear `contact.erased` (the opaque key only) instead.
    rows.forget_unsent(id)?;
    if let Some(hooks) = rows.hooks()? {
        rows.queue_erased(&hooks, id, &contact_key, at)?;
    }
    rows.forget_attribution(id)?;
    rows.blank_row(id, at)?;
    done.contacts += 1;
    Ok(())
}

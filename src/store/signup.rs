//! A signup whose grants count at once, backend-neutral: the contact upserted by its dedup key
//! (one row per person; a re-signup refreshes the row, never duplicates it), its source
//! recorded, a `grant` event per ticked purpose with the purpose's current state beside it (a
//! new person's first states go into its row where the backend keeps them there), an
//! unsubscribe token per purpose, and the webhook events the change makes. The order of these
//! steps and the answer live here once; each backend only runs its statements ([`SignupRows`]),
//! inside the writer's transaction. So does the way back, [`withdraw`]: a genuine unsubscribe token
//! for a purpose granted now appends a `withdraw` event.

use super::chain::{Action, ChainHead, EventRef};
use super::erase_rule::{EraseRows, Written};
use super::jobs::answer_body;
use super::webhook_events::Snapshot;
use super::{Answer, Keys, Submit, Withdraw, WriteError};
use crate::source::Source;
use crate::verdict::Contact;

/// Contact `id` as webhooks saw it before the change (`None`: new, or no endpoints).
pub(crate) type Before<'a> = Option<&'a Snapshot>;

/// The statements one backend runs for a signup, in its own transaction (besides the chain,
/// webhook and erasure rows of [`EraseRows`]: one rows type per backend serves all three rules).
pub(crate) trait SignupRows: EraseRows {
    /// Contact `id` as webhooks see it now (`None` if there is no such row).
    fn snapshot(&mut self, hooks: &Self::Hooks, id: i64) -> Written<Option<Snapshot>>;
    /// The row of the person `c` names, if stored.
    fn existing(&mut self, c: &Contact) -> Written<Option<i64>>;
    /// Refreshes row `id` with what `c` gives.
    fn update(&mut self, id: i64, c: &Contact, now: &str) -> Written;
    /// Inserts a new contact: its row id, or `None` (nothing inserted) when a row with the same
    /// dedup key exists. One statement does the insert and the unique check. `first`: the
    /// grants this signup logs next, for a backend that keeps a new person's first states in
    /// the row ([`SignupRows::log_first`]).
    fn insert(
        &mut self,
        contact_key: &str,
        c: &Contact,
        now: &str,
        first: Option<&FirstGrants>,
    ) -> Written<Option<i64>>;
    /// Appends the grant of a person this signup created with [`FirstGrants`]: where the row
    /// already holds the purpose's state (SQLite), only the event; elsewhere as [`EraseRows::log`].
    fn log_first(&mut self, head: &mut ChainHead, id: i64, e: EventRef<'_>) -> Written {
        self.log(head, id, e, Action::Grant)
    }
    /// Records where contact `id` came from (first and latest touch; nothing without a source).
    fn record_source(&mut self, id: i64, source: Option<&Source>, now: &str) -> Written;
    /// Contact `id`'s `contact_key` and locale, if the row exists.
    fn holder(&mut self, id: i64) -> Written<Option<(String, String)>>;
    /// The last action recorded for contact `id` and `purpose` (`"grant"`, `"withdraw"`…).
    fn state(&mut self, id: i64, purpose: &str) -> Written<Option<String>>;
    /// Queues the webhook events that turn `was` (`None`: new) into contact `id` as it is now.
    fn notify(&mut self, hooks: &Self::Hooks, id: i64, was: Before<'_>, at: &str) -> Written;
}

/// A new person's first grants, stored with the row: the purposes in the order their `grant`
/// events follow, the first of which gets sequence number `seq` (the chain head's next). Saves
/// SQLite a `consent_state` row (a b-tree insert) per grant of every new signup.
pub(crate) struct FirstGrants {
    /// The purposes as a JSON array of strings, in event order.
    pub(crate) purposes: String,
    /// The sequence number of the first purpose's `grant` event.
    pub(crate) seq: i64,
}

impl FirstGrants {
    /// The grants of `s` logged from `head` on; `None` when it has none, or names a purpose
    /// twice (its state would then be the last event's, which only the state table keeps).
    fn of(s: &Submit, head: &ChainHead) -> Written<Option<FirstGrants>> {
        let purposes: Vec<&str> = s.grants.iter().map(|g| g.purpose.as_str()).collect();
        let twice = (1..purposes.len()).any(|i| purposes[..i].contains(&purposes[i]));
        if purposes.is_empty() || twice {
            return Ok(None);
        }
        let purposes = serde_json::to_string(&purposes)
            .map_err(|e| WriteError::Internal(format!("first grants: {e}")))?;
        Ok(Some(FirstGrants {
            purposes,
            seq: head.seq + 1,
        }))
    }
}

/// The `contact_key` of a submission's person.
pub(crate) fn contact_key_of(keys: &Keys, c: &Contact) -> Result<String, WriteError> {
    match c.dedup_key() {
        Some(dedup) => Ok(keys.contact_key(&dedup)),
        None => Err(WriteError::Internal("contact without a dedup key".into())),
    }
}

/// The row of the person `c` names: a new one (`true`) or the stored one (`false`). It tries the
/// insert first, since most signups are new people and the insert's unique check answers the
/// question without a lookup before it.
pub(crate) fn insert_or_find<R: SignupRows>(
    rows: &mut R,
    contact_key: &str,
    c: &Contact,
    now: &str,
    first: Option<&FirstGrants>,
) -> Written<(i64, bool)> {
    if let Some(id) = rows.insert(contact_key, c, now, first)? {
        return Ok((id, true));
    }
    match rows.existing(c)? {
        Some(id) => Ok((id, false)),
        None => Err(WriteError::Internal(
            "a contact's insert conflicted with no stored row".into(),
        )),
    }
}

/// Stores signup `s` whose grants count at once, at `head`: `201` for a new contact, `200` for
/// a re-signup, with an unsubscribe token per granted purpose.
pub(crate) fn grant_now<R: SignupRows>(
    rows: &mut R,
    keys: &Keys,
    head: &mut ChainHead,
    s: &Submit,
) -> Written<Answer> {
    let c = &s.contact;
    let contact_key = contact_key_of(keys, c)?;
    let now = &s.meta.received_at;
    let hooks = rows.hooks()?;
    let mut before = None;
    let first = FirstGrants::of(s, head)?;
    let (id, created) = insert_or_find(rows, &contact_key, c, now, first.as_ref())?;
    if !created {
        if let Some(h) = &hooks {
            before = rows.snapshot(h, id)?;
        }
        rows.update(id, c, now)?;
    }
    rows.record_source(id, c.source.as_ref(), now)?;
    let mut unsubscribe = Vec::with_capacity(s.grants.len());
    for (i, g) in (0_i64..).zip(&s.grants) {
        let mut e = EventRef::new(&s.meta, &contact_key, Action::Grant, &g.purpose);
        e.text_hash = Some(&g.text_hash);
        e.required_to_submit = g.required;
        match (&first, created) {
            (Some(f), true) => {
                rows.log_first(head, id, e)?;
                // The row's states name events by position from `f.seq`: they must be these.
                if head.seq != f.seq + i {
                    return Err(WriteError::Internal("a first grant out of sequence".into()));
                }
            }
            _ => rows.log(head, id, e, Action::Grant)?,
        }
        unsubscribe.push((
            g.purpose.clone(),
            keys.unsubscribe_token(id, &contact_key, &g.purpose),
        ));
    }
    if let Some(h) = &hooks {
        rows.notify(h, id, before.as_ref(), now)?;
    }
    Ok(Answer {
        status: if created { 201 } else { 200 },
        body: answer_body(created, s, &unsubscribe)?,
        unsubscribe,
        replayed: false,
        mail_queued: false,
    })
}

/// Appends a `withdraw` event for a genuine token whose purpose is granted: `Ok(true)`;
/// `Ok(false)` when it was not (or no longer) granted; `TokenInvalid` for a token that names no
/// stored contact or does not verify.
pub(crate) fn withdraw<R: SignupRows>(
    rows: &mut R,
    keys: &Keys,
    head: &mut ChainHead,
    w: &Withdraw,
) -> Written<bool> {
    let Some((contact_key, locale)) = rows.holder(w.contact_id)? else {
        return Err(WriteError::TokenInvalid);
    };
    if !keys.check_unsubscribe(&contact_key, &w.purpose, &w.mac) {
        return Err(WriteError::TokenInvalid);
    }
    if rows.state(w.contact_id, &w.purpose)?.as_deref() != Some(Action::Grant.as_str()) {
        return Ok(false);
    }
    let hooks = rows.hooks()?;
    let before = match &hooks {
        Some(h) => rows.snapshot(h, w.contact_id)?,
        None => None,
    };
    let mut e = EventRef::new(&w.meta, &contact_key, Action::Withdraw, &w.purpose);
    e.locale = &locale;
    rows.log(head, w.contact_id, e, Action::Withdraw)?;
    if let Some(h) = &hooks {
        rows.notify(h, w.contact_id, before.as_ref(), &w.meta.received_at)?;
    }
    Ok(true)
}

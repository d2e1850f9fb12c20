//! A signup whose grants count at once, backend-neutral: the contact upserted by its dedup key
//! (one row per person; a re-signup refreshes the row, never duplicates it), its source
//! recorded, a `grant` event per ticked purpose with the purpose's current state beside it, an
//! unsubscribe token per purpose, and the webhook events the change makes. The order of these
//! steps and the answer live here once; each backend only runs its statements ([`SignupRows`]),
//! inside the writer's savepoint. So does the way back, [`withdraw`]: a genuine unsubscribe token
//! for a purpose granted now appends a `withdraw` event.

use super::chain::{Action, ChainHead, EventRef};
use super::jobs::answer_body;
use super::webhook_events::Snapshot;
use super::{Answer, Keys, Submit, Withdraw, WriteError};
use crate::source::Source;
use crate::verdict::Contact;

/// Contact `id` as webhooks saw it before the change (`None`: new, or no endpoints).
pub(crate) type Before<'a> = Option<&'a Snapshot>;

/// The statements one backend runs for a signup, in its own transaction.
pub(crate) trait SignupRows {
    /// The backend's error, turned into a [`WriteError`] by the backend's own rules.
    type Error;
    /// The configured webhook endpoints (loaded once per signup).
    type Hooks;

    /// The webhook endpoints, `None` when there are none.
    fn hooks(&mut self) -> Result<Option<Self::Hooks>, Self::Error>;
    /// Contact `id` as webhooks see it now.
    fn snapshot(&mut self, hooks: &Self::Hooks, id: i64) -> Result<Option<Snapshot>, Self::Error>;
    /// The row of the person `c` names, if stored.
    fn existing(&mut self, c: &Contact) -> Result<Option<i64>, Self::Error>;
    /// Refreshes row `id` with what `c` gives.
    fn update(&mut self, id: i64, c: &Contact, now: &str) -> Result<(), Self::Error>;
    /// Inserts a new contact; its row id.
    fn insert(&mut self, contact_key: &str, c: &Contact, now: &str) -> Result<i64, Self::Error>;
    /// Records where contact `id` came from (nothing without a source).
    fn record_source(
        &mut self,
        id: i64,
        source: Option<&Source>,
        now: &str,
    ) -> Result<(), Self::Error>;
    /// Contact `id`'s `contact_key` and locale, if the row exists.
    fn holder(&mut self, id: i64) -> Result<Option<(String, String)>, Self::Error>;
    /// The last action recorded for contact `id` and `purpose` (`"grant"`, `"withdraw"`…).
    fn state(&mut self, id: i64, purpose: &str) -> Result<Option<String>, Self::Error>;
    /// Appends event `e` (a `grant` or a `withdraw`, `action`) to the consent log at `head`
    /// (moving `head` to it) and records it as its purpose's current state for contact `id`:
    /// the two always go together.
    fn consent(
        &mut self,
        head: &mut ChainHead,
        e: EventRef<'_>,
        id: i64,
        action: Action,
    ) -> Result<(), Self::Error>;
    /// Queues the webhook events that turn `was` (`None`: new) into contact `id` as it is now.
    fn notify(
        &mut self,
        hooks: &Self::Hooks,
        id: i64,
        was: Before<'_>,
        at: &str,
    ) -> Result<(), Self::Error>;
}

/// The `contact_key` of a submission's person.
pub(crate) fn contact_key_of(keys: &Keys, c: &Contact) -> Result<String, WriteError> {
    match c.dedup_key() {
        Some(dedup) => Ok(keys.contact_key(&dedup)),
        None => Err(WriteError::Internal("contact without a dedup key".into())),
    }
}

/// Stores signup `s` whose grants count at once, at `head`: `201` for a new contact, `200` for
/// a re-signup, with an unsubscribe token per granted purpose.
pub(crate) fn grant_now<R: SignupRows>(
    rows: &mut R,
    keys: &Keys,
    head: &mut ChainHead,
    s: &Submit,
) -> Result<Answer, WriteError>
where
    WriteError: From<R::Error>,
{
    let c = &s.contact;
    let contact_key = contact_key_of(keys, c)?;
    let now = &s.meta.received_at;
    let hooks = rows.hooks()?;
    let mut before = None;
    let (id, created) = match rows.existing(c)? {
        Some(id) => {
            if let Some(h) = &hooks {
                before = rows.snapshot(h, id)?;
            }
            rows.update(id, c, now)?;
            (id, false)
        }
        None => (rows.insert(&contact_key, c, now)?, true),
    };
    rows.record_source(id, c.source.as_ref(), now)?;
    let mut unsubscribe = Vec::with_capacity(s.grants.len());
    for g in &s.grants {
        let mut e = EventRef::new(&s.meta, &contact_key, Action::Grant, &g.purpose);
        e.text_hash = Some(&g.text_hash);
        e.required_to_submit = g.required;
        rows.consent(head, e, id, Action::Grant)?;
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
) -> Result<bool, WriteError>
where
    WriteError: From<R::Error>,
{
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
    rows.consent(head, e, w.contact_id, Action::Withdraw)?;
    if let Some(h) = &hooks {
        rows.notify(h, w.contact_id, before.as_ref(), &w.meta.received_at)?;
    }
    Ok(true)
}

//! Double opt-in, backend-neutral: what a signup under `"confirm": "email"` does ([`request`])
//! and what the mailed link's POST does ([`confirm`]), so SQLite and PostgreSQL decide alike.
//! Each backend only reads and writes the rows ([`OptinRows`]) with its own statements, inside
//! the writer's transaction.
//!
//! A request stores the contact as pending, logs a `request` event per ticked purpose (what the
//! form showed, as a grant would) and queues the confirmation mail in the outbox. What a repeat
//! signup does, so that the answer never tells who is on the list (it is the same `202` in every
//! case): a pending contact is updated and asked again; a confirmed one is left as it is
//! (another person may have typed the address) and is mailed only when the form ticks a purpose
//! it has not granted. Mails are limited per address (`mail_allowed`). A confirmation turns
//! every waiting request into a `grant` (method `double_opt_in`).

use super::chain::{Action, ChainHead, EventRef};
use super::erase_rule::{Logged, Written};
use super::jobs::pending_body;
use super::signup::{contact_key_of, insert_or_find, SignupRows};
use super::{Answer, Confirm, ConfirmMail, Confirmed, EventMeta, Keys, Submit, WriteError};
use crate::clock::format_ms;

/// A contact a confirmation link names: its `contact_key`, its email (`None` once erased: its
/// links are void) and since when it waits (`None` once confirmed).
pub(crate) struct ToConfirm {
    pub(crate) contact_key: String,
    pub(crate) email: Option<String>,
    pub(crate) pending_since: Option<String>,
}

/// The rows double opt-in reads and writes besides a signup's ([`SignupRows`], which brings the
/// chain, webhook and erasure rows of [`super::erase_rule::EraseRows`]), each with the
/// backend's own statements.
pub(crate) trait OptinRows: SignupRows {
    /// Whether contact `id` waits for confirmation.
    fn is_pending(&mut self, id: i64) -> Written<bool>;
    /// Marks contact `id` as waiting since `now` (the sweep erases it `within` after that).
    fn set_pending(&mut self, id: i64, now: &str) -> Written;
    /// Whether the per-address mail limits let contact `id` be mailed at `now_ms`.
    fn mail_allowed(&mut self, id: i64, now_ms: u64) -> Written<bool>;
    /// Queues a confirmation mail (`payload`) for contact `id` in the outbox.
    fn queue_mail(&mut self, id: i64, payload: &str, now: &str) -> Written;
    /// The contact a confirmation link names, if its row exists.
    fn to_confirm(&mut self, id: i64) -> Written<Option<ToConfirm>>;
    /// Marks contact `id` confirmed at `at` (the first confirmation's time is kept).
    fn set_confirmed(&mut self, id: i64, at: &str) -> Written;
}

/// Stores a signup awaiting confirmation and queues its mail when one is due and allowed.
pub(crate) fn request<R: OptinRows>(
    rows: &mut R,
    keys: &Keys,
    head: &mut ChainHead,
    s: &Submit,
    mail: &ConfirmMail,
) -> Written<Answer> {
    let c = &s.contact;
    let contact_key = contact_key_of(keys, c)?;
    let now = &s.meta.received_at;
    let hooks = rows.hooks()?;
    let mut before = None;
    let (id, created) = insert_or_find(rows, &contact_key, c, now, None)?;
    let mut pending = true;
    if !created {
        if let Some(h) = &hooks {
            before = rows.snapshot(h, id)?;
        }
        pending = rows.is_pending(id)?;
        if pending {
            rows.update(id, c, now)?;
        }
    }
    if pending {
        // The latest request counts: the sweep erases the contact `within` after it.
        rows.set_pending(id, now)?;
        // Like the fields, a request only refreshes a contact not yet confirmed.
        rows.record_source(id, c.source.as_ref(), now)?;
    }
    let mut asked = false;
    for g in &s.grants {
        if !pending && rows.state(id, &g.purpose)?.as_deref() == Some("grant") {
            continue;
        }
        let mut e = EventRef::new(&s.meta, &contact_key, Action::Request, &g.purpose);
        e.text_hash = Some(&g.text_hash);
        e.required_to_submit = g.required;
        rows.log(head, id, e, Action::Request)?;
        asked = true;
    }
    if let Some(h) = &hooks {
        rows.notify(h, id, before.as_ref(), now)?;
    }
    let due = (pending || asked) && mail.client_may_mail && c.email.is_some();
    let mail_queued = due && rows.mail_allowed(id, mail.now_ms)?;
    if mail_queued {
        let within = u64::try_from(mail.within.as_millis()).unwrap_or(u64::MAX);
        let expires_ms = mail.now_ms.saturating_add(within);
        let token = keys.confirm_token(id, &contact_key, expires_ms);
        let locale = if c
            .locale
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-')
        {
            c.locale.as_str()
        } else {
            "en"
        };
        let base = mail.base_url.trim_end_matches('/');
        let payload = serde_json::json!({
            "template": "confirm",
            "locale": locale,
            "link": format!("{base}/v1/confirm?token={token}&lang={locale}"),
            "expires_at": format_ms(expires_ms),
            "purposes": purposes(rows.open(id, false)?),
        });
        rows.queue_mail(id, &payload.to_string(), now)?;
    }
    Ok(Answer {
        status: 202,
        body: pending_body(s)?,
        unsubscribe: Vec::new(),
        replayed: false,
        mail_queued,
    })
}

/// Confirms the token's contact: each waiting request becomes a `grant` (the policy, text hash
/// and locale of the request: what the person was shown; the time and user agent of the click).
pub(crate) fn confirm<R: OptinRows>(
    rows: &mut R,
    keys: &Keys,
    head: &mut ChainHead,
    j: &Confirm,
) -> Written<Confirmed> {
    // An erased contact keeps its key but not its address: its links are void.
    let Some(ToConfirm {
        contact_key,
        email: Some(_),
        pending_since,
    }) = rows.to_confirm(j.contact_id)?
    else {
        return Err(WriteError::TokenInvalid);
    };
    if !keys.check_confirm(&contact_key, j.expires_ms, &j.mac) {
        return Err(WriteError::TokenInvalid);
    }
    let waiting = rows.open(j.contact_id, false)?;
    if waiting.is_empty() && pending_since.is_none() {
        return Ok(Confirmed::Already);
    }
    if j.now_ms > j.expires_ms {
        return Ok(Confirmed::Expired);
    }
    let at = &j.meta.received_at;
    let hooks = rows.hooks()?;
    let before = match &hooks {
        Some(h) => rows.snapshot(h, j.contact_id)?,
        None => None,
    };
    let mut granted = Vec::with_capacity(waiting.len());
    for w in waiting {
        let meta = EventMeta {
            policy_id: w.policy_id,
            policy_version: w.policy_version,
            policy_hash: w.policy_hash,
            locale: w.locale,
            method: "double_opt_in",
            received_at: at.clone(),
            claimed_at: None,
            user_agent: j.meta.user_agent.clone(),
        };
        let mut e = EventRef::new(&meta, &contact_key, Action::Grant, &w.purpose);
        e.text_hash = w.text_hash.as_deref();
        e.required_to_submit = w.required;
        rows.log(head, j.contact_id, e, Action::Grant)?;
        granted.push(w.purpose);
    }
    rows.set_confirmed(j.contact_id, at)?;
    if let Some(h) = &hooks {
        rows.notify(h, j.contact_id, before.as_ref(), at)?;
    }
    Ok(Confirmed::Now(granted))
}

/// The purposes of `waiting` (already in order), as the mail lists them.
fn purposes(waiting: Vec<Logged>) -> Vec<String> {
    waiting.into_iter().map(|w| w.purpose).collect()
}

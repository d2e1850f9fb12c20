//! Double opt-in in SQLite: a signup under a policy with `"confirm": "email"` stores the contact
//! as pending, logs a `request` event per ticked purpose (what the form showed, as a grant would)
//! and queues the confirmation mail in the outbox, all in the writer's transaction. The mailed
//! link's POST turns every waiting request into a `grant` (method `double_opt_in`); contacts
//! that never confirm are erased by the sweep ([`expire`]) with the chain intact.
//!
//! What a repeat signup does, so that the answer never tells who is on the list (it is the same
//! `202` in every case): a pending contact is updated and asked again; a confirmed one is left
//! as it is (another person may have typed the address) and is mailed only when the form ticks
//! a purpose it has not granted. Mails are limited per address ([`outbox::mail_allowed`]).

use super::chain::{append, head, set_state};
use super::contacts::{contact_key_of, existing, insert, update};
use super::erase::{row, Row, Rows, ROW};
use super::outbox;
use super::webhooks::Hooks;
use crate::clock::format_ms;
use crate::store::chain::{Action, ChainHead, EventRef};
use crate::store::erase_rule::blank;
use crate::store::jobs::pending_body;
use crate::store::{
    Answer, Confirm, ConfirmMail, Confirmed, Erased, EventMeta, Keys, Submit, WriteError,
};
use rusqlite::{params, Connection, OptionalExtension, TransactionBehavior};

/// Pending contacts erased per sweep transaction (the writer waits at most for this many).
const EXPIRE_BATCH: usize = 200;

/// Stores a signup awaiting confirmation and queues its mail when one is due and allowed.
pub(super) fn request(
    conn: &Connection,
    keys: &Keys,
    head: &mut ChainHead,
    s: &Submit,
    mail: &ConfirmMail,
) -> Result<Answer, WriteError> {
    let c = &s.contact;
    let contact_key = contact_key_of(keys, c)?;
    let now = &s.meta.received_at;
    let hooks = Hooks::load(conn)?;
    let mut before = None;
    let (id, pending) = match existing(conn, c)? {
        Some(id) => {
            if let Some(h) = &hooks {
                before = h.snapshot(conn, id)?;
            }
            let pending: bool = conn
                .prepare_cached("SELECT pending_since IS NOT NULL FROM contacts WHERE id = ?1")?
                .query_row([id], |r| r.get(0))?;
            if pending {
                update(conn, id, c, now)?;
            }
            (id, pending)
        }
        None => (insert(conn, &contact_key, c, now)?, true),
    };
    if pending {
        // The latest request counts: the sweep erases the contact `within` after it.
        conn.prepare_cached("UPDATE contacts SET pending_since = ?2 WHERE id = ?1")?
            .execute(params![id, now])?;
        // Like the fields, a request only refreshes a contact not yet confirmed.
        super::attribution::record(conn, id, c.source.as_ref(), now)?;
    }
    let mut asked = false;
    for g in &s.grants {
        if !pending && state(conn, id, &g.purpose)?.as_deref() == Some("grant") {
            continue;
        }
        let mut e = EventRef::new(&s.meta, &contact_key, Action::Request, &g.purpose);
        e.text_hash = Some(&g.text_hash);
        e.required_to_submit = g.required;
        append(conn, head, e)?;
        set_state(conn, id, &g.purpose, Action::Request, head.seq, now)?;
        asked = true;
    }
    if let Some(h) = &hooks {
        h.record(conn, id, before.as_ref(), now)?;
    }
    let due = (pending || asked) && mail.client_may_mail && c.email.is_some();
    let mail_queued = due && outbox::mail_allowed(conn, id, mail.now_ms)?;
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
            "purposes": requested(conn, id)?,
        });
        outbox::queue(conn, outbox::MAIL, Some(id), &payload.to_string(), now)?;
    }
    Ok(Answer {
        status: 202,
        body: pending_body(s)?,
        unsubscribe: Vec::new(),
        replayed: false,
        mail_queued,
    })
}

/// The last action logged for a contact's purpose.
fn state(conn: &Connection, id: i64, purpose: &str) -> rusqlite::Result<Option<String>> {
    conn.prepare_cached("SELECT action FROM consent_state WHERE contact_id = ?1 AND purpose = ?2")?
        .query_row(params![id, purpose], |r| r.get(0))
        .optional()
}

/// The purposes of contact `id` waiting for confirmation, by id.
fn requested(conn: &Connection, id: i64) -> rusqlite::Result<Vec<String>> {
    let mut stmt = conn.prepare_cached(
        "SELECT purpose FROM consent_state WHERE contact_id = ?1 AND action = 'request'
         ORDER BY purpose",
    )?;
    let found = stmt.query_map([id], |r| r.get(0))?;
    found.collect()
}

/// One waiting request: purpose, and what its `request` event recorded.
struct Waiting {
    purpose: String,
    text_hash: Option<String>,
    required: bool,
    meta: EventMeta,
}

/// Confirms the token's contact: each waiting request becomes a `grant` (the policy, text hash
/// and locale of the request: what the person was shown; the time and user agent of the click).
pub(super) fn confirm(
    conn: &Connection,
    keys: &Keys,
    head: &mut ChainHead,
    j: &Confirm,
) -> Result<Confirmed, WriteError> {
    let row: Option<(String, Option<String>, Option<String>)> = conn
        .prepare_cached("SELECT contact_key, email, pending_since FROM contacts WHERE id = ?1")?
        .query_row([j.contact_id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .optional()?;
    // An erased contact keeps its key but not its address: its links are void.
    let Some((contact_key, Some(_), pending)) = row else {
        return Err(WriteError::TokenInvalid);
    };
    if !keys.check_confirm(&contact_key, j.expires_ms, &j.mac) {
        return Err(WriteError::TokenInvalid);
    }
    let waiting: Vec<Waiting> = {
        let mut stmt = conn.prepare_cached(
            "SELECT s.purpose, e.text_hash, e.required_to_submit, e.policy_id, e.policy_version,
                    e.policy_hash, e.locale
             FROM consent_state s JOIN consent_events e ON e.seq = s.seq
             WHERE s.contact_id = ?1 AND s.action = 'request' ORDER BY s.purpose",
        )?;
        let found = stmt.query_map([j.contact_id], |r| {
            Ok(Waiting {
                purpose: r.get(0)?,
                text_hash: r.get(1)?,
                required: r.get(2)?,
                meta: EventMeta {
                    policy_id: r.get(3)?,
                    policy_version: r.get(4)?,
                    policy_hash: r.get(5)?,
                    locale: r.get(6)?,
                    method: "double_opt_in",
                    received_at: j.meta.received_at.clone(),
                    claimed_at: None,
                    user_agent: j.meta.user_agent.clone(),
                },
            })
        })?;
        found.collect::<rusqlite::Result<_>>()?
    };
    if waiting.is_empty() && pending.is_none() {
        return Ok(Confirmed::Already);
    }
    if j.now_ms > j.expires_ms {
        return Ok(Confirmed::Expired);
    }
    let at = &j.meta.received_at;
    let hooks = Hooks::load(conn)?;
    let before = match &hooks {
        Some(h) => h.snapshot(conn, j.contact_id)?,
        None => None,
    };
    let mut granted = Vec::with_capacity(waiting.len());
    for w in waiting {
        let mut e = EventRef::new(&w.meta, &contact_key, Action::Grant, &w.purpose);
        e.text_hash = w.text_hash.as_deref();
        e.required_to_submit = w.required;
        append(conn, head, e)?;
        set_state(conn, j.contact_id, &w.purpose, Action::Grant, head.seq, at)?;
        granted.push(w.purpose);
    }
    conn.prepare_cached(
        "UPDATE contacts SET pending_since = NULL, confirmed_at = coalesce(confirmed_at, ?2),
            updated_at = ?2 WHERE id = ?1",
    )?
    .execute(params![j.contact_id, at])?;
    if let Some(h) = &hooks {
        h.record(conn, j.contact_id, before.as_ref(), at)?;
    }
    Ok(Confirmed::Now(granted))
}

/// Erases (as `erase` does) every contact still pending whose latest request is older than
/// `cutoff`, at the server time `at`: each waiting request gets a `withdraw` event (method
/// `unconfirmed`) at the real head of the chain, the personal columns are blanked and unsent
/// mail dropped. Takes no write lock when nothing is due.
pub(super) fn expire(conn: &mut Connection, cutoff: &str, at: &str) -> Result<Erased, WriteError> {
    let due: bool = conn
        .prepare_cached("SELECT EXISTS (SELECT 1 FROM contacts WHERE pending_since < ?1)")?
        .query_row([cutoff], |r| r.get(0))?;
    let mut done = Erased::default();
    if !due {
        return Ok(done);
    }
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let mut chain = head(&tx)?;
    let rows: Vec<Row> = {
        let mut stmt = tx.prepare_cached(&format!(
            "SELECT {ROW} FROM contacts WHERE pending_since < ?1 ORDER BY pending_since LIMIT ?2"
        ))?;
        let found = stmt.query_map(params![cutoff, EXPIRE_BATCH as i64], row)?;
        found.collect::<rusqlite::Result<_>>()?
    };
    for row in rows {
        blank(
            &mut Rows(&tx),
            &mut chain,
            row,
            at,
            "unconfirmed",
            &mut done,
        )?;
    }
    tx.commit()?;
    Ok(done)
}

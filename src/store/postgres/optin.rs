//! Double opt-in in PostgreSQL, as on SQLite: a signup under `"confirm": "email"` stores the
//! contact as pending, logs a `request` per ticked purpose and queues the confirmation mail in
//! the outbox, all in the writer's transaction; the link's POST turns the waiting requests into
//! grants (method `double_opt_in`); contacts never confirmed are erased by [`expire`].

use super::chain::{append, lock_head, set_state, store_head};
use super::contacts::{contact_key_of, existing, insert, update};
use super::db::Db;
use super::erase::{in_tx, Row};
use super::outbox;
use super::webhooks::Hooks;
use crate::clock::format_ms;
use crate::store::chain::{Action, ChainHead, EventRef};
use crate::store::erase_rule::blank;
use crate::store::jobs::pending_body;
use crate::store::{
    Answer, Confirm, ConfirmMail, Confirmed, Erased, EventMeta, Keys, Submit, WriteError,
};

/// Pending contacts erased per sweep transaction.
const EXPIRE_BATCH: i64 = 200;

/// Stores a signup awaiting confirmation and queues its mail when one is due and allowed.
pub(super) fn request(
    db: &mut Db,
    keys: &Keys,
    head: &mut ChainHead,
    s: &Submit,
    mail: &ConfirmMail,
) -> Result<Answer, WriteError> {
    let c = &s.contact;
    let contact_key = contact_key_of(keys, c)?;
    let now = &s.meta.received_at;
    let hooks = Hooks::load(db)?;
    let mut before = None;
    let (id, pending) = match existing(db, c)? {
        Some(id) => {
            if let Some(h) = &hooks {
                before = h.snapshot(db, id)?;
            }
            let pending: bool = db
                .one(
                    "SELECT pending_since IS NOT NULL FROM contacts WHERE id = $1",
                    &[&id],
                )?
                .get(0);
            if pending {
                update(db, id, c, now)?;
            }
            (id, pending)
        }
        None => (insert(db, &contact_key, c, now)?, true),
    };
    if pending {
        db.exec(
            "UPDATE contacts SET pending_since = $2 WHERE id = $1",
            &[&id, now],
        )?;
        // Like the fields, a request only refreshes a contact not yet confirmed.
        super::attribution::record(db, id, c.source.as_ref(), now)?;
    }
    let mut asked = false;
    for g in &s.grants {
        if !pending && state(db, id, &g.purpose)?.as_deref() == Some("grant") {
            continue;
        }
        let mut e = EventRef::new(&s.meta, &contact_key, Action::Request, &g.purpose);
        e.text_hash = Some(&g.text_hash);
        e.required_to_submit = g.required;
        append(db, head, e)?;
        set_state(db, id, &g.purpose, Action::Request, head.seq, now)?;
        asked = true;
    }
    if let Some(h) = &hooks {
        h.record(db, id, before.as_ref(), now)?;
    }
    let due = (pending || asked) && mail.client_may_mail && c.email.is_some();
    let mail_queued = due && outbox::mail_allowed(db, id, mail.now_ms)?;
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
            "purposes": requested(db, id)?,
        });
        outbox::queue(db, outbox::MAIL, Some(id), &payload.to_string(), now)?;
    }
    Ok(Answer {
        status: 202,
        body: pending_body(s)?,
        unsubscribe: Vec::new(),
        replayed: false,
        mail_queued,
    })
}

fn state(db: &mut Db, id: i64, purpose: &str) -> Result<Option<String>, postgres::Error> {
    Ok(db
        .opt(
            "SELECT action FROM consent_state WHERE contact_id = $1 AND purpose = $2",
            &[&id, &purpose],
        )?
        .map(|r| r.get(0)))
}

fn requested(db: &mut Db, id: i64) -> Result<Vec<String>, postgres::Error> {
    Ok(db
        .all(
            "SELECT purpose FROM consent_state WHERE contact_id = $1 AND action = 'request'
             ORDER BY purpose",
            &[&id],
        )?
        .iter()
        .map(|r| r.get(0))
        .collect())
}

/// Confirms the token's contact: each waiting request becomes a `grant`.
pub(super) fn confirm(
    db: &mut Db,
    keys: &Keys,
    head: &mut ChainHead,
    j: &Confirm,
) -> Result<Confirmed, WriteError> {
    let row = db.opt(
        "SELECT contact_key, email, pending_since FROM contacts WHERE id = $1",
        &[&j.contact_id],
    )?;
    let Some(row) = row else {
        return Err(WriteError::TokenInvalid);
    };
    let (contact_key, email, pending): (String, Option<String>, Option<String>) =
        (row.get(0), row.get(1), row.get(2));
    if email.is_none() || !keys.check_confirm(&contact_key, j.expires_ms, &j.mac) {
        return Err(WriteError::TokenInvalid);
    }
    let waiting = db.all(
        "SELECT s.purpose, e.text_hash, e.required_to_submit, e.policy_id, e.policy_version,
                e.policy_hash, e.locale
         FROM consent_state s JOIN consent_events e ON e.seq = s.seq
         WHERE s.contact_id = $1 AND s.action = 'request' ORDER BY s.purpose",
        &[&j.contact_id],
    )?;
    if waiting.is_empty() && pending.is_none() {
        return Ok(Confirmed::Already);
    }
    if j.now_ms > j.expires_ms {
        return Ok(Confirmed::Expired);
    }
    let at = &j.meta.received_at;
    let hooks = Hooks::load(db)?;
    let before = match &hooks {
        Some(h) => h.snapshot(db, j.contact_id)?,
        None => None,
    };
    let mut granted = Vec::with_capacity(waiting.len());
    for r in waiting {
        let purpose: String = r.get(0);
        let text_hash: Option<String> = r.get(1);
        let meta = EventMeta {
            policy_id: r.get(3),
            policy_version: r.get(4),
            policy_hash: r.get(5),
            locale: r.get(6),
            method: "double_opt_in",
            received_at: at.clone(),
            claimed_at: None,
            user_agent: j.meta.user_agent.clone(),
        };
        let mut e = EventRef::new(&meta, &contact_key, Action::Grant, &purpose);
        e.text_hash = text_hash.as_deref();
        e.required_to_submit = r.get(2);
        append(db, head, e)?;
        set_state(db, j.contact_id, &purpose, Action::Grant, head.seq, at)?;
        granted.push(purpose);
    }
    db.exec(
        "UPDATE contacts SET pending_since = NULL, confirmed_at = coalesce(confirmed_at, $2),
            updated_at = $2 WHERE id = $1",
        &[&j.contact_id, at],
    )?;
    if let Some(h) = &hooks {
        h.record(db, j.contact_id, before.as_ref(), at)?;
    }
    Ok(Confirmed::Now(granted))
}

/// Erases every contact still pending whose latest request is older than `cutoff`, at `at`
/// (withdrawals with method `unconfirmed`), continuing the chain under its lock. Takes no lock
/// when nothing is due.
pub(super) fn expire(db: &mut Db, cutoff: &str, at: &str) -> Result<Erased, WriteError> {
    let due: bool = db
        .one(
            "SELECT EXISTS (SELECT 1 FROM contacts WHERE pending_since < $1)",
            &[&cutoff],
        )?
        .get(0);
    if !due {
        return Ok(Erased::default());
    }
    in_tx(db, |db| {
        let mut chain = lock_head(db)?;
        let rows: Vec<Row> = db
            .all(
                "SELECT id, contact_key, locale, email, email_display, phone_e164 FROM contacts
                 WHERE pending_since < $1 ORDER BY pending_since LIMIT $2",
                &[&cutoff, &EXPIRE_BATCH],
            )?
            .iter()
            .map(super::erase::row)
            .collect();
        let mut done = Erased::default();
        for row in rows {
            blank(db, &mut chain, row, at, "unconfirmed", &mut done)?;
        }
        store_head(db, &chain)?;
        Ok(done)
    })
}

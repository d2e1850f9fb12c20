//! Signups and withdrawals in SQLite, each inside the writer's savepoint: the contact upsert
//! (one row per dedup key; a re-signup updates the row, never duplicates it), a `grant` event
//! per accepted purpose (under double opt-in, [`super::optin`] logs requests instead), the
//! idempotency answer, and the unsubscribe token's `withdraw` event; each with its webhook
//! events when endpoints are configured ([`super::webhooks`]).

use super::chain::{append, set_state};
use super::webhooks::Hooks;
use super::{idempotency, optin};
use crate::custom::CustomValue;
use crate::store::chain::{Action, ChainHead, EventRef};
use crate::store::jobs::answer_body;
use crate::store::{Answer, Keys, Submit, Withdraw, WriteError};
use crate::verdict::Contact;
use rusqlite::{params, Connection, OptionalExtension};
use std::collections::BTreeMap;

/// Stores one valid submission at `head`, or replays the answer kept for its `Idempotency-Key`.
pub(super) fn submit(
    conn: &Connection,
    keys: &Keys,
    head: &mut ChainHead,
    s: &Submit,
    expired_before: &str,
) -> Result<Answer, WriteError> {
    if let Some((key, fingerprint)) = &s.idempotency {
        if let Some(replayed) = idempotency::replay(conn, key, fingerprint, expired_before)? {
            return Ok(replayed);
        }
    }
    let answer = match &s.confirm {
        Some(mail) => optin::request(conn, keys, head, s, mail)?,
        None => grant_now(conn, keys, head, s)?,
    };
    if let Some((key, fingerprint)) = &s.idempotency {
        idempotency::remember(conn, key, fingerprint, &answer, &s.meta.received_at)?;
    }
    Ok(answer)
}

/// The `contact_key` of a submission's person.
pub(super) fn contact_key_of(keys: &Keys, c: &Contact) -> Result<String, WriteError> {
    match c.dedup_key() {
        Some(dedup) => Ok(keys.contact_key(&dedup)),
        None => Err(WriteError::Internal("contact without a dedup key".into())),
    }
}

/// A signup whose grants count at once: the contact upserted, a `grant` per ticked purpose.
fn grant_now(
    conn: &Connection,
    keys: &Keys,
    head: &mut ChainHead,
    s: &Submit,
) -> Result<Answer, WriteError> {
    let c = &s.contact;
    let contact_key = contact_key_of(keys, c)?;
    let now = &s.meta.received_at;
    let hooks = Hooks::load(conn)?;
    let mut before = None;
    let (id, created) = match existing(conn, c)? {
        Some(id) => {
            if let Some(h) = &hooks {
                before = h.snapshot(conn, id)?;
            }
            update(conn, id, c, now)?;
            (id, false)
        }
        None => (insert(conn, &contact_key, c, now)?, true),
    };
    super::attribution::record(conn, id, c.source.as_ref(), now)?;
    let mut unsubscribe = Vec::with_capacity(s.grants.len());
    for g in &s.grants {
        let mut e = EventRef::new(&s.meta, &contact_key, Action::Grant, &g.purpose);
        e.text_hash = Some(&g.text_hash);
        e.required_to_submit = g.required;
        append(conn, head, e)?;
        set_state(conn, id, &g.purpose, Action::Grant, head.seq, now)?;
        unsubscribe.push((
            g.purpose.clone(),
            keys.unsubscribe_token(id, &contact_key, &g.purpose),
        ));
    }
    if let Some(h) = &hooks {
        h.record(conn, id, before.as_ref(), now)?;
    }
    Ok(Answer {
        status: if created { 201 } else { 200 },
        body: answer_body(created, s, &unsubscribe)?,
        unsubscribe,
        replayed: false,
        mail_queued: false,
    })
}

/// The row of the person `c` names: by email key, else by phone among rows without an email.
pub(super) fn existing(conn: &Connection, c: &Contact) -> rusqlite::Result<Option<i64>> {
    match &c.email_key {
        Some(key) => conn
            .prepare_cached("SELECT id FROM contacts WHERE email_key = ?1")?
            .query_row([key], |r| r.get(0))
            .optional(),
        None => conn
            .prepare_cached("SELECT id FROM contacts WHERE phone_e164 = ?1 AND email_key IS NULL")?
            .query_row([&c.phone_e164], |r| r.get(0))
            .optional(),
    }
}

/// Refreshes row `id` with the values `c` gives (a value not given keeps the stored one).
pub(super) fn update(conn: &Connection, id: i64, c: &Contact, now: &str) -> rusqlite::Result<()> {
    let phone_type = c.phone_type.map(|t| t.as_str());
    conn.prepare_cached(
        "UPDATE contacts SET email = coalesce(?2, email), email_display = coalesce(?3, email_display),
            phone_e164 = coalesce(?4, phone_e164), phone_type = coalesce(?5, phone_type),
            phone_display = coalesce(?6, phone_display), phone_extension = coalesce(?7, phone_extension),
            given_name = coalesce(?8, given_name), family_name = coalesce(?9, family_name),
            country = coalesce(?10, country), locale = ?11, updated_at = ?12,
            custom = CASE WHEN ?13 IS NULL THEN custom
                          ELSE json_patch(coalesce(custom, '{}'), ?13) END
         WHERE id = ?1",
    )?
    .execute(params![
        id, c.email, c.email_display, c.phone_e164, phone_type, c.phone_display,
        c.phone_extension, c.given_name, c.family_name, c.country, c.locale, now,
        custom_json(c)
    ])?;
    Ok(())
}

/// Inserts a new contact; its row id.
pub(super) fn insert(
    conn: &Connection,
    contact_key: &str,
    c: &Contact,
    now: &str,
) -> rusqlite::Result<i64> {
    let phone_type = c.phone_type.map(|t| t.as_str());
    conn.prepare_cached(
        "INSERT INTO contacts (contact_key, email_key, email, email_display, phone_e164,
            phone_type, phone_display, phone_extension, given_name, family_name, country,
            locale, created_at, updated_at, custom)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?13, ?14)",
    )?
    .execute(params![
        contact_key,
        c.email_key,
        c.email,
        c.email_display,
        c.phone_e164,
        phone_type,
        c.phone_display,
        c.phone_extension,
        c.given_name,
        c.family_name,
        c.country,
        c.locale,
        now,
        custom_json(c)
    ])?;
    Ok(conn.last_insert_rowid())
}

/// The contact's custom field values as the JSON object stored, `None` when it has none (a
/// re-signup then keeps the stored ones; new values replace old ones key by key).
fn custom_json(c: &Contact) -> Option<String> {
    (!c.custom.is_empty()).then(|| serde_json::to_string(&c.custom).unwrap_or_default())
}

/// Reads a stored `custom` column back (`NULL`: no values).
pub(super) fn custom_of(json: Option<String>) -> rusqlite::Result<BTreeMap<String, CustomValue>> {
    match json {
        None => Ok(BTreeMap::new()),
        Some(text) => serde_json::from_str(&text).map_err(|e| {
            rusqlite::Error::FromSqlConversionFailure(0, rusqlite::types::Type::Text, Box::new(e))
        }),
    }
}

/// Appends a `withdraw` event for a genuine token whose purpose is granted: `Ok(true)`;
/// `Ok(false)` when it was not (or no longer) granted.
pub(super) fn withdraw(
    conn: &Connection,
    keys: &Keys,
    head: &mut ChainHead,
    w: &Withdraw,
) -> Result<bool, WriteError> {
    let row: Option<(String, String)> = conn
        .prepare_cached("SELECT contact_key, locale FROM contacts WHERE id = ?1")?
        .query_row([w.contact_id], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    let Some((contact_key, locale)) = row else {
        return Err(WriteError::TokenInvalid);
    };
    if !keys.check_unsubscribe(&contact_key, &w.purpose, &w.mac) {
        return Err(WriteError::TokenInvalid);
    }
    let last: Option<String> = conn
        .prepare_cached("SELECT action FROM consent_state WHERE contact_id = ?1 AND purpose = ?2")?
        .query_row(params![w.contact_id, w.purpose], |r| r.get(0))
        .optional()?;
    if last.as_deref() != Some(Action::Grant.as_str()) {
        return Ok(false);
    }
    let hooks = Hooks::load(conn)?;
    let before = match &hooks {
        Some(h) => h.snapshot(conn, w.contact_id)?,
        None => None,
    };
    let mut e = EventRef::new(&w.meta, &contact_key, Action::Withdraw, &w.purpose);
    e.locale = &locale;
    append(conn, head, e)?;
    set_state(
        conn,
        w.contact_id,
        &w.purpose,
        Action::Withdraw,
        head.seq,
        &w.meta.received_at,
    )?;
    if let Some(h) = &hooks {
        h.record(conn, w.contact_id, before.as_ref(), &w.meta.received_at)?;
    }
    Ok(true)
}

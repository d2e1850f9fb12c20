//! Signups and withdrawals in SQLite, each inside the writer's transaction: the statements of a
//! signup whose grants count at once (the rule and its order are [`crate::store::signup`]'s:
//! the contact upsert, one row per dedup key, a `grant` event per accepted purpose; under double
//! opt-in, [`super::optin`] logs requests instead), the idempotency answer, and the unsubscribe
//! token's `withdraw` event; each with its webhook events when endpoints are configured
//! ([`super::webhooks`]).

use super::erase::Rows;
use super::webhooks::{Hooks, Snapshot};
use super::{idempotency, optin};
use crate::custom::CustomValue;
use crate::source::Source;
use crate::store::chain::{ChainHead, EventRef};
use crate::store::erase_rule::Written;
use crate::store::signup::{grant_now, Before, FirstGrants, SignupRows};
use crate::store::{Answer, Keys, Submit, Withdraw, WriteError};
use crate::verdict::Contact;
use rusqlite::{params, Connection, OptionalExtension};
use std::collections::BTreeMap;

/// Stores one valid submission at `head`, or replays the answer kept for its `Idempotency-Key`.
pub(super) fn submit(
    rows: &mut Rows<'_>,
    keys: &Keys,
    head: &mut ChainHead,
    s: &Submit,
    expired_before: &str,
) -> Result<Answer, WriteError> {
    let conn = rows.0;
    if let Some((key, fingerprint)) = &s.idempotency {
        if let Some(replayed) = idempotency::replay(conn, key, fingerprint, expired_before)? {
            return Ok(replayed);
        }
    }
    let answer = match &s.confirm {
        Some(mail) => optin::request(rows, keys, head, s, mail)?,
        None => grant_now(rows, keys, head, s)?,
    };
    if let Some((key, fingerprint)) = &s.idempotency {
        idempotency::remember(conn, key, fingerprint, &answer, &s.meta.received_at)?;
    }
    Ok(answer)
}

impl SignupRows for Rows<'_> {
    fn snapshot(&mut self, hooks: &Hooks, id: i64) -> Written<Option<Snapshot>> {
        Ok(hooks.snapshot(self.0, id)?)
    }

    fn existing(&mut self, c: &Contact) -> Written<Option<i64>> {
        Ok(existing(self.0, c)?)
    }

    fn update(&mut self, id: i64, c: &Contact, now: &str) -> Written {
        Ok(update(self.0, id, c, now)?)
    }

    fn insert(
        &mut self,
        contact_key: &str,
        c: &Contact,
        now: &str,
        first: Option<&FirstGrants>,
    ) -> Written<Option<i64>> {
        Ok(insert(self.0, contact_key, c, now, first)?)
    }

    fn log_first(&mut self, head: &mut ChainHead, _id: i64, e: EventRef<'_>) -> Written {
        // The contact's row holds the state (`first_grants`, read through the view).
        Ok(super::chain::append(self.0, head, e)?)
    }

    fn record_source(&mut self, id: i64, source: Option<&Source>, now: &str) -> Written {
        Ok(super::attribution::record(self.0, id, source, now)?)
    }

    fn holder(&mut self, id: i64) -> Written<Option<(String, String)>> {
        let sql = "SELECT contact_key, locale FROM contacts WHERE id = ?1";
        let mut stmt = self.0.prepare_cached(sql)?;
        Ok(stmt
            .query_row([id], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?)
    }

    fn state(&mut self, id: i64, purpose: &str) -> Written<Option<String>> {
        let sql = "SELECT action FROM consent_state WHERE contact_id = ?1 AND purpose = ?2";
        let mut stmt = self.0.prepare_cached(sql)?;
        Ok(stmt
            .query_row(params![id, purpose], |r| r.get(0))
            .optional()?)
    }

    fn notify(&mut self, hooks: &Hooks, id: i64, was: Before<'_>, at: &str) -> Written {
        Ok(hooks.record(self.0, id, was, at)?)
    }
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

/// Inserts a new contact: its row id, or `None` when a row with the same email key (or, without
/// one, the same phone number) is stored; the unique indexes decide, so no lookup comes first.
pub(super) fn insert(
    conn: &Connection,
    contact_key: &str,
    c: &Contact,
    now: &str,
    first: Option<&FirstGrants>,
) -> rusqlite::Result<Option<i64>> {
    let phone_type = c.phone_type.map(|t| t.as_str());
    let inserted = conn
        .prepare_cached(
            "INSERT INTO contacts (contact_key, email_key, email, email_display, phone_e164,
            phone_type, phone_display, phone_extension, given_name, family_name, country,
            locale, created_at, updated_at, custom, first_grants, first_seq)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?13, ?14, ?15, ?16)
         ON CONFLICT DO NOTHING",
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
            custom_json(c),
            first.map(|f| f.purposes.as_str()),
            first.map(|f| f.seq)
        ])?;
    Ok((inserted == 1).then(|| conn.last_insert_rowid()))
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

/// A withdrawal ([`crate::store::signup::withdraw`]'s rule) on the writer's connection.
pub(super) fn withdraw(
    rows: &mut Rows<'_>,
    keys: &Keys,
    head: &mut ChainHead,
    w: &Withdraw,
) -> Result<bool, WriteError> {
    crate::store::signup::withdraw(rows, keys, head, w)
}

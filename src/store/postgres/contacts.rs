//! Signups, withdrawals and `Idempotency-Key` answers in PostgreSQL, each inside the writer's
//! savepoint, statement for statement as on SQLite ([`crate::store`]'s SQLite backend): the
//! statements of a signup whose grants count at once (the rule and its order are
//! [`crate::store::signup`]'s: the contact upsert, one row per dedup key, a `grant` per
//! accepted purpose; under double opt-in, [`super::optin`] logs requests instead), the stored
//! answer, and the token's `withdraw`; each with its webhook events when endpoints are
//! configured ([`super::webhooks`]).

use super::db::Db;
use super::erase::Rows;
use super::webhooks::{Hooks, Snapshot};
use crate::custom::CustomValue;
use crate::source::Source;
use crate::store::chain::ChainHead;
use crate::store::erase_rule::Written;
use crate::store::optin_rule;
use crate::store::signup::{grant_now, Before, FirstGrants, SignupRows};
use crate::store::{Answer, Keys, Submit, Withdraw, WriteError};
use crate::verdict::Contact;
use std::collections::BTreeMap;

/// Stores one valid submission at `head`, or replays the answer kept for its `Idempotency-Key`;
/// `hooks` are the webhook endpoints as the batch found them (read once a batch: a round trip
/// each job saved).
pub(super) fn submit(
    db: &mut Db,
    keys: &Keys,
    head: &mut ChainHead,
    s: &Submit,
    expired_before: &str,
    hooks: &Option<Hooks>,
) -> Result<Answer, WriteError> {
    if let Some((key, fingerprint)) = &s.idempotency {
        if let Some(replayed) = replay(db, key, fingerprint, expired_before)? {
            return Ok(replayed);
        }
    }
    let answer = match &s.confirm {
        Some(mail) => optin_rule::request(&mut Rows::new(db), keys, head, s, mail)?,
        None => grant_now(&mut Rows::with_hooks(db, hooks), keys, head, s)?,
    };
    if let Some((key, fingerprint)) = &s.idempotency {
        let status = i64::from(answer.status);
        db.exec(
            "INSERT INTO idempotency (key, fingerprint, status, body, created_at)
             VALUES ($1, $2, $3, $4, $5)",
            &[key, fingerprint, &status, &answer.body, &s.meta.received_at],
        )?;
    }
    Ok(answer)
}

/// The stored answer for `key`; see the SQLite backend's `idempotency::replay`.
fn replay(
    db: &mut Db,
    key: &str,
    fingerprint: &str,
    expired_before: &str,
) -> Result<Option<Answer>, WriteError> {
    let Some(r) = db.opt(
        "SELECT fingerprint, status, body, created_at FROM idempotency WHERE key = $1",
        &[&key],
    )?
    else {
        return Ok(None);
    };
    let (fp, status, body, created): (String, i64, String, String) =
        (r.get(0), r.get(1), r.get(2), r.get(3));
    if created.as_str() < expired_before {
        db.exec("DELETE FROM idempotency WHERE key = $1", &[&key])?;
        return Ok(None);
    }
    if fp != fingerprint {
        return Err(WriteError::KeyReused);
    }
    Ok(Some(Answer {
        status: u16::try_from(status).unwrap_or(200),
        body,
        unsubscribe: Vec::new(),
        replayed: true,
        mail_queued: false,
    }))
}

impl SignupRows for Rows<'_> {
    fn snapshot(&mut self, hooks: &Hooks, id: i64) -> Written<Option<Snapshot>> {
        Ok(hooks.snapshot(self.db, id)?)
    }

    fn existing(&mut self, c: &Contact) -> Written<Option<i64>> {
        Ok(existing(self.db, c)?)
    }

    fn update(&mut self, id: i64, c: &Contact, now: &str) -> Written {
        Ok(update(self.db, id, c, now)?)
    }

    fn insert(
        &mut self,
        contact_key: &str,
        c: &Contact,
        now: &str,
        _first: Option<&FirstGrants>,
    ) -> Written<Option<i64>> {
        // The state table keeps every state here (`log_first` is `log`).
        Ok(insert(self.db, contact_key, c, now)?)
    }

    fn record_source(&mut self, id: i64, source: Option<&Source>, now: &str) -> Written {
        Ok(super::attribution::record(self.db, id, source, now)?)
    }

    fn holder(&mut self, id: i64) -> Written<Option<(String, String)>> {
        let sql = "SELECT contact_key, locale FROM contacts WHERE id = $1";
        Ok(self.db.opt(sql, &[&id])?.map(|r| (r.get(0), r.get(1))))
    }

    fn state(&mut self, id: i64, purpose: &str) -> Written<Option<String>> {
        let sql = "SELECT action FROM consent_state WHERE contact_id = $1 AND purpose = $2";
        Ok(self.db.opt(sql, &[&id, &purpose])?.map(|r| r.get(0)))
    }

    fn notify(&mut self, hooks: &Hooks, id: i64, was: Before<'_>, at: &str) -> Written {
        Ok(hooks.record(self.db, id, was, at)?)
    }
}

/// The row of the person `c` names: by email key, else by phone among rows without an email.
pub(super) fn existing(db: &mut Db, c: &Contact) -> Result<Option<i64>, postgres::Error> {
    let row = match &c.email_key {
        Some(key) => db.opt("SELECT id FROM contacts WHERE email_key = $1", &[key])?,
        None => db.opt(
            "SELECT id FROM contacts WHERE phone_e164 = $1 AND email_key IS NULL",
            &[&c.phone_e164],
        )?,
    };
    Ok(row.map(|r| r.get(0)))
}

/// Refreshes row `id` with the values `c` gives (a value not given keeps the stored one).
pub(super) fn update(db: &mut Db, id: i64, c: &Contact, now: &str) -> Result<(), postgres::Error> {
    let phone_type = c.phone_type.map(|t| t.as_str());
    db.exec(
        "UPDATE contacts SET email = coalesce($2, email), email_display = coalesce($3, email_display),
            phone_e164 = coalesce($4, phone_e164), phone_type = coalesce($5, phone_type),
            phone_display = coalesce($6, phone_display), phone_extension = coalesce($7, phone_extension),
            given_name = coalesce($8, given_name), family_name = coalesce($9, family_name),
            country = coalesce($10, country), locale = $11, updated_at = $12,
            custom = CASE WHEN $13::text IS NULL THEN custom
                          ELSE (coalesce(custom, '{}')::jsonb || $13::jsonb)::text END
         WHERE id = $1",
        &[
            &id, &c.email, &c.email_display, &c.phone_e164, &phone_type, &c.phone_display,
            &c.phone_extension, &c.given_name, &c.family_name, &c.country, &c.locale, &now,
            &custom_json(c),
        ],
    )?;
    Ok(())
}

/// Inserts a new contact: its row id, or `None` when a row with the same email key (or, without
/// one, the same phone number) is stored; the unique indexes decide, so no lookup comes first.
pub(super) fn insert(
    db: &mut Db,
    contact_key: &str,
    c: &Contact,
    now: &str,
) -> Result<Option<i64>, postgres::Error> {
    let phone_type = c.phone_type.map(|t| t.as_str());
    let r = db.opt(
        "INSERT INTO contacts (contact_key, email_key, email, email_display, phone_e164,
            phone_type, phone_display, phone_extension, given_name, family_name, country,
            locale, created_at, updated_at, custom)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $13, $14)
         ON CONFLICT DO NOTHING RETURNING id",
        &[
            &contact_key,
            &c.email_key,
            &c.email,
            &c.email_display,
            &c.phone_e164,
            &phone_type,
            &c.phone_display,
            &c.phone_extension,
            &c.given_name,
            &c.family_name,
            &c.country,
            &c.locale,
            &now,
            &custom_json(c),
        ],
    )?;
    Ok(r.map(|r| r.get(0)))
}

/// The contact's custom field values as the JSON object stored, `None` when it has none (a
/// re-signup then keeps the stored ones; new values replace old ones key by key).
fn custom_json(c: &Contact) -> Option<String> {
    (!c.custom.is_empty()).then(|| serde_json::to_string(&c.custom).unwrap_or_default())
}

/// Reads a stored `custom` column back (`NULL`: no values). The column's `CHECK` admits only a
/// JSON object, which this program wrote from the same type.
pub(super) fn custom_of(json: Option<String>) -> BTreeMap<String, CustomValue> {
    json.and_then(|text| serde_json::from_str(&text).ok())
        .unwrap_or_default()
}

/// A withdrawal ([`crate::store::signup::withdraw`]'s rule) in the writer's transaction, with
/// the batch's webhook endpoints.
pub(super) fn withdraw(
    db: &mut Db,
    keys: &Keys,
    head: &mut ChainHead,
    w: &Withdraw,
    hooks: &Option<Hooks>,
) -> Result<bool, WriteError> {
    crate::store::signup::withdraw(&mut Rows::with_hooks(db, hooks), keys, head, w)
}

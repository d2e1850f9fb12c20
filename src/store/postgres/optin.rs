//! Double opt-in in PostgreSQL: the rows of the rule in [`crate::store::optin_rule`] (shared
//! with SQLite: a signup under `"confirm": "email"` stores the contact as pending, logs a
//! `request` per ticked purpose and queues the confirmation mail in the outbox, all in the
//! writer's transaction; the link's POST turns the waiting requests into grants), read and
//! written with PostgreSQL's statements; and the sweep ([`expire`]) erasing contacts never
//! confirmed.

use super::chain::{lock_head, store_head};
use super::contacts::{existing, insert, update};
use super::db::Db;
use super::erase::{in_tx, Row};
use super::outbox;
use super::webhooks::{Hooks, Snapshot};
use crate::source::Source;
use crate::store::erase_rule::{blank, Written};
use crate::store::optin_rule::{OptinRows, ToConfirm};
use crate::store::{Erased, WriteError};
use crate::verdict::Contact;

pub(super) use crate::store::optin_rule::{confirm, request};

/// Pending contacts erased per sweep transaction.
const EXPIRE_BATCH: i64 = 200;

impl OptinRows for Db {
    fn existing(&mut self, c: &Contact) -> Written<Option<i64>> {
        Ok(existing(self, c)?)
    }

    fn insert(&mut self, contact_key: &str, c: &Contact, now: &str) -> Written<i64> {
        Ok(insert(self, contact_key, c, now)?)
    }

    fn update(&mut self, id: i64, c: &Contact, now: &str) -> Written {
        Ok(update(self, id, c, now)?)
    }

    fn snapshot(&mut self, hooks: &Hooks, id: i64) -> Written<Option<Snapshot>> {
        Ok(hooks.snapshot(self, id)?)
    }

    fn record(&mut self, hooks: &Hooks, id: i64, before: Option<&Snapshot>, at: &str) -> Written {
        Ok(hooks.record(self, id, before, at)?)
    }

    fn is_pending(&mut self, id: i64) -> Written<bool> {
        let sql = "SELECT pending_since IS NOT NULL FROM contacts WHERE id = $1";
        Ok(self.one(sql, &[&id])?.get(0))
    }

    fn set_pending(&mut self, id: i64, now: &str) -> Written {
        let sql = "UPDATE contacts SET pending_since = $2 WHERE id = $1";
        self.exec(sql, &[&id, &now])?;
        Ok(())
    }

    fn record_source(&mut self, id: i64, source: Option<&Source>, now: &str) -> Written {
        Ok(super::attribution::record(self, id, source, now)?)
    }

    fn state(&mut self, id: i64, purpose: &str) -> Written<Option<String>> {
        let sql = "SELECT action FROM consent_state WHERE contact_id = $1 AND purpose = $2";
        Ok(self.opt(sql, &[&id, &purpose])?.map(|r| r.get(0)))
    }

    fn mail_allowed(&mut self, id: i64, now_ms: u64) -> Written<bool> {
        Ok(outbox::mail_allowed(self, id, now_ms)?)
    }

    fn queue_mail(&mut self, id: i64, payload: &str, now: &str) -> Written {
        Ok(outbox::queue(self, outbox::MAIL, Some(id), payload, now)?)
    }

    fn to_confirm(&mut self, id: i64) -> Written<Option<ToConfirm>> {
        let sql = "SELECT contact_key, email, pending_since FROM contacts WHERE id = $1";
        Ok(self.opt(sql, &[&id])?.map(|r| ToConfirm {
            contact_key: r.get(0),
            email: r.get(1),
            pending_since: r.get(2),
        }))
    }

    fn set_confirmed(&mut self, id: i64, at: &str) -> Written {
        let sql = "UPDATE contacts SET pending_since = NULL,
                       confirmed_at = coalesce(confirmed_at, $2), updated_at = $2
                   WHERE id = $1";
        self.exec(sql, &[&id, &at])?;
        Ok(())
    }
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

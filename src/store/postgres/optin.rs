//! Double opt-in in PostgreSQL: the rows of the rule in [`crate::store::optin_rule`] (shared
//! with SQLite: a signup under `"confirm": "email"` stores the contact as pending, logs a
//! `request` per ticked purpose and queues the confirmation mail in the outbox, all in the
//! writer's transaction; the link's POST turns the waiting requests into grants), read and
//! written with PostgreSQL's statements; and the sweep ([`expire`]) erasing contacts never
//! confirmed.

use super::chain::{lock_head, store_head};
use super::db::Db;
use super::erase::{in_tx, select_row, Row, Rows};
use super::outbox;
use crate::store::erase_rule::{blank, Written};
use crate::store::optin_rule::{OptinRows, ToConfirm};
use crate::store::{Erased, WriteError};

/// Pending contacts erased per sweep transaction.
const EXPIRE_BATCH: i64 = 200;

impl OptinRows for Rows<'_> {
    fn is_pending(&mut self, id: i64) -> Written<bool> {
        let sql = "SELECT pending_since IS NOT NULL FROM contacts WHERE id = $1";
        Ok(self.db.one(sql, &[&id])?.get(0))
    }

    fn set_pending(&mut self, id: i64, now: &str) -> Written {
        let sql = "UPDATE contacts SET pending_since = $2 WHERE id = $1";
        self.db.exec(sql, &[&id, &now])?;
        Ok(())
    }

    fn mail_allowed(&mut self, id: i64, now_ms: u64) -> Written<bool> {
        Ok(outbox::mail_allowed(self.db, id, now_ms)?)
    }

    fn queue_mail(&mut self, id: i64, payload: &str, now: &str) -> Written {
        Ok(outbox::queue(
            self.db,
            outbox::MAIL,
            Some(id),
            payload,
            now,
        )?)
    }

    fn to_confirm(&mut self, id: i64) -> Written<Option<ToConfirm>> {
        let sql = "SELECT contact_key, email, pending_since FROM contacts WHERE id = $1";
        Ok(self.db.opt(sql, &[&id])?.map(|r| ToConfirm {
            contact_key: r.get(0),
            email: r.get(1),
            pending_since: r.get(2),
        }))
    }

    fn set_confirmed(&mut self, id: i64, at: &str) -> Written {
        let sql = "UPDATE contacts SET pending_since = NULL,
                       confirmed_at = coalesce(confirmed_at, $2), updated_at = $2
                   WHERE id = $1";
        self.db.exec(sql, &[&id, &at])?;
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
        let pending: Vec<Row> = db
            .all(
                select_row!("WHERE pending_since < $1 ORDER BY pending_since LIMIT $2"),
                &[&cutoff, &EXPIRE_BATCH],
            )?
            .iter()
            .map(super::erase::row)
            .collect();
        let mut done = Erased::default();
        let rows = &mut Rows::new(db);
        for row in pending {
            blank(rows, &mut chain, row, at, "unconfirmed", &mut done)?;
        }
        store_head(db, &chain)?;
        Ok(done)
    })
}

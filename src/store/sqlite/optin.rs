//! Double opt-in in SQLite: the rows of the rule in [`crate::store::optin_rule`] (a signup
//! under a policy with `"confirm": "email"` stores the contact as pending, logs a `request`
//! event per ticked purpose and queues the confirmation mail in the outbox, all in the writer's
//! transaction; the mailed link's POST turns every waiting request into a `grant`), read and
//! written with SQLite's statements; and the sweep ([`expire`]) erasing contacts that never
//! confirm, with the chain intact.

use super::chain::head;
use super::erase::{row, Row, Rows, ROW};
use super::outbox;
use crate::store::chain::ChainHead;
use crate::store::erase_rule::{blank, Written};
use crate::store::optin_rule::{self, OptinRows, ToConfirm};
use crate::store::{Answer, Confirm, ConfirmMail, Confirmed, Erased, Keys, Submit, WriteError};
use rusqlite::{params, Connection, OptionalExtension, TransactionBehavior};

/// Pending contacts erased per sweep transaction (the writer waits at most for this many).
const EXPIRE_BATCH: usize = 200;

/// Stores a signup awaiting confirmation ([`optin_rule::request`]) in the writer's transaction.
pub(super) fn request(
    rows: &mut Rows<'_>,
    keys: &Keys,
    head: &mut ChainHead,
    s: &Submit,
    mail: &ConfirmMail,
) -> Result<Answer, WriteError> {
    optin_rule::request(rows, keys, head, s, mail)
}

/// Confirms the token's contact ([`optin_rule::confirm`]) in the writer's transaction.
pub(super) fn confirm(
    rows: &mut Rows<'_>,
    keys: &Keys,
    head: &mut ChainHead,
    j: &Confirm,
) -> Result<Confirmed, WriteError> {
    optin_rule::confirm(rows, keys, head, j)
}

impl OptinRows for Rows<'_> {
    fn is_pending(&mut self, id: i64) -> Written<bool> {
        let sql = "SELECT pending_since IS NOT NULL FROM contacts WHERE id = ?1";
        Ok(self.0.prepare_cached(sql)?.query_row([id], |r| r.get(0))?)
    }

    fn set_pending(&mut self, id: i64, now: &str) -> Written {
        let sql = "UPDATE contacts SET pending_since = ?2 WHERE id = ?1";
        self.0.prepare_cached(sql)?.execute(params![id, now])?;
        Ok(())
    }

    fn mail_allowed(&mut self, id: i64, now_ms: u64) -> Written<bool> {
        Ok(outbox::mail_allowed(self.0, id, now_ms)?)
    }

    fn queue_mail(&mut self, id: i64, payload: &str, now: &str) -> Written {
        Ok(outbox::queue(self.0, outbox::MAIL, Some(id), payload, now)?)
    }

    fn to_confirm(&mut self, id: i64) -> Written<Option<ToConfirm>> {
        let sql = "SELECT contact_key, email, pending_since FROM contacts WHERE id = ?1";
        let mut stmt = self.0.prepare_cached(sql)?;
        let found = stmt.query_row([id], |r| {
            Ok(ToConfirm {
                contact_key: r.get(0)?,
                email: r.get(1)?,
                pending_since: r.get(2)?,
            })
        });
        Ok(found.optional()?)
    }

    fn set_confirmed(&mut self, id: i64, at: &str) -> Written {
        let sql = "UPDATE contacts SET pending_since = NULL,
                       confirmed_at = coalesce(confirmed_at, ?2), updated_at = ?2
                   WHERE id = ?1";
        self.0.prepare_cached(sql)?.execute(params![id, at])?;
        Ok(())
    }
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
            &mut Rows::new(&tx),
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

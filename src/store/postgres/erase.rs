//! Erasure (GDPR Art. 17) and the retention purge in PostgreSQL, as on SQLite: each in short
//! transactions that first lock the chain head (so a running server's writers on every replica
//! wait, and the chain continues from the real head), a `withdraw` event per purpose still
//! granted, the contact blanked but for its id, `contact_key`, locale and timestamps, the
//! idempotency answers that show the person deleted. What erasing one contact does is decided
//! once for both backends ([`crate::store::erase_rule::blank`]); [`Rows`] reads and writes its
//! rows. [`spawn_sweep`] runs the purge once a day inside `serve`.

use super::chain::{append, lock_head, set_state, store_head};
use super::db::Db;
use super::webhooks::Hooks;
use crate::clock::{format_ms, Clock};
use crate::store::chain::{Action, ChainHead, EventRef};
use crate::store::erase_rule::{blank, EraseRows, Logged, Written};
use crate::store::retention_rule::{self, Candidate, Cutoffs};
use crate::store::{EraseTarget, Erased, Purged, Retention, WriteError};
use postgres::Row as PgRow;
use std::sync::atomic::AtomicBool;
use std::sync::Arc;
use std::time::Duration;

pub(super) use crate::store::erase_rule::Row;

/// `SELECT` of a [`Row`] from `contacts` followed by `$rest` (`WHERE …`): the columns [`row`]
/// reads, listed once (the statement stays a `&'static str`, as `Db` caches it by).
macro_rules! select_row {
    ($rest:literal) => {
        concat!(
            "SELECT id, contact_key, locale, email, email_display, phone_e164 FROM contacts ",
            $rest
        )
    };
}
pub(super) use select_row;

/// Reads a [`Row`] selected with [`select_row!`].
pub(super) fn row(r: &PgRow) -> Row {
    (r.get(0), r.get(1), r.get(2), r.get(3), r.get(4), r.get(5))
}

/// Runs `f` in one transaction: committed when it returns `Ok`, rolled back otherwise.
pub(super) fn in_tx<T>(
    db: &mut Db,
    f: impl FnOnce(&mut Db) -> Result<T, WriteError>,
) -> Result<T, WriteError> {
    db.batch("BEGIN")?;
    match f(db) {
        Ok(t) => {
            db.batch("COMMIT")?;
            Ok(t)
        }
        Err(e) => {
            let _ = db.batch("ROLLBACK");
            Err(e)
        }
    }
}

/// Erases every contact `target` names, at the server time `at`.
pub(super) fn erase(db: &mut Db, target: &EraseTarget, at: &str) -> Result<Erased, WriteError> {
    in_tx(db, |db| {
        let mut chain = lock_head(db)?;
        let found = match target {
            EraseTarget::Email { key: Some(key), .. } => {
                db.all(select_row!("WHERE email_key = $1"), &[key])
            }
            EraseTarget::Email { key: None, raw } => {
                db.all(select_row!("WHERE email = $1"), &[raw])
            }
            EraseTarget::Phone(e164) => db.all(select_row!("WHERE phone_e164 = $1"), &[e164]),
        }?;
        let mut done = Erased::default();
        let rows = &mut Rows::new(db);
        for r in &found {
            blank(rows, &mut chain, row(r), at, "erasure", &mut done)?;
        }
        store_head(db, &chain)?;
        Ok(done)
    })
}

/// The rows the backend-neutral rules read and write, in the caller's transaction: this
/// backend's one implementation of [`EraseRows`] (here), `SignupRows` ([`super::contacts`]) and
/// `OptinRows` ([`super::optin`]), so each statement is written once.
pub(super) struct Rows<'a> {
    pub(super) db: &'a mut Db,
    /// The webhook endpoints as the writer's batch found them (read once a batch: a round trip
    /// each job saved); `None`: read at each change.
    batch_hooks: Option<&'a Option<Hooks>>,
}

impl<'a> Rows<'a> {
    /// Rows on `db` that read the webhook endpoints at each change.
    pub(super) fn new(db: &'a mut Db) -> Self {
        Rows {
            db,
            batch_hooks: None,
        }
    }

    /// Rows on `db` with the endpoints the writer's batch read.
    pub(super) fn with_hooks(db: &'a mut Db, hooks: &'a Option<Hooks>) -> Self {
        Rows {
            db,
            batch_hooks: Some(hooks),
        }
    }
}

impl EraseRows for Rows<'_> {
    type Hooks = Hooks;

    fn hooks(&mut self) -> Written<Option<Hooks>> {
        match self.batch_hooks {
            Some(hooks) => Ok(hooks.clone()),
            None => Ok(Hooks::load(self.db)?),
        }
    }

    fn queue_erased(&mut self, hooks: &Hooks, id: i64, key: &str, at: &str) -> Written {
        Ok(hooks.erased(self.db, id, key, at)?)
    }

    fn log(&mut self, head: &mut ChainHead, id: i64, e: EventRef<'_>, action: Action) -> Written {
        append(self.db, head, e)?;
        let (purpose, at) = (e.purpose, e.received_at);
        Ok(set_state(self.db, id, purpose, action, head.seq, at)?)
    }

    fn open(&mut self, id: i64, granted_too: bool) -> Written<Vec<Logged>> {
        let sql = "SELECT s.purpose, e.text_hash, e.required_to_submit, e.policy_id,
                          e.policy_version, e.policy_hash, e.locale
                   FROM consent_state s JOIN consent_events e ON e.seq = s.seq
                   WHERE s.contact_id = $1
                     AND (s.action = 'request' OR ($2 AND s.action = 'grant'))
                   ORDER BY s.purpose";
        let found = self.db.all(sql, &[&id, &granted_too])?;
        let logged = found.iter().map(|r| Logged {
            purpose: r.get(0),
            text_hash: r.get(1),
            required: r.get(2),
            policy_id: r.get(3),
            policy_version: r.get(4),
            policy_hash: r.get(5),
            locale: r.get(6),
        });
        Ok(logged.collect())
    }

    fn forget_answers_containing(&mut self, needle: &str) -> Written<usize> {
        let sql = "DELETE FROM idempotency WHERE strpos(body, $1) > 0";
        let n = self.db.exec(sql, &[&needle])?;
        Ok(usize::try_from(n).unwrap_or(usize::MAX))
    }

    fn forget_unsent(&mut self, id: i64) -> Written {
        super::outbox::forget_unsent(self.db, id)?;
        Ok(())
    }

    fn forget_attribution(&mut self, id: i64) -> Written {
        Ok(super::attribution::forget(self.db, id)?)
    }

    fn blank_row(&mut self, id: i64, at: &str) -> Written {
        self.db.exec(
            "UPDATE contacts SET email_key = NULL, email = NULL, email_display = NULL,
                phone_e164 = NULL, phone_type = NULL, phone_display = NULL, phone_extension = NULL,
                given_name = NULL, family_name = NULL, country = NULL, pending_since = NULL,
                custom = NULL, updated_at = $2
             WHERE id = $1",
            &[&id, &at],
        )?;
        Ok(())
    }
}

/// Contacts erased per purge transaction.
const BATCH: usize = 200;

/// Reads a [`Candidate`] (id, email, phone, updated, granted purposes, latest change).
fn read_candidate(r: &PgRow) -> Candidate {
    Candidate {
        contact_id: r.get(0),
        email: r.get(1),
        phone_e164: r.get(2),
        updated: r.get(3),
        granted: r.get(4),
        changed: r.get(5),
    }
}

/// Erases (or with `dry_run`, only lists) every contact `rule` says must go at `now_ms`.
pub(super) fn purge(
    db: &mut Db,
    rule: Retention,
    now_ms: u64,
    dry_run: bool,
) -> Result<Vec<Purged>, WriteError> {
    const ALL: &str = const_format_all();
    const ONE: &str = const_format_one();
    let cut = Cutoffs::at(rule, now_ms);
    let found: Vec<Purged> = db
        .all(ALL, &[&cut.updated_before()])?
        .iter()
        .filter_map(|r| cut.judge(read_candidate(r)))
        .collect();
    if dry_run {
        return Ok(found);
    }
    let at = format_ms(now_ms);
    let mut erased = Vec::with_capacity(found.len());
    for batch in found.chunks(BATCH) {
        in_tx(db, |db| {
            let mut chain = lock_head(db)?;
            let mut done = Erased::default();
            for candidate in batch {
                let id = candidate.contact_id;
                // Judged again under the lock: a re-signup since the first read keeps it.
                let Some(purged) = db
                    .opt(ONE, &[&id])?
                    .and_then(|r| cut.judge(read_candidate(&r)))
                else {
                    continue;
                };
                let target = db.one(select_row!("WHERE id = $1"), &[&id])?;
                let rows = &mut Rows::new(db);
                blank(rows, &mut chain, row(&target), &at, "retention", &mut done)?;
                erased.push(purged);
            }
            store_head(db, &chain)?;
            Ok(())
        })?;
    }
    Ok(erased)
}

/// Each contact that still names someone and was last updated before `$1`, with its granted
/// purposes and last state change.
const fn const_format_all() -> &'static str {
    "SELECT c.id, c.email, c.phone_e164, c.updated_at,
      (SELECT string_agg(s.purpose, ' ') FROM consent_state s
        WHERE s.contact_id = c.id AND s.action = 'grant'),
      (SELECT max(s.at) FROM consent_state s WHERE s.contact_id = c.id)
    FROM contacts c WHERE (c.email_key IS NOT NULL OR c.phone_e164 IS NOT NULL)
      AND c.updated_at < $1 ORDER BY c.id"
}

/// The same for one contact.
const fn const_format_one() -> &'static str {
    "SELECT c.id, c.email, c.phone_e164, c.updated_at,
      (SELECT string_agg(s.purpose, ' ') FROM consent_state s
        WHERE s.contact_id = c.id AND s.action = 'grant'),
      (SELECT max(s.at) FROM consent_state s WHERE s.contact_id = c.id)
    FROM contacts c WHERE (c.email_key IS NOT NULL OR c.phone_e164 IS NOT NULL) AND c.id = $1"
}

/// Runs [`purge`] on its own connection (connected again when lost) at start and then once a
/// day ([`crate::store::retention_rule::spawn_sweep`]) until `stop` is set; every replica runs
/// one (each contact is judged again under the chain lock, so two sweeps never erase the same
/// contact twice).
pub(super) fn spawn_sweep(
    mut db: Db,
    url: String,
    rule: Retention,
    clock: Clock,
    tick: Duration,
    stop: Arc<AtomicBool>,
) -> std::io::Result<std::thread::JoinHandle<()>> {
    let purge = move |now| {
        super::reconnect(&mut db, &url);
        purge(&mut db, rule, now, false)
    };
    retention_rule::spawn_sweep(purge, clock, tick, stop)
}

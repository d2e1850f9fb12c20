//! Erasure (GDPR Art. 17) and the retention purge in PostgreSQL, as on SQLite: each in short
//! transactions that first lock the chain head (so a running server's writers on every replica
//! wait, and the chain continues from the real head), a `withdraw` event per purpose still
//! granted, the contact blanked but for its id, `contact_key`, locale and timestamps, the
//! idempotency answers that show the person deleted. [`blank`] is the one way a contact is
//! erased. [`spawn_sweep`] runs the purge once a day inside `serve`.

use super::chain::{append, lock_head, set_state, store_head};
use super::db::Db;
use crate::clock::{format_ms, Clock};
use crate::store::chain::{Action, ChainHead, EventRef};
use crate::store::retention_rule::{Candidate, Cutoffs, DAY_MS};
use crate::store::{EraseTarget, Erased, EventMeta, Purged, Retention, WriteError};
use postgres::Row as PgRow;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

/// A contact to blank: id, `contact_key`, locale, email, email display, phone.
pub(super) type Row = (
    i64,
    String,
    String,
    Option<String>,
    Option<String>,
    Option<String>,
);

/// Reads a [`Row`] selected as `id, contact_key, locale, email, email_display, phone_e164`.
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
        let rows = match target {
            EraseTarget::Email { key: Some(key), .. } => db.all(
                "SELECT id, contact_key, locale, email, email_display, phone_e164
                 FROM contacts WHERE email_key = $1",
                &[key],
            ),
            EraseTarget::Email { key: None, raw } => db.all(
                "SELECT id, contact_key, locale, email, email_display, phone_e164
                 FROM contacts WHERE email = $1",
                &[raw],
            ),
            EraseTarget::Phone(e164) => db.all(
                "SELECT id, contact_key, locale, email, email_display, phone_e164
                 FROM contacts WHERE phone_e164 = $1",
                &[e164],
            ),
        }?;
        let mut done = Erased::default();
        for r in &rows {
            blank(db, &mut chain, row(r), at, "erasure", &mut done)?;
        }
        store_head(db, &chain)?;
        Ok(done)
    })
}

/// Erases one contact inside the caller's transaction (which holds the chain lock), continuing
/// the chain at `chain`; counts go into `done`.
pub(super) fn blank(
    db: &mut Db,
    chain: &mut ChainHead,
    row: Row,
    at: &str,
    method: &'static str,
    done: &mut Erased,
) -> Result<(), postgres::Error> {
    let (id, contact_key, locale, email, display, phone) = row;
    let open = db.all(
        "SELECT s.purpose, e.policy_id, e.policy_version, e.policy_hash
         FROM consent_state s JOIN consent_events e ON e.seq = s.seq
         WHERE s.contact_id = $1 AND s.action IN ('grant', 'request') ORDER BY s.purpose",
        &[&id],
    )?;
    for r in open {
        let purpose: String = r.get(0);
        let meta = EventMeta {
            policy_id: r.get(1),
            policy_version: r.get(2),
            policy_hash: r.get(3),
            locale: locale.clone(),
            method,
            received_at: at.to_owned(),
            claimed_at: None,
            user_agent: None,
        };
        let event = EventRef::new(&meta, &contact_key, Action::Withdraw, &purpose);
        append(db, chain, event)?;
        set_state(db, id, &purpose, Action::Withdraw, chain.seq, at)?;
        done.events += 1;
    }
    let needles: Vec<String> = [email, display, phone]
        .into_iter()
        .flatten()
        .filter_map(|v| serde_json::to_string(&v).ok())
        .collect();
    for needle in needles {
        let n = db.exec(
            "DELETE FROM idempotency WHERE strpos(body, $1) > 0",
            &[&needle],
        )?;
        done.idempotency += usize::try_from(n).unwrap_or(usize::MAX);
    }
    // Undelivered webhooks about the person carry their data: they go with it, and the
    // endpoints hear `contact.erased` (the opaque key only) instead.
    super::outbox::forget_unsent(db, id)?;
    super::attribution::forget(db, id)?;
    if let Some(hooks) = super::webhooks::Hooks::load(db)? {
        hooks.erased(db, id, &contact_key, at)?;
    }
    db.exec(
        "UPDATE contacts SET email_key = NULL, email = NULL, email_display = NULL,
            phone_e164 = NULL, phone_type = NULL, phone_display = NULL, phone_extension = NULL,
            given_name = NULL, family_name = NULL, country = NULL, pending_since = NULL,
            custom = NULL, updated_at = $2
         WHERE id = $1",
        &[&id, &at],
    )?;
    done.contacts += 1;
    Ok(())
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
        .all(ALL, &[])?
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
                let target = db.one(
                    "SELECT id, contact_key, locale, email, email_display, phone_e164
                     FROM contacts WHERE id = $1",
                    &[&id],
                )?;
                blank(db, &mut chain, row(&target), &at, "retention", &mut done)?;
                erased.push(purged);
            }
            store_head(db, &chain)?;
            Ok(())
        })?;
    }
    Ok(erased)
}

/// Each contact that still names someone, with its granted purposes and last state change.
const fn const_format_all() -> &'static str {
    "SELECT c.id, c.email, c.phone_e164, c.updated_at,
      (SELECT string_agg(s.purpose, ' ') FROM consent_state s
        WHERE s.contact_id = c.id AND s.action = 'grant'),
      (SELECT max(s.at) FROM consent_state s WHERE s.contact_id = c.id)
    FROM contacts c WHERE (c.email_key IS NOT NULL OR c.phone_e164 IS NOT NULL) ORDER BY c.id"
}

/// The same for one contact.
const fn const_format_one() -> &'static str {
    "SELECT c.id, c.email, c.phone_e164, c.updated_at,
      (SELECT string_agg(s.purpose, ' ') FROM consent_state s
        WHERE s.contact_id = c.id AND s.action = 'grant'),
      (SELECT max(s.at) FROM consent_state s WHERE s.contact_id = c.id)
    FROM contacts c WHERE (c.email_key IS NOT NULL OR c.phone_e164 IS NOT NULL) AND c.id = $1"
}

/// Runs [`purge`] on its own connection at start and then once a day by `clock`, looking every
/// `tick`, until `stop` is set; every replica runs one (each contact is judged again under the
/// chain lock, so two sweeps never erase the same contact twice).
pub(super) fn spawn_sweep(
    mut db: Db,
    url: String,
    rule: Retention,
    clock: Clock,
    tick: Duration,
    stop: Arc<AtomicBool>,
) -> std::io::Result<std::thread::JoinHandle<()>> {
    std::thread::Builder::new()
        .name("signup-guard-retention".into())
        .spawn(move || {
            let mut due = 0;
            while !stop.load(Ordering::Relaxed) {
                let now = clock.unix_ms();
                if now >= due {
                    super::reconnect(&mut db, &url);
                    match purge(&mut db, rule, now, false) {
                        Ok(gone) => {
                            due = now + DAY_MS;
                            if !gone.is_empty() {
                                let n = gone.len();
                                crate::log::info("retention_purge", &format!("{n} erased"));
                            }
                        }
                        Err(e) => crate::log::error("retention_purge_failed", &format!("{e:?}")),
                    }
                }
                std::thread::sleep(tick);
            }
        })
}

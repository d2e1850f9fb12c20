//! Retention that deletes: every contact whose last activity (signup, re-signup or double
//! opt-in confirmation, each of which sets `updated_at`) is older than the policy's
//! `retention_days`, and every contact with no purpose granted for longer than the grace period,
//! is erased as `erase` does ([`crate::store::erase_rule::blank`]: a `withdraw` event with method
//! `retention` per purpose still granted, personal columns blanked, the chain continued).
//! Candidates are found on a read snapshot, then judged again inside each short write
//! transaction (a re-signup in between keeps the contact), so the server's writer never waits
//! long. [`spawn_sweep`] runs the same purge once a day inside `serve`.

use super::chain::head;
use super::erase::{row, Row, Rows, ROW};
use crate::clock::{format_ms, Clock};
use crate::store::erase_rule::blank;
use crate::store::retention_rule::{self, Candidate, Cutoffs};
use crate::store::{Erased, Purged, Retention, WriteError};
use rusqlite::{Connection, OptionalExtension, TransactionBehavior};
use std::sync::atomic::AtomicBool;
use std::sync::Arc;
use std::time::Duration;

/// Contacts erased per write transaction.
const BATCH: usize = 200;

/// What the judge reads of a contact that still names someone.
const CANDIDATES: &str = "SELECT c.id, c.email, c.phone_e164, c.updated_at,
      (SELECT group_concat(s.purpose, ' ') FROM consent_state s
        WHERE s.contact_id = c.id AND s.action = 'grant'),
      (SELECT max(s.at) FROM consent_state s WHERE s.contact_id = c.id)
    FROM contacts c WHERE (c.email_key IS NOT NULL OR c.phone_e164 IS NOT NULL)";

/// Reads a [`Candidate`] selected with [`CANDIDATES`].
fn read_candidate(r: &rusqlite::Row<'_>) -> rusqlite::Result<Candidate> {
    Ok(Candidate {
        contact_id: r.get(0)?,
        email: r.get(1)?,
        phone_e164: r.get(2)?,
        updated: r.get(3)?,
        granted: r.get(4)?,
        changed: r.get(5)?,
    })
}

/// Erases (or with `dry_run`, only lists) every contact `rule` says must go at `now_ms`.
pub(super) fn purge(
    conn: &mut Connection,
    rule: Retention,
    now_ms: u64,
    dry_run: bool,
) -> Result<Vec<Purged>, WriteError> {
    let cut = Cutoffs::at(rule, now_ms);
    let found: Vec<Purged> = {
        let mut stmt =
            conn.prepare(&format!("{CANDIDATES} AND c.updated_at < ?1 ORDER BY c.id"))?;
        let mut rows = stmt.query([cut.updated_before()])?;
        let mut found = Vec::new();
        while let Some(r) = rows.next()? {
            found.extend(cut.judge(read_candidate(r)?));
        }
        found
    };
    if dry_run {
        return Ok(found);
    }
    let at = format_ms(now_ms);
    let mut erased = Vec::with_capacity(found.len());
    for batch in found.chunks(BATCH) {
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let mut chain = head(&tx)?;
        let mut done = Erased::default();
        for candidate in batch {
            let id = candidate.contact_id;
            // Judged again under the write lock: a re-signup since the snapshot keeps it.
            let now: Option<Option<Purged>> = tx
                .prepare_cached(&format!("{CANDIDATES} AND c.id = ?1"))?
                .query_row([id], |r| Ok(cut.judge(read_candidate(r)?)))
                .optional()?;
            let Some(Some(purged)) = now else { continue };
            let target: Row = tx
                .prepare_cached(&format!("SELECT {ROW} FROM contacts WHERE id = ?1"))?
                .query_row([id], row)?;
            blank(
                &mut Rows::new(&tx),
                &mut chain,
                target,
                &at,
                "retention",
                &mut done,
            )?;
            erased.push(purged);
        }
        tx.commit()?;
    }
    Ok(erased)
}

/// Runs [`purge`] on its own connection when started and then once a day
/// ([`crate::store::retention_rule::spawn_sweep`]) until `stop` is set.
pub(super) fn spawn_sweep(
    mut conn: Connection,
    rule: Retention,
    clock: Clock,
    tick: Duration,
    stop: Arc<AtomicBool>,
) -> std::io::Result<std::thread::JoinHandle<()>> {
    let purge = move |now| purge(&mut conn, rule, now, false);
    retention_rule::spawn_sweep(purge, clock, tick, stop)
}

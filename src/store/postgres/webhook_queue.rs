//! The webhook rows of the outbox in PostgreSQL, from the delivery side, as on SQLite: claims
//! per endpoint keeping each contact's events in order (`FOR UPDATE SKIP LOCKED`, so the
//! workers of several replicas never take the same row), outcomes marked in one transaction,
//! the operator's list, retry and replay, and the prune after two weeks.

use super::db::Db;
use crate::store::{Delivery, WebhookItem, WebhookRow};

/// Rows no longer pending are kept this long, for `webhooks list` and `replay`.
pub(super) const KEEP_DAYS: u64 = 14;

/// Claims up to `limit` due rows of `endpoint`, each leased until `lease_until`.
pub(super) fn claim(
    db: &mut Db,
    endpoint: &str,
    now: &str,
    lease_until: &str,
    limit: usize,
) -> Result<Vec<WebhookItem>, postgres::Error> {
    let limit = i64::try_from(limit).unwrap_or(i64::MAX);
    let rows = db.all(
        "UPDATE outbox SET attempts = attempts + 1, next_attempt_at = $3
         WHERE id IN (
            SELECT o.id FROM outbox o
            WHERE o.kind = 'webhook' AND o.endpoint = $1 AND o.sent_at IS NULL
              AND o.dead_at IS NULL AND o.next_attempt_at <= $2
              AND NOT EXISTS (SELECT 1 FROM outbox p
                  WHERE p.kind = 'webhook' AND p.endpoint = o.endpoint
                    AND p.contact_id = o.contact_id AND p.id < o.id
                    AND p.sent_at IS NULL AND p.dead_at IS NULL)
            ORDER BY o.id LIMIT $4 FOR UPDATE SKIP LOCKED)
         RETURNING id, event_id, payload, attempts, created_at",
        &[&endpoint, &now, &lease_until, &limit],
    )?;
    let mut items: Vec<WebhookItem> = rows
        .iter()
        .map(|r| WebhookItem {
            id: r.get(0),
            event_id: r.get(1),
            payload: r.get(2),
            attempts: u32::try_from(r.get::<_, i64>(3)).unwrap_or(u32::MAX),
            created_at: r.get(4),
        })
        .collect();
    items.sort_by_key(|i| i.id);
    Ok(items)
}

/// Marks each claimed row's outcome, in one transaction.
pub(super) fn finish(db: &mut Db, outcomes: &[(i64, Delivery)]) -> Result<(), postgres::Error> {
    let mut tx = db.client.transaction()?;
    for (id, outcome) in outcomes {
        match outcome {
            Delivery::Sent { at } => tx.execute(
                "UPDATE outbox SET sent_at = $2, last_error = NULL WHERE id = $1",
                &[id, at],
            ),
            Delivery::Retry { at, error } => tx.execute(
                "UPDATE outbox SET next_attempt_at = $2, last_error = $3 WHERE id = $1",
                &[id, at, error],
            ),
            Delivery::Dead { at, error } => tx.execute(
                "UPDATE outbox SET dead_at = $2, last_error = $3 WHERE id = $1",
                &[id, at, error],
            ),
            Delivery::Release { at } => tx.execute(
                "UPDATE outbox SET next_attempt_at = $2, attempts = greatest(attempts - 1, 0)
                 WHERE id = $1",
                &[id, at],
            ),
        }?;
    }
    tx.commit()
}

/// Every webhook row created at or after `since`, oldest first.
pub(super) fn list(
    db: &mut Db,
    since: &str,
    mut each: impl FnMut(WebhookRow),
) -> Result<(), postgres::Error> {
    for r in db.all(
        "SELECT id, event_id, payload, endpoint, attempts, created_at, next_attempt_at,
            sent_at, dead_at, last_error
         FROM outbox WHERE kind = 'webhook' AND created_at >= $1 ORDER BY id",
        &[&since],
    )? {
        let payload: String = r.get(2);
        let (sent, dead): (Option<String>, Option<String>) = (r.get(7), r.get(8));
        let (state, at) = match (sent, dead) {
            (Some(s), _) => ("sent", s),
            (None, Some(d)) => ("dead", d),
            (None, None) => ("pending", r.get(6)),
        };
        each(WebhookRow {
            id: r.get(0),
            event_id: r.get(1),
            event_type: serde_json::from_str::<serde_json::Value>(&payload)
                .ok()
                .and_then(|v| v["type"].as_str().map(str::to_owned))
                .unwrap_or_default(),
            endpoint: r.get(3),
            state,
            attempts: u32::try_from(r.get::<_, i64>(4)).unwrap_or(u32::MAX),
            created_at: r.get(5),
            at,
            last_error: r.get(9),
        });
    }
    Ok(())
}

/// Retry (`delivered` false: dead and waiting rows) or replay (`delivered`: sent rows).
pub(super) fn requeue(
    db: &mut Db,
    delivered: bool,
    since: &str,
    endpoint: Option<&str>,
    now: &str,
) -> Result<u64, postgres::Error> {
    let params: [&(dyn postgres::types::ToSql + Sync); 3] = [&now, &since, &endpoint];
    if delivered {
        db.exec(
            "UPDATE outbox SET sent_at = NULL, dead_at = NULL, attempts = 0, next_attempt_at = $1
             WHERE kind = 'webhook' AND sent_at IS NOT NULL AND created_at >= $2
               AND ($3::text IS NULL OR endpoint = $3)",
            &params,
        )
    } else {
        db.exec(
            "UPDATE outbox SET sent_at = NULL, dead_at = NULL, attempts = 0, next_attempt_at = $1
             WHERE kind = 'webhook' AND sent_at IS NULL AND created_at >= $2
               AND ($3::text IS NULL OR endpoint = $3)",
            &params,
        )
    }
}

/// Deletes webhook rows delivered or dead before `cutoff`; how many.
pub(super) fn prune(db: &mut Db, cutoff: &str) -> Result<u64, postgres::Error> {
    db.exec(
        "DELETE FROM outbox WHERE kind = 'webhook' AND ((sent_at IS NOT NULL AND sent_at < $1)
            OR (dead_at IS NOT NULL AND dead_at < $1))",
        &[&cutoff],
    )
}

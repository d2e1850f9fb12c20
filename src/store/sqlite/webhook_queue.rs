//! The webhook rows of the outbox, from the delivery side: claims per endpoint that keep each
//! contact's events in order (a row is claimed only when no earlier row about the same contact
//! is still undelivered for that endpoint; a dead one no longer holds the line), outcomes marked
//! in one transaction, the operator's list, retry and replay (which keeps the `webhook-id`),
//! and the prune that keeps delivered and dead rows two weeks (the replay window).

use super::{outbox_err, read_err, webhooks, Sqlite};
use crate::store::{Delivery, StoreError, WebhookItem, WebhookRoute, WebhookRow};
use rusqlite::{params, Connection};

/// Rows no longer pending are kept this long, for `webhooks list` and `replay`.
pub(super) const KEEP_DAYS: u64 = 14;

impl Sqlite {
    /// This connection's commits are not fsynced (see [`crate::store::Store::open_for_delivery`]).
    pub(crate) fn relax_sync(&self) -> Result<(), StoreError> {
        self.conn
            .execute_batch("PRAGMA synchronous = NORMAL")
            .map_err(|e| StoreError(format!("cannot configure the database: {e}")))
    }

    /// See [`crate::store::Store::set_webhook_endpoints`].
    pub(crate) fn set_webhook_endpoints(
        &self,
        routes: &[WebhookRoute],
        now: &str,
    ) -> Result<(), StoreError> {
        webhooks::set_endpoints(&self.conn, routes, now)
            .map_err(|e| StoreError(format!("cannot store the webhook endpoints: {e}")))
    }

    /// See [`crate::store::Store::webhook_claim`].
    pub(crate) fn webhook_claim(
        &self,
        endpoint: &str,
        now: &str,
        lease_until: &str,
        limit: usize,
    ) -> Result<Vec<WebhookItem>, StoreError> {
        claim(&self.conn, endpoint, now, lease_until, limit).map_err(outbox_err)
    }

    /// See [`crate::store::Store::webhook_finish`].
    pub(crate) fn webhook_finish(&self, outcomes: &[(i64, Delivery)]) -> Result<(), StoreError> {
        finish(&self.conn, outcomes).map_err(outbox_err)
    }

    /// See [`crate::store::Store::webhook_list`].
    pub(crate) fn webhook_list(
        &self,
        since: &str,
        mut each: impl FnMut(WebhookRow),
    ) -> Result<(), StoreError> {
        let mut stmt = self
            .conn
            .prepare(
                "SELECT id, event_id, payload, endpoint, attempts, created_at, next_attempt_at,
                    sent_at, dead_at, last_error
                 FROM outbox WHERE kind = 'webhook' AND created_at >= ?1 ORDER BY id",
            )
            .map_err(read_err)?;
        let rows = stmt
            .query_map([since], |r| {
                let payload: String = r.get(2)?;
                let sent: Option<String> = r.get(7)?;
                let dead: Option<String> = r.get(8)?;
                let (state, at) = match (sent, dead) {
                    (Some(s), _) => ("sent", s),
                    (None, Some(d)) => ("dead", d),
                    (None, None) => ("pending", r.get(6)?),
                };
                Ok(WebhookRow {
                    id: r.get(0)?,
                    event_id: r.get(1)?,
                    event_type: event_type(&payload),
                    endpoint: r.get(3)?,
                    state,
                    attempts: r.get(4)?,
                    created_at: r.get(5)?,
                    at,
                    last_error: r.get(9)?,
                })
            })
            .map_err(read_err)?;
        for row in rows {
            each(row.map_err(read_err)?);
        }
        Ok(())
    }

    /// Retry (`delivered` false: dead and waiting rows) or replay (`delivered`: sent rows).
    pub(crate) fn webhook_requeue(
        &self,
        delivered: bool,
        since: &str,
        endpoint: Option<&str>,
        now: &str,
    ) -> Result<usize, StoreError> {
        let which = if delivered {
            "sent_at IS NOT NULL"
        } else {
            "sent_at IS NULL"
        };
        let sql = format!(
            "UPDATE outbox SET sent_at = NULL, dead_at = NULL, attempts = 0, next_attempt_at = ?1
             WHERE kind = 'webhook' AND {which} AND created_at >= ?2
               AND (?3 IS NULL OR endpoint = ?3)"
        );
        self.conn
            .execute(&sql, params![now, since, endpoint])
            .map_err(outbox_err)
    }
}

/// The `type` of a stored body.
fn event_type(payload: &str) -> String {
    #[derive(serde::Deserialize)]
    struct Head {
        #[serde(rename = "type")]
        kind: String,
    }
    serde_json::from_str::<Head>(payload)
        .map(|h| h.kind)
        .unwrap_or_default()
}

fn claim(
    conn: &Connection,
    endpoint: &str,
    now: &str,
    lease_until: &str,
    limit: usize,
) -> rusqlite::Result<Vec<WebhookItem>> {
    // A quick read first: an idle endpoint takes no write lock from the signups' writer.
    let due: bool = conn
        .prepare_cached(
            "SELECT EXISTS (SELECT 1 FROM outbox WHERE kind = 'webhook' AND endpoint = ?1
                AND sent_at IS NULL AND dead_at IS NULL AND next_attempt_at <= ?2)",
        )?
        .query_row(params![endpoint, now], |r| r.get(0))?;
    if !due {
        return Ok(Vec::new());
    }
    let mut stmt = conn.prepare_cached(
        "UPDATE outbox SET attempts = attempts + 1, next_attempt_at = ?3
         WHERE id IN (
            SELECT o.id FROM outbox o
            WHERE o.kind = 'webhook' AND o.endpoint = ?1 AND o.sent_at IS NULL
              AND o.dead_at IS NULL AND o.next_attempt_at <= ?2
              AND NOT EXISTS (SELECT 1 FROM outbox p
                  WHERE p.kind = 'webhook' AND p.endpoint = o.endpoint
                    AND p.contact_id = o.contact_id AND p.id < o.id
                    AND p.sent_at IS NULL AND p.dead_at IS NULL)
            ORDER BY o.id LIMIT ?4)
         RETURNING id, event_id, payload, attempts, created_at",
    )?;
    let rows = stmt.query_map(params![endpoint, now, lease_until, limit as i64], |r| {
        Ok(WebhookItem {
            id: r.get(0)?,
            event_id: r.get(1)?,
            payload: r.get(2)?,
            attempts: r.get(3)?,
            created_at: r.get(4)?,
        })
    })?;
    let mut items: Vec<WebhookItem> = rows.collect::<rusqlite::Result<_>>()?;
    items.sort_by_key(|i| i.id);
    Ok(items)
}

fn finish(conn: &Connection, outcomes: &[(i64, Delivery)]) -> rusqlite::Result<()> {
    let tx = conn.unchecked_transaction()?;
    for (id, outcome) in outcomes {
        let (sql, at, error) = match outcome {
            Delivery::Sent { at } => (
                "UPDATE outbox SET sent_at = ?2, last_error = ?3 WHERE id = ?1",
                at,
                None,
            ),
            Delivery::Retry { at, error } => (
                "UPDATE outbox SET next_attempt_at = ?2, last_error = ?3 WHERE id = ?1",
                at,
                Some(error.as_str()),
            ),
            Delivery::Dead { at, error } => (
                "UPDATE outbox SET dead_at = ?2, last_error = ?3 WHERE id = ?1",
                at,
                Some(error.as_str()),
            ),
            Delivery::Release { at } => (
                "UPDATE outbox SET next_attempt_at = ?2, attempts = max(attempts - 1, 0),
                    last_error = coalesce(?3, last_error) WHERE id = ?1",
                at,
                None,
            ),
        };
        tx.prepare_cached(sql)?.execute(params![id, at, error])?;
    }
    tx.commit()
}

/// Deletes webhook rows delivered or dead before `cutoff`; how many.
pub(super) fn prune(conn: &Connection, cutoff: &str) -> rusqlite::Result<usize> {
    conn.prepare_cached(
        "DELETE FROM outbox WHERE kind = 'webhook' AND ((sent_at IS NOT NULL AND sent_at < ?1)
            OR (dead_at IS NOT NULL AND dead_at < ?1))",
    )?
    .execute([cutoff])
}

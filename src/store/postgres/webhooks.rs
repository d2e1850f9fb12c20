//! Webhook events queued in PostgreSQL inside the transaction of the change they report, as on
//! SQLite (see the SQLite backend's `webhooks` module for the rules): the endpoints loaded per
//! change (`None` when there are none), a snapshot of the contact before it, and after it the
//! events that turn one into the other, one outbox row per event and endpoint that wants it,
//! sharing one random `webhook-id`; erasure queues `contact.erased` with the opaque key only.

use super::db::Db;
use crate::store::webhook_events::{changed, erased, Rows};
use crate::store::{Attribution, WebhookRoute};
use std::collections::BTreeMap;
use std::sync::Arc;

/// The endpoints a change queues events for (never empty); shared, so the writer's batch hands
/// its copy to each job without copying the list.
#[derive(Clone)]
pub(super) struct Hooks(Arc<Vec<WebhookRoute>>);

pub(super) use crate::store::webhook_events::Snapshot;

fn split(list: &str) -> Vec<String> {
    list.split_ascii_whitespace().map(str::to_owned).collect()
}

/// Replaces the configured endpoints (in one transaction); the undelivered rows of an endpoint
/// no longer configured become dead letters at `now`.
pub(super) fn set_endpoints(
    db: &mut Db,
    routes: &[WebhookRoute],
    now: &str,
) -> Result<(), postgres::Error> {
    let mut tx = db.client.transaction()?;
    tx.execute("DELETE FROM webhook_endpoints", &[])?;
    for r in routes {
        tx.execute(
            "INSERT INTO webhook_endpoints (url, events, include) VALUES ($1, $2, $3)",
            &[&r.url, &r.events.join(" "), &r.include.join(" ")],
        )?;
    }
    tx.execute(
        "UPDATE outbox SET dead_at = $1, last_error = 'endpoint no longer configured'
         WHERE kind = 'webhook' AND sent_at IS NULL AND dead_at IS NULL
           AND endpoint NOT IN (SELECT url FROM webhook_endpoints)",
        &[&now],
    )?;
    tx.commit()
}

impl Hooks {
    /// The configured endpoints, `None` when there are none.
    pub(super) fn load(db: &mut Db) -> Result<Option<Hooks>, postgres::Error> {
        let routes: Vec<WebhookRoute> = db
            .all("SELECT url, events, include FROM webhook_endpoints", &[])?
            .iter()
            .map(|r| WebhookRoute {
                url: r.get(0),
                events: split(r.get(1)),
                include: split(r.get(2)),
            })
            .collect();
        Ok((!routes.is_empty()).then(|| Hooks(Arc::new(routes))))
    }

    /// Contact `id` as it is now (`None` if there is no such row).
    pub(super) fn snapshot(
        &self,
        db: &mut Db,
        id: i64,
    ) -> Result<Option<Snapshot>, postgres::Error> {
        let Some(r) = db.opt(
            "SELECT contact_key, email, phone_e164, given_name, family_name, country,
                    pending_since IS NOT NULL, confirmed_at IS NOT NULL, custom
             FROM contacts WHERE id = $1",
            &[&id],
        )?
        else {
            return Ok(None);
        };
        let confirmation = match (r.get::<_, bool>(6), r.get::<_, bool>(7)) {
            (true, _) => Some("pending"),
            (false, true) => Some("confirmed"),
            (false, false) => None,
        };
        let mut snap = Snapshot {
            contact: r.get(0),
            email: r.get(1),
            phone: r.get(2),
            given_name: r.get(3),
            family_name: r.get(4),
            country: r.get(5),
            confirmation,
            consent: BTreeMap::new(),
            source: Attribution::default(),
            custom: super::contacts::custom_of(r.get(8)),
        };
        snap.source = super::attribution::read(&mut db.client, id)?;
        for s in db.all(
            "SELECT purpose, action FROM consent_state WHERE contact_id = $1",
            &[&id],
        )? {
            let word = match s.get::<_, &str>(1) {
                "grant" => "granted",
                "withdraw" => "withdrawn",
                _ => "pending",
            };
            snap.consent.insert(s.get(0), word);
        }
        Ok(Some(snap))
    }

    /// Queues the events that turn `before` (`None`: new) into contact `id` as it is now.
    pub(super) fn record(
        &self,
        db: &mut Db,
        id: i64,
        before: Option<&Snapshot>,
        at: &str,
    ) -> Result<(), postgres::Error> {
        let Some(after) = self.snapshot(db, id)? else {
            return Ok(());
        };
        for rows in changed(&self.0, before, &after, at) {
            queue(db, id, at, rows)?;
        }
        Ok(())
    }

    /// Queues `contact.erased` for contact `id`: its opaque `contact_key` and nothing else.
    pub(super) fn erased(
        &self,
        db: &mut Db,
        id: i64,
        contact_key: &str,
        at: &str,
    ) -> Result<(), postgres::Error> {
        queue(db, id, at, erased(&self.0, contact_key, at))
    }
}

/// Writes one event's rows (about contact `id`, due at `at`) with one fresh `webhook-id`.
fn queue(db: &mut Db, id: i64, at: &str, rows: Rows<'_>) -> Result<(), postgres::Error> {
    if rows.is_empty() {
        return Ok(());
    }
    let new_id = "SELECT 'msg_' || replace(gen_random_uuid()::text, '-', '')";
    let event_id: String = db.one(new_id, &[])?.get(0);
    for (endpoint, body) in rows {
        db.exec(
            "INSERT INTO outbox (kind, contact_id, payload, created_at, next_attempt_at,
                endpoint, event_id)
             VALUES ('webhook', $1, $2, $3, $3, $4, $5)",
            &[&id, &body, &at, &endpoint, &event_id],
        )?;
    }
    Ok(())
}

//! Webhook events queued in SQLite, inside the transaction of the change they report: each place
//! that changes a contact (signup, double opt-in request and confirmation, withdrawal, erasure)
//! loads the configured endpoints ([`Hooks::load`]: `None` when there are none, so a server
//! without webhooks pays one query on a tiny table), takes a [`Snapshot`] of the contact before
//! the change, and after it calls [`Hooks::record`], which compares the two (the rule is
//! backend-neutral, in `store::webhook_events`) and queues `contact.created` / `contact.confirmed` / `contact.updated` and one `consent.granted` or
//! `consent.withdrawn` per purpose that changed; erasure queues `contact.erased`, which names
//! the contact only by its opaque `contact_key`. One outbox row per event and endpoint whose
//! filter wants it, all sharing one random `webhook-id`.
//!
//! The body is the Standard Webhooks shape: `{"type", "timestamp", "data"}`, where `data` holds
//! the contact's opaque id, email, phone, confirmation state, each purpose's state and where the
//! contact came from (`source`: first and latest touch; a new latest source is a
//! `contact.updated`), plus the name, country and custom values only for an endpoint that asked
//! for them (`store::webhook_events`, shared with PostgreSQL, decides the events, the endpoints
//! and the bodies).

use crate::store::webhook_events::{changed, erased, Rows};
use crate::store::{Attribution, WebhookRoute};
use rusqlite::{params, Connection, OptionalExtension};
use std::collections::BTreeMap;

/// The endpoints a change queues events for (never empty).
#[derive(Clone)]
pub(super) struct Hooks(Vec<WebhookRoute>);

pub(super) use crate::store::webhook_events::Snapshot;

/// Space-separated list as stored (`""` for every event, or no extra field).
fn split(list: &str) -> Vec<String> {
    list.split_ascii_whitespace().map(str::to_owned).collect()
}

/// Replaces the configured endpoints; the undelivered rows of an endpoint no longer configured
/// become dead letters at `now` (`webhooks retry --endpoint` revives them once it is back).
pub(super) fn set_endpoints(
    conn: &Connection,
    routes: &[WebhookRoute],
    now: &str,
) -> rusqlite::Result<()> {
    let tx = conn.unchecked_transaction()?;
    tx.execute("DELETE FROM webhook_endpoints", [])?;
    for r in routes {
        tx.execute(
            "INSERT INTO webhook_endpoints (url, events, include) VALUES (?1, ?2, ?3)",
            params![r.url, r.events.join(" "), r.include.join(" ")],
        )?;
    }
    tx.execute(
        "UPDATE outbox SET dead_at = ?1, last_error = 'endpoint no longer configured'
         WHERE kind = 'webhook' AND sent_at IS NULL AND dead_at IS NULL
           AND endpoint NOT IN (SELECT url FROM webhook_endpoints)",
        [now],
    )?;
    tx.commit()
}

impl Hooks {
    /// The configured endpoints, `None` when there are none.
    pub(super) fn load(conn: &Connection) -> rusqlite::Result<Option<Hooks>> {
        let mut stmt = conn.prepare_cached("SELECT url, events, include FROM webhook_endpoints")?;
        let routes = stmt
            .query_map([], |r| {
                Ok(WebhookRoute {
                    url: r.get(0)?,
                    events: split(&r.get::<_, String>(1)?),
                    include: split(&r.get::<_, String>(2)?),
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok((!routes.is_empty()).then_some(Hooks(routes)))
    }

    /// Contact `id` as it is now (`None` if there is no such row).
    pub(super) fn snapshot(
        &self,
        conn: &Connection,
        id: i64,
    ) -> rusqlite::Result<Option<Snapshot>> {
        let row = conn
            .prepare_cached(
                "SELECT contact_key, email, phone_e164, given_name, family_name, country,
                        pending_since IS NOT NULL, confirmed_at IS NOT NULL, custom
                 FROM contacts WHERE id = ?1",
            )?
            .query_row([id], |r| {
                let confirmation = match (r.get::<_, bool>(6)?, r.get::<_, bool>(7)?) {
                    (true, _) => Some("pending"),
                    (false, true) => Some("confirmed"),
                    (false, false) => None,
                };
                Ok(Snapshot {
                    contact: r.get(0)?,
                    email: r.get(1)?,
                    phone: r.get(2)?,
                    given_name: r.get(3)?,
                    family_name: r.get(4)?,
                    country: r.get(5)?,
                    custom: super::contacts::custom_of(r.get(8)?)?,
                    confirmation,
                    consent: BTreeMap::new(),
                    source: Attribution::default(),
                })
            })
            .optional()?;
        let Some(mut snap) = row else { return Ok(None) };
        snap.source = super::attribution::read(conn, id)?;
        let mut stmt =
            conn.prepare_cached("SELECT purpose, action FROM consent_state WHERE contact_id = ?1")?;
        let states = stmt.query_map([id], |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))
        })?;
        for state in states {
            let (purpose, action) = state?;
            let word = match action.as_str() {
                "grant" => "granted",
                "withdraw" => "withdrawn",
                _ => "pending",
            };
            snap.consent.insert(purpose, word);
        }
        Ok(Some(snap))
    }

    /// Queues the events that turn `before` (`None`: the contact is new) into contact `id` as it
    /// is now, at the server time `at`.
    pub(super) fn record(
        &self,
        conn: &Connection,
        id: i64,
        before: Option<&Snapshot>,
        at: &str,
    ) -> rusqlite::Result<()> {
        let Some(after) = self.snapshot(conn, id)? else {
            return Ok(());
        };
        for rows in changed(&self.0, before, &after, at) {
            queue(conn, id, at, rows)?;
        }
        Ok(())
    }

    /// Queues `contact.erased` for contact `id`: its opaque `contact_key` and nothing else.
    pub(super) fn erased(
        &self,
        conn: &Connection,
        id: i64,
        contact_key: &str,
        at: &str,
    ) -> rusqlite::Result<()> {
        queue(conn, id, at, erased(&self.0, contact_key, at))
    }
}

/// Writes one event's rows (about contact `id`, due at `at`) with one fresh `webhook-id`.
fn queue(conn: &Connection, id: i64, at: &str, rows: Rows<'_>) -> rusqlite::Result<()> {
    if rows.is_empty() {
        return Ok(());
    }
    let event_id: String =
        conn.query_row("SELECT 'msg_' || lower(hex(randomblob(16)))", [], |r| {
            r.get(0)
        })?;
    let mut insert = conn.prepare_cached(
        "INSERT INTO outbox (kind, contact_id, payload, created_at, next_attempt_at,
            endpoint, event_id)
         VALUES ('webhook', ?1, ?2, ?3, ?3, ?4, ?5)",
    )?;
    for (endpoint, body) in rows {
        insert.execute(params![id, body, at, endpoint, event_id])?;
    }
    Ok(())
}

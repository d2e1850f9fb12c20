//! Webhooks in the store: the endpoints `serve` runs with (kept in the file, so every process
//! that changes a contact queues the same events), the events queued in the transaction of each
//! change, and what the delivery worker and `signup-guard webhooks` do with them. One outbox row
//! per event and endpoint: each endpoint has its own attempts, backoff, order and dead letters,
//! so one that is down never holds back another, and its event filter and payload fields are
//! applied once, when the row is written.

use super::{Backend, Store, StoreError};

/// Every event a contact's changes produce, in the order a change queues them.
pub const WEBHOOK_EVENTS: [&str; 6] = [
    "contact.created",
    "contact.updated",
    "contact.confirmed",
    "consent.granted",
    "consent.withdrawn",
    "contact.erased",
];

/// Extra contact fields an endpoint may ask for beside the identifiers and consent state.
/// `custom` adds the values of the policy's custom fields.
pub const WEBHOOK_FIELDS: [&str; 3] = ["name", "country", "custom"];

/// One configured endpoint as the store needs it: where events go, which ones, with what.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WebhookRoute {
    /// The endpoint's URL; also its name in the outbox.
    pub url: String,
    /// Events it receives ([`WEBHOOK_EVENTS`]); empty for all.
    pub events: Vec<String>,
    /// Extra payload fields ([`WEBHOOK_FIELDS`]); empty for identifiers and consent only.
    pub include: Vec<String>,
}

/// One webhook row claimed for delivery.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WebhookItem {
    /// Row id (one endpoint's copy of the event).
    pub id: i64,
    /// The stable `webhook-id`, the same for every attempt and every endpoint.
    pub event_id: String,
    /// The body to post, exactly as signed.
    pub payload: String,
    /// Attempts so far, this one included.
    pub attempts: u32,
    /// When the event was queued (RFC 3339).
    pub created_at: String,
}

/// What became of a claimed webhook row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Delivery {
    /// The endpoint answered 2xx at this time.
    Sent {
        /// When.
        at: String,
    },
    /// Failed; try again at `at`.
    Retry {
        /// The next attempt's time.
        at: String,
        /// Why, for the operator.
        error: String,
    },
    /// Given up (dead letter): `signup-guard webhooks retry` sends it again.
    Dead {
        /// When.
        at: String,
        /// Why, for the operator.
        error: String,
    },
    /// Not attempted (the endpoint failed earlier in the batch): due again at `at`, this
    /// claim not counted as an attempt.
    Release {
        /// The next attempt's time.
        at: String,
    },
}

/// One webhook row as `signup-guard webhooks list` shows it (no personal data).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct WebhookRow {
    /// Row id.
    pub id: i64,
    /// The `webhook-id`.
    pub event_id: String,
    /// The event type (`contact.created`, …).
    #[serde(rename = "type")]
    pub event_type: String,
    /// The endpoint's URL.
    pub endpoint: String,
    /// `pending`, `sent` or `dead`.
    pub state: &'static str,
    /// Attempts so far.
    pub attempts: u32,
    /// When it was queued.
    pub created_at: String,
    /// When it was delivered or given up; for a pending row, its next attempt.
    pub at: String,
    /// The last failure, if any.
    pub last_error: Option<String>,
}

impl Store {
    /// Opens the store for a webhook delivery thread: as [`Store::open`], but its own commits
    /// (claims and marks) are not fsynced (`synchronous=NORMAL`), so it holds the write lock for
    /// microseconds and the signups' writer never waits on its fsync. A mark lost to a power
    /// failure only posts the event again, with its `webhook-id` (at-least-once); the writer's
    /// fsync of the shared WAL covers these frames too, at its next batch.
    pub fn open_for_delivery(path: &std::path::Path) -> Result<Store, StoreError> {
        let store = Store::open(path)?;
        match &store.0 {
            Backend::Sqlite(s) => s.relax_sync()?,
            #[cfg(feature = "postgres")]
            Backend::Postgres(_) => {}
        }
        Ok(store)
    }

    /// Makes `routes` the endpoints every later change queues events for (`serve` calls it at
    /// start; an empty list stops queueing). Undelivered events of an endpoint no longer listed
    /// become dead letters at `now`; `webhook_retry` revives them.
    pub fn set_webhook_endpoints(
        &self,
        routes: &[WebhookRoute],
        now: &str,
    ) -> Result<(), StoreError> {
        match &self.0 {
            Backend::Sqlite(s) => s.set_webhook_endpoints(routes, now),
            #[cfg(feature = "postgres")]
            Backend::Postgres(p) => p.set_webhook_endpoints(routes, now),
        }
    }

    /// Claims up to `limit` rows for `endpoint` due at `now`, oldest first, at most one per
    /// contact and none while an earlier row about the same contact is still undelivered (so
    /// each contact's events arrive in order); leased until `lease_until`.
    pub fn webhook_claim(
        &self,
        endpoint: &str,
        now: &str,
        lease_until: &str,
        limit: usize,
    ) -> Result<Vec<WebhookItem>, StoreError> {
        match &self.0 {
            Backend::Sqlite(s) => s.webhook_claim(endpoint, now, lease_until, limit),
            #[cfg(feature = "postgres")]
            Backend::Postgres(p) => p.webhook_claim(endpoint, now, lease_until, limit),
        }
    }

    /// Records what became of claimed rows, in one transaction.
    pub fn webhook_finish(&self, outcomes: &[(i64, Delivery)]) -> Result<(), StoreError> {
        match &self.0 {
            Backend::Sqlite(s) => s.webhook_finish(outcomes),
            #[cfg(feature = "postgres")]
            Backend::Postgres(p) => p.webhook_finish(outcomes),
        }
    }

    /// Streams the webhook rows queued at or after `since` (RFC 3339), oldest first.
    pub fn webhook_list(
        &self,
        since: &str,
        each: impl FnMut(WebhookRow),
    ) -> Result<(), StoreError> {
        match &self.0 {
            Backend::Sqlite(s) => s.webhook_list(since, each),
            #[cfg(feature = "postgres")]
            Backend::Postgres(p) => p.webhook_list(since, each),
        }
    }

    /// Makes the dead and waiting rows queued at or after `since` (of `endpoint`, or all) due
    /// at `now` with their attempts reset; how many.
    pub fn webhook_retry(
        &self,
        since: &str,
        endpoint: Option<&str>,
        now: &str,
    ) -> Result<usize, StoreError> {
        self.webhook_requeue(false, since, endpoint, now)
    }

    /// Queues again, with the same `webhook-id`, the rows delivered that were queued at or
    /// after `since` (of `endpoint`, or all); how many.
    pub fn webhook_replay(
        &self,
        since: &str,
        endpoint: Option<&str>,
        now: &str,
    ) -> Result<usize, StoreError> {
        self.webhook_requeue(true, since, endpoint, now)
    }

    /// Makes rows due at `now` again: the delivered ones (`delivered`, a replay) or the dead and
    /// waiting ones (a retry), queued at or after `since`, of `endpoint` or all; how many.
    fn webhook_requeue(
        &self,
        delivered: bool,
        since: &str,
        endpoint: Option<&str>,
        now: &str,
    ) -> Result<usize, StoreError> {
        match &self.0 {
            Backend::Sqlite(s) => s.webhook_requeue(delivered, since, endpoint, now),
            #[cfg(feature = "postgres")]
            Backend::Postgres(p) => p.webhook_requeue(delivered, since, endpoint, now),
        }
    }
}

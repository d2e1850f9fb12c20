//! The delivery threads: one per endpoint, each with its own connection to the store and its
//! own HTTP client, so a slow or dead endpoint holds back neither the signups (they only insert
//! outbox rows) nor the other endpoints. A thread polls its endpoint's due rows, claims a batch
//! (leased, in order per contact: see [`crate::store::Store::webhook_claim`]), posts each
//! signed, and marks the batch in one transaction:
//!
//! - a 2xx answer: sent;
//! - no connection, a timeout, 408, 429 or 5xx: the endpoint is down; this row waits its
//!   backoff, the rest of the batch is released to the same time without counting an attempt,
//!   and the thread posts nothing to the endpoint until then (a restart tries once at once);
//! - any other status: this row waits its backoff (its contact's later events wait behind it),
//!   the others go on;
//! - a row whose waits add up past `give_up` (about three days) is dead-lettered.
//!
//! Waits double from `retry_base` (5 s) up to six hours, each with ±25 % jitter so that many
//! rows failing together do not come back together. Rows survive restarts: a crash mid-post
//! leaves the lease to run out and the row is posted again, with the same `webhook-id`.

use super::{sign::signature, Target, WebhookConfig};
use crate::clock::{format_ms, Clock};
use crate::store::{Delivery, Store, WebhookItem};
use std::cell::Cell;
use std::hash::BuildHasher;
use std::path::Path;
use std::sync::mpsc::{Receiver, RecvTimeoutError, SyncSender};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// How often an endpoint's due rows are looked for.
const POLL: Duration = Duration::from_millis(200);
/// Rows claimed at once (each claim and each batch's marks are one short write transaction).
const BATCH: usize = 128;
/// The longest wait between two attempts.
const MAX_BACKOFF: Duration = Duration::from_secs(6 * 3600);
/// The longest a post may take, connection included.
const TIMEOUT: Duration = Duration::from_secs(15);

/// Keeps the delivery threads running; they stop when it is dropped (the service shut down).
pub(crate) struct Running(#[allow(dead_code)] Vec<SyncSender<()>>);

/// Starts one delivery thread per target, each over its own connection to `db`.
pub(crate) fn spawn(
    db: &Path,
    targets: Vec<Target>,
    config: &WebhookConfig,
    clock: &Clock,
) -> Result<Running, String> {
    let mut alive = Vec::with_capacity(targets.len());
    for target in targets {
        let store = Store::open_for_delivery(db).map_err(|e| e.to_string())?;
        let (tx, rx) = std::sync::mpsc::sync_channel(1);
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .max_redirects(0)
            .timeout_global(Some(TIMEOUT))
            .user_agent(concat!("signup-guard/", env!("CARGO_PKG_VERSION")))
            .build()
            .into();
        let deliverer = Deliverer {
            store,
            target,
            agent,
            clock: clock.clone(),
            retry_base: config.retry_base,
            give_up: config.give_up,
            lease: config.lease,
            paused_until: Cell::new(0),
        };
        std::thread::Builder::new()
            .name("signup-guard-webhook".into())
            .spawn(move || deliverer.run(&rx))
            .map_err(|e| format!("cannot start the webhook worker: {e}"))?;
        alive.push(tx);
    }
    Ok(Running(alive))
}

struct Deliverer {
    store: Store,
    target: Target,
    agent: ureq::Agent,
    clock: Clock,
    retry_base: Duration,
    give_up: Duration,
    lease: Duration,
    /// While the endpoint is down: the next attempt's time (ms since the epoch).
    paused_until: Cell<u64>,
}

/// Why a post failed, and whether it says the endpoint as a whole is down.
struct Failure {
    endpoint_down: bool,
    error: String,
}

impl Deliverer {
    fn run(&self, stop: &Receiver<()>) {
        loop {
            self.drain();
            match stop.recv_timeout(POLL) {
                Ok(()) | Err(RecvTimeoutError::Timeout) => {}
                Err(RecvTimeoutError::Disconnected) => return,
            }
        }
    }

    /// Posts everything due now, a batch at a time, until the endpoint fails or nothing is due.
    fn drain(&self) {
        let url = &self.target.route.url;
        loop {
            let now_ms = self.clock.unix_ms();
            if now_ms < self.paused_until.get() {
                return;
            }
            let lease = format_ms(now_ms.saturating_add(self.lease.as_millis() as u64));
            let items = match self
                .store
                .webhook_claim(url, &format_ms(now_ms), &lease, BATCH)
            {
                Ok(items) => items,
                Err(e) => {
                    crate::log::error("webhook_claim_failed", &e.to_string());
                    return;
                }
            };
            let full = items.len() == BATCH;
            let mut down: Option<String> = None;
            let mut outcomes = Vec::with_capacity(items.len());
            for item in &items {
                if let Some(at) = &down {
                    outcomes.push((item.id, Delivery::Release { at: at.clone() }));
                    continue;
                }
                let outcome = match self.post(item) {
                    Ok(()) => Delivery::Sent {
                        at: self.clock.now(),
                    },
                    Err(f) => {
                        let outcome = self.after_failure(item, f.error);
                        if let (true, Delivery::Retry { at, .. }) = (f.endpoint_down, &outcome) {
                            down = Some(at.clone());
                        }
                        outcome
                    }
                };
                log(url, item, &outcome);
                outcomes.push((item.id, outcome));
            }
            if let Err(e) = self.store.webhook_finish(&outcomes) {
                // The leases run out and the rows are posted again: duplicates, same ids.
                crate::log::error("webhook_mark_failed", &e.to_string());
                return;
            }
            if let Some(at) = down {
                self.paused_until
                    .set(crate::clock::parse_rfc3339(&at).unwrap_or(now_ms));
                return;
            }
            if !full {
                return;
            }
        }
    }

    /// One signed post of one row.
    fn post(&self, item: &WebhookItem) -> Result<(), Failure> {
        // The receiver compares this with its own clock (the spec's five-minute tolerance),
        // so it is the machine's time, not the injectable clock.
        let timestamp = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_secs());
        let sig = signature(&self.target.keys, &item.event_id, timestamp, &item.payload);
        let sent = self
            .agent
            .post(&self.target.route.url)
            .header("content-type", "application/json")
            .header("webhook-id", &item.event_id)
            .header("webhook-timestamp", timestamp.to_string())
            .header("webhook-signature", sig)
            .send(item.payload.as_bytes());
        let mut response = match sent {
            Ok(r) => r,
            Err(e) => {
                return Err(Failure {
                    endpoint_down: true,
                    error: e.to_string(),
                })
            }
        };
        // Read (a little of) the answer so the connection can be kept for the next post.
        let _ = response
            .body_mut()
            .with_config()
            .limit(64 * 1024)
            .read_to_vec();
        let status = response.status().as_u16();
        match status {
            200..=299 => Ok(()),
            _ => Err(Failure {
                endpoint_down: matches!(status, 408 | 429 | 500..=599),
                error: format!("HTTP {status}"),
            }),
        }
    }

    /// The next attempt after a failure, or the dead letter once the waits reach `give_up`.
    fn after_failure(&self, item: &WebhookItem, error: String) -> Delivery {
        let now_ms = self.clock.unix_ms();
        let waited: Duration = (1..item.attempts).map(|n| self.backoff(n)).sum();
        if waited >= self.give_up {
            return Delivery::Dead {
                at: format_ms(now_ms),
                error: format!("{} attempts; last: {error}", item.attempts),
            };
        }
        let wait = self.backoff(item.attempts);
        // ±25 %: a hash of the row and attempt under this process's random keys.
        let r = std::collections::hash_map::RandomState::new().hash_one((item.id, item.attempts));
        let jitter = 0.75 + (r % 1000) as f64 / 2000.0;
        let wait_ms = (wait.as_millis() as f64 * jitter) as u64;
        Delivery::Retry {
            at: format_ms(now_ms.saturating_add(wait_ms.max(1))),
            error,
        }
    }

    /// The wait after attempt `n` (1-based), before jitter.
    fn backoff(&self, n: u32) -> Duration {
        let doubling = 1u32 << n.saturating_sub(1).min(20);
        self.retry_base.saturating_mul(doubling).min(MAX_BACKOFF)
    }
}

/// One log line per attempt: the endpoint without its query (tokens travel there), the id.
fn log(url: &str, item: &WebhookItem, outcome: &Delivery) {
    let endpoint = url.split(['?', '#']).next().unwrap_or_default();
    let what = format!("{endpoint} {} attempt {}", item.event_id, item.attempts);
    match outcome {
        Delivery::Sent { .. } => crate::log::info("webhook_sent", &what),
        Delivery::Retry { error, .. } => {
            crate::log::error("webhook_retry", &format!("{what}: {error}"))
        }
        Delivery::Dead { error, .. } => {
            crate::log::error("webhook_dead", &format!("{what}: {error}"))
        }
        Delivery::Release { .. } => {}
    }
}

//! The sender thread: drains the store's outbox of confirmation mails, outside the request path
//! (a signup only writes its row; it never waits on the relay). It wakes when a signup queued a
//! mail and at least every second, claims what is due (leased, so a second process or a crash
//! mid-send cannot lose or double-take a row), sends it, and records the outcome: sent; retried
//! after 30 s, 1 min, 2 min… (capped at an hour) when the relay is down or answers 4xx; dead on
//! a 5xx, after [`MAX_ATTEMPTS`], when the link has expired, or when the contact was erased.
//! Rows survive restarts: a mail committed before a crash goes out at the next start.

use super::compose::{confirmation, Payload};
use super::Outgoing;
use crate::clock::{format_ms, Clock};
use crate::policy::Policy;
use crate::store::{OutboxItem, OutboxOutcome, Store};
use lettre::Transport;
use std::sync::mpsc::{Receiver, RecvTimeoutError, SyncSender};
use std::time::{Duration, UNIX_EPOCH};

/// Attempts before a mail is given up.
pub(crate) const MAX_ATTEMPTS: u32 = 12;
/// How long a claimed row is kept from other claims while it is being sent.
const LEASE: Duration = Duration::from_secs(120);
/// The longest wait between two attempts.
const MAX_BACKOFF: Duration = Duration::from_secs(3600);
/// How often the outbox is looked at without a wake-up.
const POLL: Duration = Duration::from_secs(1);
/// Rows claimed at once.
const BATCH: usize = 16;

/// Wakes the sender (a signup queued a mail); never blocks.
#[derive(Clone)]
pub(crate) struct Wake(SyncSender<()>);

impl Wake {
    pub(crate) fn now(&self) {
        let _ = self.0.try_send(());
    }
}

/// Starts the sender thread over its own connection to the store; it stops when every
/// [`Wake`] is dropped (the service shut down).
pub(crate) fn spawn(
    store: Store,
    out: Outgoing,
    policy: Policy,
    clock: Clock,
) -> Result<Wake, String> {
    let (tx, rx) = std::sync::mpsc::sync_channel(1);
    let sender = Sender {
        store,
        out,
        policy,
        clock,
    };
    std::thread::Builder::new()
        .name("signup-guard-mail".into())
        .spawn(move || sender.run(&rx))
        .map_err(|e| format!("cannot start the mail sender: {e}"))?;
    Ok(Wake(tx))
}

struct Sender {
    store: Store,
    out: Outgoing,
    policy: Policy,
    clock: Clock,
}

impl Sender {
    fn run(&self, wake: &Receiver<()>) {
        loop {
            self.drain();
            match wake.recv_timeout(POLL) {
                Ok(()) | Err(RecvTimeoutError::Timeout) => {}
                Err(RecvTimeoutError::Disconnected) => return,
            }
        }
    }

    /// Sends everything due now, a batch at a time.
    fn drain(&self) {
        loop {
            let now_ms = self.clock.unix_ms();
            let lease = now_ms.saturating_add(LEASE.as_millis() as u64);
            let claimed =
                self.store
                    .outbox_claim("mail", &format_ms(now_ms), &format_ms(lease), BATCH);
            let items = match claimed {
                Ok(items) => items,
                Err(e) => {
                    crate::log::error("outbox_claim_failed", &e.to_string());
                    return;
                }
            };
            let full = items.len() == BATCH;
            for item in items {
                let outcome = self.deliver(&item);
                match &outcome {
                    OutboxOutcome::Sent { .. } => {
                        crate::log::info("mail_sent", &item.id.to_string())
                    }
                    OutboxOutcome::Retry { error, .. } => {
                        crate::log::error("mail_retry", &format!("outbox {}: {error}", item.id));
                    }
                    OutboxOutcome::Dead { error, .. } => {
                        crate::log::error("mail_dead", &format!("outbox {}: {error}", item.id));
                    }
                }
                if let Err(e) = self.store.outbox_finish(item.id, &outcome) {
                    // The lease runs out and the row is tried again: at worst a second copy.
                    crate::log::error("outbox_mark_failed", &e.to_string());
                }
            }
            if !full {
                return;
            }
        }
    }

    /// One attempt at one row.
    fn deliver(&self, item: &OutboxItem) -> OutboxOutcome {
        let now_ms = self.clock.unix_ms();
        let at = format_ms(now_ms);
        let dead = |error: String| OutboxOutcome::Dead {
            at: at.clone(),
            error,
        };
        let payload: Payload = match serde_json::from_str(&item.payload) {
            Ok(p) => p,
            Err(e) => return dead(format!("unreadable payload: {e}")),
        };
        if payload.template != "confirm" {
            return dead(format!("unknown template {:?}", payload.template));
        }
        if payload.expires_at <= at {
            return dead("the link expired before the mail could be sent".into());
        }
        let address = match item.contact_id.map(|id| self.store.mail_address(id)) {
            Some(Ok(Some(a))) => a,
            Some(Ok(None)) | None => return dead("the contact was erased".into()),
            Some(Err(e)) => return self.retry(item, now_ms, e.to_string()),
        };
        let created = crate::clock::parse_rfc3339(&item.created_at).unwrap_or(0);
        let message_id = format!("<sg-{}-{created}@{}>", item.id, self.out.domain);
        let date = UNIX_EPOCH + Duration::from_millis(now_ms);
        let mail = confirmation(
            &self.out,
            &self.policy,
            &address,
            &payload,
            message_id,
            date,
        );
        let mail = match mail {
            Ok(m) => m,
            Err(e) => return dead(e),
        };
        match self.out.transport.send(&mail) {
            Ok(_) => OutboxOutcome::Sent { at },
            Err(e) if e.is_permanent() => dead(format!("the relay refused it: {e}")),
            Err(e) => self.retry(item, now_ms, e.to_string()),
        }
    }

    /// The next attempt after a temporary failure, or dead after [`MAX_ATTEMPTS`].
    fn retry(&self, item: &OutboxItem, now_ms: u64, error: String) -> OutboxOutcome {
        if item.attempts >= MAX_ATTEMPTS {
            return OutboxOutcome::Dead {
                at: format_ms(now_ms),
                error: format!("{} attempts; last: {error}", item.attempts),
            };
        }
        let doubling = 1u32 << item.attempts.saturating_sub(1).min(20);
        let wait = self
            .out
            .retry_base
            .saturating_mul(doubling)
            .min(MAX_BACKOFF);
        OutboxOutcome::Retry {
            at: format_ms(now_ms.saturating_add(wait.as_millis() as u64)),
            error,
        }
    }
}

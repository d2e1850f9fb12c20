//! What the single writer is asked to do and what it answers, whatever the backend: the jobs
//! (a submission, a withdrawal), their answers and errors, and the [`WriterHandle`] requests use
//! to queue a job and await its answer. The answer comes on a tokio oneshot only after the
//! job's transaction committed; the backend's writer thread owns the connection.

use crate::clock::Clock;
use crate::issue::Issue;
use crate::verdict::Contact;
use serde::Serialize;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{mpsc, oneshot};

/// Jobs that may wait for the writer; beyond this, requests get 503 at once (back-pressure).
pub const QUEUE: usize = 16_384;

/// What every event of one request shares.
#[derive(Debug, Clone)]
pub struct EventMeta {
    /// Policy id, version and whole-file hash in force.
    pub policy_id: String,
    /// Policy version.
    pub policy_version: String,
    /// SHA-256 of the policy.
    pub policy_hash: String,
    /// Locale of the texts shown.
    pub locale: String,
    /// `api`, `web_form` or `unsubscribe_link`.
    pub method: &'static str,
    /// Server time received.
    pub received_at: String,
    /// Client's claimed time.
    pub claimed_at: Option<String>,
    /// User-Agent, truncated.
    pub user_agent: Option<String>,
}

/// One granted purpose to log.
#[derive(Debug, Clone)]
pub struct Grant {
    /// Purpose id.
    pub purpose: String,
    /// SHA-256 of the text shown.
    pub text_hash: String,
    /// Whether the policy required it to submit.
    pub required: bool,
}

/// A valid submission to store.
#[derive(Debug)]
pub struct Submit {
    /// The normalized contact from the verdict.
    pub contact: Contact,
    /// Warnings to echo back.
    pub warnings: Vec<Issue>,
    /// Purposes granted.
    pub grants: Vec<Grant>,
    /// Event context.
    pub meta: EventMeta,
    /// `Idempotency-Key` and the payload fingerprint.
    pub idempotency: Option<(String, String)>,
    /// Double opt-in: store the contact as pending, log requests instead of grants, and queue
    /// a confirmation mail (within the limits); `None` grants at once.
    pub confirm: Option<ConfirmMail>,
}

impl Submit {
    /// A valid signup of person `n` (`p{n}@example.org`, Jane Doe, Indonesia) granting the
    /// newsletter, received at `received_at`: the one fixture the store's tests and
    /// `examples/writer_load` store, so neither spells out every field.
    #[doc(hidden)]
    pub fn sample(n: usize, received_at: String) -> Submit {
        let email = format!("p{n}@example.org");
        Submit {
            contact: Contact {
                email: Some(email.clone()),
                email_display: Some(email.clone()),
                email_key: Some(email),
                phone_e164: None,
                phone_type: None,
                phone_display: None,
                phone_extension: None,
                given_name: Some("Jane".into()),
                family_name: Some("Doe".into()),
                country: Some("ID".into()),
                locale: "en".into(),
                consent: vec!["newsletter".into()],
                custom: Default::default(),
                source: None,
            },
            warnings: Vec::new(),
            grants: vec![Grant {
                purpose: "newsletter".into(),
                text_hash: "ab".repeat(32),
                required: false,
            }],
            meta: EventMeta {
                policy_id: "acme-news".into(),
                policy_version: "1".into(),
                policy_hash: "cd".repeat(32),
                locale: "en".into(),
                method: "api",
                received_at,
                claimed_at: None,
                user_agent: Some("sample".into()),
            },
            idempotency: None,
            confirm: None,
        }
    }
}

/// How a signup under double opt-in asks for its confirmation mail.
#[derive(Debug, Clone)]
pub struct ConfirmMail {
    /// The service's public origin (`https://verifier.example`): the link's base.
    pub base_url: String,
    /// How long the link works, and an unconfirmed contact is kept.
    pub within: Duration,
    /// Whether the client's own mail allowance (per address of the sender) is not spent.
    pub client_may_mail: bool,
    /// Now, in milliseconds since the epoch (the link's expiry counts from here).
    pub now_ms: u64,
}

/// Confirmation of an address through the mailed link (the POST, never the GET).
#[derive(Debug)]
pub struct Confirm {
    /// Contact row id from the token.
    pub contact_id: i64,
    /// When the link stops working (milliseconds since the epoch), from the token.
    pub expires_ms: u64,
    /// The token's MAC over the contact's key and the expiry.
    pub mac: String,
    /// Now, in milliseconds since the epoch.
    pub now_ms: u64,
    /// Event context (method `double_opt_in`; policy and locale come from the request).
    pub meta: EventMeta,
}

/// What a confirmation did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Confirmed {
    /// The address is confirmed now; these purposes became granted.
    Now(Vec<String>),
    /// Nothing was waiting: confirmed before (a second click).
    Already,
    /// The link is past its time; nothing changed.
    Expired,
}

/// A withdrawal through an unsubscribe token.
#[derive(Debug)]
pub struct Withdraw {
    /// Contact row id from the token.
    pub contact_id: i64,
    /// Purpose from the token.
    pub purpose: String,
    /// The token's MAC, checked against the contact's key.
    pub mac: String,
    /// Event context (locale is replaced by the contact's).
    pub meta: EventMeta,
}

/// The stored answer to a submission.
#[derive(Debug, Clone)]
pub struct Answer {
    /// 201 created, 200 updated (or whatever a replay stored).
    pub status: u16,
    /// The JSON body, identical on replay.
    pub body: String,
    /// Unsubscribe tokens by purpose (empty on replay).
    pub unsubscribe: Vec<(String, String)>,
    /// Whether this is a stored answer returned for a retried `Idempotency-Key`.
    pub replayed: bool,
    /// Whether a mail was queued in the outbox (the sender may look now).
    pub mail_queued: bool,
}

/// Why a write did not happen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WriteError {
    /// The same `Idempotency-Key` came with another payload.
    KeyReused,
    /// The unsubscribe token does not match any contact.
    TokenInvalid,
    /// The store cannot take writes now (disk full, locked, queue full); retry later.
    Unavailable(String),
    /// Anything else; logged, never shown.
    Internal(String),
}

/// How the writer thread runs.
#[derive(Debug, Clone)]
pub struct WriterOptions {
    /// How long an `Idempotency-Key` answer is kept; older ones are swept and a reused key is new.
    pub idempotency_ttl: Duration,
    /// Where "now" comes from when judging the age of idempotency answers.
    pub clock: Clock,
    /// How long a contact may wait for its double opt-in confirmation before the sweep erases
    /// it (the policy's `confirm_within_days`).
    pub confirm_within: Duration,
    /// Test hook, `None` in production: the writer sleeps this long after each `COMMIT` before
    /// answering, so a test can kill the process between commit and response.
    #[doc(hidden)]
    pub pause_after_commit: Option<Duration>,
}

/// Where a job's answer goes.
pub(crate) type Reply<T> = oneshot::Sender<Result<T, WriteError>>;

/// One request to the writer thread.
pub(crate) enum Job {
    Submit(Box<Submit>, Reply<Answer>),
    Withdraw(Box<Withdraw>, Reply<bool>),
    Confirm(Box<Confirm>, Reply<Confirmed>),
}

/// What an applied job answers, before its batch is committed (both backends' writers).
pub(crate) enum Outcome {
    Submit(Result<Answer, WriteError>),
    Withdraw(Result<bool, WriteError>),
    Confirm(Result<Confirmed, WriteError>),
}

impl Outcome {
    /// The error the job met, if any.
    pub(crate) fn error(&self) -> Option<&WriteError> {
        match self {
            Outcome::Submit(r) => r.as_ref().err(),
            Outcome::Withdraw(r) => r.as_ref().err(),
            Outcome::Confirm(r) => r.as_ref().err(),
        }
    }
}

impl Job {
    /// Sends the job's answer: its outcome, or the batch's error when nothing of the batch was
    /// stored.
    /// Returns the request itself, so that a writer answering a batch can free the requests
    /// after every answer is on its way.
    pub(crate) fn reply(self, outcome: Result<Outcome, WriteError>) -> Spent {
        let mismatch = || WriteError::Internal("an outcome of another kind".into());
        match (self, outcome) {
            (Job::Submit(j, tx), Ok(Outcome::Submit(r))) => {
                drop(tx.send(r));
                Spent::Submit(j)
            }
            (Job::Withdraw(j, tx), Ok(Outcome::Withdraw(r))) => {
                drop(tx.send(r));
                Spent::Withdraw(j)
            }
            (Job::Confirm(j, tx), Ok(Outcome::Confirm(r))) => {
                drop(tx.send(r));
                Spent::Confirm(j)
            }
            (Job::Submit(j, tx), outcome) => {
                drop(tx.send(Err(outcome.err().unwrap_or_else(mismatch))));
                Spent::Submit(j)
            }
            (Job::Withdraw(j, tx), outcome) => {
                drop(tx.send(Err(outcome.err().unwrap_or_else(mismatch))));
                Spent::Withdraw(j)
            }
            (Job::Confirm(j, tx), outcome) => {
                drop(tx.send(Err(outcome.err().unwrap_or_else(mismatch))));
                Spent::Confirm(j)
            }
        }
    }
}

/// An answered job's request, kept only to be freed later (see [`Job::reply`]).
#[expect(dead_code, reason = "held to be dropped, never read")]
pub(crate) enum Spent {
    Submit(Box<Submit>),
    Withdraw(Box<Withdraw>),
    Confirm(Box<Confirm>),
}

/// The handle requests use to reach the writer thread.
#[derive(Clone)]
pub struct WriterHandle {
    tx: mpsc::Sender<Job>,
    /// Whether the database answered when last asked (see [`WriterHandle::is_reachable`]).
    reachable: Arc<AtomicBool>,
}

/// A new queue of [`QUEUE`] jobs: the handle for requests, the receiver for the writer thread.
pub(crate) fn queue() -> (WriterHandle, mpsc::Receiver<Job>) {
    let (tx, rx) = mpsc::channel(QUEUE);
    let reachable = Arc::new(AtomicBool::new(true));
    (WriterHandle { tx, reachable }, rx)
}

impl WriterHandle {
    /// Queues a submission and waits for its commit.
    pub async fn submit(&self, job: Submit) -> Result<Answer, WriteError> {
        let (tx, rx) = oneshot::channel();
        self.send(Job::Submit(Box::new(job), tx))?;
        rx.await
            .unwrap_or_else(|_| Err(WriteError::Unavailable("writer stopped".into())))
    }

    /// Queues a withdrawal; `Ok(true)` when an event was appended, `Ok(false)` when the purpose
    /// was not (or no longer) granted.
    pub async fn withdraw(&self, job: Withdraw) -> Result<bool, WriteError> {
        let (tx, rx) = oneshot::channel();
        self.send(Job::Withdraw(Box::new(job), tx))?;
        rx.await
            .unwrap_or_else(|_| Err(WriteError::Unavailable("writer stopped".into())))
    }

    /// Queues a confirmation (double opt-in) and waits for its commit.
    pub async fn confirm(&self, job: Confirm) -> Result<Confirmed, WriteError> {
        let (tx, rx) = oneshot::channel();
        self.send(Job::Confirm(Box::new(job), tx))?;
        rx.await
            .unwrap_or_else(|_| Err(WriteError::Unavailable("writer stopped".into())))
    }

    fn send(&self, job: Job) -> Result<(), WriteError> {
        self.tx.try_send(job).map_err(|e| match e {
            mpsc::error::TrySendError::Full(_) => WriteError::Unavailable("queue full".into()),
            mpsc::error::TrySendError::Closed(_) => {
                WriteError::Unavailable("writer stopped".into())
            }
        })
    }

    /// Whether the writer thread is still running.
    pub fn is_alive(&self) -> bool {
        !self.tx.is_closed()
    }

    /// Whether the database answered when last asked: on PostgreSQL, by the writer's last batch
    /// and a connection the replica's sweep thread probes every second; a SQLite file always is.
    /// What `GET /healthz` reports, so a load balancer can take a replica out while its database
    /// is down (its signups would only get 503s).
    pub fn is_reachable(&self) -> bool {
        self.reachable.load(Ordering::Relaxed)
    }

    /// The flag behind [`WriterHandle::is_reachable`], for the threads that learn it.
    #[cfg_attr(not(feature = "postgres"), allow(dead_code))]
    pub(crate) fn reachability(&self) -> Arc<AtomicBool> {
        self.reachable.clone()
    }
}

/// The body of a stored submission's answer.
#[derive(Serialize)]
struct Stored<'a> {
    ok: bool,
    status: &'a str,
    contact: &'a Contact,
    issues: &'a [Issue],
    unsubscribe: std::collections::BTreeMap<&'a str, String>,
}

/// The body answering a signup under double opt-in.
#[derive(Serialize)]
struct Pending<'a> {
    ok: bool,
    status: &'a str,
    contact: &'a Contact,
    issues: &'a [Issue],
}

/// The JSON body answering a signup under double opt-in (`202`): the same for a new, a pending
/// and a confirmed address (no unsubscribe links, no "created" or "updated"), so it tells
/// nobody who is on the list; it echoes only what the request itself carried, normalized.
pub(crate) fn pending_body(s: &Submit) -> Result<String, WriteError> {
    let pending = Pending {
        ok: true,
        status: "confirmation_pending",
        contact: &s.contact,
        issues: &s.warnings,
    };
    serde_json::to_string(&pending).map_err(|e| WriteError::Internal(e.to_string()))
}

/// The JSON body answering a stored submission (kept with an `Idempotency-Key` and replayed
/// byte for byte): status, contact, warnings and an unsubscribe link per granted purpose.
pub(crate) fn answer_body(
    created: bool,
    s: &Submit,
    unsubscribe: &[(String, String)],
) -> Result<String, WriteError> {
    const LINK: &str = "/v1/unsubscribe?token=";
    let stored = Stored {
        ok: true,
        status: if created { "created" } else { "updated" },
        contact: &s.contact,
        issues: &s.warnings,
        unsubscribe: unsubscribe
            .iter()
            .map(|(p, t)| {
                let mut link = String::with_capacity(LINK.len() + t.len());
                link.push_str(LINK);
                link.push_str(t);
                (p.as_str(), link)
            })
            .collect(),
    };
    // Sized once for a typical answer, so the encoder does not grow it step by step.
    let mut body = Vec::with_capacity(1024);
    serde_json::to_writer(&mut body, &stored).map_err(|e| WriteError::Internal(e.to_string()))?;
    String::from_utf8(body).map_err(|e| WriteError::Internal(e.to_string()))
}

//! What the single writer is asked to do and what it answers, whatever the backend: the jobs
//! (a submission, a withdrawal), their answers and errors, and the [`WriterHandle`] requests use
//! to queue a job and await its answer. The answer comes on a tokio oneshot only after the
//! job's transaction committed; the backend's writer thread owns the connection.

use crate::clock::Clock;
use crate::issue::Issue;
use crate::verdict::Contact;
use serde::Serialize;
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
}

/// The handle requests use to reach the writer thread.
#[derive(Clone)]
pub struct WriterHandle {
    tx: mpsc::Sender<Job>,
}

/// A new queue of [`QUEUE`] jobs: the handle for requests, the receiver for the writer thread.
pub(crate) fn queue() -> (WriterHandle, mpsc::Receiver<Job>) {
    let (tx, rx) = mpsc::channel(QUEUE);
    (WriterHandle { tx }, rx)
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

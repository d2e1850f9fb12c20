//! The single writer: one thread owns the write connection and commits in groups. It takes every
//! job waiting in its queue (up to [`MAX_BATCH`]), applies each inside its own savepoint, commits
//! them all with one `COMMIT` (one fsync at `synchronous=FULL`), and only then answers each
//! request. So durability costs one fsync per batch, not per request, and nothing is acknowledged
//! before it is on disk. A job that fails rolls back alone; a failed commit fails the whole batch
//! and the in-memory chain head is left as it was. `SQLITE_FULL` and I/O errors may make SQLite
//! roll back the whole transaction even mid-batch: then every request of the batch hears 503,
//! and the next batch starts clean (a disk that fills and empties needs no restart).

use super::chain::{Action, Event};
use super::clock::Clock;
use super::store;
use super::tokens::Keys;
use crate::issue::Issue;
use crate::verdict::Contact;
use rusqlite::{params, Connection, ErrorCode, OptionalExtension, TransactionBehavior};
use serde::Serialize;
use tokio::sync::{mpsc, oneshot};

/// Most jobs committed in one transaction.
pub const MAX_BATCH: usize = 1024;
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

impl From<rusqlite::Error> for WriteError {
    fn from(e: rusqlite::Error) -> Self {
        match e.sqlite_error_code() {
            Some(ErrorCode::DiskFull | ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked) => {
                WriteError::Unavailable(e.to_string())
            }
            Some(ErrorCode::ReadOnly | ErrorCode::CannotOpen | ErrorCode::SystemIoFailure) => {
                WriteError::Unavailable(e.to_string())
            }
            _ => WriteError::Internal(e.to_string()),
        }
    }
}

enum Job {
    Submit(Box<Submit>, oneshot::Sender<Result<Answer, WriteError>>),
    Withdraw(Box<Withdraw>, oneshot::Sender<Result<bool, WriteError>>),
}

/// The handle requests use to reach the writer thread.
#[derive(Clone)]
pub struct WriterHandle {
    tx: mpsc::Sender<Job>,
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

/// Starts the writer thread on `conn`; it ends when every handle is dropped and the queue is empty.
///
/// `pause_after_commit` is a test hook (see [`super::Config::pause_after_commit`]): the writer
/// sleeps that long after each successful `COMMIT` before answering, so a test can kill the
/// process between commit and response. `None` in every real deployment.
pub fn spawn(
    conn: Connection,
    db: &std::path::Path,
    keys: Keys,
    pause_after_commit: Option<std::time::Duration>,
    idempotency_ttl: std::time::Duration,
    clock: Clock,
) -> Result<(WriterHandle, std::thread::JoinHandle<()>), super::store::StoreError> {
    let head = store::chain_head(&conn)
        .map_err(|e| super::store::StoreError(format!("cannot read the consent log: {e}")))?;
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let checkpointer = store::checkpointer(db, stop.clone(), idempotency_ttl, clock.clone())?;
    conn.execute_batch(
        "PRAGMA wal_autocheckpoint = 0; PRAGMA cache_size = -32768; PRAGMA journal_size_limit = 67108864;",
    )
    .map_err(|e| super::store::StoreError(format!("cannot configure the database: {e}")))?;
    let (tx, rx) = mpsc::channel(QUEUE);
    let mut writer = Writer {
        conn,
        keys,
        seq: head.0,
        head: head.1,
        pause_after_commit,
        idempotency_ttl,
        clock,
    };
    let thread = std::thread::Builder::new()
        .name("signup-guard-writer".into())
        .spawn(move || {
            writer.run(rx);
            stop.store(true, std::sync::atomic::Ordering::Relaxed);
            let _ = checkpointer.join();
        })
        .map_err(|e| super::store::StoreError(format!("cannot start the writer thread: {e}")))?;
    Ok((WriterHandle { tx }, thread))
}

struct Writer {
    conn: Connection,
    keys: Keys,
    seq: i64,
    head: String,
    pause_after_commit: Option<std::time::Duration>,
    idempotency_ttl: std::time::Duration,
    clock: Clock,
}

enum Done {
    Submit(
        oneshot::Sender<Result<Answer, WriteError>>,
        Result<Answer, WriteError>,
    ),
    Withdraw(
        oneshot::Sender<Result<bool, WriteError>>,
        Result<bool, WriteError>,
    ),
}

impl Writer {
    fn run(&mut self, mut rx: mpsc::Receiver<Job>) {
        let mut batch = Vec::with_capacity(MAX_BATCH);
        while let Some(first) = rx.blocking_recv() {
            batch.push(first);
            while batch.len() < MAX_BATCH {
                match rx.try_recv() {
                    Ok(job) => batch.push(job),
                    Err(_) => break,
                }
            }
            self.commit_batch(&mut batch);
        }
    }

    fn commit_batch(&mut self, batch: &mut Vec<Job>) {
        let (seq0, head0) = (self.seq, self.head.clone());
        let mut done = Vec::with_capacity(batch.len());
        let outcome = self.apply_all(batch.drain(..), &mut done);
        if let Err(e) = outcome {
            // Nothing of this batch is stored: every request hears so, and the head is restored.
            super::log::error("commit_failed", &e_text(&e));
            self.seq = seq0;
            self.head = head0;
            for d in done {
                match d {
                    Done::Submit(tx, _) => {
                        let _ = tx.send(Err(e.clone()));
                    }
                    Done::Withdraw(tx, _) => {
                        let _ = tx.send(Err(e.clone()));
                    }
                }
            }
            return;
        }
        if let Some(pause) = self.pause_after_commit {
            std::thread::sleep(pause);
        }
        for d in done {
            match d {
                Done::Submit(tx, r) => {
                    let _ = tx.send(r);
                }
                Done::Withdraw(tx, r) => {
                    let _ = tx.send(r);
                }
            }
        }
    }

    fn apply_all(
        &mut self,
        jobs: impl Iterator<Item = Job>,
        done: &mut Vec<Done>,
    ) -> Result<(), WriteError> {
        let mut jobs = jobs.peekable();
        if !self.conn.is_autocommit() {
            // A failed COMMIT or ROLLBACK (disk full, I/O error) may have left a transaction
            // open; end it, or every later batch would fail to begin and the writer stay stuck.
            let _ = self.conn.execute_batch("ROLLBACK");
        }
        let mut tx = match self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
        {
            Ok(tx) => tx,
            Err(e) => {
                let e = WriteError::from(e);
                for job in jobs {
                    push_failed(job, &e, done);
                }
                return Err(e);
            }
        };
        // Read the chain head under the write lock: if another process also wrote to this file
        // (an old server still draining during a restart), the chain continues from the real
        // head instead of forking or colliding on `seq`. One indexed lookup per batch.
        match store::chain_head(&tx) {
            Ok((seq, head)) => {
                self.seq = seq;
                self.head = head;
            }
            Err(e) => {
                let e = WriteError::from(e);
                for job in jobs {
                    push_failed(job, &e, done);
                }
                return Err(e);
            }
        }
        while let Some(job) = jobs.next() {
            let (seq0, head0) = (self.seq, self.head.clone());
            let mut sp = match tx.savepoint() {
                Ok(sp) => sp,
                Err(e) => {
                    let e = WriteError::from(e);
                    push_failed(job, &e, done);
                    for job in jobs.by_ref() {
                        push_failed(job, &e, done);
                    }
                    return Err(e);
                }
            };
            sp.set_drop_behavior(rusqlite::DropBehavior::Rollback);
            let result = match job {
                Job::Submit(s, reply) => {
                    let expired_before = self.clock.ago(self.idempotency_ttl);
                    let r = apply_submit(
                        &sp,
                        &self.keys,
                        &mut self.seq,
                        &mut self.head,
                        &s,
                        &expired_before,
                    );
                    let r = r.and_then(|a| sp.commit().map(|_| a).map_err(WriteError::from));
                    let failed = r.is_err();
                    done.push(Done::Submit(reply, r));
                    failed
                }
                Job::Withdraw(w, reply) => {
                    let r = apply_withdraw(&sp, &self.keys, &mut self.seq, &mut self.head, &w);
                    let r = r.and_then(|a| sp.commit().map(|_| a).map_err(WriteError::from));
                    let failed = r.is_err();
                    done.push(Done::Withdraw(reply, r));
                    failed
                }
            };
            if result {
                self.seq = seq0;
                self.head = head0;
                // SQLITE_FULL, IOERR and the like may roll back the whole transaction: then the
                // rest of the batch must not run in autocommit mode, and nothing here is stored.
                if tx.is_autocommit() {
                    // Keep the cause (e.g. "database or disk is full") for the operator's log.
                    let cause = match done.last() {
                        Some(Done::Submit(_, Err(e))) => e_text(e),
                        Some(Done::Withdraw(_, Err(e))) => e_text(e),
                        _ => String::new(),
                    };
                    let e = WriteError::Unavailable(format!(
                        "the transaction was rolled back: {cause}"
                    ));
                    for job in jobs.by_ref() {
                        push_failed(job, &e, done);
                    }
                    return Err(e);
                }
            }
        }
        tx.commit().map_err(WriteError::from)
    }
}

fn push_failed(job: Job, e: &WriteError, done: &mut Vec<Done>) {
    done.push(match job {
        Job::Submit(_, r) => Done::Submit(r, Err(e.clone())),
        Job::Withdraw(_, r) => Done::Withdraw(r, Err(e.clone())),
    });
}

fn e_text(e: &WriteError) -> String {
    format!("{e:?}")
}

/// Appends one event at the head of the chain.
fn append(
    conn: &Connection,
    seq: &mut i64,
    head: &mut String,
    mut event: Event,
) -> rusqlite::Result<()> {
    event.seq = *seq + 1;
    event.prev_hash = head.clone();
    let hash = event.hash();
    store::insert_event(conn, &event, &hash)?;
    *seq = event.seq;
    *head = hash;
    Ok(())
}

fn event(meta: &EventMeta, contact_key: &str, action: Action, purpose: &str) -> Event {
    Event {
        seq: 0,
        contact_key: contact_key.to_owned(),
        action: action.as_str().to_owned(),
        purpose: purpose.to_owned(),
        policy_id: meta.policy_id.clone(),
        policy_version: meta.policy_version.clone(),
        policy_hash: meta.policy_hash.clone(),
        text_hash: None,
        rendered_checked: false,
        required_to_submit: false,
        locale: meta.locale.clone(),
        method: meta.method.to_owned(),
        received_at: meta.received_at.clone(),
        claimed_at: meta.claimed_at.clone(),
        user_agent: meta.user_agent.clone(),
        prev_hash: String::new(),
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

/// The dedup key a contact is stored under: its email key, else `tel:` + E.164.
pub fn dedup_key(c: &Contact) -> Option<String> {
    c.email_key
        .clone()
        .or_else(|| c.phone_e164.as_ref().map(|p| format!("tel:{p}")))
}

fn apply_submit(
    conn: &Connection,
    keys: &Keys,
    seq: &mut i64,
    head: &mut String,
    s: &Submit,
    expired_before: &str,
) -> Result<Answer, WriteError> {
    if let Some((key, fingerprint)) = &s.idempotency {
        let seen: Option<(String, i64, String, String)> = conn
            .prepare_cached(
                "SELECT fingerprint, status, body, created_at FROM idempotency WHERE key = ?1",
            )?
            .query_row([key], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
            .optional()?;
        // A record past its age is forgotten even before the sweep removes it: the key is new.
        let seen = match seen {
            Some((.., created)) if created.as_str() < expired_before => {
                conn.prepare_cached("DELETE FROM idempotency WHERE key = ?1")?
                    .execute([key])?;
                None
            }
            Some((fp, status, body, _)) => Some((fp, status, body)),
            None => None,
        };
        if let Some((fp, status, body)) = seen {
            if &fp != fingerprint {
                return Err(WriteError::KeyReused);
            }
            return Ok(Answer {
                status: u16::try_from(status).unwrap_or(200),
                body,
                unsubscribe: Vec::new(),
                replayed: true,
            });
        }
    }
    let c = &s.contact;
    let Some(dedup) = dedup_key(c) else {
        return Err(WriteError::Internal("contact without a dedup key".into()));
    };
    let contact_key = keys.contact_key(&dedup);
    let now = &s.meta.received_at;
    let existing: Option<i64> = match &c.email_key {
        Some(key) => conn
            .prepare_cached("SELECT id FROM contacts WHERE email_key = ?1")?
            .query_row([key], |r| r.get(0))
            .optional()?,
        None => conn
            .prepare_cached("SELECT id FROM contacts WHERE phone_e164 = ?1 AND email_key IS NULL")?
            .query_row([&c.phone_e164], |r| r.get(0))
            .optional()?,
    };
    let phone_type = c.phone_type.map(|t| t.as_str());
    let (id, created) = match existing {
        Some(id) => {
            conn.prepare_cached(
                "UPDATE contacts SET email = coalesce(?2, email), email_display = coalesce(?3, email_display),
                    phone_e164 = coalesce(?4, phone_e164), phone_type = coalesce(?5, phone_type),
                    phone_display = coalesce(?6, phone_display), phone_extension = coalesce(?7, phone_extension),
                    given_name = coalesce(?8, given_name), family_name = coalesce(?9, family_name),
                    country = coalesce(?10, country), locale = ?11, updated_at = ?12
                 WHERE id = ?1",
            )?
            .execute(params![
                id, c.email, c.email_display, c.phone_e164, phone_type, c.phone_display,
                c.phone_extension, c.given_name, c.family_name, c.country, c.locale, now
            ])?;
            (id, false)
        }
        None => {
            conn.prepare_cached(
                "INSERT INTO contacts (contact_key, email_key, email, email_display, phone_e164,
                    phone_type, phone_display, phone_extension, given_name, family_name, country,
                    locale, created_at, updated_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?13)",
            )?
            .execute(params![
                contact_key,
                c.email_key,
                c.email,
                c.email_display,
                c.phone_e164,
                phone_type,
                c.phone_display,
                c.phone_extension,
                c.given_name,
                c.family_name,
                c.country,
                c.locale,
                now
            ])?;
            (conn.last_insert_rowid(), true)
        }
    };
    let mut unsubscribe = Vec::with_capacity(s.grants.len());
    for g in &s.grants {
        let mut e = event(&s.meta, &contact_key, Action::Grant, &g.purpose);
        e.text_hash = Some(g.text_hash.clone());
        e.required_to_submit = g.required;
        append(conn, seq, head, e)?;
        set_state(conn, id, &g.purpose, Action::Grant, *seq, now)?;
        unsubscribe.push((
            g.purpose.clone(),
            keys.unsubscribe_token(id, &contact_key, &g.purpose),
        ));
    }
    let status = if created { 201 } else { 200 };
    let body = serde_json::to_string(&Stored {
        ok: true,
        status: if created { "created" } else { "updated" },
        contact: c,
        issues: &s.warnings,
        unsubscribe: unsubscribe
            .iter()
            .map(|(p, t)| (p.as_str(), format!("/v1/unsubscribe?token={t}")))
            .collect(),
    })
    .map_err(|e| WriteError::Internal(e.to_string()))?;
    if let Some((key, fingerprint)) = &s.idempotency {
        conn.prepare_cached(
            "INSERT INTO idempotency (key, fingerprint, status, body, created_at) VALUES (?1, ?2, ?3, ?4, ?5)",
        )?
        .execute(params![key, fingerprint, status, body, now])?;
    }
    Ok(Answer {
        status,
        body,
        unsubscribe,
        replayed: false,
    })
}

fn apply_withdraw(
    conn: &Connection,
    keys: &Keys,
    seq: &mut i64,
    head: &mut String,
    w: &Withdraw,
) -> Result<bool, WriteError> {
    let row: Option<(String, String)> = conn
        .prepare_cached("SELECT contact_key, locale FROM contacts WHERE id = ?1")?
        .query_row([w.contact_id], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    let Some((contact_key, locale)) = row else {
        return Err(WriteError::TokenInvalid);
    };
    if !keys.check_unsubscribe(&contact_key, &w.purpose, &w.mac) {
        return Err(WriteError::TokenInvalid);
    }
    let last: Option<String> = conn
        .prepare_cached("SELECT action FROM consent_state WHERE contact_id = ?1 AND purpose = ?2")?
        .query_row(params![w.contact_id, w.purpose], |r| r.get(0))
        .optional()?;
    if last.as_deref() != Some(Action::Grant.as_str()) {
        return Ok(false);
    }
    let mut e = event(&w.meta, &contact_key, Action::Withdraw, &w.purpose);
    e.locale = locale;
    append(conn, seq, head, e)?;
    set_state(
        conn,
        w.contact_id,
        &w.purpose,
        Action::Withdraw,
        *seq,
        &w.meta.received_at,
    )?;
    Ok(true)
}

/// Whom an erasure request names.
#[derive(Debug, Clone)]
pub enum EraseTarget {
    /// Contacts whose email dedup key is this (or whose stored address is exactly this).
    Email {
        /// The dedup key of the address as the core computes it, if it parses.
        key: Option<String>,
        /// The address as given.
        raw: String,
    },
    /// Contacts with this E.164 number.
    Phone(String),
}

/// What one erasure did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Erased {
    /// Contact rows blanked.
    pub contacts: usize,
    /// Withdrawal events appended (one per purpose still granted).
    pub events: usize,
    /// Stored `Idempotency-Key` answers deleted.
    pub idempotency: usize,
}

/// Erases a person (GDPR Art. 17) in one `IMMEDIATE` transaction on `conn`, beside a running
/// server: each still-granted purpose gets a `withdraw` event (method `erasure`) at the real head
/// of the chain, the contact row keeps only its id, `contact_key`, locale and timestamps, and
/// every stored idempotency answer that shows the contact is deleted. The log is never edited.
/// A later signup with the same address creates a fresh row (same `contact_key`).
pub fn erase(conn: &mut Connection, target: &EraseTarget, at: &str) -> Result<Erased, WriteError> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let (mut seq, mut head) = store::chain_head(&tx)?;
    type Row = (
        i64,
        String,
        String,
        Option<String>,
        Option<String>,
        Option<String>,
    );
    let rows: Vec<Row> = {
        const COLUMNS: &str = "SELECT id, contact_key, locale, email, email_display, phone_e164 \
                               FROM contacts WHERE";
        // The email key is indexed; an address the parser refuses can only match as stored, and
        // a phone number may sit on any row (both scan the table, inside the write lock).
        let (filter, arg) = match target {
            EraseTarget::Email { key: Some(key), .. } => ("email_key = ?1", key),
            EraseTarget::Email { key: None, raw } => ("email = ?1", raw),
            EraseTarget::Phone(e164) => ("phone_e164 = ?1", e164),
        };
        let sql = format!("{COLUMNS} {filter}");
        let mut stmt = tx.prepare(&sql)?;
        let found = stmt.query_map([arg], |r| {
            Ok((
                r.get(0)?,
                r.get(1)?,
                r.get(2)?,
                r.get(3)?,
                r.get(4)?,
                r.get(5)?,
            ))
        })?;
        found.collect::<rusqlite::Result<_>>()?
    };
    let mut done = Erased::default();
    for (id, contact_key, locale, email, display, phone) in rows {
        let granted: Vec<(String, String, String, String)> = {
            let mut stmt = tx.prepare(
                "SELECT s.purpose, e.policy_id, e.policy_version, e.policy_hash
                 FROM consent_state s JOIN consent_events e ON e.seq = s.seq
                 WHERE s.contact_id = ?1 AND s.action = 'grant' ORDER BY s.purpose",
            )?;
            let found =
                stmt.query_map([id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?;
            found.collect::<rusqlite::Result<_>>()?
        };
        for (purpose, policy_id, policy_version, policy_hash) in granted {
            let meta = EventMeta {
                policy_id,
                policy_version,
                policy_hash,
                locale: locale.clone(),
                method: "erasure",
                received_at: at.to_owned(),
                claimed_at: None,
                user_agent: None,
            };
            append(
                &tx,
                &mut seq,
                &mut head,
                event(&meta, &contact_key, Action::Withdraw, &purpose),
            )?;
            set_state(&tx, id, &purpose, Action::Withdraw, seq, at)?;
            done.events += 1;
        }
        // The stored answers carry the contact as JSON: find them by the JSON form of each
        // personal value (the same encoder wrote them). Deleting another person's answer that
        // happens to share a value only costs that client a replay.
        let needles: Vec<String> = [email, display, phone]
            .into_iter()
            .flatten()
            .filter_map(|v| serde_json::to_string(&v).ok())
            .collect();
        for needle in needles {
            done.idempotency += tx
                .prepare_cached("DELETE FROM idempotency WHERE instr(body, ?1) > 0")?
                .execute([needle])?;
        }
        tx.prepare_cached(
            "UPDATE contacts SET email_key = NULL, email = NULL, email_display = NULL,
                phone_e164 = NULL, phone_type = NULL, phone_display = NULL, phone_extension = NULL,
                given_name = NULL, family_name = NULL, country = NULL, updated_at = ?2
             WHERE id = ?1",
        )?
        .execute(params![id, at])?;
        done.contacts += 1;
    }
    tx.commit()?;
    Ok(done)
}

/// Records the latest action for a contact and purpose (the log stays the evidence).
fn set_state(
    conn: &Connection,
    contact_id: i64,
    purpose: &str,
    action: Action,
    seq: i64,
    at: &str,
) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "INSERT INTO consent_state (contact_id, purpose, action, seq, at) VALUES (?1, ?2, ?3, ?4, ?5)
         ON CONFLICT (contact_id, purpose) DO UPDATE SET action = ?3, seq = ?4, at = ?5",
    )?
    .execute(params![contact_id, purpose, action.as_str(), seq, at])?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The instant the writer tests run at: any fixed instant works, since nothing reads the
    /// machine's clock.
    fn test_clock() -> Clock {
        Clock::fixed(super::super::clock::parse_rfc3339("2026-11-23T10:00:00Z").unwrap())
    }

    fn job(n: usize, key: Option<String>, clock: &Clock) -> Submit {
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
                received_at: clock.now(),
                claimed_at: None,
                user_agent: Some("writer test".into()),
            },
            idempotency: key.map(|k| (k, format!("fingerprint-{n}"))),
        }
    }

    /// `SQLITE_FULL` in the middle of group commits (the database may not grow past a few
    /// pages): each request hears exactly whether it was stored, the chain stays whole, and the
    /// writer keeps serving later batches.
    #[test]
    fn sqlite_full_mid_batch_fails_only_what_was_not_stored() {
        let dir = std::env::temp_dir().join(format!("sg-writer-full-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let db = dir.join("full.db");
        let conn = store::open(&db).unwrap();
        let pages: i64 = conn
            .query_row("PRAGMA page_count", [], |r| r.get(0))
            .unwrap();
        let limit: i64 = conn
            .query_row(&format!("PRAGMA max_page_count = {}", pages + 6), [], |r| {
                r.get(0)
            })
            .unwrap();
        assert_eq!(limit, pages + 6);
        let clock = test_clock();
        let (writer, thread) = spawn(
            conn,
            &db,
            Keys::new(b"writer test".to_vec()),
            None,
            std::time::Duration::from_secs(86_400),
            clock.clone(),
        )
        .unwrap();
        let rt = tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap();
        let key = |n: usize| (n % 2 == 0).then(|| format!("key-{n}"));
        // One job per batch until the database is full...
        let mut results = Vec::new();
        loop {
            let n = results.len();
            assert!(n < 5000, "the database never filled");
            let r = rt.block_on(writer.submit(job(n, key(n), &clock)));
            let failed = r.is_err();
            results.push(r);
            if failed {
                break;
            }
        }
        let sequential = results.len() - 1;
        assert!(sequential > 1, "nothing fitted");
        // ...then many at once: group commits that fail part-way through. SQLite answers
        // SQLITE_FULL on a one-row INSERT by rolling back the whole transaction, so the jobs
        // applied before the failing one must hear 503 too.
        let first = results.len();
        let flood: Vec<Result<Answer, WriteError>> = rt.block_on(async {
            let tasks: Vec<_> = (first..first + 300)
                .map(|n| {
                    let w = writer.clone();
                    let job = job(n, key(n), &clock);
                    tokio::spawn(async move { w.submit(job).await })
                })
                .collect();
            let mut out = Vec::new();
            for t in tasks {
                out.push(t.await.unwrap());
            }
            out
        });
        results.extend(flood);
        let stored = results.iter().filter(|r| r.is_ok()).count();
        assert!(stored >= sequential);
        let check = store::open_read(&db).unwrap();
        for (n, r) in results.iter().enumerate() {
            let present: i64 = check
                .query_row(
                    "SELECT count(*) FROM contacts WHERE email_key = ?1",
                    [format!("p{n}@example.org")],
                    |r| r.get(0),
                )
                .unwrap();
            match r {
                Ok(a) => assert_eq!((a.status, present), (201, 1), "job {n}"),
                Err(e) => {
                    assert!(matches!(e, WriteError::Unavailable(_)), "job {n}: {e:?}");
                    assert_eq!(present, 0, "job {n} failed but was stored");
                }
            }
        }
        let events: i64 = check
            .query_row("SELECT count(*) FROM consent_events", [], |r| r.get(0))
            .unwrap();
        assert_eq!(events, stored as i64);
        assert_eq!(
            store::verify_chain(&check).unwrap(),
            store::ChainCheck::Intact {
                events: stored as u64,
                head: store::chain_head(&check).unwrap().1
            }
        );
        // Not poisoned: a later batch runs (a retried key replays its stored answer).
        let n = results
            .iter()
            .enumerate()
            .position(|(n, r)| r.is_ok() && key(n).is_some())
            .unwrap();
        let replay = rt.block_on(writer.submit(job(n, key(n), &clock))).unwrap();
        assert!(replay.replayed && replay.status == 201);
        drop(writer);
        thread.join().unwrap();
        let integrity: String = check
            .query_row("PRAGMA integrity_check", [], |r| r.get(0))
            .unwrap();
        assert_eq!(integrity, "ok");
        drop(check);
        let _ = std::fs::remove_dir_all(&dir);
    }

    /// An `Idempotency-Key` answer is replayed while it is younger than the TTL and forgotten
    /// after, judged by the injected clock alone (so the test means the same on any date).
    #[test]
    fn idempotency_answers_expire_by_the_injected_clock() {
        let dir = std::env::temp_dir().join(format!("sg-writer-ttl-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let db = dir.join("ttl.db");
        let clock = test_clock();
        let (writer, thread) = spawn(
            store::open(&db).unwrap(),
            &db,
            Keys::new(b"writer test".to_vec()),
            None,
            std::time::Duration::from_secs(24 * 3600),
            clock.clone(),
        )
        .unwrap();
        let rt = tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap();
        let key = || Some("retry-me".to_owned());
        let first = rt.block_on(writer.submit(job(1, key(), &clock))).unwrap();
        assert_eq!((first.status, first.replayed), (201, false));
        clock.advance(std::time::Duration::from_secs(23 * 3600));
        let replay = rt.block_on(writer.submit(job(1, key(), &clock))).unwrap();
        assert_eq!((replay.status, replay.replayed), (201, true));
        assert_eq!(replay.body, first.body);
        clock.advance(std::time::Duration::from_secs(2 * 3600));
        let later = rt.block_on(writer.submit(job(1, key(), &clock))).unwrap();
        assert_eq!(
            (later.status, later.replayed),
            (200, false),
            "a new request after the TTL"
        );
        drop(writer);
        thread.join().unwrap();
        let _ = std::fs::remove_dir_all(&dir);
    }
}

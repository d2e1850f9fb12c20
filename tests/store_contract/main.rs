//! The store's contract, the same assertions on every backend: a SQLite file and, when the
//! test cluster is up (`SG_TEST_PG_URL`), a fresh PostgreSQL database per test. Signups and
//! re-signups, idempotency replays and reuse, withdrawal by token, double opt-in with its
//! outbox row and confirmation, erasure, export with links, access, policies kept by hash,
//! the retention purge, the secret, a newer schema refused, webhook events and their order,
//! and the chain intact throughout; and `migrate` from the SQLite file into PostgreSQL.
//!
//! One test binary: the helpers below, then a person's way through the store (`lifecycle`) and
//! what the operator reads and runs (`operator`).

#[path = "../pg_support/mod.rs"]
mod pg_support;

use signup_guard::clock::{format_ms, parse_rfc3339, Clock};
use signup_guard::custom::CustomValue;
use signup_guard::source::Source;
use signup_guard::store::{
    Answer, ChainCheck, Confirm, ConfirmMail, Confirmed, EraseTarget, EventMeta, Grant, Keys,
    Retention, Store, Submit, Withdraw, WriteError, WriterHandle, WriterOptions,
};
use signup_guard::verdict::Contact;
use std::path::{Path, PathBuf};
use std::time::Duration;

mod lifecycle;
mod operator;

/// The stores to run a test on: a new SQLite file and, when available, a new PostgreSQL
/// database. Each with a name for the failure messages.
fn backends(tag: &str) -> Vec<(&'static str, PathBuf)> {
    let dir = std::env::temp_dir().join(format!("sg-contract-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let mut all = vec![("sqlite", dir.join("store.db"))];
    if let Some(url) = pg_support::fresh_database(tag) {
        all.push(("postgres", PathBuf::from(url)));
    }
    all
}

fn clock() -> Clock {
    Clock::fixed(parse_rfc3339("2026-11-23T10:00:00Z").unwrap())
}

fn keys() -> Keys {
    Keys::new(b"contract secret".to_vec())
}

fn start(db: &Path, clock: &Clock) -> (WriterHandle, std::thread::JoinHandle<()>) {
    let options = WriterOptions {
        idempotency_ttl: Duration::from_secs(86_400),
        confirm_within: Duration::from_secs(7 * 86_400),
        clock: clock.clone(),
        pause_after_commit: None,
    };
    Store::open(db)
        .unwrap()
        .start_writer(keys(), options)
        .unwrap()
}

fn rt() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap()
}

fn meta(clock: &Clock) -> EventMeta {
    EventMeta {
        policy_id: "acme-news".into(),
        policy_version: "1".into(),
        policy_hash: "cd".repeat(32),
        locale: "en".into(),
        method: "api",
        received_at: clock.now(),
        claimed_at: None,
        user_agent: Some("contract".into()),
    }
}

fn signup(email: &str, name: &str, key: Option<&str>, clock: &Clock) -> Submit {
    Submit {
        contact: Contact {
            email: Some(email.into()),
            email_display: Some(email.into()),
            email_key: Some(email.to_lowercase()),
            phone_e164: None,
            phone_type: None,
            phone_display: None,
            phone_extension: None,
            given_name: Some(name.into()),
            family_name: None,
            country: Some("ID".into()),
            locale: "en".into(),
            consent: vec!["newsletter".into()],
            // Attribution rides along: the first and the latest page are kept apart.
            source: Some(Source {
                path: Some(format!("/{}", name.to_lowercase())),
                utm_source: Some("contract".into()),
                ..Source::default()
            }),
            // A custom field value per signup, and one only the first carries ("Ann"): a
            // re-signup replaces what it sends and keeps the rest.
            custom: [(
                "company".to_owned(),
                CustomValue::Text(format!("{name} Co")),
            )]
            .into_iter()
            .chain((name == "Ann").then(|| ("role".to_owned(), CustomValue::Text("dev".into()))))
            .collect(),
        },
        warnings: Vec::new(),
        grants: vec![Grant {
            purpose: "newsletter".into(),
            text_hash: "ab".repeat(32),
            required: false,
        }],
        meta: meta(clock),
        idempotency: key.map(|k| (k.to_owned(), format!("fp-{email}-{name}"))),
        confirm: None,
    }
}

/// Chain intact with `events` events.
fn assert_chain(db: &Path, events: u64, label: &str) {
    let store = Store::open_read(db).unwrap();
    let head = store.chain_head().unwrap();
    assert_eq!(head.seq as u64, events, "{label}");
    assert_eq!(
        store.verify_chain().unwrap(),
        ChainCheck::Intact {
            events,
            head: head.hash
        },
        "{label}"
    );
}

fn token_parts(a: &Answer) -> (i64, String, String) {
    let (purpose, token) = &a.unsubscribe[0];
    let (id, p, mac) = Keys::parse_unsubscribe(token).unwrap();
    assert_eq!(p, purpose);
    (id, p.to_owned(), mac.to_owned())
}

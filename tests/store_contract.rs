//! The store's contract, the same assertions on every backend: a SQLite file and, when the
//! test cluster is up (`SG_TEST_PG_URL`), a fresh PostgreSQL database per test. Signups and
//! re-signups, idempotency replays and reuse, withdrawal by token, double opt-in with its
//! outbox row and confirmation, erasure, export with links, access, policies kept by hash,
//! the retention purge, the secret, a newer schema refused, webhook events and their order,
//! and the chain intact throughout; and `migrate` from the SQLite file into PostgreSQL.

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

#[test]
fn signups_resignups_and_idempotency_behave_alike() {
    for (label, db) in backends("signup") {
        let clock = clock();
        let (w, t) = start(&db, &clock);
        let rt = rt();
        let first = rt
            .block_on(w.submit(signup("Ann@example.org", "Ann", Some("k1"), &clock)))
            .unwrap();
        assert_eq!((first.status, first.replayed), (201, false), "{label}");
        assert_eq!(first.unsubscribe.len(), 1, "{label}");
        // The same key and payload: the stored answer, byte for byte.
        let replay = rt
            .block_on(w.submit(signup("Ann@example.org", "Ann", Some("k1"), &clock)))
            .unwrap();
        assert_eq!((replay.status, replay.replayed), (201, true), "{label}");
        assert_eq!(replay.body, first.body, "{label}");
        // The same key with another payload: refused.
        let reused = rt.block_on(w.submit(signup("Ann@example.org", "Anna", Some("k1"), &clock)));
        assert_eq!(reused.unwrap_err(), WriteError::KeyReused, "{label}");
        // The same person again: updated, one row.
        let again = rt
            .block_on(w.submit(signup("ann@example.org", "Anna", None, &clock)))
            .unwrap();
        assert_eq!(again.status, 200, "{label}");
        let other = rt
            .block_on(w.submit(signup("bob@example.org", "Bob", None, &clock)))
            .unwrap();
        assert_eq!(other.status, 201, "{label}");
        drop(w);
        t.join().unwrap();
        let store = Store::open_read(&db).unwrap();
        let stats = store.stats().unwrap();
        assert_eq!(
            (stats.contacts, stats.events, stats.idempotency),
            (2, 3, 1),
            "{label}"
        );
        let mut rows = Vec::new();
        store
            .export(|r| {
                rows.push(r);
                Ok::<_, signup_guard::store::StoreError>(())
            })
            .unwrap();
        assert_eq!(rows.len(), 2, "{label}");
        assert_eq!(rows[0].given_name.as_deref(), Some("Anna"), "{label}");
        let touch =
            |t: &Option<signup_guard::store::Touch>| t.as_ref().and_then(|t| t.source.path.clone());
        assert_eq!(
            touch(&rows[0].source.first).as_deref(),
            Some("/ann"),
            "{label}"
        );
        assert_eq!(
            touch(&rows[0].source.last).as_deref(),
            Some("/anna"),
            "{label}"
        );
        assert_eq!(rows[0].consent["newsletter"].status, "granted", "{label}");
        assert_eq!(store.purposes().unwrap(), vec!["newsletter"], "{label}");
        assert_chain(&db, 3, label);
    }
}

#[test]
fn withdrawal_by_token_then_erasure_keep_the_chain() {
    for (label, db) in backends("withdraw") {
        let clock = clock();
        let (w, t) = start(&db, &clock);
        let rt = rt();
        let a = rt
            .block_on(w.submit(signup("cy@example.org", "Cy", Some("kc"), &clock)))
            .unwrap();
        let (id, purpose, mac) = token_parts(&a);
        let withdraw = |mac: &str| Withdraw {
            contact_id: id,
            purpose: purpose.clone(),
            mac: mac.to_owned(),
            meta: meta(&clock),
        };
        let forged = rt.block_on(w.withdraw(withdraw(&"0".repeat(mac.len()))));
        assert_eq!(forged.unwrap_err(), WriteError::TokenInvalid, "{label}");
        assert!(rt.block_on(w.withdraw(withdraw(&mac))).unwrap(), "{label}");
        assert!(!rt.block_on(w.withdraw(withdraw(&mac))).unwrap(), "{label}");
        // Granted again, then erased beside the running writer.
        rt.block_on(w.submit(signup("cy@example.org", "Cy", None, &clock)))
            .unwrap();
        let mut store = Store::open(&db).unwrap();
        let erased = store
            .erase(&EraseTarget::email("CY@example.org"), &clock.now())
            .unwrap();
        assert_eq!(
            (erased.contacts, erased.events, erased.idempotency),
            (1, 1, 1),
            "{label}"
        );
        // The writer continues the chain after the erasure's event.
        rt.block_on(w.submit(signup("dee@example.org", "Dee", None, &clock)))
            .unwrap();
        drop(w);
        t.join().unwrap();
        let stats = store.stats().unwrap();
        assert_eq!((stats.contacts, stats.erased), (2, 1), "{label}");
        let mut emails = Vec::new();
        store
            .export(|r| {
                emails.push(r.email);
                Ok::<_, signup_guard::store::StoreError>(())
            })
            .unwrap();
        assert_eq!(emails, vec![Some("dee@example.org".to_owned())], "{label}");
        assert_chain(&db, 5, label);
    }
}

#[test]
fn double_opt_in_queues_mail_and_confirms_once() {
    for (label, db) in backends("optin") {
        let clock = clock();
        let (w, t) = start(&db, &clock);
        let rt = rt();
        let mut s = signup("eve@example.org", "Eve", None, &clock);
        s.confirm = Some(ConfirmMail {
            base_url: "https://verifier.example".into(),
            within: Duration::from_secs(86_400),
            client_may_mail: true,
            now_ms: clock.unix_ms(),
        });
        let a = rt.block_on(w.submit(s)).unwrap();
        assert_eq!((a.status, a.mail_queued), (202, true), "{label}");
        let store = Store::open(&db).unwrap();
        let (now, until) = (clock.now(), format_ms(clock.unix_ms() + 60_000));
        let claimed = store.outbox_claim("mail", &now, &until, 10).unwrap();
        assert_eq!(claimed.len(), 1, "{label}");
        assert_eq!(claimed[0].attempts, 1, "{label}");
        // Leased: a second claim takes nothing.
        assert!(store
            .outbox_claim("mail", &now, &until, 10)
            .unwrap()
            .is_empty());
        let id = claimed[0].contact_id.unwrap();
        assert_eq!(
            store.mail_address(id).unwrap().as_deref(),
            Some("eve@example.org"),
            "{label}"
        );
        let payload: serde_json::Value = serde_json::from_str(&claimed[0].payload).unwrap();
        let link = payload["link"].as_str().unwrap();
        let token = link
            .split("token=")
            .nth(1)
            .unwrap()
            .split('&')
            .next()
            .unwrap();
        let (cid, expires_ms, mac) = Keys::parse_confirm(token).unwrap();
        let confirm = || Confirm {
            contact_id: cid,
            expires_ms,
            mac: mac.to_owned(),
            now_ms: clock.unix_ms(),
            meta: EventMeta {
                method: "double_opt_in",
                ..meta(&clock)
            },
        };
        let now = rt.block_on(w.confirm(confirm())).unwrap();
        assert_eq!(now, Confirmed::Now(vec!["newsletter".into()]), "{label}");
        assert_eq!(
            rt.block_on(w.confirm(confirm())).unwrap(),
            Confirmed::Already
        );
        drop(w);
        t.join().unwrap();
        let sent = signup_guard::store::OutboxOutcome::Sent { at: clock.now() };
        store.outbox_finish(claimed[0].id, &sent).unwrap();
        let mut states = Vec::new();
        store
            .export(|r| {
                states.push(r.consent["newsletter"].status);
                Ok::<_, signup_guard::store::StoreError>(())
            })
            .unwrap();
        assert_eq!(states, vec!["granted"], "{label}");
        assert_chain(&db, 2, label);
    }
}

#[test]
fn links_access_policies_and_purge_read_the_same() {
    let policy =
        signup_guard::policy::Policy::from_json(include_str!("../www/policy.json")).unwrap();
    for (label, db) in backends("people") {
        let clock = clock();
        let store = Store::open(&db).unwrap();
        assert!(store.latest_policy().unwrap().is_none(), "{label}");
        store.keep_policy(&policy, &clock.now()).unwrap();
        assert_eq!(
            store.latest_policy().unwrap().unwrap().hash(),
            policy.hash()
        );
        let (w, t) = start(&db, &clock);
        let rt = rt();
        rt.block_on(w.submit(signup("fay@example.org", "Fay", None, &clock)))
            .unwrap();
        drop(w);
        t.join().unwrap();
        assert_eq!(store.keys_match(&keys()).unwrap(), Some(true), "{label}");
        let other = Keys::new(b"another".to_vec());
        assert_eq!(store.keys_match(&other).unwrap(), Some(false), "{label}");
        let mut links = Vec::new();
        store
            .links(&keys(), "https://v.example", None, |l| {
                links.push(l);
                Ok::<_, signup_guard::store::StoreError>(())
            })
            .unwrap();
        assert_eq!(links.len(), 1, "{label}");
        assert!(links[0]
            .unsubscribe_url
            .starts_with("https://v.example/v1/unsubscribe?token="));
        let found = store
            .access(
                &EraseTarget::email("fay@example.org"),
                &keys(),
                "https://v.example",
            )
            .unwrap();
        assert_eq!(found.len(), 1, "{label}");
        assert_eq!(found[0].events.len(), 1, "{label}");
        assert_eq!(found[0].consent["newsletter"].status, "granted", "{label}");
        // A year later with a 30-day retention: listed by a dry run, then erased.
        let mut store = store;
        let rule = Retention {
            retention_days: Some(30),
            grace_days: 30,
        };
        let later = clock.unix_ms() + 365 * 86_400_000;
        assert_eq!(store.purge(rule, later, true).unwrap().len(), 1, "{label}");
        assert_eq!(store.purge(rule, later, false).unwrap().len(), 1, "{label}");
        assert!(
            store.purge(rule, later, false).unwrap().is_empty(),
            "{label}"
        );
        assert_eq!(store.stats().unwrap().erased, 1, "{label}");
        assert_chain(&db, 2, label);
    }
}

#[test]
fn the_secret_is_kept_once_and_a_newer_schema_is_refused() {
    for (label, db) in backends("schema") {
        let first = Store::open(&db).unwrap().secret(None).unwrap();
        assert_eq!(first.len(), 64, "{label}");
        assert_eq!(Store::open(&db).unwrap().secret(None).unwrap(), first);
        assert_eq!(
            Store::open(&db).unwrap().secret(Some("env")).unwrap(),
            b"env".to_vec()
        );
        match label {
            "sqlite" => {
                let conn = rusqlite::Connection::open(&db).unwrap();
                conn.execute_batch("PRAGMA user_version = 999").unwrap();
            }
            _ => {
                let mut c = pg_support::client(db.to_str().unwrap());
                c.batch_execute("UPDATE sg_schema SET version = 999")
                    .unwrap();
            }
        }
        let refused = Store::open(&db)
            .err()
            .map(|e| e.0)
            .expect("a newer schema is refused");
        assert!(
            refused.contains("newer than this program knows"),
            "{label}: {refused}"
        );
        assert!(Store::open_read(&db).is_err(), "{label}");
    }
}

#[test]
fn backup_and_restore_on_postgres_answer_a_stable_code() {
    for (label, db) in backends("backup") {
        let store = Store::open(&db).unwrap();
        let out = std::env::temp_dir().join(format!("sg-contract-{}.bak", std::process::id()));
        let _ = std::fs::remove_file(&out);
        let r = store.backup(&out);
        if label == "postgres" {
            let e = r.expect_err("no backup on PostgreSQL").0;
            assert!(
                e.starts_with("store.unsupported") && e.contains("pg_dump"),
                "{e}"
            );
            let e = Store::restore(&out, &db).err().unwrap().0;
            assert!(e.starts_with("store.unsupported"), "{e}");
        } else {
            assert!(r.is_ok(), "{label}");
            let _ = std::fs::remove_file(&out);
        }
    }
}

#[test]
fn migrate_copies_a_sqlite_store_and_proves_it() {
    let Some(url) = pg_support::fresh_database("migrate") else {
        return;
    };
    let (_, file) = backends("migrate-src").remove(0);
    let clock = clock();
    let (w, t) = start(&file, &clock);
    let rt = rt();
    for (email, name) in [("gus@example.org", "Gus"), ("hal@example.org", "Hal")] {
        rt.block_on(w.submit(signup(email, name, Some(email), &clock)))
            .unwrap();
    }
    let ida = rt
        .block_on(w.submit(signup("ida@example.org", "Ida", None, &clock)))
        .unwrap();
    let (id, purpose, mac) = token_parts(&ida);
    let meta = meta(&clock);
    let withdrawn = Withdraw {
        contact_id: id,
        purpose,
        mac,
        meta,
    };
    assert!(rt.block_on(w.withdraw(withdrawn)).unwrap());
    drop(w);
    t.join().unwrap();
    Store::open(&file)
        .unwrap()
        .erase(&EraseTarget::email("hal@example.org"), &clock.now())
        .unwrap();
    let to = PathBuf::from(&url);
    let report = Store::migrate(&file, &to).unwrap();
    let source = Store::open_read(&file).unwrap();
    assert_eq!(report.stats, source.stats().unwrap());
    assert_eq!(report.head, source.chain_head().unwrap().hash);
    assert_eq!(report.events, 5);
    let rows = |s: &Store| {
        let mut all = Vec::new();
        s.export_with_links(&keys(), "https://v.example", |r| {
            all.push(r);
            Ok::<_, signup_guard::store::StoreError>(())
        })
        .unwrap();
        all
    };
    let target = Store::open_read(&to).unwrap();
    assert_eq!(
        rows(&target),
        rows(&source),
        "the same rows, the same links"
    );
    // Once only: the target now holds contacts.
    let again = Store::migrate(&file, &to).err().map(|e| e.0).unwrap();
    assert!(again.starts_with("store.target_not_empty"), "{again}");
    // A server on the target continues the chain and the ids, and replays the copied answers.
    let (w, t) = start(&to, &clock);
    let replay = rt
        .block_on(w.submit(signup(
            "gus@example.org",
            "Gus",
            Some("gus@example.org"),
            &clock,
        )))
        .unwrap();
    assert!(replay.replayed, "the idempotency answer came along");
    let next = rt
        .block_on(w.submit(signup("jo@example.org", "Jo", None, &clock)))
        .unwrap();
    assert_eq!(next.status, 201);
    assert!(token_parts(&next).0 > id, "a new id after the copied ones");
    drop(w);
    t.join().unwrap();
    assert_chain(&to, 6, "postgres after migrate");
}

#[test]
fn webhook_events_are_queued_with_the_change_and_claimed_in_order() {
    use signup_guard::store::{Delivery, WebhookRoute};
    for (label, db) in backends("webhooks") {
        let clock = clock();
        let url = "http://127.0.0.1:9/hook";
        let route = WebhookRoute {
            url: url.into(),
            events: Vec::new(),
            include: vec!["name".into()],
        };
        let store = Store::open(&db).unwrap();
        store.set_webhook_endpoints(&[route], &clock.now()).unwrap();
        let (w, t) = start(&db, &clock);
        let rt = rt();
        rt.block_on(w.submit(signup("kim@example.org", "Kim", None, &clock)))
            .unwrap();
        rt.block_on(w.submit(signup("kim@example.org", "Kimberly", None, &clock)))
            .unwrap();
        drop(w);
        t.join().unwrap();
        let (now, lease) = (clock.now(), format_ms(clock.unix_ms() + 60_000));
        // In order per contact: one at a time while the earlier one is undelivered.
        let types = |items: &[signup_guard::store::WebhookItem]| -> Vec<String> {
            items
                .iter()
                .map(|i| {
                    let v: serde_json::Value = serde_json::from_str(&i.payload).unwrap();
                    v["type"].as_str().unwrap().to_owned()
                })
                .collect()
        };
        let mut seen = Vec::new();
        for _ in 0..5 {
            let items = store.webhook_claim(url, &now, &lease, 10).unwrap();
            if items.is_empty() {
                break;
            }
            assert_eq!(items.len(), 1, "{label}: one per contact at a time");
            seen.extend(types(&items));
            let sent = Delivery::Sent { at: clock.now() };
            store.webhook_finish(&[(items[0].id, sent)]).unwrap();
        }
        assert_eq!(
            seen,
            vec!["contact.created", "consent.granted", "contact.updated"],
            "{label}"
        );
        let mut listed = Vec::new();
        store.webhook_list("", |r| listed.push(r.state)).unwrap();
        assert_eq!(listed, vec!["sent"; 3], "{label}");
        assert_eq!(store.webhook_replay("", None, &now).unwrap(), 3, "{label}");
        let mut store = store;
        store
            .erase(&EraseTarget::email("kim@example.org"), &clock.now())
            .unwrap();
        // The replayed rows carried the person's data: gone with the erasure; the endpoint
        // hears `contact.erased` instead.
        let items = store.webhook_claim(url, &now, &lease, 10).unwrap();
        assert_eq!(types(&items), vec!["contact.erased"], "{label}");
    }
}

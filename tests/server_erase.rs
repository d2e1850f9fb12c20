//! Erasure (GDPR Art. 17) with the real binary beside a running server on the same SQLite file,
//! and `Idempotency-Key` expiry over real HTTP on 127.0.0.1.
#![cfg(feature = "server")]

mod server_support;

use server_support::{cli, demo_policy, post_keyed, signup, TempDir, TestServer};
use std::time::{Duration, Instant};

#[test]
fn erase_blanks_the_contact_keeps_the_chain_and_a_new_signup_is_a_fresh_row() {
    let server = TestServer::start(|_| {});
    let p = demo_policy();
    let db = server.db.to_str().unwrap().to_owned();
    let jane = post_keyed(server.addr, "k-jane", &signup("Jane.Doe@Example.org", &p));
    let bob = post_keyed(server.addr, "k-bob", &signup("bob@example.org", &p));
    assert_eq!((jane.status, bob.status), (201, 201));
    let jane_id: i64 = server
        .sql()
        .query_row(
            "SELECT id FROM contacts WHERE email_key = 'jane.doe@example.org'",
            [],
            |r| r.get(0),
        )
        .unwrap();

    // The server is running and holds the database while the binary erases.
    let out = cli(&["erase", "--db", &db, "--email", "jane.doe@EXAMPLE.org"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(said.contains("erased 1 contact"), "{said}");

    // Every personal column is blank; the key the chain names the person by is kept.
    let row: Vec<Option<String>> = server
        .sql()
        .query_row(
            "SELECT email_key, email, email_display, phone_e164, phone_display, given_name,
                    family_name, country, contact_key FROM contacts WHERE id = ?1",
            [jane_id],
            |r| (0..9).map(|i| r.get(i)).collect(),
        )
        .unwrap();
    assert!(row[..8].iter().all(Option::is_none), "{row:?}");
    assert!(row[8].as_deref().is_some_and(|k| !k.is_empty()));
    // Her stored answer (it shows her address) is gone, Bob's is kept.
    assert_eq!(
        server.count("SELECT count(*) FROM idempotency WHERE body LIKE '%jane.doe%'"),
        0
    );
    assert_eq!(server.count("SELECT count(*) FROM idempotency"), 1);
    // The erasure is in the log as a withdrawal appended after the grants, old events untouched.
    assert_eq!(
        server.count(
            "SELECT count(*) FROM consent_events WHERE action = 'withdraw' AND method = 'erasure'"
        ),
        1
    );
    assert_eq!(server.count("SELECT count(*) FROM consent_events"), 3);
    let verify = cli(&["consent-log", "verify", "--db", &db]);
    assert_eq!(verify.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&verify.stdout).contains("3 events"));

    let export = cli(&["export", "--db", &db, "--format", "ndjson"]);
    assert_eq!(export.status.code(), Some(0));
    let text = String::from_utf8_lossy(&export.stdout).to_lowercase();
    assert!(!text.contains("jane.doe"), "{text}");
    assert!(text.contains("bob@example.org"), "{text}");

    // Nothing left to erase.
    let again = cli(&["erase", "--db", &db, "--email", "jane.doe@example.org"]);
    assert_eq!(again.status.code(), Some(1));

    // Signing up again creates a new contact, not the blanked row refilled, and the server's
    // writer continues the chain from the erasure event the other process appended.
    let back = server.post_json("/v1/submissions", &signup("jane.doe@example.org", &p));
    assert_eq!(back.status, 201, "{}", back.text());
    let new_id: i64 = server
        .sql()
        .query_row(
            "SELECT id FROM contacts WHERE email_key = 'jane.doe@example.org'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_ne!(new_id, jane_id);
    assert_eq!(server.count("SELECT count(*) FROM contacts"), 3);
    let verify = cli(&["consent-log", "verify", "--db", &db]);
    assert_eq!(verify.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&verify.stdout).contains("4 events"));
    // The old key no longer replays her old answer: it is a new request (an update now).
    let retry = post_keyed(server.addr, "k-jane", &signup("Jane.Doe@Example.org", &p));
    assert_eq!(retry.status, 200, "{}", retry.text());
    assert_eq!(retry.header("idempotency-replayed"), None);
}

#[test]
fn erase_by_phone_and_its_exit_codes() {
    let server = TestServer::start(|_| {});
    let p = demo_policy();
    let db = server.db.to_str().unwrap().to_owned();
    let mut body: serde_json::Value =
        serde_json::from_str(&signup("sari@example.org", &p)).unwrap();
    body["phone"] = "+62 812-3456-7890".into();
    let r = server.post_json("/v1/submissions", &body.to_string());
    assert_eq!(r.status, 201, "{}", r.text());
    assert_eq!(
        server.count("SELECT count(*) FROM contacts WHERE phone_e164 = '+6281234567890'"),
        1
    );

    let unknown = cli(&["erase", "--db", &db, "--phone", "+6281299999999"]);
    assert_eq!(unknown.status.code(), Some(1));
    let bad = cli(&["erase", "--db", &db, "--phone", "not a number"]);
    assert_eq!(bad.status.code(), Some(2));
    let both = cli(&[
        "erase",
        "--db",
        &db,
        "--phone",
        "+6281234567890",
        "--email",
        "a@b.org",
    ]);
    assert_eq!(both.status.code(), Some(2));
    let neither = cli(&["erase", "--db", &db]);
    assert_eq!(neither.status.code(), Some(2));
    let dir = TempDir::new("erase-missing");
    let missing = dir.0.join("nope.db");
    let no_db = cli(&[
        "erase",
        "--db",
        missing.to_str().unwrap(),
        "--email",
        "sari@example.org",
    ]);
    assert_eq!(no_db.status.code(), Some(2));
    assert!(!missing.exists(), "erase must not create a database");

    let ok = cli(&["erase", "--db", &db, "--phone", "+6281234567890"]);
    assert_eq!(
        ok.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&ok.stderr)
    );
    assert_eq!(
        server.count(
            "SELECT count(*) FROM contacts WHERE phone_e164 IS NOT NULL OR email IS NOT NULL"
        ),
        0
    );
    let export = cli(&["export", "--db", &db]);
    let text = String::from_utf8_lossy(&export.stdout);
    assert!(
        !text.contains("sari") && !text.contains("6281234567890"),
        "{text}"
    );
    assert_eq!(
        cli(&["consent-log", "verify", "--db", &db]).status.code(),
        Some(0)
    );
}

#[test]
fn expired_idempotency_keys_are_swept_and_a_reused_key_is_new() {
    let server = TestServer::start(|c| c.idempotency_ttl = Duration::from_secs(1));
    let p = demo_policy();
    let first = post_keyed(server.addr, "k-old", &signup("tono@example.org", &p));
    assert_eq!(first.status, 201);
    assert_eq!(server.count("SELECT count(*) FROM idempotency"), 1);
    // The background sweep deletes it once it is older than the TTL (bounded wait).
    let start = Instant::now();
    while server.count("SELECT count(*) FROM idempotency") > 0 {
        assert!(
            start.elapsed() < Duration::from_secs(15),
            "the expired key was never swept"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    // Same key, another payload: before expiry that is 422 key_reused; now it is a new request.
    let reused = post_keyed(server.addr, "k-old", &signup("wati@example.org", &p));
    assert_eq!(reused.status, 201, "{}", reused.text());
    assert_eq!(reused.header("idempotency-replayed"), None);
    assert_eq!(server.count("SELECT count(*) FROM contacts"), 2);
}

#[test]
fn a_key_past_its_age_is_new_even_before_the_sweep() {
    let server = TestServer::start(|_| {});
    let p = demo_policy();
    let first = post_keyed(server.addr, "k-1", &signup("ayu@example.org", &p));
    assert_eq!(first.status, 201);
    // Within 24 h the same key and payload replay the stored 201.
    let replay = post_keyed(server.addr, "k-1", &signup("ayu@example.org", &p));
    assert_eq!(replay.header("idempotency-replayed"), Some("true"));
    // Two days old (the stored timestamp is the server's record): the key counts as new.
    server
        .sql()
        .execute(
            "UPDATE idempotency SET created_at = '2000-01-01T00:00:00.000Z' WHERE key = 'k-1'",
            [],
        )
        .unwrap();
    let later = post_keyed(server.addr, "k-1", &signup("ayu@example.org", &p));
    assert_eq!(later.status, 200, "{}", later.text());
    assert_eq!(later.header("idempotency-replayed"), None);
    // ...and its new answer is stored under the key again.
    assert_eq!(
        server.count("SELECT count(*) FROM idempotency WHERE key = 'k-1' AND created_at > '2001'"),
        1
    );
}

#[test]
fn serve_documents_the_ttl_flag_and_refuses_a_bad_value() {
    let help = cli(&["serve", "--help"]);
    let text = String::from_utf8_lossy(&help.stdout);
    assert!(text.contains("--idempotency-ttl-hours"), "{text}");
    assert!(!text.contains("--idempotency-ttl-secs"), "{text}");
    let bad = cli(&["serve", "--idempotency-ttl-hours", "soon"]);
    assert_eq!(bad.status.code(), Some(2));
}

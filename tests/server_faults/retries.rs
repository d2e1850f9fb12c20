//! Retries: a key still in flight, a SIGKILL between COMMIT and the answer, and two server
//! processes on one file continuing one chain.

use super::*;

#[test]
fn the_same_key_while_the_first_request_is_in_flight_is_409() {
    // The writer holds each answer for a while after COMMIT, so the first request is surely
    // still in flight when the second arrives.
    let server = TestServer::start(|c| c.pause_after_commit = Some(Duration::from_millis(3000)));
    let (addr, db) = (server.addr, server.db.clone());
    let body = two_purposes("putri@example.org");
    let first = {
        let body = body.clone();
        std::thread::spawn(move || post_keyed(addr, "k-flight", &body))
    };
    wait_until(
        "the first request committed",
        Duration::from_secs(30),
        || idempotency_rows(&db, "k-flight") == 1,
    );
    let same = post_keyed(addr, "k-flight", &body);
    assert_eq!(
        (same.status, same.code().as_str()),
        (409, "submission.in_progress"),
        "{}",
        same.text()
    );
    let other = post_keyed(addr, "k-flight", &two_purposes("other@example.org"));
    assert_eq!(other.status, 409, "{}", other.text());
    assert!(!first.is_finished(), "the first request was answered early");
    let first = first.join().unwrap();
    assert_eq!(first.status, 201, "{}", first.text());
    let replay = post_keyed(addr, "k-flight", &body);
    assert_eq!((replay.status, &replay.body), (201, &first.body));
    assert_eq!(replay.header("idempotency-replayed"), Some("true"));
    assert_eq!(count(&db, "SELECT count(*) FROM contacts"), 1);
    assert_eq!(count(&db, "SELECT count(*) FROM consent_events"), 2);
}

#[test]
fn sigkill_between_commit_and_response_then_the_retry_gets_the_stored_answer() {
    let dir = TempDir::new("killed");
    let db = dir.0.join("killed.db");
    let mut server = Spawned::start_env(
        &db,
        &dir.0,
        &[("SIGNUP_GUARD_TEST_PAUSE_AFTER_COMMIT_MS", "60000")],
    );
    let key = "signup-7f3a";
    let body = two_purposes("ratna@example.org");
    let client = {
        let (addr, body) = (server.addr, body.clone());
        std::thread::spawn(move || raw_post_keyed(addr, key, &body))
    };
    wait_until("the submission committed", Duration::from_secs(30), || {
        idempotency_rows(&db, key) == 1
    });
    assert!(!client.is_finished(), "answered before the kill");
    server.child.kill().unwrap(); // SIGKILL: no shutdown path runs
    server.child.wait().unwrap();
    let heard = client.join().unwrap();
    assert!(
        heard.is_empty(),
        "the client heard an answer: {}",
        String::from_utf8_lossy(&heard)
    );
    // Committed but never acknowledged: the contact, both events and the answer are stored.
    assert_eq!(count(&db, "SELECT count(*) FROM contacts"), 1);
    assert_eq!(count(&db, "SELECT count(*) FROM consent_events"), 2);
    let (stored_status, stored_body): (i64, String) = sql(&db)
        .query_row(
            "SELECT status, body FROM idempotency WHERE key = ?1",
            [key],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();

    let restarted = Spawned::start(&db, &dir.0);
    let retry = post_keyed(restarted.addr, key, &body);
    assert_eq!(retry.status, 201, "{}", retry.text());
    assert_eq!(i64::from(retry.status), stored_status);
    // The stored answer byte for byte, its unsubscribe links made absolute under this server's
    // address (the store keeps them relative; `--public-url` would fix the origin).
    let absolute = format!(":\"http://{}/v1/unsubscribe?token=", restarted.addr);
    assert_eq!(
        retry.text(),
        stored_body.replace(":\"/v1/unsubscribe?token=", &absolute),
        "the stored answer, byte for byte"
    );
    assert_eq!(retry.header("idempotency-replayed"), Some("true"));
    let answer = retry.json();
    assert_eq!(answer["status"], "created");
    assert_eq!(answer["contact"]["email"], "ratna@example.org");
    let links = answer["unsubscribe"].as_object().unwrap();
    assert!(links.contains_key("newsletter") && links.contains_key("sms_offers"));
    let again = post_keyed(restarted.addr, key, &body);
    assert_eq!((again.status, &again.body), (201, &retry.body));
    // No duplicate, one set of consent events, and the key still guards its payload.
    assert_eq!(count(&db, "SELECT count(*) FROM contacts"), 1);
    assert_eq!(count(&db, "SELECT count(*) FROM consent_events"), 2);
    assert_eq!(count(&db, "SELECT count(*) FROM idempotency"), 1);
    let other = post_keyed(restarted.addr, key, &two_purposes("else@example.org"));
    assert_eq!(
        (other.status, other.code().as_str()),
        (422, "submission.key_reused")
    );
    let (ok, said) = consent_log_verify(&db);
    assert!(ok && said.contains("intact: 2 events"), "{said}");
}

#[test]
fn two_servers_on_one_database_continue_one_chain() {
    // During a restart the old process may still be committing while the new one starts: each
    // must continue the consent chain from the head on disk, not from the one it read at start.
    let dir = TempDir::new("two");
    let db = dir.0.join("two.db");
    let old = Spawned::start(&db, &dir.0);
    let new = Spawned::start(&db, &dir.0);
    let p = demo_policy();
    for n in 0..20 {
        let addr = if n % 2 == 0 { old.addr } else { new.addr };
        let r = support::submit(addr, &signup(&format!("two{n}@example.org"), &p));
        assert_eq!(r.status, 201, "signup {n}: {}", r.text());
    }
    assert_eq!(count(&db, "SELECT count(*) FROM contacts"), 20);
    let (ok, said) = consent_log_verify(&db);
    assert!(ok && said.contains("intact: 20 events"), "{said}");
}

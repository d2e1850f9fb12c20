//! The webhook queue's rules on a real SQLite file: claims keep each contact's events in order
//! per endpoint (a row waits while an earlier one is undelivered; a dead one stops blocking),
//! endpoints do not hold each other back, a released row loses no attempt, and a replay keeps
//! the `webhook-id`.

use super::Sqlite;
use crate::store::{Delivery, WebhookRoute};
use rusqlite::params;

const T0: &str = "2026-11-23T10:00:00.000Z";
const T1: &str = "2026-11-23T10:00:01.000Z";
const LATER: &str = "2026-11-23T11:00:00.000Z";
const A: &str = "https://a.example/h";
const B: &str = "https://b.example/h";

/// A store with endpoints A and B and, for each, rows 1..=3: contact 1, contact 1, contact 2.
fn queue(tag: &str) -> (Sqlite, std::path::PathBuf) {
    let dir = std::env::temp_dir().join(format!("sg-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let store = Sqlite::open(&dir.join("q.db")).unwrap();
    let route = |url: &str| WebhookRoute {
        url: url.into(),
        events: Vec::new(),
        include: Vec::new(),
    };
    store
        .set_webhook_endpoints(&[route(A), route(B)], T0)
        .unwrap();
    for (n, contact) in [(1, 1), (2, 1), (3, 2)] {
        for endpoint in [A, B] {
            store
                .conn
                .execute(
                    "INSERT INTO outbox (kind, contact_id, payload, created_at, next_attempt_at,
                        endpoint, event_id) VALUES ('webhook', ?1, ?2, ?3, ?3, ?4, ?5)",
                    params![
                        contact,
                        format!("{{\"type\":\"e{n}\"}}"),
                        T0,
                        endpoint,
                        format!("msg_{n}")
                    ],
                )
                .unwrap();
        }
    }
    (store, dir)
}

fn claim(store: &Sqlite, endpoint: &str, now: &str) -> Vec<String> {
    let items = store.webhook_claim(endpoint, now, LATER, 10).unwrap();
    items.into_iter().map(|i| i.event_id).collect()
}

#[test]
fn a_contacts_next_event_waits_for_the_one_before_on_that_endpoint_only() {
    let (store, dir) = queue("webhook-order");
    assert_eq!(claim(&store, A, T0), ["msg_1", "msg_3"], "one per contact");
    let first = store.webhook_claim(B, T0, LATER, 1).unwrap();
    assert_eq!(
        first[0].event_id, "msg_1",
        "B is not held back by A's lease"
    );
    // A's copy of msg_1: its row id and attempts so far.
    let a1 = || {
        store
            .conn
            .query_row(
                "SELECT id, attempts FROM outbox WHERE endpoint = ?1 AND event_id = 'msg_1'",
                [A],
                |r| Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)?)),
            )
            .unwrap()
    };
    let (id, attempts) = a1();
    assert_eq!(attempts, 1);
    let retry = Delivery::Retry {
        at: T1.into(),
        error: "HTTP 409".into(),
    };
    store.webhook_finish(&[(id, retry)]).unwrap();
    assert!(claim(&store, A, T0).is_empty(), "msg_2 waits behind msg_1");
    assert_eq!(claim(&store, A, T1), ["msg_1"], "due again, still first");
    let release = Delivery::Release { at: T1.into() };
    assert_eq!(a1().1, 2);
    store.webhook_finish(&[(id, release)]).unwrap();
    assert_eq!(a1().1, 1, "a release gives the claim's attempt back");
    let dead = Delivery::Dead {
        at: T1.into(),
        error: "gave up".into(),
    };
    store.webhook_finish(&[(id, dead)]).unwrap();
    assert_eq!(
        claim(&store, A, T1),
        ["msg_2"],
        "a dead letter no longer blocks"
    );
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn a_replay_sends_a_delivered_event_again_under_its_id() {
    let (store, dir) = queue("webhook-replay");
    let items = store.webhook_claim(A, T0, LATER, 10).unwrap();
    let sent: Vec<_> = items
        .iter()
        .map(|i| (i.id, Delivery::Sent { at: T1.into() }))
        .collect();
    store.webhook_finish(&sent).unwrap();
    assert_eq!(claim(&store, A, T1), ["msg_2"]);
    assert_eq!(store.webhook_requeue(true, T0, Some(A), T1).unwrap(), 2);
    assert_eq!(
        claim(&store, A, T1),
        ["msg_1", "msg_3"],
        "same ids, in order"
    );
    assert_eq!(store.webhook_requeue(true, T0, Some(B), T1).unwrap(), 0);
    let mut listed = Vec::new();
    store
        .webhook_list("", |r| listed.push((r.endpoint, r.state)))
        .unwrap();
    assert_eq!(listed.len(), 6);
    assert!(listed.iter().all(|(_, state)| *state == "pending"));
    // B is no longer configured: its undelivered events become dead letters, A's stay.
    let route = WebhookRoute {
        url: A.into(),
        events: Vec::new(),
        include: Vec::new(),
    };
    store.set_webhook_endpoints(&[route], T1).unwrap();
    let mut states = Vec::new();
    store
        .webhook_list("", |r| states.push((r.endpoint, r.state)))
        .unwrap();
    assert!(
        states.iter().all(|(e, s)| (e == A) == (*s == "pending")),
        "{states:?}"
    );
    let _ = std::fs::remove_dir_all(dir);
}

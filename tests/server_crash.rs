//! Crash safety (issue 5, acceptance 2): under concurrent load the real server process is killed
//! with SIGKILL; after a restart every submission that got a 201 is present, nothing is half
//! written (every stored contact has its consent event, no event lacks its contact), and the
//! consent chain verifies and keeps growing.
#![cfg(feature = "server")]

#[path = "server_support/mod.rs"]
mod support;

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use support::{demo_policy, signup, KeepAlive, Spawned, TempDir};

#[test]
fn sigkill_under_load_loses_nothing_acknowledged() {
    let dir = TempDir::new("crash");
    let db = dir.0.join("crash.db");
    let mut server = Spawned::start(&db, &dir.0);
    let policy = demo_policy();
    let acked = Arc::new(Mutex::new(Vec::<String>::new()));
    let count = Arc::new(AtomicUsize::new(0));
    let stop = Arc::new(AtomicBool::new(false));
    let clients: Vec<_> = (0..8)
        .map(|t| {
            let (acked, count, stop, policy) =
                (acked.clone(), count.clone(), stop.clone(), policy.clone());
            let addr = server.addr;
            std::thread::spawn(move || {
                let Ok(mut conn) = KeepAlive::connect(addr) else {
                    return;
                };
                for n in 0.. {
                    if stop.load(Ordering::Relaxed) {
                        break;
                    }
                    let email = format!("t{t}n{n}@example.org");
                    match conn.post_json("/v1/submissions", &signup(&email, &policy)) {
                        Ok((201, _)) => {
                            acked.lock().unwrap().push(email);
                            count.fetch_add(1, Ordering::Relaxed);
                        }
                        Ok((status, body)) => {
                            panic!("{status}: {}", String::from_utf8_lossy(&body))
                        }
                        Err(_) => break, // the server is gone
                    }
                }
            })
        })
        .collect();
    let start = Instant::now();
    while count.load(Ordering::Relaxed) < 1000 && start.elapsed() < Duration::from_secs(60) {
        std::thread::sleep(Duration::from_millis(5));
    }
    server.child.kill().unwrap(); // SIGKILL on Unix: no shutdown path runs
    server.child.wait().unwrap();
    stop.store(true, Ordering::Relaxed);
    for c in clients {
        c.join().unwrap();
    }
    let acked = acked.lock().unwrap().clone();
    assert!(
        acked.len() >= 1000,
        "only {} acknowledged before the kill",
        acked.len()
    );

    let restarted = Spawned::start(&db, &dir.0);
    let health = support::request(restarted.addr, "GET", "/healthz", &[], b"");
    assert_eq!(health.status, 200);
    let conn = support::sql(&db);
    let mut present = conn
        .prepare("SELECT count(*) FROM contacts WHERE email_key = ?1")
        .unwrap();
    let missing: Vec<&String> = acked
        .iter()
        .filter(|e| {
            present
                .query_row([e.as_str()], |r| r.get::<_, i64>(0))
                .unwrap()
                != 1
        })
        .collect();
    assert!(
        missing.is_empty(),
        "{} acknowledged signups lost, e.g. {:?}",
        missing.len(),
        missing.first()
    );
    let q = |sql: &str| conn.query_row(sql, [], |r| r.get::<_, i64>(0)).unwrap();
    let contacts = q("SELECT count(*) FROM contacts");
    assert!(contacts >= acked.len() as i64);
    assert_eq!(
        q("SELECT count(*) FROM consent_events"),
        contacts,
        "one grant per signup"
    );
    assert_eq!(
        q("SELECT count(*) FROM contacts c WHERE NOT EXISTS
           (SELECT 1 FROM consent_events e WHERE e.contact_key = c.contact_key)"),
        0
    );
    assert_eq!(
        q("SELECT count(*) FROM consent_events e WHERE NOT EXISTS
           (SELECT 1 FROM contacts c WHERE c.contact_key = e.contact_key)"),
        0
    );
    assert_eq!(
        conn.query_row("PRAGMA integrity_check", [], |r| r.get::<_, String>(0))
            .unwrap(),
        "ok"
    );
    // The restarted server continues the chain from the surviving head.
    let more = support::submit(
        restarted.addr,
        &signup("after-restart@example.org", &policy),
    );
    assert_eq!(more.status, 201, "{}", more.text());
    let (ok, said) = support::consent_log_verify(&db);
    assert!(ok, "{said}");
    assert!(
        said.contains(&format!("intact: {} events", contacts + 1)),
        "{said}"
    );
}

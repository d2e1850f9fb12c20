//! PostgreSQL itself stopped and started under load (issue 17): while the database is down a
//! replica answers `503 submission.unavailable` (never a `201` for something not stored), and
//! once it is back the same process stores signups again, without a restart. Every `201` is
//! stored once and the chain verifies. Stops and resumes the test cluster
//! (`scripts/pg-cluster.sh halt|resume`), so it is a test binary of its own (cargo runs test
//! binaries one after another).
#![cfg(all(feature = "server", feature = "postgres"))]

mod pg_support;
#[path = "server_support/mod.rs"]
mod support;

use signup_guard::store::{ChainCheck, Store};
use std::collections::HashSet;
use std::path::Path;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use support::{demo_policy, signup, KeepAlive, Spawned, TempDir};

fn cluster(action: &str) {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/pg-cluster.sh");
    let out = std::process::Command::new("bash")
        .arg(script)
        .arg(action)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "pg-cluster.sh {action}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Resumes the cluster when dropped, so a failing test leaves no outage behind for the others.
struct Outage;

impl Outage {
    fn start() -> Outage {
        cluster("halt");
        Outage
    }
}

impl Drop for Outage {
    fn drop(&mut self) {
        cluster("resume");
    }
}

#[test]
fn a_database_outage_answers_503_and_recovers_without_a_restart() {
    let Some(url) = pg_support::fresh_database("outage") else {
        return;
    };
    let dir = TempDir::new("outage");
    let server = Spawned::start(Path::new(&url), &dir.0);
    let policy = demo_policy();
    let acked = Arc::new(Mutex::new(Vec::<String>::new()));
    let refused = Arc::new(Mutex::new(Vec::<String>::new()));
    let count = Arc::new(AtomicUsize::new(0));
    let stop = Arc::new(AtomicBool::new(false));
    let clients: Vec<_> = (0..4)
        .map(|t| {
            let (acked, refused, count, stop, policy) = (
                acked.clone(),
                refused.clone(),
                count.clone(),
                stop.clone(),
                policy.clone(),
            );
            let addr = server.addr;
            std::thread::spawn(move || {
                let mut conn = KeepAlive::connect(addr).unwrap();
                for n in 0..20_000 {
                    if stop.load(Ordering::Relaxed) {
                        break;
                    }
                    let email = format!("t{t}n{n}@example.org");
                    let (status, body) = conn
                        .post_json("/v1/submissions", &signup(&email, &policy))
                        .expect("the server stays up through the outage");
                    match status {
                        201 => {
                            acked.lock().unwrap().push(email);
                            count.fetch_add(1, Ordering::Relaxed);
                        }
                        503 => {
                            let v: serde_json::Value = serde_json::from_slice(&body).unwrap();
                            assert_eq!(v["issues"][0]["code"], "submission.unavailable");
                            refused.lock().unwrap().push(email);
                            std::thread::sleep(Duration::from_millis(5));
                        }
                        other => panic!("{email}: {other} {}", String::from_utf8_lossy(&body)),
                    }
                }
            })
        })
        .collect();
    let wait = |what: &str, done: &dyn Fn() -> bool| {
        let start = Instant::now();
        while !done() {
            assert!(
                start.elapsed() < Duration::from_secs(120),
                "timed out: {what}"
            );
            std::thread::sleep(Duration::from_millis(10));
        }
    };
    wait("100 stored", &|| count.load(Ordering::Relaxed) >= 100);
    // A store held across the outage, as the mail sender and the sweeps hold theirs.
    let held = Store::open_read(Path::new(&url)).unwrap();
    held.stats().unwrap();
    let health = || support::request(server.addr, "GET", "/healthz", &[], b"").status;
    assert_eq!(health(), 200);
    let outage = Outage::start();
    wait("503s during the outage", &|| {
        refused.lock().unwrap().len() >= 20
    });
    // A load balancer sees it too: /healthz says the store is unreachable.
    wait("/healthz 503 during the outage", &|| health() == 503);
    let before = count.load(Ordering::Relaxed);
    drop(outage);
    wait("stored again after the outage", &|| {
        count.load(Ordering::Relaxed) >= before + 100
    });
    wait("/healthz 200 again", &|| health() == 200);
    // The held store meets the lost connection at most once, then connects again.
    let first = held.stats();
    assert!(first.is_ok() || held.stats().is_ok(), "{first:?}");
    stop.store(true, Ordering::Relaxed);
    for c in clients {
        c.join().unwrap();
    }
    let acked = acked.lock().unwrap().clone();
    let mut sql = pg_support::client(&url);
    let stored: HashSet<String> = sql
        .query("SELECT email_key FROM contacts", &[])
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect();
    let lost: Vec<_> = acked.iter().filter(|e| !stored.contains(*e)).collect();
    assert!(
        lost.is_empty(),
        "{} acknowledged but not stored: {:?}",
        lost.len(),
        lost.first()
    );
    let events: i64 = sql
        .query_one("SELECT count(*) FROM consent_events", &[])
        .unwrap()
        .get(0);
    let store = Store::open_read(Path::new(&url)).unwrap();
    let head = store.chain_head().unwrap();
    assert_eq!(head.seq, events, "a gap in the chain");
    assert_eq!(
        store.verify_chain().unwrap(),
        ChainCheck::Intact {
            events: events as u64,
            head: head.hash
        }
    );
}

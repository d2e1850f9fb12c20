//! Several `serve` replicas on one PostgreSQL database (issue 17): three real server processes
//! under concurrent load, one SIGKILLed mid-run and started again. Every acknowledged signup
//! is stored exactly once, the same person sent to two replicas at the same instant is one
//! contact, and the one consent chain verifies with no gap. Needs the test cluster
//! (`SG_TEST_PG_URL`); skipped with a line without it, failed under `SG_REQUIRE_PG=1`.
#![cfg(all(feature = "server", feature = "postgres"))]

mod pg_support;
#[path = "server_support/mod.rs"]
mod support;

use signup_guard::store::{ChainCheck, Store};
use std::collections::HashMap;
use std::net::SocketAddr;
use std::path::Path;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Barrier, Mutex};
use std::time::{Duration, Instant};
use support::{demo_policy, signup, KeepAlive, Spawned, TempDir};

/// Posts `body` to the replica at `addr` on a kept connection; `None` when it is unreachable.
fn post(conn: &mut Option<(SocketAddr, KeepAlive)>, addr: SocketAddr, body: &str) -> Option<u16> {
    if conn.as_ref().is_none_or(|(a, _)| *a != addr) {
        *conn = KeepAlive::connect(addr).ok().map(|c| (addr, c));
    }
    let (_, c) = conn.as_mut()?;
    match c.post_json("/v1/submissions", body) {
        Ok((status, _)) => Some(status),
        Err(_) => {
            *conn = None;
            None
        }
    }
}

#[test]
fn three_replicas_one_chain_through_a_sigkill() {
    let Some(url) = pg_support::fresh_database("replicas") else {
        return;
    };
    let dir = TempDir::new("replicas");
    let db = Path::new(&url);
    let mut replicas: Vec<Spawned> = (0..3).map(|_| Spawned::start(db, &dir.0)).collect();
    let addrs = Arc::new(Mutex::new(
        replicas.iter().map(|r| r.addr).collect::<Vec<_>>(),
    ));
    let policy = demo_policy();
    let acked = Arc::new(Mutex::new(Vec::<String>::new()));
    let count = Arc::new(AtomicUsize::new(0));
    let stop = Arc::new(AtomicBool::new(false));
    let mut clients: Vec<_> = (0..6)
        .map(|t| {
            let (acked, count, stop, addrs, policy) = (
                acked.clone(),
                count.clone(),
                stop.clone(),
                addrs.clone(),
                policy.clone(),
            );
            std::thread::spawn(move || {
                let mut conns: Vec<Option<(SocketAddr, KeepAlive)>> = vec![None, None, None];
                for n in 0..2000 {
                    if stop.load(Ordering::Relaxed) {
                        break;
                    }
                    let r = (t + n) % 3;
                    let addr = addrs.lock().unwrap()[r];
                    let email = format!("t{t}n{n}@example.org");
                    match post(&mut conns[r], addr, &signup(&email, &policy)) {
                        Some(201) => {
                            acked.lock().unwrap().push(email);
                            count.fetch_add(1, Ordering::Relaxed);
                        }
                        Some(503) | None => {} // the replica is down or restarting
                        Some(status) => panic!("{email}: {status}"),
                    }
                }
            })
        })
        .collect();
    // Twins: the same person at the same instant on replicas 0 and 1 (never killed).
    let twins = 40;
    let barrier = Arc::new(Barrier::new(2));
    let statuses = Arc::new(Mutex::new(HashMap::<usize, Vec<u16>>::new()));
    for side in 0..2 {
        let (barrier, statuses, addrs, policy) = (
            barrier.clone(),
            statuses.clone(),
            addrs.clone(),
            policy.clone(),
        );
        clients.push(std::thread::spawn(move || {
            let mut conn = None;
            for k in 0..twins {
                let addr = addrs.lock().unwrap()[side];
                barrier.wait();
                let status = post(
                    &mut conn,
                    addr,
                    &signup(&format!("twin{k}@example.org"), &policy),
                );
                let status = status.expect("replicas 0 and 1 stay up");
                statuses.lock().unwrap().entry(k).or_default().push(status);
            }
        }));
    }
    let wait_for = |n: usize| {
        let start = Instant::now();
        while count.load(Ordering::Relaxed) < n && start.elapsed() < Duration::from_secs(120) {
            std::thread::sleep(Duration::from_millis(10));
        }
    };
    wait_for(300);
    replicas[2].child.kill().unwrap(); // SIGKILL: no shutdown path runs
    replicas[2].child.wait().unwrap();
    let killed_at = count.load(Ordering::Relaxed);
    replicas[2] = Spawned::start(db, &dir.0);
    addrs.lock().unwrap()[2] = replicas[2].addr;
    wait_for(killed_at + 300);
    stop.store(true, Ordering::Relaxed);
    for c in clients {
        c.join().unwrap();
    }
    let acked = acked.lock().unwrap().clone();
    assert!(acked.len() >= 600, "only {} acknowledged", acked.len());

    let mut sql = pg_support::client(&url);
    let stored: HashMap<String, i64> = sql
        .query(
            "SELECT email_key, count(*) FROM contacts WHERE email_key IS NOT NULL GROUP BY 1",
            &[],
        )
        .unwrap()
        .iter()
        .map(|r| (r.get(0), r.get(1)))
        .collect();
    let wrong: Vec<_> = acked
        .iter()
        .filter(|e| stored.get(e.as_str()) != Some(&1))
        .collect();
    assert!(
        wrong.is_empty(),
        "{} acknowledged signups not stored once: {:?}",
        wrong.len(),
        wrong.first()
    );
    assert!(stored.values().all(|&n| n == 1), "a duplicate contact");
    // Each pair of twins: one contact, created by one replica and updated by the other.
    for (k, mut s) in statuses.lock().unwrap().clone() {
        s.sort_unstable();
        assert_eq!(s, vec![200, 201], "twin {k}");
        assert_eq!(stored.get(&format!("twin{k}@example.org")), Some(&1));
    }
    let q = |sql: &mut postgres::Client, q: &str| sql.query_one(q, &[]).unwrap().get::<_, i64>(0);
    let events = q(&mut sql, "SELECT count(*) FROM consent_events");
    assert_eq!(
        q(&mut sql, "SELECT max(seq) FROM consent_events"),
        events,
        "a gap in seq"
    );
    assert_eq!(
        q(
            &mut sql,
            "SELECT count(*) FROM contacts c WHERE NOT EXISTS
           (SELECT 1 FROM consent_events e WHERE e.contact_key = c.contact_key)"
        ),
        0,
        "a contact without its event"
    );
    let store = Store::open_read(db).unwrap();
    let head = store.chain_head().unwrap();
    assert_eq!(
        store.verify_chain().unwrap(),
        ChainCheck::Intact {
            events: events as u64,
            head: head.hash
        }
    );
    // The restarted replica continues the same chain.
    let mut conn = None;
    let after = post(
        &mut conn,
        replicas[2].addr,
        &signup("after@example.org", &policy),
    );
    assert_eq!(after, Some(201));
    assert_eq!(store.chain_head().unwrap().seq, events + 1);
}

//! The database on a small tmpfs that fills up: 503 with a stable code, never 201, recovery
//! without a restart, and under load every 201 stored and every 503 not.

use super::*;

/// Writes `path` until the file system refuses (ENOSPC), in ever smaller pieces.
fn fill(path: &Path) {
    let mut f = std::fs::File::create(path).unwrap();
    for size in [1 << 16, 4096, 512, 1] {
        let piece = vec![0x5a_u8; size];
        loop {
            match f.write_all(&piece) {
                Ok(()) => {}
                Err(e) if e.raw_os_error() == Some(28) => break, // ENOSPC
                Err(e) => panic!("filling {}: {e}", path.display()),
            }
        }
    }
}

#[test]
fn a_full_disk_answers_503_never_201_and_recovers_without_a_restart() {
    let dir = TempDir::new("full");
    let Some(mnt) = tmpfs_or_skip("full disk", &dir.0, "4m") else {
        return;
    };
    let db = mnt.0.join("full.db");
    let server = Spawned::start(&db, &dir.0);
    let p = demo_policy();
    for n in 0..5 {
        let r = support::submit(server.addr, &signup(&format!("before{n}@example.org"), &p));
        assert_eq!(r.status, 201, "{}", r.text());
    }
    // Empty the write-ahead log, so the next commit needs new space (a WAL with room left would
    // legitimately take a few more commits), then fill the disk.
    let (busy, log): (i64, i64) = sql(&db)
        .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .unwrap();
    assert_eq!((busy, log), (0, 0), "the WAL was not truncated");
    fill(&mnt.0.join("filler"));
    let probe = std::fs::write(mnt.0.join("probe"), [0u8; 4096]);
    assert_eq!(
        probe.map_err(|e| e.raw_os_error()),
        Err(Some(28)),
        "the disk is not full"
    );

    // Concurrent posts, so failed group commits hold several requests each.
    let answers: Vec<(String, Option<String>, support::Resp)> = (0..8)
        .map(|t| {
            let (addr, p) = (server.addr, p.clone());
            std::thread::spawn(move || {
                (0..4)
                    .map(|n| {
                        let email = format!("full{t}x{n}@example.org");
                        let key = (n % 2 == 0).then(|| format!("full-{t}-{n}"));
                        let mut headers = vec![("content-type", "application/json")];
                        if let Some(k) = &key {
                            headers.push(("idempotency-key", k.as_str()));
                        }
                        let r = support::request(
                            addr,
                            "POST",
                            "/v1/submissions",
                            &headers,
                            signup(&email, &p).as_bytes(),
                        );
                        (email, key, r)
                    })
                    .collect::<Vec<_>>()
            })
        })
        .collect::<Vec<_>>()
        .into_iter()
        .flat_map(|h| h.join().unwrap())
        .collect();
    for (email, _, r) in &answers {
        assert_eq!(r.status, 503, "{email}: {}", r.text());
        assert_eq!(r.code(), "submission.unavailable", "{email}");
        assert_eq!(r.header("retry-after"), Some("1"));
    }
    // The rest of the service still answers.
    let health = support::request(server.addr, "GET", "/healthz", &[], b"");
    assert_eq!(health.status, 200);
    let validate = support::post_json(
        server.addr,
        "/v1/validate",
        &signup("still@example.org", &p),
    );
    assert_eq!(validate.status, 200, "{}", validate.text());

    // Space returns: the same process stores again, and a refused key is not a stored refusal.
    std::fs::remove_file(mnt.0.join("filler")).unwrap();
    let _ = std::fs::remove_file(mnt.0.join("probe"));
    let after = support::submit(server.addr, &signup("after@example.org", &p));
    assert_eq!(after.status, 201, "{}", after.text());
    let (email, key, _) = answers.iter().find(|(_, k, _)| k.is_some()).unwrap();
    let retried = post_keyed(server.addr, key.as_deref().unwrap(), &signup(email, &p));
    assert_eq!(retried.status, 201, "{}", retried.text());
    assert_eq!(retried.header("idempotency-replayed"), None);

    // Nothing refused was stored, everything acknowledged was, and the files are sound.
    let stored = |e: &str| {
        sql(&db)
            .query_row(
                "SELECT count(*) FROM contacts WHERE email_key = ?1",
                [e],
                |r| r.get::<_, i64>(0),
            )
            .unwrap()
    };
    for (e, _, _) in answers.iter().filter(|(e, _, _)| e != email) {
        assert_eq!(stored(e), 0, "{e} got 503 but was stored");
    }
    assert_eq!(stored(email), 1);
    assert_eq!(stored("after@example.org"), 1);
    assert_eq!(count(&db, "SELECT count(*) FROM contacts"), 7);
    assert_eq!(count(&db, "SELECT count(*) FROM consent_events"), 7);
    assert_eq!(integrity(&db), "ok");
    let (ok, said) = consent_log_verify(&db);
    assert!(ok && said.contains("intact: 7 events"), "{said}");
    drop(server);
    drop(mnt);
}

#[test]
fn a_disk_filling_up_under_load_acknowledges_only_what_is_stored() {
    let dir = TempDir::new("filling");
    let Some(mnt) = tmpfs_or_skip("disk filling up", &dir.0, "4m") else {
        return;
    };
    let db = mnt.0.join("filling.db");
    let server = Spawned::start(&db, &dir.0);
    let p = demo_policy();
    let post = |addr, email: &str| support::submit(addr, &signup(email, &p));
    for n in 0..150 {
        let r = post(server.addr, &format!("early{n}@example.org"));
        assert_eq!(r.status, 201, "{}", r.text());
    }
    // Copy the WAL into the database, so the next commit starts the WAL over from its
    // beginning: the file keeps its size, and commits still fit in it for a while after the
    // disk is full. Every one that got 201 must be stored, every 503 not.
    let (busy, log, done): (i64, i64, i64) = sql(&db)
        .query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?))
        })
        .unwrap();
    assert_eq!((busy, log), (0, done), "the WAL was not checkpointed");
    fill(&mnt.0.join("filler"));
    let answers: Vec<(String, u16, String)> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..8)
            .map(|t| {
                let (addr, post) = (server.addr, &post);
                scope.spawn(move || {
                    // Until this client has been refused ten times (bounded).
                    let mut seen = Vec::new();
                    for n in 0..1000 {
                        let email = format!("late{t}x{n}@example.org");
                        let r = post(addr, &email);
                        let code = if r.status == 201 {
                            String::new()
                        } else {
                            r.code()
                        };
                        seen.push((email, r.status, code));
                        if seen.iter().filter(|a| a.1 != 201).count() == 10 {
                            break;
                        }
                    }
                    seen
                })
            })
            .collect();
        workers
            .into_iter()
            .flat_map(|w| w.join().unwrap())
            .collect()
    });
    let acked = answers.iter().filter(|a| a.1 == 201).count();
    assert!(acked > 0, "no commit fitted in the WAL's space");
    assert!(acked < answers.len(), "the disk never filled");
    for (email, status, code) in &answers {
        assert!(
            *status == 201 || (*status == 503 && code == "submission.unavailable"),
            "{email}: {status} {code}"
        );
    }
    std::fs::remove_file(mnt.0.join("filler")).unwrap();
    let after = post(server.addr, "after@example.org");
    assert_eq!(after.status, 201, "{}", after.text());
    let conn = sql(&db);
    let mut present = conn
        .prepare("SELECT count(*) FROM contacts WHERE email_key = ?1")
        .unwrap();
    for (email, status, _) in &answers {
        let n: i64 = present.query_row([email], |r| r.get(0)).unwrap();
        assert_eq!(n, i64::from(*status == 201), "{email} answered {status}");
    }
    let total = 150 + acked as i64 + 1;
    assert_eq!(count(&db, "SELECT count(*) FROM contacts"), total);
    assert_eq!(count(&db, "SELECT count(*) FROM consent_events"), total);
    assert_eq!(integrity(&db), "ok");
    let (ok, said) = consent_log_verify(&db);
    assert!(
        ok && said.contains(&format!("intact: {total} events")),
        "{said}"
    );
    drop(present);
    drop(conn);
    drop(server);
    drop(mnt);
}

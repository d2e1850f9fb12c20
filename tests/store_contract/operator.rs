//! What the operator reads and runs on every backend: links, access and policies by hash, the
//! retention purge, the secret and the schema version, backup codes, and `migrate` from SQLite
//! into PostgreSQL.

use super::*;

#[test]
fn links_access_policies_and_purge_read_the_same() {
    let policy =
        signup_guard::policy::Policy::from_json(include_str!("../../www/policy.json")).unwrap();
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

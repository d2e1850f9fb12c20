//! `signup-guard backup` of a database a real `serve` process is writing (two clients signing
//! up on 127.0.0.1 the whole time), each copy proven, and `restore` served again answering the
//! same export as the live database.
#![cfg(feature = "server")]

mod server_support;

use server_support::{
    cli_keyed, consent_log_verify, count, demo_policy, integrity, request, signup, Resp, Spawned,
    TempDir, SPAWNED_SECRET,
};
use signup_guard::Policy;
use std::net::SocketAddr;
use std::path::Path;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, OnceLock};
use std::time::Duration;

/// `backup --db DB --out OUT`: exit code, stdout, stderr.
fn backup(db: &Path, out: &Path) -> (Option<i32>, String, String) {
    let (db, out) = (db.to_str().unwrap(), out.to_str().unwrap());
    cli_keyed(SPAWNED_SECRET, &["backup", "--db", db, "--out", out])
}

/// `restore --from FROM --db DB`: exit code, stdout, stderr.
fn restore(from: &Path, db: &Path) -> (Option<i32>, String, String) {
    let (from, db) = (from.to_str().unwrap(), db.to_str().unwrap());
    cli_keyed(SPAWNED_SECRET, &["restore", "--from", from, "--db", db])
}

/// The export of `db` (CSV with unsubscribe links), which must succeed.
fn export(db: &Path) -> String {
    let db = db.to_str().unwrap();
    let args = ["export", "--db", db, "--public-url", "https://v.example"];
    let (code, out, err) = cli_keyed(SPAWNED_SECRET, &args);
    assert_eq!(code, Some(0), "{err}");
    out
}

/// A signup of `email` as JSON to the server at `addr`.
fn sign_up(addr: SocketAddr, email: &str) -> Resp {
    static POLICY: OnceLock<Policy> = OnceLock::new();
    let body = signup(email, POLICY.get_or_init(demo_policy));
    let json = [("content-type", "application/json")];
    request(addr, "POST", "/v1/submissions", &json, body.as_bytes())
}

#[test]
fn a_backup_of_a_database_taking_signups_is_proven_and_restored_answers_the_same_export() {
    let dir = TempDir::new("backup");
    let db = dir.0.join("live.db");
    let server = Spawned::start(&db, &dir.0);
    let stop = Arc::new(AtomicBool::new(false));
    let stored = Arc::new(AtomicUsize::new(0));
    let writers: Vec<_> = (0..2)
        .map(|w| {
            let (stop, stored, addr) = (stop.clone(), stored.clone(), server.addr);
            std::thread::spawn(move || {
                for i in 0..5000 {
                    if stop.load(Ordering::Relaxed) {
                        break;
                    }
                    let r = sign_up(addr, &format!("w{w}.n{i}@example.org"));
                    assert_eq!(r.status, 201, "{}", r.text());
                    stored.fetch_add(1, Ordering::SeqCst);
                }
            })
        })
        .collect();
    server_support::wait_until("signups flow", Duration::from_secs(30), || {
        stored.load(Ordering::SeqCst) >= 20
    });
    // Three backups while both clients keep signing up.
    for n in 0..3 {
        let out = dir.0.join(format!("during-{n}.db"));
        let before = stored.load(Ordering::SeqCst);
        let (code, said, err) = backup(&db, &out);
        assert_eq!(code, Some(0), "{err}");
        assert!(said.contains("integrity ok, consent log intact"), "{said}");
        assert_eq!(integrity(&out), "ok");
        let copied = count(&out, "SELECT count(*) FROM contacts") as usize;
        assert!(copied >= before, "{copied} < {before}");
        assert!(consent_log_verify(&out).0);
        // The server goes on taking signups after (and during) each copy.
        server_support::wait_until("more signups", Duration::from_secs(30), || {
            stored.load(Ordering::SeqCst) >= copied + 10
        });
    }
    stop.store(true, Ordering::Relaxed);
    for w in writers {
        w.join().unwrap();
    }
    let out = dir.0.join("final.db");
    let (code, _, err) = backup(&db, &out);
    assert_eq!(code, Some(0), "{err}");
    let (code, _, err) = backup(&db, &out);
    assert_eq!(code, Some(2), "an existing file is never overwritten");
    assert!(err.contains("refusing to overwrite"), "{err}");
    let live = export(&db);
    assert_eq!(live.lines().count(), stored.load(Ordering::SeqCst) + 1);
    assert_eq!(export(&out), live);
    drop(server);

    // Restored to a new path and served again: the same export, and it takes signups.
    let restored = dir.0.join("restored.db");
    let (code, said, err) = restore(&out, &restored);
    assert_eq!(code, Some(0), "{err}");
    assert!(said.starts_with("restored"), "{said}");
    let again = Spawned::start(&restored, &dir.0);
    assert_eq!(export(&restored), live);
    let r = sign_up(again.addr, "after.restore@example.org");
    assert_eq!(r.status, 201, "{}", r.text());
    assert!(consent_log_verify(&restored).0);
}

#[test]
fn restore_refuses_a_backup_whose_chain_was_edited_and_writes_nothing() {
    let dir = TempDir::new("restore-refuses");
    let db = dir.0.join("live.db");
    let server = Spawned::start(&db, &dir.0);
    let r = sign_up(server.addr, "jane@example.org");
    assert_eq!(r.status, 201, "{}", r.text());
    let copy = dir.0.join("copy.db");
    // The copy holds the same personal data: it gets the live file's permissions.
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&db, std::fs::Permissions::from_mode(0o600)).unwrap();
    let (code, _, err) = backup(&db, &copy);
    assert_eq!(code, Some(0), "{err}");
    let mode = std::fs::metadata(&copy).unwrap().permissions().mode();
    assert_eq!(mode & 0o777, 0o600);
    drop(server);
    // Someone edits the consent log of the backup (past its append-only triggers).
    let conn = rusqlite::Connection::open(&copy).unwrap();
    conn.execute_batch(
        "DROP TRIGGER consent_events_no_update;
         UPDATE consent_events SET purpose = 'sms_offers' WHERE seq = 1;",
    )
    .unwrap();
    drop(conn);
    let target = dir.0.join("restored.db");
    let (code, _, err) = restore(&copy, &target);
    assert_eq!(code, Some(2));
    assert!(err.contains("consent log broken"), "{err}");
    assert!(!target.exists());
    // Nor is a file that is not a signup-guard database restored.
    let junk = dir.0.join("junk.db");
    std::fs::write(&junk, b"not a database").unwrap();
    let (code, _, err) = restore(&junk, &target);
    assert_eq!(code, Some(2), "{err}");
    assert!(!target.exists());
}

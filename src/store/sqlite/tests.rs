//! The writer against real SQLite files: a disk that fills in the middle of group commits, a job
//! failing mid-batch, idempotency answers expiring by the injected clock, erasure; and the
//! helpers the other writer tests share (`durable_tests`: fsyncs and the WAL).

use super::Sqlite;
use crate::clock::{parse_rfc3339, Clock};
use crate::store::{
    Answer, ChainCheck, Keys, Store, Submit, WriteError, WriterHandle, WriterOptions,
};
use std::time::Duration;

/// The instant the writer tests run at: any fixed instant works, since nothing reads the
/// machine's clock.
pub(super) fn test_clock() -> Clock {
    Clock::fixed(parse_rfc3339("2026-11-23T10:00:00Z").unwrap())
}

/// A fresh, empty directory under the system temp dir (each test removes it at its end).
pub(super) fn fresh_dir(tag: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// A runtime to await the writer's answers on (with timers, for tests that pace their jobs).
pub(super) fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .build()
        .unwrap()
}

/// The writer's options in these tests: `clock`, answers kept for `idempotency_ttl`.
pub(super) fn options(idempotency_ttl: Duration, clock: &Clock) -> WriterOptions {
    WriterOptions {
        idempotency_ttl,
        confirm_within: Duration::from_secs(7 * 86_400),
        clock: clock.clone(),
        pause_after_commit: None,
    }
}

/// Starts the writer on `store` with the test secret.
pub(super) fn start(
    store: Sqlite,
    idempotency_ttl: Duration,
    clock: &Clock,
) -> (WriterHandle, std::thread::JoinHandle<()>) {
    start_with(store, options(idempotency_ttl, clock))
}

/// Starts the writer on `store` with the test secret and `options`.
pub(super) fn start_with(
    store: Sqlite,
    options: WriterOptions,
) -> (WriterHandle, std::thread::JoinHandle<()>) {
    store
        .start_writer(Keys::new(b"writer test".to_vec()), options)
        .unwrap()
}

/// Stops the writer (it commits what it holds) and checks that the log at `db` holds `events`
/// events and verifies.
pub(super) fn stop_and_verify(
    writer: WriterHandle,
    thread: std::thread::JoinHandle<()>,
    db: &std::path::Path,
    events: u64,
) {
    drop(writer);
    thread.join().unwrap();
    let check = Sqlite::open_read(db).unwrap().verify_chain().unwrap();
    assert!(
        matches!(check, ChainCheck::Intact { events: n, .. } if n == events),
        "{check:?}"
    );
}

pub(super) fn job(n: usize, key: Option<String>, clock: &Clock) -> Submit {
    let mut s = Submit::sample(n, clock.now());
    s.idempotency = key.map(|k| (k, format!("fingerprint-{n}")));
    s
}

/// How many contact rows hold job `n`'s address (0 or 1).
fn contacts_of(check: &Sqlite, n: usize) -> i64 {
    check
        .conn
        .query_row(
            "SELECT count(*) FROM contacts WHERE email_key = ?1",
            [format!("p{n}@example.org")],
            |r| r.get(0),
        )
        .unwrap()
}

/// `SQLITE_FULL` in the middle of group commits (the database may not grow past a few
/// pages): each request hears exactly whether it was stored, the chain stays whole, and the
/// writer keeps serving later batches.
#[test]
fn sqlite_full_mid_batch_fails_only_what_was_not_stored() {
    let dir = fresh_dir("sg-writer-full");
    let db = dir.join("full.db");
    let store = Sqlite::open(&db).unwrap();
    let pages: i64 = store
        .conn
        .query_row("PRAGMA page_count", [], |r| r.get(0))
        .unwrap();
    let limit: i64 = store
        .conn
        .query_row(&format!("PRAGMA max_page_count = {}", pages + 6), [], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(limit, pages + 6);
    let clock = test_clock();
    let (writer, thread) = start(store, Duration::from_secs(86_400), &clock);
    let rt = runtime();
    let key = |n: usize| (n % 2 == 0).then(|| format!("key-{n}"));
    // One job per batch until the database is full...
    let mut results = Vec::new();
    loop {
        let n = results.len();
        assert!(n < 5000, "the database never filled");
        let r = rt.block_on(writer.submit(job(n, key(n), &clock)));
        let failed = r.is_err();
        results.push(r);
        if failed {
            break;
        }
    }
    let sequential = results.len() - 1;
    assert!(sequential > 1, "nothing fitted");
    // ...then many at once: group commits that fail part-way through. SQLite answers
    // SQLITE_FULL on a one-row INSERT by rolling back the whole transaction, so the jobs
    // applied before the failing one must hear 503 too.
    let first = results.len();
    results.extend(flood(&rt, &writer, first..first + 300, &clock, key));
    let stored = results.iter().filter(|r| r.is_ok()).count();
    assert!(stored >= sequential);
    let check = Sqlite::open_read(&db).unwrap();
    for (n, r) in results.iter().enumerate() {
        let present = contacts_of(&check, n);
        match r {
            Ok(a) => assert_eq!((a.status, present), (201, 1), "job {n}"),
            Err(e) => {
                assert!(matches!(e, WriteError::Unavailable(_)), "job {n}: {e:?}");
                assert_eq!(present, 0, "job {n} failed but was stored");
            }
        }
    }
    assert_eq!(check.stats().unwrap().events, stored as u64);
    assert_eq!(
        check.verify_chain().unwrap(),
        ChainCheck::Intact {
            events: stored as u64,
            head: check.chain_head().unwrap().hash
        }
    );
    // Not poisoned: a later batch runs (a retried key replays its stored answer).
    let n = results
        .iter()
        .enumerate()
        .position(|(n, r)| r.is_ok() && key(n).is_some())
        .unwrap();
    let replay = rt.block_on(writer.submit(job(n, key(n), &clock))).unwrap();
    assert!(replay.replayed && replay.status == 201);
    drop(writer);
    thread.join().unwrap();
    let integrity: String = check
        .conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(integrity, "ok");
    drop(check);
    let _ = std::fs::remove_dir_all(&dir);
}

/// A job that fails after it has written rows (here a trigger refuses its consent event,
/// after its contact row went in) fails alone, in the middle of batches of others: none of its
/// rows is stored, every other job of its batch is stored and answered 201, and the chain
/// stays whole. The writer applies batches without a savepoint per job, so this is the path
/// that rolls the batch back and applies it again with savepoints.
#[test]
fn a_job_failing_after_its_writes_fails_alone() {
    let dir = fresh_dir("sg-writer-redo");
    let db = dir.join("redo.db");
    let store = Sqlite::open(&db).unwrap();
    store
        .conn
        .execute_batch(
            "CREATE TRIGGER refuse_p7 BEFORE INSERT ON consent_events
             WHEN NEW.contact_key = (SELECT contact_key FROM contacts
                                     WHERE email_key = 'p7@example.org')
             BEGIN SELECT RAISE(ABORT, 'refused by the test'); END;",
        )
        .unwrap();
    let clock = test_clock();
    let (writer, thread) = start(store, Duration::from_secs(60), &clock);
    let rt = runtime();
    let answers = flood(&rt, &writer, 0..40, &clock, |n| Some(format!("key-{n}")));
    drop(writer);
    thread.join().unwrap();
    let check = Sqlite::open_read(&db).unwrap();
    for (n, a) in answers.iter().enumerate() {
        let present = contacts_of(&check, n);
        if n == 7 {
            assert!(
                matches!(a, Err(WriteError::Internal(why)) if why.contains("refused by the test")),
                "{a:?}"
            );
            assert_eq!(present, 0, "the failed job's contact row was kept");
        } else {
            assert_eq!(
                (a.as_ref().map(|a| a.status).ok(), present),
                (Some(201), 1),
                "job {n}"
            );
        }
    }
    let remembered: i64 = check
        .conn
        .query_row("SELECT count(*) FROM idempotency", [], |r| r.get(0))
        .unwrap();
    assert_eq!(remembered, 39);
    assert_eq!(
        check.verify_chain().unwrap(),
        ChainCheck::Intact {
            events: 39,
            head: check.chain_head().unwrap().hash
        }
    );
    drop(check);
    let _ = std::fs::remove_dir_all(&dir);
}

/// An `Idempotency-Key` answer is replayed while it is younger than the TTL and forgotten
/// after, judged by the injected clock alone (so the test means the same on any date).
#[test]
fn idempotency_answers_expire_by_the_injected_clock() {
    let dir = fresh_dir("sg-writer-ttl");
    let db = dir.join("ttl.db");
    let clock = test_clock();
    let (writer, thread) = start(
        Sqlite::open(&db).unwrap(),
        Duration::from_secs(24 * 3600),
        &clock,
    );
    let rt = runtime();
    let key = || Some("retry-me".to_owned());
    let first = rt.block_on(writer.submit(job(1, key(), &clock))).unwrap();
    assert_eq!((first.status, first.replayed), (201, false));
    clock.advance(Duration::from_secs(23 * 3600));
    let replay = rt.block_on(writer.submit(job(1, key(), &clock))).unwrap();
    assert_eq!((replay.status, replay.replayed), (201, true));
    assert_eq!(replay.body, first.body);
    clock.advance(Duration::from_secs(2 * 3600));
    let later = rt.block_on(writer.submit(job(1, key(), &clock))).unwrap();
    assert_eq!(
        (later.status, later.replayed),
        (200, false),
        "a new request after the TTL"
    );
    drop(writer);
    thread.join().unwrap();
    let _ = std::fs::remove_dir_all(&dir);
}

/// Erasure through the public API beside a running writer: the person leaves the export, a
/// withdrawal is appended, the chain still verifies, and stats count the blanked row.
#[test]
fn erase_leaves_the_export_and_keeps_the_chain() {
    let dir = fresh_dir("sg-store-erase");
    let db = dir.join("erase.db");
    let clock = test_clock();
    let (writer, thread) = start(Sqlite::open(&db).unwrap(), Duration::from_secs(60), &clock);
    let rt = runtime();
    for n in 0..3 {
        let a = rt.block_on(writer.submit(job(n, None, &clock))).unwrap();
        assert_eq!(a.status, 201);
    }
    let mut store = Store::open(&db).unwrap();
    let target = crate::store::EraseTarget::email(" P1@example.org ");
    let erased = store.erase(&target, &clock.now()).unwrap();
    assert_eq!((erased.contacts, erased.events), (1, 1));
    drop(writer);
    thread.join().unwrap();
    let read = Store::open_read(&db).unwrap();
    let mut emails = Vec::new();
    read.export(|row| {
        emails.push(row.email.unwrap_or_default());
        Ok::<(), crate::store::StoreError>(())
    })
    .unwrap();
    assert_eq!(emails, ["p0@example.org", "p2@example.org"]);
    let stats = read.stats().unwrap();
    assert_eq!((stats.contacts, stats.erased, stats.events), (3, 1, 4));
    assert!(matches!(
        read.verify_chain().unwrap(),
        ChainCheck::Intact { events: 4, .. }
    ));
    assert_eq!(read.chain_head().unwrap().seq, 4);
    drop((store, read));
    let _ = std::fs::remove_dir_all(&dir);
}

/// Submits jobs `range` all at once (so the writer commits them in large batches), job `n` with
/// the `Idempotency-Key` `key(n)`, and returns their answers in order.
pub(super) fn flood(
    rt: &tokio::runtime::Runtime,
    writer: &WriterHandle,
    range: std::ops::Range<usize>,
    clock: &Clock,
    key: fn(usize) -> Option<String>,
) -> Vec<Result<Answer, WriteError>> {
    rt.block_on(async {
        let tasks: Vec<_> = range
            .map(|n| {
                let w = writer.clone();
                let job = job(n, key(n), clock);
                tokio::spawn(async move { w.submit(job).await })
            })
            .collect();
        let mut out = Vec::new();
        for t in tasks {
            out.push(t.await.unwrap());
        }
        out
    })
}
